/*
 * tools/fsdetect.c - recognise a filesystem or volume format that starts at
 * byte 0 of the disk (fsdetect.h says why).
 *
 * Two kinds of test: a magic string at a fixed offset (the table), and for
 * the formats whose magic is short or absent (FAT's BIOS parameter block,
 * ext2/3/4's two-byte 0xEF53, XFS's "XFSB", md's superblock) the magic plus
 * the fields around it, checked for values the format allows, so that the
 * random bytes of another boot loader in the gap are not taken for one.
 * Offsets and fields are from each format's own specification or header
 * (named beside each entry); no code is taken from any of them.
 */
#include <string.h>
#include "fsdetect.h"

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static int is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/* Does buf hold the len-byte magic at offset? */
static int has(const uint8_t *buf, size_t buf_len, size_t offset, const char *magic, size_t len)
{
	return offset + len <= buf_len && memcmp(buf + offset, magic, len) == 0;
}

/* Magic strings at fixed offsets. */
#define IN_BPB		1	/* in sector 0's bytes 3..89: see fsdetect.h */

static const struct signature {
	const char *name;
	size_t offset;
	const char *magic;
	size_t len;
	int in_bpb;
} signatures[] = {
	/* The OEM name field of the boot sector (bytes 3..10). */
	{ "NTFS",		3,		"NTFS    ",		8, IN_BPB },
	{ "exFAT",		3,		"EXFAT   ",		8, IN_BPB },
	{ "BitLocker",		3,		"-FVE-FS-",		8, IN_BPB },
	/* LUKS 1 and 2 share the first header's magic (cryptsetup's on-disk
	 * format documents). */
	{ "LUKS",		0,		"LUKS\xba\xbe",		6, 0 },
	/* ISO 9660 (ECMA-119): the first volume descriptor at 32 KiB,
	 * "CD001" after its type byte. */
	{ "ISO 9660",		32769,		"CD001",		5, 0 },
	/* JFS: the superblock at 32 KiB. */
	{ "JFS",		32768,		"JFS1",			4, 0 },
	/* btrfs: the primary superblock at 64 KiB, magic at its byte 64. */
	{ "btrfs",		65536 + 64,	"_BHRfS_M",		8, 0 },
	/* ReiserFS 3.5 and 3.6: the superblock at 64 KiB, magic at byte 52. */
	{ "ReiserFS",		65536 + 52,	"ReIsErFs",		8, 0 },
	{ "ReiserFS",		65536 + 52,	"ReIsEr2Fs",		9, 0 },
	{ "ReiserFS",		65536 + 52,	"ReIsEr3Fs",		9, 0 },
	/* F2FS: the superblock at 1 KiB, magic 0xF2F52010 little-endian. */
	{ "F2FS",		1024,		"\x10\x20\xf5\xf2",	4, 0 },
	/* HFS+ and HFSX: the volume header at 1 KiB, signature and version
	 * (big-endian 4 and 5). */
	{ "HFS+",		1024,		"H+\x00\x04",		4, 0 },
	{ "HFSX",		1024,		"HX\x00\x05",		4, 0 },
	/* Linux swap: the signature ends the first page, whatever the page
	 * size of the system that made it (4, 8, 16 or 64 KiB). */
	{ "Linux swap",		4096 - 10,	"SWAPSPACE2",		10, 0 },
	{ "Linux swap",		8192 - 10,	"SWAPSPACE2",		10, 0 },
	{ "Linux swap",		16384 - 10,	"SWAPSPACE2",		10, 0 },
	{ "Linux swap",		65536 - 10,	"SWAPSPACE2",		10, 0 },
	{ "Linux swap",		4096 - 10,	"SWAP-SPACE",		10, 0 },
	/* LVM2 physical volume: the label in one of sectors 0..3, its type
	 * 24 bytes in. */
	{ "LVM2 PV",		0 * 512 + 24,	"LVM2 001",		8, 0 },
	{ "LVM2 PV",		1 * 512 + 24,	"LVM2 001",		8, 0 },
	{ "LVM2 PV",		2 * 512 + 24,	"LVM2 001",		8, 0 },
	{ "LVM2 PV",		3 * 512 + 24,	"LVM2 001",		8, 0 },
};

/* ---- the formats that need more than a magic --------------------------- */

/*
 * FAT12/16/32: no magic at all, only the BIOS parameter block (Microsoft's
 * "FAT: General Overview of On-Disk Format").  Every field must hold a value
 * the specification allows; the type then follows from the number of
 * clusters, as the specification says (the "FAT16   " label is only a
 * comment and may be absent or wrong).
 */
#define FAT12_MAX_CLUSTERS	4084
#define FAT16_MAX_CLUSTERS	65524

