/*
 * crc32c.c - CRC-32C, four bits at a time.
 *
 * The polynomial is 0x1EDC6F41, used bit-reversed (0x82F63B78) because the
 * CRC is shifted right, least significant bit first, as ext4 stores it.
 *
 * Why a 16-entry table: a bit-at-a-time loop is ~30 bytes of code but
 * eight shift-and-xor steps per byte; a 256-entry table (1 KiB of stage 2)
 * needs one step per byte; this one (64 bytes) needs two.  A boot
 * checksums some 50-200 KiB of metadata (superblock, descriptors, inodes,
 * directory and extent blocks): at two table steps per byte that is a few
 * milliseconds, next to the hundreds the disk takes (docs/ext4.md has the
 * measurements).
 */
#include "fs/crc32c.h"

/*
 * nibble[n]: the register after shifting the four bits n out of its low end,
 * i.e. four steps of "crc = (crc >> 1) ^ (crc & 1 ? 0x82F63B78 : 0)" from
 * crc = n.  tests/host/ext2_test.c recomputes it that way.
 */
static const uint32_t nibble[16] = {
	0x00000000, 0x105ec76f, 0x20bd8ede, 0x30e349b1,
	0x417b1dbc, 0x5125dad3, 0x61c69362, 0x7198540d,
	0x82f63b78, 0x92a8fc17, 0xa24bb5a6, 0xb21572c9,
	0xc38d26c4, 0xd3d3e1ab, 0xe330a81a, 0xf36e6f75,
};

uint32_t crc32c(uint32_t crc, const void *data, size_t len)
{
	const uint8_t *p = data;

	while (len--) {
		crc ^= *p++;
		crc = (crc >> 4) ^ nibble[crc & 15];   /* low nibble of the byte */
		crc = (crc >> 4) ^ nibble[crc & 15];   /* high nibble */
	}
	return crc;
}
