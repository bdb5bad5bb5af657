/* multiboot_boot.h - load a Multiboot 1 or 2 kernel and its modules and
 * start it (multiboot_boot.c; the decisions are multiboot.c's). */
#ifndef MULTIBOOT_BOOT_H
#define MULTIBOOT_BOOT_H

#include "config/config.h"
#include "bios/e820.h"
#include "fs/fs.h"

/* Boot entry (protocol BOOT_MULTIBOOT1 or BOOT_MULTIBOOT2): the kernel, its
 * command line, the modules (entry->initrd[]: "PATH ARGS" each).  Returns
 * only on failure, after printing what failed.  handoff is not used. */
int multiboot_boot(struct fs *fs, const struct memory_map *mm,
		   const struct boot_entry *entry, int handoff);

/* The jump (cpu/handoff.asm): EAX = magic, EBX = info, flat segments,
 * interrupts off, paging off (it was never on), A20 on (main.c). */
__attribute__((noreturn)) void multiboot_enter(uint32_t magic, uint32_t info, uint32_t entry);

#endif