static const char *fat_type(const uint8_t *b, size_t len)
{
	uint32_t bytes_per_sector, per_cluster, reserved, fats, root_entries, total, fat_size;
	uint64_t meta, clusters;

	if (len < 512)
		return NULL;
	if (b[0] != 0xEB && b[0] != 0xE9)		/* 0x00: a jump to the boot code */
		return NULL;
	bytes_per_sector = le16(b + 0x0B);
	per_cluster = b[0x0D];
	reserved = le16(b + 0x0E);
	fats = b[0x10];
	root_entries = le16(b + 0x11);
	total = le16(b + 0x13) ? le16(b + 0x13) : le32(b + 0x20);
	fat_size = le16(b + 0x16) ? le16(b + 0x16) : le32(b + 0x24);
	if (bytes_per_sector < 512 || bytes_per_sector > 4096 || !is_pow2(bytes_per_sector))
		return NULL;
	if (!is_pow2(per_cluster) || reserved == 0 || fats == 0 || fats > 2)
		return NULL;
	if (b[0x15] != 0xF0 && b[0x15] < 0xF8)		/* the media descriptor */
		return NULL;
	if (total == 0 || fat_size == 0)
		return NULL;
	/* Sectors before the first cluster: reserved, the FATs, FAT12/16's
	 * fixed root directory (32-byte entries). */
	meta = reserved + (uint64_t)fats * fat_size + (root_entries * 32 + bytes_per_sector - 1) / bytes_per_sector;
	if (meta >= total)
		return NULL;
	clusters = (total - meta) / per_cluster;
	if (clusters <= FAT12_MAX_CLUSTERS)
		return "FAT12";
	if (clusters <= FAT16_MAX_CLUSTERS)
		return "FAT16";
	/* FAT32 keeps its root directory in clusters: no fixed root entries,
	 * and the 16-bit FAT size is 0. */
	return root_entries == 0 && le16(b + 0x16) == 0 ? "FAT32" : NULL;
}

/*
 * ext2/3/4: the superblock at 1 KiB, magic 0xEF53 at its byte 0x38: two
 * bytes, which random data matches once in 65,536, so the fields around it
 * must make sense too (the kernel's Documentation/filesystems/ext4).
 */
#define EXT_SUPERBLOCK		1024
#define EXT_MAGIC		0xEF53
#define EXT_COMPAT_HAS_JOURNAL	0x0004
#define EXT_INCOMPAT_EXTENTS	0x0040
#define EXT_INCOMPAT_64BIT	0x0080
#define EXT_INCOMPAT_FLEX_BG	0x0200

static const char *ext_type(const uint8_t *buf, size_t len)
{
	const uint8_t *s = buf + EXT_SUPERBLOCK;

	if (len < EXT_SUPERBLOCK + 0x100 || le16(s + 0x38) != EXT_MAGIC)
		return NULL;
	if (le32(s + 0x00) == 0 ||			/* s_inodes_count */
	    le32(s + 0x14) > 1 ||			/* s_first_data_block: 0 or 1 */
	    le32(s + 0x18) > 6 ||			/* s_log_block_size: 1 KiB << 0..6 */
	    le32(s + 0x20) == 0 ||			/* s_blocks_per_group */
	    le32(s + 0x28) == 0 ||			/* s_inodes_per_group */
	    le32(s + 0x4C) > 1)				/* s_rev_level */
		return NULL;
	if (le32(s + 0x60) & (EXT_INCOMPAT_EXTENTS | EXT_INCOMPAT_64BIT | EXT_INCOMPAT_FLEX_BG))
		return "ext4";
	return le32(s + 0x5C) & EXT_COMPAT_HAS_JOURNAL ? "ext3" : "ext2";
}

/* XFS: "XFSB" at byte 0, then the block size (big-endian), 512 to 64 KiB. */
static int is_xfs(const uint8_t *buf, size_t len)
{
	uint32_t block;

	if (!has(buf, len, 0, "XFSB", 4) || len < 8)
		return 0;
	block = be32(buf + 4);
	return block >= 512 && block <= 65536 && is_pow2(block);
}

/* Linux md RAID, metadata 1.1 (at byte 0) or 1.2 (at 4 KiB): magic
 * 0xA92B4EFC and major version 1, both little-endian (the kernel's md_p.h).
 * Metadata 0.90 and 1.0 live at the end of the disk, past what we read; a
 * member in use is held by the kernel, and the installer's O_EXCL open
 * refuses it. */
#define MD_MAGIC		0xA92B4EFCu

static int is_md(const uint8_t *buf, size_t len, size_t at)
{
	return at + 8 <= len && le32(buf + at) == MD_MAGIC && le32(buf + at + 4) == 1;
}

int fsdetect(const uint8_t *buf, size_t len, int mbr, struct fs_found *found)
{
	const char *name;

	for (size_t i = 0; i < sizeof signatures / sizeof signatures[0]; i++) {
		const struct signature *s = &signatures[i];

		if (!(mbr && s->in_bpb) && has(buf, len, s->offset, s->magic, s->len)) {
			found->name = s->name;
			found->offset = s->offset;
			return 1;
		}
	}
	if (!mbr && (name = fat_type(buf, len))) {
		found->name = name;
		found->offset = 0;
		return 1;
	}
	if ((name = ext_type(buf, len))) {
		found->name = name;
		found->offset = EXT_SUPERBLOCK + 0x38;
		return 1;
	}
	if (is_xfs(buf, len)) {
		found->name = "XFS";
		found->offset = 0;
		return 1;
	}
	for (size_t at = 0; at <= 4096; at += 4096)
		if (is_md(buf, len, at)) {
			found->name = "Linux md RAID member";
			found->offset = at;
			return 1;
		}
	return 0;
}
