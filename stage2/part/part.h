/*
 * part/part.h - partition tables: read one from a disk, list its partitions,
 * choose the one to boot.
 *
 * This folder is pure C: it reads through a struct blockdev and calls
 * nothing but klib.h, so the same source runs in stage 2, in the installer
 * (tools/smartboot-install.c) and in the host tests and fuzzer
 * (tests/host/part_test.c, fuzz_part.c).  It never writes.  part.c reads
 * the MBR and the EBR chain of logical partitions, gpt.c the GPT; format.h
 * has the on-disk structures, docs/partitions.md the prose.
 */
#ifndef PART_PART_H
#define PART_PART_H

#include "blockdev.h"
#include "part/format.h"

/* Partitions listed at most: GPT's usual 128 entries, or 4 primaries and
 * 124 logicals. */
#define PART_MAX		128
/* GPT entries read at most (count * size bytes is also bounded). */
#define GPT_MAX_ENTRIES		1024
#define GPT_MAX_ARRAY_BYTES	(256 * BLOCKDEV_SECTOR_SIZE)
#define PART_MESSAGE_MAX	200

enum part_scheme {
	PART_SCHEME_MBR = 1,	/* DOS: primaries 1-4, logicals 5.. */
	PART_SCHEME_GPT,
};

struct part_info {
	int number;		/* as Linux numbers it: sda<number> */
	uint64_t start;		/* first LBA */
	uint64_t sectors;
	uint8_t mbr_type;	/* MBR: the type byte; GPT: 0 */
	bool bootable;		/* MBR: status 0x80; GPT: Legacy BIOS Bootable */
	bool logical;		/* MBR: inside an extended partition */
	uint64_t attributes;	/* MBR: the status byte; GPT: the attribute bits */
	uint64_t table_lba;	/* the sector holding its entry (an EBR's, for logicals) */
	uint8_t type_guid[16];	/* GPT only */
	uint8_t uuid[16];	/* GPT: the unique partition GUID */
	char label[GPT_NAME_CHARS + 1];	/* GPT: the name, non-ASCII as '?' */
};

struct part_table {
	enum part_scheme scheme;
	uint32_t disk_signature;	/* MBR (and a GPT's protective MBR) */
	uint8_t disk_guid[16];		/* GPT */
	bool hybrid;			/* GPT with other entries in its MBR too */
	bool from_backup;		/* GPT: the primary was damaged; message says why */
	uint64_t gpt_header_lba;	/* GPT: the header used */
	uint64_t gpt_entries_lba;	/* GPT: its entry array */
	uint32_t gpt_entry_count, gpt_entry_size;
	uint64_t first_usable, last_usable;	/* GPT */
	int count;
	struct part_info part[PART_MAX];	/* in table order, numbers ascending */
	/* Why part_read() failed, or (from_backup) what it had to work around;
	 * "" when the device's read failed (it printed its own message). */
	char message[PART_MESSAGE_MAX];
};

/*
 * Read the partition table of `disk` (sector 0, then the EBRs or the GPT)
 * into *t.  Returns 0, or -1 with t->message saying what is wrong and where.
 * A GPT whose primary header or entries are damaged is read from its backup
 * (t->from_backup, and t->message says why): the caller tells the user.
 */
int part_read(struct blockdev *disk, struct part_table *t);

/* The partition Linux calls sdaN, or NULL. */
const struct part_info *part_find(const struct part_table *t, int number);

/*
 * The partition to boot when nothing names one, or NULL.  GPT: the first
 * with the Legacy BIOS Bootable attribute, else the first Linux filesystem
 * data or x86-64 root partition.  DOS: the active Linux (0x83) partition,
 * else the first Linux one, primaries before logicals.
 */
const struct part_info *part_choose(const struct part_table *t);

/* For messages: "type 0x83" or "type 0FC63DAF-8483-4772-8E79-3D69D8477DE4
 * (Linux filesystem)".  Returns buf. */
const char *part_type_name(const struct part_info *p, char *buf, size_t size);

/* "0fc63daf-8483-4772-8e79-3d69d8477de4": a GUID as Linux prints it (37 bytes). */
void part_guid_string(const uint8_t guid[16], char out[37]);

/* Linux's PARTUUID of a partition: the unique GUID on GPT, "SSSSSSSS-NN"
 * (disk signature, number in hex) on DOS. */
void part_uuid_string(const struct part_table *t, const struct part_info *p, char out[37]);

/* The teaching trace: the table as read, one line per partition. */
void part_describe(const struct part_table *t);

/* GPT (gpt.c), called by part_read() when sector 0 is protective. */
int gpt_read(struct blockdev *disk, struct part_table *t, uint64_t protective_end);
uint32_t gpt_crc32(const void *data, size_t len);
bool part_guid_equal(const uint8_t a[16], const uint8_t b[16]);

/* Set t->message; returns -1 for `return part_error(...)`. */
int part_error(struct part_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
