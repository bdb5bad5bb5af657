/* bios.c - helpers around the gateway (bioscall.asm). */
#include "bios/bios.h"

void bios_regs_init(struct biosregs *r)
{
	memset(r, 0, sizeof(*r));
	r->eflags = EFLAGS_CF;
}
