/*
 * ext.h - stage 2's extension: code stage 2 reads from the disk when an
 * entry needs it, because the 31,744 bytes between the MBR and a partition
 * at sector 63 cannot hold it too (docs/extension.md).  Today: Multiboot 1
 * and 2 (proto/multiboot*.c).
 *
 * build/stage2.ext is linked for EXT_BASE (layout.h) against the symbols of
 * one build of stage 2 (ld --just-symbols build/stage2.elf): it calls
 * stage 2's functions where they are, and stage 2 calls it through the
 * table in this header.  So an extension works only with the stage 2 it
 * was made with, and says which: stage2_crc is that stage 2's payload_crc
 * (entry/stub.h).  linker/ext.ld.S lays the file out, stage2/ext/header.c
 * fills the table, tools/seal-ext.c writes the two CRCs, and ext.c checks
 * all of it before it calls anything.
 */
#ifndef EXT_H
#define EXT_H

#include <stdint.h>

/* (Plain integers only: tools/seal-ext.c, a host program, uses the header too.) */
struct fs;
struct memory_map;
struct boot_entry;

#define EXT_MAGIC "SBX1"
#define EXT_PATH  "/boot/smartboot.ext"   /* on the partition stage 2 booted from */

struct ext_header {
	char     magic[4];        /* 0x00 "SBX1" */
	uint32_t size;            /* 0x04 bytes of the file: this header, code, data */
	uint32_t bss_size;        /* 0x08 bytes zeroed after them, up to EXT_LIMIT */
	uint32_t stage2_crc;      /* 0x0C payload_crc of the stage 2 it was linked with */
	uint32_t crc;             /* 0x10 CRC-32C (unpack_crc32c) of the bytes after this header */
	uint32_t multiboot;       /* 0x14 address of Multiboot 1 and 2's boot function
	                             (proto/multiboot_boot.c), as in main.c's table */
};

_Static_assert(sizeof(struct ext_header) == 0x18, "24 bytes (tools/seal-ext.c)");

/* Boot a Multiboot entry through the extension: read and check it on the
 * first call (from the partition stage 2 booted from: ext_home), then call
 * it.  Returns only on failure, after printing what failed. */
int ext_multiboot(struct fs *fs, const struct memory_map *mm, const struct boot_entry *e,
		  int default_handoff);

/* The filesystem the extension is read from (main.c: stage 2's own). */
extern struct fs *ext_home;

#endif
