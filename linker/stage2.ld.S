/*
 * linker/stage2.ld.S - where stage 2 lives, and the limits it must keep.
 *
 * The C preprocessor runs over this file first (mk/loader.mk), so the
 * numbers come from stage2/layout.h, where stage 2's C finds them too.
 *
 * Stage 1 loads build/stage2.bin at STAGE2_BASE and jumps to its first byte,
 * in real mode with CS = 0: addresses here are linear addresses, and what
 * gdb shows for real-mode code matches this file.  build/stage2.bin is
 *
 *   the stub     (.stub below: entry.asm, stub.c, unpack.c), as linked, then
 *   the payload  (everything else), packed by tools/pack.c.
 *
 * The stub unpacks the payload to the addresses given here, right after
 * itself, so this one link gives every symbol its run-time address and
 * build/stage2.elf serves gdb for both.  The size budget of the packed
 * image (STAGE2_BUDGET) is checked by tools/pack.c, the only one who knows
 * it; the limits of the unpacked image are checked at the end of this file.
 * See docs/layout.md and docs/packing.md.
 */
#include "layout.h"

OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
ENTRY(_start)

SECTIONS
{
	. = STAGE2_BASE;

	/* The stub: runs where stage 1 loaded it, and stays there (the
	 * payload uses its GDT).  Its C files call nothing outside these
	 * (mk/loader.mk checks), so the payload need not exist yet. */
	.stub : {
		KEEP(*(.header))        /* jump, "SBT2", sizes: must be first */
		*(.stub.text16)         /* real_entry */
		*(.stub.text)           /* pm_entry */
		*stage2/entry/stub.o(.text .text.* .rodata .rodata.* .data .data.*)
		*stage2/entry/unpack.o(.text .text.* .rodata .rodata.* .data .data.*)
		*(.stub.rodata)         /* the GDT */
		. = ALIGN(16);
	}

	/* The payload.  Real-mode code (and 32-bit code around it) and the
	 * data it reaches with DS = 0 come first: they must stay below 64 KiB. */
	__payload_start = .;
	.text16 : {
		*(.text16)
		*(.data16)
	}
	__real_mode_end = .;
	.text : { *(.text .text.*) }
	.rodata : { *(.rodata .rodata.*) }
	.data : { *(.data .data.*) }
	__payload_end = .;
	__payload_size = __payload_end - __payload_start;

	/* .bss lives apart from the image, in low memory nothing else uses
	 * (layout.h): it costs no space on disk, and entry.asm zeroes it once
	 * the payload is unpacked. */
	.bss BSS_START (NOLOAD) : {
		__bss_start = .;
		*(.bss .bss.*) *(COMMON)
		__bss_end = .;
	}

	/DISCARD/ : { *(.note*) *(.comment) *(.eh_frame*) }
}

ASSERT(_start == STAGE2_BASE, "the header must be the first thing in stage 2")
ASSERT(__real_mode_end <= REAL_MODE_REACH,
       "stage 2: .text16/.data16 pass 0x10000, out of reach of real mode with CS = DS = 0")
ASSERT(__payload_end <= PAYLOAD_LIMIT,
       "stage 2 unpacked passes PAYLOAD_LIMIT (0x18000, layout.h), where its extension goes")
ASSERT(__bss_end <= LOW_MEMORY_END,
       "stage 2's .bss passes LOW_MEMORY_END (0x80000)")
