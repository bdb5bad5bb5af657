/*
 * tools/mbr.h - the on-disk layout the installer reads and writes.
 *
 * docs/layout.md is the prose version of this header.  The facts stage 1
 * and stage 2 share with the installer are defined once, in their own
 * headers: the patch fields' offsets in boot/stage1.h (boot/mbr.asm
 * includes them too), stage 2's header and magic in stage2/entry/stub.h
 * (entry.asm too), its budget in stage2/layout.h (the packer too).
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
#include "stage1.h"             /* boot/: STAGE1_*, STAGE2_LBA */
#include "layout.h"             /* stage2/: STAGE2_BUDGET */
#include "entry/stub.h"         /* stage2/: struct stage2_header, STAGE2_MAGIC */

#define SECTOR_SIZE		512

/* Sector 0, the MBR.  Bytes 0..439 are ours (code + patch fields); bytes
 * 440..511 (disk signature, partition table, 0x55AA) belong to the disk and
 * are never written. */
#define MBR_OURS		MBR_DISK_SIGNATURE	/* we write bytes 0 .. MBR_OURS-1 */

struct mbr {
	uint8_t code[STAGE1_CODE_END];	/* 0x000: stage 1's code and data */
	uint8_t stage2_lba[4];		/* 0x1B0: first LBA of stage 2 */
	uint8_t stage2_sectors[2];	/* 0x1B4: sectors to load */
	uint8_t stage2_checksum[2];	/* 0x1B6: 16-bit sum of their words */
	uint8_t disk_signature[4];	/* 0x1B8: the disk's, never ours */
	uint8_t reserved[2];		/* 0x1BC */
	struct mbr_partition part[MBR_PARTITION_COUNT];	/* 0x1BE */
	uint8_t boot_signature[2];	/* 0x1FE: 0x55 0xAA */
};

_Static_assert(sizeof(struct mbr) == SECTOR_SIZE, "the MBR is one sector");
_Static_assert(offsetof(struct mbr, stage2_lba) == STAGE1_STAGE2_LBA, "patch fields at 0x1B0");
_Static_assert(offsetof(struct mbr, stage2_sectors) == STAGE1_STAGE2_SECTORS, "stage2_sectors at 0x1B4");
_Static_assert(offsetof(struct mbr, stage2_checksum) == STAGE1_STAGE2_CHECKSUM, "stage2_checksum at 0x1B6");
_Static_assert(offsetof(struct mbr, disk_signature) == STAGE1_PATCH_END, "the patch fields end at 0x1B8");
_Static_assert(offsetof(struct mbr, disk_signature) == MBR_OURS, "ours end at 440");
_Static_assert(offsetof(struct mbr, part) == 446, "partition table at 446");
_Static_assert(offsetof(struct mbr, boot_signature) == 510, "0x55AA at 510");

/* Stage 2 is loaded to STAGE2_BASE and must fit STAGE2_BUDGET (layout.h):
 * the 62 sectors between the MBR and a partition at sector 63. */
#define STAGE2_MAX_SECTORS	(STAGE2_BUDGET / SECTOR_SIZE)
#define STAGE2_MAGIC_LEN	(sizeof(STAGE2_MAGIC) - 1)	/* 4: "SBT2" without its NUL */
_Static_assert(STAGE2_BUDGET % SECTOR_SIZE == 0, "the budget is whole sectors");

#endif
