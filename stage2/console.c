/*
 * console.c - the screen (BIOS teletype, INT 10h) and COM1 together.
 */
#include "bios.h"
#include "console.h"
#include "io.h"

#define INT_VIDEO       0x10
#define VIDEO_TELETYPE  0x0e    /* AH=0Eh: write AL, advance the cursor */
#define VIDEO_GET_CURSOR 0x03   /* AH=03h: DH=row, DL=column */
#define VIDEO_GET_MODE  0x0f    /* AH=0Fh: AL=mode, AH=columns */

static void screen_putc(char c)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = (VIDEO_TELETYPE << 8) | (uint8_t)c;
	r.ebx = 0x0007;         /* page 0, light grey (graphics modes only) */
	bios_int(INT_VIDEO, &r, NULL);
}

void console_init(void)
{
	serial_init();
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* Both the screen and a serial terminal want CR LF. */
		if (s[i] == '\n') {
			screen_putc('\r');
			serial_putc('\r');
		}
		screen_putc(s[i]);
		serial_putc(s[i]);
	}
}

void console_cursor(uint8_t *x, uint8_t *y, uint8_t *mode, uint8_t *cols)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = VIDEO_GET_CURSOR << 8;
	bios_int(INT_VIDEO, &r, &r);
	*x = (uint8_t)r.edx;
	*y = (uint8_t)(r.edx >> 8);
	bios_regs_init(&r);
	r.eax = VIDEO_GET_MODE << 8;
	bios_int(INT_VIDEO, &r, &r);
	*mode = (uint8_t)r.eax & 0x7f;
	*cols = (uint8_t)(r.eax >> 8);
}

void die(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("\nsmartboot: %s\nsmartboot: cannot boot; system halted.\n", buf);
	halt_forever();
}
