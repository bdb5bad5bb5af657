/*
 * tools/fsdetect.h - is there a filesystem (or another on-disk format) on
 * the whole disk, starting at byte 0?
 *
 * A disk formatted without a partition table ("mkfs.fat -I /dev/sdb",
 * "mkfs.ext4 /dev/sdb", a LUKS or LVM volume on the whole disk, an ISO
 * image written with dd) has no partition to protect, and a FAT boot sector
 * even ends in 0x55AA like an MBR.  Every such format uses the disk from
 * byte 0, so the MBR and the gap the installer writes lie inside it.
 *
 * Pure: it looks at bytes in memory (the disk's first FSDETECT_BYTES, or
 * fewer on a smaller disk), so it is host-tested with images made by the
 * real mkfs tools (tests/t-05-installer.sh).  docs/installer.md lists the
 * formats.
 */
#ifndef SMARTBOOT_FSDETECT_H
#define SMARTBOOT_FSDETECT_H

#include <stddef.h>
#include <stdint.h>

/* The farthest signature we look for ends at byte 65,608 (btrfs's
 * superblock at 64 KiB); 136 sectors cover it. */
#define FSDETECT_BYTES		(136 * 512)

struct fs_found {
	const char *name;	/* "FAT16", "ext2/3/4", "ISO 9660", ... */
	uint64_t offset;	/* byte where its signature lies */
};

/* The format whose signature buf (the disk's first len bytes) carries: 1 and
 * *found filled in, or 0.  Signatures past len are not looked for.
 *
 * mbr: sector 0 is an MBR that lists partitions.  Then its bytes 3..89 say
 * nothing: boot loaders keep the BIOS parameter block they find there
 * (GRUB's boot.img copies it from the sector it replaces, fdisk rewrites
 * only the table), so a stick once formatted without partitions keeps a
 * FAT's BPB under a partition table forever.  The formats known only by
 * those bytes (FAT, NTFS, exFAT, BitLocker) are then not looked for; a live
 * one has no partition table in its sector 0 (mkfs.fat -I zeros it). */
int fsdetect(const uint8_t *buf, size_t len, int mbr, struct fs_found *found);

#endif
