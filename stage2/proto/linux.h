/* linux.h - load a bzImage and its initrds and start the kernel. */
#ifndef LINUX_H
#define LINUX_H

#include "config/config.h"
#include "bios/e820.h"
#include "fs/fs.h"

/* Load everything entry names and jump to the kernel with its hand-off (or
 * default_handoff: 16, 32 or 64).  Returns only on failure, after printing
 * what failed. */
int linux_boot(struct fs *fs, const struct memory_map *mm,
	       const struct boot_entry *entry, int default_handoff);

/* The final jumps (handoff.asm). */
__attribute__((noreturn)) void linux_enter16(uint16_t seg, uint16_t sp);
__attribute__((noreturn)) void linux_enter32(uint32_t entry, uint32_t boot_params);

#endif
