/*
 * bios.h - the one gateway to the BIOS.
 *
 * Stage 2's C runs in 32-bit protected mode, where BIOS services cannot be
 * called.  bios_int() (bioscall.asm) switches to real mode, loads the
 * registers from *in, calls interrupt vector intno the way `int intno`
 * would (FLAGS, CS and IP pushed, a far jump through the vector: no
 * self-modifying `int n`), stores the registers into *out and switches
 * back.  No other code in stage 2 calls the BIOS: bios/ is the only layer
 * that calls bios_int().
 */
#ifndef BIOS_H
#define BIOS_H

#include "klib.h"

/* Layout shared with bioscall.asm (BREGS_* there): keep the two in step. */
struct biosregs {
	uint32_t eax;    /* 0x00 */
	uint32_t ebx;    /* 0x04 */
	uint32_t ecx;    /* 0x08 */
	uint32_t edx;    /* 0x0c */
	uint32_t esi;    /* 0x10 */
	uint32_t edi;    /* 0x14 */
	uint32_t ebp;    /* 0x18 */
	uint16_t ds;     /* 0x1c */
	uint16_t es;     /* 0x1e */
	uint32_t eflags; /* 0x20: in: only CF is used; out: the flags after the call */
};
_Static_assert(sizeof(struct biosregs) == 0x24, "biosregs layout: see bioscall.asm");
_Static_assert(__builtin_offsetof(struct biosregs, ds) == 0x1c, "biosregs layout");
_Static_assert(__builtin_offsetof(struct biosregs, eflags) == 0x20, "biosregs layout");

#define EFLAGS_CF 0x0001u

/* Zero the registers and preset CF: a BIOS that silently ignores a call it
 * does not know then reads as a failure, not as success. */
void bios_regs_init(struct biosregs *r);

/* in and out may be the same struct; out may be NULL. */
/* cdecl: the caller pops the arguments (the asm returns with a plain ret),
 * whatever convention C uses (stage 2 is built with -mrtd, mk/loader.mk). */
__attribute__((cdecl)) void bios_int(uint8_t intno, const struct biosregs *in, struct biosregs *out);

static inline bool bios_failed(const struct biosregs *r)
{
	return r->eflags & EFLAGS_CF;
}

/* Real-mode far pointers for buffers below 1 MiB. */
static inline uint16_t rm_seg(const void *p) { return (uint16_t)((uintptr_t)p >> 4); }
static inline uint16_t rm_off(const void *p) { return (uint16_t)((uintptr_t)p & 0xf); }

#endif
