/*
 * main.c - stage 2's table of contents.
 *
 * entry.asm has switched to 32-bit protected mode and the stub has unpacked
 * the payload; it calls main() with the BIOS drive we were loaded from.
 * Each step below is one file; the folders are the layers (each has a
 * README.md; docs/boot-flow.md, "Where things live").
 */
#include "bios/a20.h"
#include "config/config.h"
#include "cpu/io.h"
#include "bios/console.h"
#include "bios/disk.h"
#include "bios/e820.h"
#include "fs/fs.h"
#include "layout.h"
#ifdef SMARTBOOT_CHAIN                   /* unless make CHAIN=0 (mk/loader.mk) */
#include "proto/chain.h"
#endif
/* Multiboot is in stage 2's extension, read from the disk when an entry
 * needs it (ext/ext.h).  make MULTIBOOT=0 builds no extension; neither has
 * build/stage2-iso.bin (mk/smartos-iso.mk): the live CD boots Linux. */
#if !defined(SMARTBOOT_NO_MULTIBOOT) && !defined(SMARTBOOT_ISO9660)
#define HAVE_EXTENSION
#include "ext/ext.h"
#endif
#include "proto/linux.h"
#include "config/menu.h"
#include "root.h"
#include "trace.h"

/* Build-time defaults (mk/loader.mk: CMDLINE=..., DISK=native|bios, and
 * ENTRY=16|32|64, for which this file is compiled once per hand-off), used
 * when the disk has no configuration file and for entries that name no
 * hand-off. */
#ifndef SMARTBOOT_CMDLINE
#define SMARTBOOT_CMDLINE "root=/dev/sda1 console=tty0 console=ttyS0"
#endif
#ifndef SMARTBOOT_ENTRY
#define SMARTBOOT_ENTRY 32
#endif
#ifndef SMARTBOOT_DISK                    /* CFG_DISK_BIOS: INT 13h only */
#define SMARTBOOT_DISK CFG_DISK_NATIVE
#endif
#define KERNEL_PATH     "/boot/bzImage"
#define INITRD_PATH     "/boot/initrd"
#define CONFIG_PATH     "/boot/smartboot.cfg"
#define GRUB_CFG_PATH   "/boot/grub/grub.cfg"
#define CONFIG_MAX      (64 * 1024)

#define HEAP_START ((void *)STAGE2_HEAP_START)          /* layout.h */
#define HEAP_SIZE  (STAGE2_HEAP_END - STAGE2_HEAP_START)

void heap_init(void *start, size_t size);
__attribute__((noreturn)) void main(uint8_t drive);

static struct memory_map mm;
static struct config cfg;

/* Read the configuration: smartboot.cfg, else grub.cfg, else defaults. */
static void load_config(struct fs *fs)
{
	static const struct {
		const char *path, *name;
		int (*parse)(struct config *, const char *, size_t, const char *);
	} files[] = {
		{ CONFIG_PATH, "smartboot.cfg", config_parse },
		{ GRUB_CFG_PATH, "grub.cfg", grubcfg_parse },
	};

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		struct fs_file f;
		char *text = NULL;
		size_t len = 0;
		int found = path_exists(fs, files[i].path);

		if (found == 0)
			continue;                    /* the usual case: no such file */
		/* A file over the limit: its first CONFIG_MAX bytes, up to the
		 * last whole line, so the entries there are still offered. */
		if (found > 0 && fs_open(fs, files[i].path, &f) == 0) {
			len = (size_t)MIN(f.size, (uint64_t)CONFIG_MAX);
			text = malloc(len + 1);
			if (text && fs_read(fs, &f, 0, text, len, NULL) < 0) {
				free(text);
				text = NULL;
			}
		}
		if (!text) {
			printf("%s: could not read it; ignored\n", files[i].path);
			continue;
		}
		if (len < f.size) {
			while (len && text[len - 1] != '\n')
				len--;
			printf("%s: larger than %u bytes; the rest is ignored\n", files[i].path, CONFIG_MAX);
		}
		int entries = files[i].parse(&cfg, text, len, files[i].name);

		free(text);                      /* the parsers keep copies */
		if (entries > 0)
			return;
		printf("%s: no bootable entry\n", files[i].path);
		memset(&cfg, 0, sizeof(cfg));
	}
	config_defaults(&cfg, KERNEL_PATH, INITRD_PATH, SMARTBOOT_CMDLINE);
}

/*
 * The boot protocols, by struct boot_entry's protocol (config.h).  Each
 * loads what the entry names from fs and jumps to it; it returns only on
 * failure, after printing what failed.  default_handoff is the build's
 * ENTRY (16, 32 or 64), for an entry that names none.  A protocol without
 * a function here is one the configuration can name but this smartboot
 * cannot boot (the build left it out: make CHAIN=0 or MULTIBOOT=0).
 * Chainloading reads no filesystem: boot() starts it
 * before any mount (proto/chain.c).
 */
static const struct {
	enum boot_protocol protocol;
	const char *name;
	int (*boot)(struct fs *fs, const struct memory_map *mm, const struct boot_entry *e,
		    int default_handoff);
} protocols[] = {
	{ BOOT_LINUX, "Linux", linux_boot },             /* proto/linux.c */
#ifdef HAVE_EXTENSION
	{ BOOT_MULTIBOOT1, "Multiboot", ext_multiboot },   /* ext/ext.c */
	{ BOOT_MULTIBOOT2, "Multiboot2", ext_multiboot },
#else
	{ BOOT_MULTIBOOT1, "Multiboot", NULL },
	{ BOOT_MULTIBOOT2, "Multiboot2", NULL },
#endif
#ifndef SMARTBOOT_CHAIN                           /* otherwise boot() starts it */
	{ BOOT_CHAIN, "chainload", NULL },
#endif
};

