/* longmode.h - what the 64-bit hand-off needs: a CPU check and page tables. */
#ifndef LONGMODE_H
#define LONGMODE_H

#include "klib.h"

/* CPUID 80000001h EDX bit 29: the CPU can run in long mode. */
bool cpu_has_long_mode(void);

/* Identity-map the first 4 GiB with 2 MiB pages (boot.rst's 64-bit protocol
 * wants the kernel, the zero page and the command line mapped 1:1).
 * Returns the address of the PML4 for CR3, or 0 if out of memory. */
uint32_t identity_map_4g(void);

/* handoff.asm: switch to long mode and jump to the kernel's 64-bit entry
 * with RSI = boot_params. */
__attribute__((noreturn)) void linux_enter64(uint32_t entry, uint32_t boot_params, uint32_t pml4);

#endif
