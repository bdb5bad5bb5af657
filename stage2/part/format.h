/*
 * part/format.h - the on-disk partition tables: the MBR's four entries, the
 * EBR chain of logical partitions, and GPT's header and entry array.  The one
 * definition of each, used by stage 2 (part/), the installer (tools/) and the
 * host tests; docs/partitions.md draws them.
 *
 * Every multi-byte field is little-endian and kept as a byte array, read
 * with get_le16/32/64() below: the structures then have no padding, no
 * alignment and the same meaning on any host.
 */
#ifndef PART_FORMAT_H
#define PART_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* ---- The MBR (sector 0) and the EBRs -------------------------------------
 * An MBR is a sector whose last two bytes are 0x55 0xAA and whose table of
 * four 16-byte entries starts at byte 0x1BE.  An EBR (extended boot record,
 * the first sector of each logical partition's slot inside an extended
 * partition) has the same table in the same place: entry 0 is the logical
 * partition (its start counted from this EBR), entry 1 links to the next EBR
 * (its start counted from the extended partition's first sector).
 */
#define MBR_TABLE_OFFSET	0x1BE		/* the four entries */
#define MBR_PARTITION_COUNT	4
#define MBR_SIGNATURE_OFFSET	0x1FE		/* 0x55 0xAA */
#define MBR_BOOT_SIGNATURE_0	0x55
#define MBR_BOOT_SIGNATURE_1	0xAA
#define MBR_DISK_SIGNATURE	0x1B8		/* 32 bits; Linux's PARTUUID is "SSSSSSSS-NN" */

/* The status byte: anything else means a damaged table. */
#define PART_INACTIVE		0x00
#define PART_ACTIVE		0x80

/* Partition types (the entry's type byte) with a meaning for us. */
#define PART_TYPE_EMPTY		0x00		/* unused entry */
#define PART_TYPE_EXTENDED	0x05		/* DOS extended (CHS era) */
#define PART_TYPE_EXTENDED_LBA	0x0F		/* Windows extended, LBA */
#define PART_TYPE_EXTENDED_LINUX 0x85		/* Linux extended */
#define PART_TYPE_LINUX		0x83		/* a Linux filesystem */
#define PART_TYPE_GPT		0xEE		/* GPT protective MBR entry */

#define MBR_FIRST_LOGICAL	5		/* Linux numbers logicals sda5, sda6, ... */

struct mbr_partition {
	uint8_t status;			/* 0x0: PART_INACTIVE or PART_ACTIVE */
	uint8_t chs_first[3];		/* 0x1: ignored (LBA is what counts) */
	uint8_t type;			/* 0x4 */
	uint8_t chs_last[3];		/* 0x5: ignored */
	uint8_t lba_first[4];		/* 0x8: first sector (an EBR's: relative) */
	uint8_t sectors[4];		/* 0xC: number of sectors */
};
_Static_assert(sizeof(struct mbr_partition) == 16, "partition entry is 16 bytes");

/* The table part of an MBR or EBR sector (bytes 0x1B8..0x1FF). */
struct mbr_table {
	uint8_t disk_signature[4];	/* 0x1B8: MBR only */
	uint8_t reserved[2];		/* 0x1BC */
	struct mbr_partition part[MBR_PARTITION_COUNT];	/* 0x1BE */
	uint8_t boot_signature[2];	/* 0x1FE: 0x55 0xAA */
};
_Static_assert(sizeof(struct mbr_table) == 512 - MBR_DISK_SIGNATURE, "table ends the sector");
_Static_assert(offsetof(struct mbr_table, part) == MBR_TABLE_OFFSET - MBR_DISK_SIGNATURE, "0x1BE");
_Static_assert(offsetof(struct mbr_table, boot_signature) == MBR_SIGNATURE_OFFSET - MBR_DISK_SIGNATURE,
	       "0x55AA at 0x1FE");

/* ---- GPT (UEFI 2.10, section 5.3) ----------------------------------------
 * LBA 0 holds a protective MBR (one 0xEE entry covering the disk), LBA 1 the
 * primary header, then the entry array (usually LBA 2..33: 128 entries of
 * 128 bytes).  A copy of both sits at the end of the disk, the backup header
 * in the last sector.  Each header carries a CRC32 of itself and one of the
 * entry array.
 */
#define GPT_SIGNATURE		"EFI PART"
#define GPT_SIGNATURE_LEN	8
#define GPT_PRIMARY_LBA		1
#define GPT_HEADER_MIN		92		/* the bytes the header CRC covers, at least */
#define GPT_ENTRY_MIN		128		/* an entry: at least this, a multiple of 8 */
#define GPT_NAME_CHARS		36		/* UTF-16LE code units in an entry's name */

struct gpt_header {
	uint8_t signature[8];		/* 0x00: "EFI PART" */
	uint8_t revision[4];		/* 0x08: 0x00010000 */
	uint8_t header_size[4];		/* 0x0C: bytes the CRC covers (92) */
	uint8_t header_crc[4];		/* 0x10: CRC32 of them, this field as 0 */
	uint8_t reserved[4];		/* 0x14 */
	uint8_t my_lba[8];		/* 0x18: where this header is */
	uint8_t alternate_lba[8];	/* 0x20: where the other one is */
	uint8_t first_usable[8];	/* 0x28 */
	uint8_t last_usable[8];		/* 0x30 */
	uint8_t disk_guid[16];		/* 0x38 */
	uint8_t entries_lba[8];		/* 0x48: the entry array */
	uint8_t entry_count[4];		/* 0x50 */
	uint8_t entry_size[4];		/* 0x54 */
	uint8_t entries_crc[4];		/* 0x58: CRC32 of count * size bytes */
};
_Static_assert(sizeof(struct gpt_header) == GPT_HEADER_MIN, "the GPT header is 92 bytes");
_Static_assert(offsetof(struct gpt_header, disk_guid) == 0x38, "disk GUID at 0x38");
_Static_assert(offsetof(struct gpt_header, entries_crc) == 0x58, "entry array CRC at 0x58");

struct gpt_entry {
	uint8_t type_guid[16];		/* 0x00: all zero = unused */
	uint8_t unique_guid[16];	/* 0x10: Linux's PARTUUID */
	uint8_t first_lba[8];		/* 0x20 */
	uint8_t last_lba[8];		/* 0x28: inclusive */
	uint8_t attributes[8];		/* 0x30 */
	uint8_t name[GPT_NAME_CHARS * 2];	/* 0x38: UTF-16LE, NUL-padded */
};
_Static_assert(sizeof(struct gpt_entry) == GPT_ENTRY_MIN, "a GPT entry is 128 bytes");

/* Attribute bits. */
#define GPT_ATTR_REQUIRED	(1ull << 0)	/* platform required */
#define GPT_ATTR_NO_BLOCK_IO	(1ull << 1)	/* EFI: ignore this partition */
#define GPT_ATTR_LEGACY_BOOT	(1ull << 2)	/* Legacy BIOS Bootable: our "active" */

/*
 * A GUID as written "0FC63DAF-8483-4772-8E79-3D69D8477DE4" is stored with
 * its first three groups little-endian and the last two as written.
 */
#define GPT_GUID(a, b, c, d, e) { \
	(a) & 0xff, ((a) >> 8) & 0xff, ((a) >> 16) & 0xff, ((a) >> 24) & 0xff, \
	(b) & 0xff, ((b) >> 8) & 0xff, (c) & 0xff, ((c) >> 8) & 0xff, \
	((d) >> 8) & 0xff, (d) & 0xff, \
	((e) >> 40) & 0xff, ((e) >> 32) & 0xff, ((e) >> 24) & 0xff, \
	((e) >> 16) & 0xff, ((e) >> 8) & 0xff, (e) & 0xff }
/* Partition type GUIDs (sgdisk's short codes in parentheses). */
#define GPT_TYPE_BIOS_BOOT	GPT_GUID(0x21686148, 0x6449, 0x6E6F, 0x744E, 0x656564454649ull) /* EF02 */
#define GPT_TYPE_LINUX_DATA	GPT_GUID(0x0FC63DAF, 0x8483, 0x4772, 0x8E79, 0x3D69D8477DE4ull) /* 8300 */
#define GPT_TYPE_LINUX_ROOT_X86_64 GPT_GUID(0x4F68BCE3, 0xE8CD, 0x4DB1, 0x96E7, 0xFBCAF984B709ull) /* 8304 */

/* ---- Little-endian fields ------------------------------------------------ */
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
