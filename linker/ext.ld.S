/*
 * linker/ext.ld.S - stage 2's extension (stage2/ext/ext.h), as one flat
 * file for EXT_BASE: its header first, then code, read-only data, data; its
 * .bss follows in memory and is not in the file (ext.c zeroes it).  It is
 * linked with `--just-symbols` of the stage 2 it belongs to (mk/loader.mk),
 * so its calls into stage 2 go to where stage 2's functions are.
 */
#include "layout.h"

OUTPUT_FORMAT("elf32-i386")
OUTPUT_ARCH(i386)
ENTRY(__ext_start)      /* (no entry: stage 2 calls through the header's table) */

SECTIONS
{
	. = EXT_BASE;
	__ext_start = .;
	.ext : {
		KEEP(*(.ext_header))    /* struct ext_header: must be first */
		*(.text .text.*)
		*(.rodata .rodata.*)
		*(.data .data.*)
		. = ALIGN(16);
	}
	__ext_end = .;
	.bss (NOLOAD) : {
		*(.bss .bss.*) *(COMMON)
	}
	__ext_bss_end = .;
	__ext_size = ABSOLUTE(__ext_end - EXT_BASE);
	__ext_bss_size = ABSOLUTE(__ext_bss_end - __ext_end);

	/DISCARD/ : { *(.note*) *(.comment) *(.eh_frame*) }
}

ASSERT(__ext_bss_end <= EXT_LIMIT,
       "stage 2's extension passes EXT_LIMIT (layout.h), where the kernel's real-mode part goes")
