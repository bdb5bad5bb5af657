/*
 * header.c - the first bytes of build/stage2.ext (ext.h): what it is, how
 * long, and the table of what stage 2 may call in it.  The linker supplies
 * the sizes (linker/ext.ld.S), tools/seal-ext.c the CRCs.
 */
#include "ext/ext.h"
#include "proto/multiboot_boot.h"

/* Absolute symbols of the linker script: their "addresses" are the sizes. */
extern const char __ext_size[], __ext_bss_size[];

__attribute__((section(".ext_header"), used))
static const struct ext_header header = {
	.magic = EXT_MAGIC,
	.size = (uint32_t)__ext_size,
	.bss_size = (uint32_t)__ext_bss_size,
	.multiboot = (uint32_t)multiboot_boot,
};
