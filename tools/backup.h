/*
 * tools/backup.h - the installer's backup file: the sectors it overwrote.
 *
 * Pure functions on memory buffers (no I/O), so the format can be tested on
 * its own.  The file, all little-endian (docs/installer.md):
 *
 *   0x00  struct backup_header
 *   0x20  count x u64     the LBAs, strictly increasing
 *   ...   count x 512     the sectors' bytes, in the same order
 *   ...   u32             CRC-32 (IEEE, as zlib) of every byte before it
 */
#ifndef SMARTBOOT_BACKUP_H
#define SMARTBOOT_BACKUP_H

#include <stddef.h>
#include <stdint.h>
#include "mbr.h"

#define BACKUP_MAGIC		"SBBACKUP"
#define BACKUP_MAGIC_LEN	8
#define BACKUP_VERSION		1
/* A sane upper bound when reading: an install saves 1 + 62 sectors. */
#define BACKUP_MAX_SECTORS	4096

struct backup_header {
	char magic[BACKUP_MAGIC_LEN];	/* 0x00: BACKUP_MAGIC, no NUL */
	uint8_t version[4];		/* 0x08: BACKUP_VERSION */
	uint8_t sector_size[4];		/* 0x0C: SECTOR_SIZE */
	uint8_t disk_bytes[8];		/* 0x10: the disk's size; 0 = unknown */
	uint8_t disk_signature[4];	/* 0x18: MBR bytes 440..443 */
	uint8_t count[4];		/* 0x1C: number of saved sectors */
};
_Static_assert(sizeof(struct backup_header) == 0x20, "backup header is 32 bytes");

/* A backup in memory.  lba[] is sorted; data holds count sectors. */
struct backup {
	uint64_t disk_bytes;
	uint32_t disk_signature;
	uint32_t count;
	uint64_t *lba;
	uint8_t *data;
};

/* The encoded size of b, in bytes. */
size_t backup_size(const struct backup *b);
/* Encode b into out (backup_size(b) bytes). */
void backup_encode(const struct backup *b, uint8_t *out);
/* Decode len bytes into *b (which it allocates; backup_free() it).  Returns
 * NULL, or what is wrong with the bytes (a static string). */
const char *backup_decode(const uint8_t *buf, size_t len, struct backup *b);
/* The saved sector at lba, or NULL. */
const uint8_t *backup_find(const struct backup *b, uint64_t lba);
/* Save sector at lba unless b already holds that LBA (the older bytes win).
 * Returns 1 if added, 0 if already there, -1 if out of memory. */
int backup_add(struct backup *b, uint64_t lba, const uint8_t *sector);
void backup_free(struct backup *b);

uint32_t crc32_ieee(const uint8_t *p, size_t len);

#endif
