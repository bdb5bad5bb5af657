/*
 * tools/mbr.h - the on-disk layout the installer reads and writes.
 *
 * docs/layout.md is the prose version of this header; boot/mbr.asm places
 * the patch fields at the same offsets (its build fails if its code grows
 * past 0x1B0), and stage2/entry/entry.asm puts the magic at offset 4.
 *
 * Every multi-byte field is little-endian and is kept here as a byte array:
 * the structures then have no padding and no alignment, mean the same on any
 * host, and are read with get_le16()/get_le32() below.
 */
#ifndef SMARTBOOT_MBR_H
#define SMARTBOOT_MBR_H

#include <stddef.h>
#include <stdint.h>

#define SECTOR_SIZE		512

/* Sector 0, the MBR.  Bytes 0..439 are ours (code + patch fields); bytes
 * 440..511 (disk signature, partition table, 0x55AA) belong to the disk and
 * are never written. */
#define MBR_OURS		440		/* we write bytes 0 .. MBR_OURS-1 */
#define MBR_PARTITIONS		4
#define MBR_BOOT_SIGNATURE_0	0x55		/* byte 510 */
#define MBR_BOOT_SIGNATURE_1	0xAA		/* byte 511 */

/* Partition status byte: anything else means a damaged table. */
#define PART_INACTIVE		0x00
#define PART_ACTIVE		0x80

/* Partition types with a meaning for us. */
#define PART_TYPE_EMPTY		0x00		/* unused entry: ignored */
#define PART_TYPE_GPT		0xEE		/* GPT protective MBR */

struct mbr_partition {
	uint8_t status;			/* 0x0: PART_INACTIVE or PART_ACTIVE */
	uint8_t chs_first[3];		/* 0x1: ignored (LBA is what counts) */
	uint8_t type;			/* 0x4 */
	uint8_t chs_last[3];		/* 0x5: ignored */
	uint8_t lba_first[4];		/* 0x8: first sector */
	uint8_t sectors[4];		/* 0xC: number of sectors */
};

struct mbr {
	uint8_t code[0x1B0];		/* 0x000: stage 1's code and data */
	uint8_t stage2_lba[4];		/* 0x1B0: first LBA of stage 2 */
	uint8_t stage2_sectors[2];	/* 0x1B4: sectors to load */
	uint8_t stage2_checksum[2];	/* 0x1B6: 16-bit sum of their words */
	uint8_t disk_signature[4];	/* 0x1B8: the disk's, never ours */
	uint8_t reserved[2];		/* 0x1BC */
	struct mbr_partition part[MBR_PARTITIONS];	/* 0x1BE */
	uint8_t boot_signature[2];	/* 0x1FE: 0x55 0xAA */
};

_Static_assert(sizeof(struct mbr_partition) == 16, "partition entry is 16 bytes");
_Static_assert(sizeof(struct mbr) == SECTOR_SIZE, "the MBR is one sector");
_Static_assert(offsetof(struct mbr, stage2_lba) == 0x1B0, "patch fields at 0x1B0");
_Static_assert(offsetof(struct mbr, stage2_sectors) == 0x1B4, "stage2_sectors at 0x1B4");
_Static_assert(offsetof(struct mbr, stage2_checksum) == 0x1B6, "stage2_checksum at 0x1B6");
_Static_assert(offsetof(struct mbr, disk_signature) == MBR_OURS, "ours end at 440");
_Static_assert(offsetof(struct mbr, part) == 446, "partition table at 446");
_Static_assert(offsetof(struct mbr, boot_signature) == 510, "0x55AA at 510");

/* Stage 2's header: the first bytes of build/stage2.bin. */
struct stage2_header {
	uint8_t jump[4];		/* 0x0: jump to the entry point */
	uint8_t magic[4];		/* 0x4: STAGE2_MAGIC */
};
_Static_assert(offsetof(struct stage2_header, magic) == 4, "SBT2 at offset 4");

#define STAGE2_MAGIC		"SBT2"		/* bytes 53 42 54 32 */
#define STAGE2_MAGIC_LEN	4
#define STAGE2_LBA		1		/* stage 2 starts right after the MBR */
/* Stage 1 loads stage 2 to 0x8000 and it must end by 0xFBFF: 31,744 bytes. */
#define STAGE2_MAX_SECTORS	62

static inline uint16_t get_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

#endif
