/*
 * layout.h - stage 2's map of low memory, one name per number.
 *
 * docs/layout.md draws the same map.  Plain numbers and comments only: the
 * linker script (linker/stage2.ld.S, through the C preprocessor) and the
 * packer (tools/pack.c) include this file as well as stage 2's C.  The
 * kernel's real-mode part, X, is REAL_MODE_BASE in bzimage.h, which checks
 * it against these.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

/* Chainloading (proto/chain.c): where a BIOS loads a boot sector and jumps
 * to it (0000:7C00), and where a DOS MBR copies itself before it loads a
 * partition's boot sector (0000:0600), so that the partition entry DS:SI
 * points to is in the MBR's table at 0x7BE; a logical partition's entry,
 * made up from its EBR's, right after it.  All are free once stage 2 runs:
 * stage 1 is done, and our stack (entry.asm) grows down from 0x7000, far
 * above 0x810. */
#define CHAIN_MBR_COPY     0x0600
#define CHAIN_ENTRY_COPY   0x0800   /* a logical partition's entry (16 bytes) */
#define CHAIN_LOAD_ADDR    0x7C00

/* Stage 1 loads build/stage2.bin here and jumps to its first byte (CS = 0:
 * linear addresses; boot/mbr.asm's STAGE2_ADDR). */
#define STAGE2_BASE        0x8000

/* build/stage2.bin, packed, must fit the 62 sectors between the MBR and a
 * partition at sector 63: 62 * 512 bytes.  tools/pack.c enforces it. */
#define STAGE2_BUDGET      31744

/* Real-mode code and the data it reaches with DS = 0 (the BIOS gateway,
 * the 16-bit hand-off, the GDT and its descriptors) must end below 64 KiB.
 * linker/stage2.ld.S puts them first and checks. */
#define REAL_MODE_REACH    0x10000

/* The unpacked stage 2 (stub and payload, without .bss) ends below this:
 * 64 KiB from STAGE2_BASE. */
#define PAYLOAD_LIMIT      0x18000

/* Stage 2's extension (stage2/ext/: Multiboot), read from the disk when an
 * entry needs it, runs here: the 32 KiB after the unpacked stage 2, below
 * the kernel's real-mode area.  It is linked for EXT_BASE. */
#define EXT_BASE           PAYLOAD_LIMIT
#define EXT_LIMIT          0x20000

/* Where the stub moves the packed payload before it unpacks it to its run
 * address (which is where stage 1 loaded the packed bytes): just past the
 * unpacked image, where the extension goes later (at most STAGE2_BUDGET
 * bytes: it ends below EXT_LIMIT). */
#define PACKED_COPY        PAYLOAD_LIMIT

/* disk.c's bounce buffer: INT 13h reads land here, 64 KiB (one call
 * reads at most 127 sectors, EDD_MAX_SECTORS in bios/edd.h). */
#define BOUNCE_BUFFER      0x30000
#define BOUNCE_SIZE        0x10000

/* malloc()'s heap (main.c): filesystem metadata, block buffers, the
 * configuration file, long-mode page tables. */
#define STAGE2_HEAP_START  0x40000
#define STAGE2_HEAP_END    0x78000

/* Stage 2's .bss (zeroed by entry.asm), up to the end of what we use below
 * 1 MiB: INT 12h must report at least LOW_MEMORY_END (512 KiB) of low
 * memory, or main() stops. */
#define BSS_START          0x78000
#define LOW_MEMORY_END     0x80000

#endif
