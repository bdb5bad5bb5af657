/*
 * bzimage.h - plan a Linux boot: check a bzImage's header and decide where
 * everything goes.  Plain C with no BIOS calls, tested on the host.
 */
#ifndef BZIMAGE_H
#define BZIMAGE_H

#include "proto/bootparam.h"
#include "layout.h"

/* Where the real-mode part goes (X in boot.rst).  The protocol allows any X
 * from 0x10000 with X + 0x10000 below the EBDA; the lower the better (more
 * room above for the EBDA).  Stage 2 unpacked and its extension reach up
 * to EXT_LIMIT, so X starts there, and its 64 KiB end where the bounce
 * buffer begins. */
#define REAL_MODE_BASE     0x20000u
#define REAL_MODE_LIMIT    0x8000u   /* setup code: X .. X+0x7FFF */
#define HEAP_END           0xe000u   /* heap: up to X+0xDFFF (protocol >= 2.02) */
#define CMDLINE_OFFSET     0xe000u   /* command line: X+0xE000 .. X+0xFFFF */
#define CMDLINE_AREA       0x2000u
#define KERNEL_LOAD_ADDR   0x100000u /* bzImage protected-mode code */
#define PAGE_SIZE          4096u

_Static_assert(REAL_MODE_BASE >= EXT_LIMIT, "X overlaps stage 2 or its extension (layout.h)");
_Static_assert(REAL_MODE_BASE + 0x10000 <= BOUNCE_BUFFER, "X's 64 KiB overlap the bounce buffer");

struct linux_plan {
	uint32_t setup_size;     /* bytes of the real-mode part, (setup_sects+1)*512 */
	uint32_t kernel_size;    /* bytes of the protected-mode part */
	uint32_t kernel_addr;    /* where it goes */
	uint64_t reserved_end;   /* the kernel may use up to here while unpacking */
	uint32_t cmdline_max;    /* bytes, without the NUL */
	uint32_t initrd_addr;    /* 0 without an initrd */
};

/*
 * Check the setup header of a bzImage of file_size bytes (hdr is the copy at
 * offset 0x1f1).  Fills the sizes in *plan.  Returns NULL when the kernel can
 * be booted, else a message saying what is wrong.
 */
const char *bzimage_check(const struct setup_header *hdr, uint64_t file_size,
			  struct linux_plan *plan);

/*
 * Place an initrd of size bytes: page-aligned, as high as possible below
 * min(initrd_addr_max, top of usable RAM below 4 GiB), inside one usable
 * range of the map and clear of [kernel_addr, reserved_end).  Returns the
 * address, or 0 when it does not fit.  *room: the largest such range, for
 * the message when it does not.
 */
uint32_t bzimage_place_initrd(const struct setup_header *hdr, const struct linux_plan *plan,
			      const struct e820_entry *map, int count, uint64_t size,
			      uint64_t *room);

/* Fill the loader's fields of the header (type_of_loader, loadflags,
 * heap_end_ptr, vid_mode, cmd_line_ptr, ramdisk_*) for cmdline. */
void bzimage_fill_header(struct setup_header *hdr, const char *cmdline,
			 uint32_t cmdline_addr, uint32_t initrd_addr, uint32_t initrd_size);

/* Is word (e.g. "quiet") one of the space-separated words of cmdline?  If
 * value is not NULL, "word=" is looked for and *value points after the '='. */
bool cmdline_has(const char *cmdline, const char *word, const char **value);

#endif
