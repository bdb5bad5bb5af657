/* linux.h - load a bzImage and an initrd and start the kernel. */
#ifndef LINUX_H
#define LINUX_H

#include "e820.h"
#include "fs.h"

enum linux_entry { ENTRY_16 = 16, ENTRY_32 = 32 };

struct linux_boot {
	const char *kernel;      /* path of the bzImage */
	const char *initrd;      /* path of the initrd, or NULL */
	const char *cmdline;
	enum linux_entry entry;
};

/* Load everything and jump to the kernel.  Returns only on failure, after
 * printing what failed. */
int linux_boot(struct ext2_fs *fs, const struct memory_map *mm, const struct linux_boot *b);

/* The final jumps (handoff.asm). */
__attribute__((noreturn)) void linux_enter16(uint16_t seg, uint16_t sp);
__attribute__((noreturn)) void linux_enter32(uint32_t entry, uint32_t boot_params);

#endif
