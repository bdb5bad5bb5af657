/*
 * crc32c.h - CRC-32C (Castagnoli), the checksum of ext4's metadata_csum.
 *
 * ext4 keeps the raw CRC register: a checksum is crc32c(seed, data, len)
 * with no final inversion, and a seed is itself such a value (the
 * filesystem's: crc32c(~0, uuid, 16)).  The usual CRC-32C of a message, as
 * in RFC 3720, is ~crc32c(~0, data, len).
 */
#ifndef CRC32C_H
#define CRC32C_H

#include "klib.h"

uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif
