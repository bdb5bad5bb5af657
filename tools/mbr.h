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

#include "part/format.h"	/* the partition entry, MBR signature, le32 helpers */

#define SECTOR_SIZE		512

/* Sector 0, the MBR.  Bytes 0..439 are ours (code + patch fields); bytes
 * 440..511 (disk signature, partition table, 0x55AA) belong to the disk and
 * are never written. */
#define MBR_OURS		MBR_DISK_SIGNATURE	/* we write bytes 0 .. MBR_OURS-1 */

struct mbr {
	uint8_t code[0x1B0];		/* 0x000: stage 1's code and data */
	uint8_t stage2_lba[4];		/* 0x1B0: first LBA of stage 2 */
	uint8_t stage2_sectors[2];	/* 0x1B4: sectors to load */
	uint8_t stage2_checksum[2];	/* 0x1B6: 16-bit sum of their words */
	uint8_t disk_signature[4];	/* 0x1B8: the disk's, never ours */
	uint8_t reserved[2];		/* 0x1BC */
	struct mbr_partition part[MBR_PARTITION_COUNT];	/* 0x1BE */
	uint8_t boot_signature[2];	/* 0x1FE: 0x55 0xAA */
};

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

#endif
