/*
 * stub.c - unpack stage 2: the stub's only C function besides unpack.c.
 *
 * entry.asm calls stub_unpack() in 32-bit protected mode, before anything
 * of the payload (console, printf, memcpy) exists: this file and unpack.c
 * may call nothing outside themselves (mk/loader.mk checks), and they have
 * no globals.  A damaged payload stops here with a message written straight
 * into text-mode video memory and to COM1, the only outputs that need no
 * code from the payload.
 */
#include "cpu/io.h"
#include "layout.h"
#include "entry/stub.h"
#include "entry/unpack.h"

void stub_unpack(void);

/* entry.asm: the header is stage 2's first bytes; the linker script: where
 * the payload runs. */
extern const struct stage2_header _start;
extern uint8_t __payload_start[], __payload_end[];

#define VGA_TEXT        ((volatile uint16_t *)0xb8000)   /* 80 x 25, colour text */
#define VGA_COLUMNS     80
#define VGA_ATTR        0x4f00                           /* white on red */
#define COM1            0x3f8
#define UART_LSR        5                                /* line status register */
#define LSR_THRE        0x20                             /* ready for a byte */
#define THRE_POLLS      100000                           /* ~0.1 s: never wait for ever */

/* Say what went wrong, in white on red on the screen's top line (over
 * whatever the BIOS wrote there) and on COM1, and stop. */
static __attribute__((noreturn)) void stub_fail(const char *msg)
{
	for (unsigned col = 0; *msg; msg++, col++) {
		if (col < VGA_COLUMNS && *msg >= ' ')
			VGA_TEXT[col] = VGA_ATTR | (uint8_t)*msg;
		for (int i = 0; i < THRE_POLLS && !(inb(COM1 + UART_LSR) & LSR_THRE); i++)
			;
		outb(COM1, (uint8_t)*msg);
	}
	halt_forever();
}

/* The packed copy must not reach the kernel's real-mode area (layout.h). */
_Static_assert(PACKED_COPY + STAGE2_BUDGET <= EXT_LIMIT, "PACKED_COPY too high");

void stub_unpack(void)
{
	const struct stage2_header *h = &_start;
	size_t size = (size_t)(__payload_end - __payload_start);
	uint8_t *copy = (uint8_t *)PACKED_COPY;

	/* Stage 1 loaded the packed bytes where the payload unpacks: move them
	 * out of the way.  The size comes from the image itself, so bound it
	 * by what stage 1 can have loaded. */
	if (h->packed_size > STAGE2_BUDGET)
		stub_fail("smartboot: bad stage2 header\r\n");
	for (uint32_t i = 0; i < h->packed_size; i++)
		copy[i] = __payload_start[i];

	if (unpack(__payload_start, size, copy, h->packed_size) < 0)
		stub_fail("smartboot: bad stage2 payload (unpack)\r\n");
	if (unpack_crc32c(0, __payload_start, size) != h->payload_crc)
		stub_fail("smartboot: bad stage2 payload (crc)\r\n");
}
