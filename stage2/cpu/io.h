/* io.h - x86 port I/O and small CPU helpers. */
#ifndef IO_H
#define IO_H

#include "klib.h"

/* make MAGIC=1: a breakpoint for Bochs's debugger (magic_break: enabled=1
 * in bochs/bochsrc, ./run.sh --bochs --debug).  xchg bx, bx changes
 * nothing, so elsewhere (QEMU, real machines) it is a 2-byte no-op. */
static inline void magic_break(void)
{
#ifdef MAGIC_BREAK
	__asm__ volatile("xchg %bx, %bx");
#endif
}

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
	uint16_t v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint32_t inl(uint16_t port)
{
	uint32_t v;

	__asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* A write to port 0x80 (the POST code port, unused) takes about 1 us on
 * ISA-era hardware: the traditional short delay between port accesses. */
static inline void io_delay(void)
{
	outb(0x80, 0);
}

static inline __attribute__((noreturn)) void halt_forever(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

#endif
