/*
 * config.h - what to boot: the menu's entries and the global settings.
 *
 * Filled from /boot/smartboot.cfg (config.c, format in docs/config.md), else
 * from /boot/grub/grub.cfg (grubcfg.c), else from built-in defaults.  Plain C
 * with no BIOS calls: the parsers are tested on the host.
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "klib.h"

#define CFG_MAX_ENTRIES   16
#define CFG_MAX_INITRDS   4
#define CFG_TIMEOUT_NEVER (-1)   /* wait for a key */
#define CFG_MAX_REPORTED  20     /* errors printed per file; the rest are counted */
#define CFG_MAX_TIMEOUT   32767  /* seconds: 9 hours, and an int16 on any BIOS */
#define CFG_MIN_BAUD      50     /* the UART's divisor is 16 bits: 115200/50 = 2304 */
#define CFG_MAX_BAUD      115200 /* divisor 1 */
#define CFG_MAX_PARTITION 128    /* a partition number (1 = first); 128: a GPT's usual size */
enum { CFG_DISK_DEFAULT, CFG_DISK_BIOS, CFG_DISK_NATIVE };
#define CFG_WHOLE_DISK    (-1)   /* boot_entry.partition: a disk's MBR, not a partition */
#define CFG_BIOS_HD0      0x80   /* the BIOS drive number of hd0 */
#define CFG_MAX_DISKS     16     /* hd0-hd15 */

/* What an entry boots, and so how (main.c's table of protocols, and
 * main.c:boot() for chainloading).  0 is Linux: an entry built from zeros
 * boots Linux. */
enum boot_protocol {
	BOOT_LINUX,              /* a bzImage and initrds (proto/linux.c) */
	BOOT_MULTIBOOT1,         /* a Multiboot (version 1) kernel and modules (proto/multiboot_boot.c) */
	BOOT_MULTIBOOT2,         /* a Multiboot2 kernel and modules (the same) */
	BOOT_CHAIN,              /* another boot sector, chainloaded (proto/chain.c) */
};

/* Which partition an entry's files are on (docs/config.md, "root"):
 * smartboot.cfg's `root`, grub.cfg's `set root=` and `search`.  The parsers
 * record it; stage 2's root.c finds the partition when the entry boots. */
enum root_kind {
	ROOT_BOOT,               /* the partition we booted from */
	ROOT_NUMBER,             /* hdDISK,PARTITION: BIOS drive 0x80 + disk, sdaN; key as written */
	ROOT_UUID,               /* the filesystem's UUID is key (lower case) */
	ROOT_LABEL,              /* the filesystem's label is key */
	ROOT_PARTUUID,           /* the partition's PARTUUID is key (lower case) */
	ROOT_FILE,               /* the filesystem that has the file key */
};

#define ROOT_MAX_DISK (CFG_MAX_DISKS - 1)   /* hd0-hd15: BIOS drives 0x80-0x8f */

struct root_spec {
	uint8_t kind;            /* enum root_kind */
	uint8_t disk;            /* ROOT_NUMBER: hd0, hd1, ... */
	uint8_t partition;       /* ROOT_NUMBER: Linux's number (sdaN, GPT or DOS) */
	char *key;               /* the UUID, label, PARTUUID, path or hdN,M */
};

/* How each kind is written before its key, for messages: "UUID=", "file ". */
extern const char *const cfg_root_prefixes[];

struct boot_entry {
	char *title;
	enum boot_protocol protocol;
	char *kernel;
	char *initrd[CFG_MAX_INITRDS];   /* Multiboot: the modules, "PATH ARGS" each */
	int ninitrd;
	char *cmdline;
	int handoff;             /* 16, 32 or 64; 0 = the build's default */
	bool verbose;            /* `verbose on` inside the entry: trace its boot */
	struct root_spec root;   /* the partition its files are on (ROOT_BOOT: the one we booted from) */
	/* chain: what it loads the first sector of (a device: `chain hd1,2`,
	 * grub.cfg's `set root=(hd1)`; proto/chain.c).  In every build:
	 * objects compiled with and without SMARTBOOT_CHAIN meet in
	 * build/stage2-iso.bin (mk/smartos-iso.mk). */
	int drive;               /* BIOS drive (0x81 = hd1); 0 = the boot drive */
	int partition;           /* Linux's number (sdaN, GPT or DOS); 0 = the one we booted from;
				    CFG_WHOLE_DISK: the disk itself */
	int line;                /* where it starts in its file, for messages */
};

struct config {
	const char *source;      /* "smartboot.cfg", "grub.cfg" or "built-in defaults" */
	int timeout;             /* seconds; 0 boots at once; CFG_TIMEOUT_NEVER */
	int default_entry;       /* index into entries */
	uint16_t serial_port;    /* 0: leave COM1 as it is */
	uint32_t serial_baud;
	bool verbose;
	int disk;                /* CFG_DISK_*: how to read the boot disk */
	int count;
	struct boot_entry entries[CFG_MAX_ENTRIES];
	struct root_spec root;   /* a `root` outside the entries: theirs when they have none */
	int errors;              /* lines reported and skipped */
	int default_line;        /* where the default was set, for its message */
	bool skipping;           /* in an entry past the 16th: its lines are dropped */
};

/* Parse text (len bytes, not NUL-terminated) into *cfg, which must be
 * zeroed.  Each error prints "NAME:LINE: what" and the line is skipped; the
 * rest still loads.  Returns the number of entries. */
int config_parse(struct config *cfg, const char *text, size_t len, const char *name);
int grubcfg_parse(struct config *cfg, const char *text, size_t len, const char *name);

/* The entry used with no configuration file. */
void config_defaults(struct config *cfg, const char *kernel, const char *initrd,
		     const char *cmdline);

/* Helpers shared by both parsers. */
char *cfg_strndup(const char *s, size_t n);
/* A decimal or 0x hex number of n characters, at most max: false for
 * anything else (not a number, or past max: nothing wraps). */
bool cfg_number(const char *s, size_t n, uint32_t max, uint32_t *out);
struct boot_entry *cfg_new_entry(struct config *cfg, const char *title, size_t n,
				 const char *name, int line);
/* "hd1", "hd0,2", "(hd0,msdos2)", "2": a disk and a partition.  *drive is
 * 0 for hd0 (taken to be the boot disk) else 0x80 + N; *partition is P as
 * Linux numbers it (1-4 primaries, 5.. logicals, GPT entries),
 * CFG_WHOLE_DISK for a disk without ",P", or for a bare number that number
 * on the boot disk.  false if s names no such device. */
bool cfg_device(const char *s, size_t n, int *drive, int *partition);
/* Finish the entry being built: drop it (with a message) if it has no
 * kernel (and is no chain entry). */
void cfg_end_entry(struct config *cfg, const char *name);
/* Report "NAME:LINE: message" (the first CFG_MAX_REPORTED of a file) and
 * count it in cfg->errors. */
void cfg_error(struct config *cfg, const char *name, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Parse a root: "UUID=x", "LABEL=x", "PARTUUID=x", "hd1,gpt2" (also
 * "(hd0,msdos5)"; gpt/msdos may be left out).  Returns an error message,
 * or NULL with *r filled. */
const char *cfg_root(struct root_spec *r, const char *s, size_t n);
/* Set *r to kind with a copy of key (UUIDs in lower case). */
void cfg_root_key(struct root_spec *r, int kind, const char *s, size_t n);
/* The end of a file: check the default (else the first entry, with a
 * message), say how many errors were not shown.  Returns the entry count. */
int cfg_finish(struct config *cfg, const char *name);

#endif