/* Boot e: mount its partition if it is not the one we booted from (root.c:
 * by number, UUID, label, PARTUUID or file, on any BIOS disk), then hand it
 * to its protocol (a chain entry mounts nothing).  Returns only if that
 * failed, with every partition mounted here unmounted again: the menu may
 * come back any number of times (tests/t-52-boot-retries.sh). */
struct boot_source boot_source;

static void boot(struct disk *disk, struct fs *root, int number, const struct boot_entry *e)
{
	struct fs *fs;

#ifdef SMARTBOOT_CHAIN
	if (e->protocol == BOOT_CHAIN) {         /* a boot sector, no files */
		chain_boot(disk, number, e);
		return;
	}
#endif
	fs = root_mount(disk, root, number, &e->root);
	if (!fs)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(protocols); i++) {
		if (protocols[i].protocol != e->protocol)
			continue;
		if (protocols[i].boot)
			protocols[i].boot(fs, &mm, e, SMARTBOOT_ENTRY);
		else
			printf("smartboot: '%s' is a %s entry: this smartboot cannot boot those\n",
			       e->title, protocols[i].name);
	}
	if (fs != root)
		fs_unmount(fs);
}

/* What happened before the configuration said `verbose`. */
static void trace_early(const char *a20)
{
	uint32_t cr0;
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) gdtr;

	__asm__ volatile("mov %%cr0, %0; sgdt %1" : "=r"(cr0), "=m"(gdtr));
	TRACE("mode: 32-bit protected mode, CR0 0x%08x (PE=%u), GDT at 0x%x (%u bytes); "
	      "BIOS calls go back to real mode through bios_int()\n",
	      cr0, cr0 & 1, gdtr.base, gdtr.limit + 1u);
	TRACE("A20: %s\n", a20);
	if (verbose)
		e820_print(&mm);
}

void main(uint8_t drive)
{
	struct disk disk;
	struct disk_part part;
	struct fs *fs;
	const char *a20;
	int number;

	magic_break();                           /* make MAGIC=1: Bochs stops here */
	console_init();                          /* screen + COM1 */
	trace_phase("stage 2 started");
	printf("smartboot: stage 2, boot drive 0x%02x\n", drive);
	verbose = console_shift_held();          /* Shift held: the teaching trace */

	a20 = a20_enable();                      /* reach memory above 1 MiB */
	if (!a20)
		die("A20: could not enable the A20 line (tried BIOS, keyboard controller, port 0x92)");
	printf("A20 ok (%s)\n", a20);

	if (!memory_detect(&mm))                 /* E820, E801 or 88h */
		die("memory: the BIOS gave no memory map (E820, E801 and 88h all failed)");
	printf("memory: %u MiB usable (%s, %d ranges, %u KiB low)\n",
	       (unsigned)(memory_usable(&mm) >> 20), mm.source, mm.count, mm.low_kib);
	/* Everything we keep below 1 MiB (the kernel's real-mode part, the
	 * bounce buffer, our heap and .bss) ends at 0x80000: the EBDA must
	 * start above. */
	if (mm.low_kib < LOW_MEMORY_END / 1024)
		die("memory: only %u KiB of low memory (INT 12h); smartboot needs %u KiB",
		    mm.low_kib, LOW_MEMORY_END / 1024);
	heap_init(HEAP_START, HEAP_SIZE);

	if (disk_open(&disk, drive) < 0)         /* INT 13h extensions */
		die("disk: cannot use drive 0x%02x", drive);
	disk.mm = &mm;
	number = disk_find_partition(&disk, &part);
	if (number < 0)
		die("disk: no partition to boot from");
#ifdef SMARTBOOT_ISO9660
	if (!number)                             /* disk.c: a CD has no partitions */
		printf("disk: drive 0x%02x, a CD: the whole disc\n", drive);
	else
#endif
	printf("disk: drive 0x%02x, partition %d at LBA %llu\n", drive, number,
	       (unsigned long long)part.dev.start_lba);

	if (fs_mount(&fs, &part.dev) < 0)        /* the root filesystem */
		die("%s: cannot read the filesystem on partition %d", fs_names(), number);

	load_config(fs);                         /* smartboot.cfg, grub.cfg or defaults */
#ifdef HAVE_EXTENSION
	ext_home = fs;                           /* where the extension is, if needed */
#endif
	if (cfg.verbose)
		verbose = true;
	if (cfg.serial_port)
		serial_init(cfg.serial_port, cfg.serial_baud);
	trace_early(a20);
	if (verbose)
		disk_describe(number);          /* the partition table, and the choice */
	if (verbose)
		fs_describe(fs);
	TRACE("config: %s, %d entr%s, timeout %d, default %d\n", cfg.source, cfg.count,
	      cfg.count == 1 ? "y" : "ies", cfg.timeout, cfg.default_entry + 1);
	trace_phase("configuration read");

	/* From here on, a DMA driver if one is found to be the BIOS drive. */
	if ((cfg.disk ? cfg.disk : SMARTBOOT_DISK) == CFG_DISK_NATIVE)
		disk_use_native(&disk, part.dev.start_lba);

	/* Boot what the user (or the countdown) chooses; if that fails, say
	 * so and let the user choose again: never a silent hang or a loop. */
	for (bool countdown = true;; countdown = false) {
		const struct boot_entry *e = menu_run(&cfg, fs, &mm, countdown);

		if (e->verbose && !verbose) {    /* the entry asks for the trace */
			verbose = true;
			trace_early(a20);
			fs_describe(fs);
		}
		boot(&disk, fs, number, e);              /* returns only on failure */
		printf("smartboot: could not boot '%s'. Press a key for the menu.\n", e->title);
		console_getkey(-1);
	}
}
