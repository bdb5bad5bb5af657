/*
 * main.c - stage 2's table of contents.
 *
 * entry.asm has switched to 32-bit protected mode and calls main() with the
 * BIOS drive we were loaded from.  Each step below is one file.
 */
#include "a20.h"
#include "console.h"
#include "disk.h"
#include "e820.h"
#include "linux.h"

/* Build-time defaults (Makefile: CMDLINE=..., ENTRY=16|32) until the
 * configuration file exists. */
#ifndef SMARTBOOT_CMDLINE
#define SMARTBOOT_CMDLINE "root=/dev/sda1 console=tty0 console=ttyS0"
#endif
#ifndef SMARTBOOT_ENTRY
#define SMARTBOOT_ENTRY 32
#endif
#define KERNEL_PATH "/boot/bzImage"
#define INITRD_PATH "/boot/initrd"

#define HEAP_START ((void *)0x30000)     /* docs/layout.md */
#define HEAP_END   0x80000
#define HEAP_SIZE  (HEAP_END - 0x30000)

void heap_init(void *start, size_t size);
__attribute__((noreturn)) void main(uint8_t drive);

static struct memory_map mm;

void main(uint8_t drive)
{
	struct disk disk;
	struct blockdev part;
	struct ext2_fs *fs;
	const char *a20;
	int number;

	console_init();                          /* screen + COM1 */
	printf("smartboot: stage 2, boot drive 0x%02x\n", drive);

	a20 = a20_enable();                      /* reach memory above 1 MiB */
	if (!a20)
		die("A20: could not enable the A20 line (tried BIOS, keyboard controller, port 0x92)");
	printf("A20 ok (%s)\n", a20);

	if (!memory_detect(&mm))                 /* E820, E801 or 88h */
		die("memory: the BIOS gave no memory map (E820, E801 and 88h all failed)");
	printf("memory: %u MiB usable (%s, %d ranges, %u KiB low)\n",
	       (unsigned)(memory_usable(&mm) >> 20), mm.source, mm.count, mm.low_kib);
	/* Everything we keep below 1 MiB (the kernel's real-mode part, the
	 * bounce buffer, our heap) ends at HEAP_END: the EBDA must start above. */
	if (mm.low_kib < HEAP_END / 1024)
		die("memory: only %u KiB of low memory (INT 12h); smartboot needs %u KiB",
		    mm.low_kib, HEAP_END / 1024);
	heap_init(HEAP_START, HEAP_SIZE);

	if (disk_open(&disk, drive) < 0)         /* INT 13h extensions */
		die("disk: cannot use drive 0x%02x", drive);
	if (disk_find_partition(&disk, &part, &number) < 0)
		die("disk: no partition to boot from");
	printf("disk: drive 0x%02x, partition %d at LBA %llu\n", drive, number,
	       (unsigned long long)part.start_lba);

	if (ext2_mount(&fs, &part) < 0)          /* the root filesystem */
		die("ext2: cannot read the filesystem on partition %d", number);

	struct linux_boot boot = {
		.kernel = KERNEL_PATH,
		.initrd = INITRD_PATH,
		.cmdline = SMARTBOOT_CMDLINE,
		.entry = SMARTBOOT_ENTRY,
	};
	linux_boot(fs, &mm, &boot);              /* returns only on failure */
	die("could not boot %s", boot.kernel);
}
