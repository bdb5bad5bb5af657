/*
 * console.c - the screen (BIOS video, INT 10h), the keyboard (INT 16h) and
 * the serial line together: every message goes to both outputs, and a key
 * may come from either input, so the menu works on a monitor and under
 * `-nographic` (and in the tests) alike.
 */
#include "bios/bios.h"
#include "bios/console.h"
#include "cpu/io.h"

#define INT_VIDEO         0x10
#define VIDEO_SET_MODE    0x00    /* AH=00h: AL=mode; also clears the screen */
#define VIDEO_TEXT_80X25  0x03
#define VIDEO_GET_CURSOR  0x03    /* AH=03h: DH=row, DL=column */
#define VIDEO_TELETYPE    0x0e    /* AH=0Eh: write AL, advance the cursor */
#define VIDEO_GET_MODE    0x0f    /* AH=0Fh: AL=mode, AH=columns */

#define INT_KEYBOARD      0x16
#define KBD_READ          0x00    /* AH=00h: AH=scan code, AL=ASCII */
#define KBD_PEEK          0x01    /* AH=01h: ZF clear if a key is waiting */
#define KBD_SHIFT_FLAGS   0x02    /* AH=02h: AL bit 0/1 = right/left Shift down */
#define KBD_SHIFTS        0x03
#define EFLAGS_ZF         0x40

#define INT_TIME          0x1a
#define TIME_GET_TICKS    0x00    /* AH=00h: CX:DX = ticks since midnight */
#define TICKS_PER_DAY     0x1800b0

#define COM1              0x3f8
#define COM1_BAUD         115200
/* After ESC on the serial line, how long to wait for the rest of an escape
 * sequence ("ESC [ A" is the up arrow): a lone ESC is the Esc key. */
#define ESCAPE_TICKS      3

/* Keyboard scan codes of the keys without ASCII (AL = 0 or 0xE0). */
static const struct { uint8_t scan; int key; } scan_keys[] = {
	{ 0x48, KEY_UP }, { 0x50, KEY_DOWN }, { 0x4b, KEY_LEFT }, { 0x4d, KEY_RIGHT },
	{ 0x47, KEY_HOME }, { 0x4f, KEY_END }, { 0x52, KEY_INSERT }, { 0x53, KEY_DELETE },
};
/* The letters after "ESC [" that a VT100/xterm sends for the same keys;
 * digits are followed by '~' ("ESC [ 3 ~" = Delete). */
static const struct { char c; int key; } ansi_keys[] = {
	{ 'A', KEY_UP }, { 'B', KEY_DOWN }, { 'D', KEY_LEFT }, { 'C', KEY_RIGHT },
	{ 'H', KEY_HOME }, { 'F', KEY_END }, { '1', KEY_HOME }, { '4', KEY_END },
	{ '2', KEY_INSERT }, { '3', KEY_DELETE },
};

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
	printf_output = console_write;
	serial_init(COM1, COM1_BAUD);
}

/* Both the screen and a serial terminal want CR LF. */
void screen_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			screen_putc('\r');
		screen_putc(s[i]);
	}
}

void serial_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

bool console_midline;

void console_write(const char *s, size_t n)
{
	if (console_midline) {
		console_midline = false;
		console_write("\n", 1);
	}
	screen_write(s, n);
	serial_write(s, n);
}

/* ---- Progress: a bar redrawn in place on screen, steps on serial ---------- */

#define BAR_WIDTH     20
#define SCREEN_STEP   (100 / BAR_WIDTH)  /* percent per cell of the bar */
#define SERIAL_STEP   10             /* percent between serial progress marks */

static const char *progress_name;
static uint32_t progress_shown;

void console_progress_start(const char *name)
{
	progress_name = name;
	progress_shown = 0;
	console_midline = true;          /* a message from below starts a new line */
}

void console_progress(uint64_t done, uint64_t total)
{
	/* In KiB and 32 bits: stage 2 has no 64-bit division. */
	uint32_t pct = (uint32_t)(done >> 10) * 100 / ((uint32_t)(total >> 10) + 1);
	char bar[BAR_WIDTH + 1], line[96];
	int n;

	if (pct == progress_shown)
		return;
	/* The screen takes a BIOS call (two mode switches) per character: redraw
	 * the line when a cell of the bar fills, not at every percent.  For a
	 * 64 MiB initrd, read 1 MiB at a time, that saves some 2,000 calls, more
	 * than the reading itself makes (docs/performance.md). */
	if (pct / SCREEN_STEP != progress_shown / SCREEN_STEP) {
		for (uint32_t i = 0; i < BAR_WIDTH; i++)
			bar[i] = i < pct * BAR_WIDTH / 100 ? '#' : '.';
		bar[BAR_WIDTH] = '\0';
		n = snprintf(line, sizeof(line), "\rloading %s [%s] %u%%", progress_name, bar, pct);
		screen_write(line, (size_t)n);
	}
	for (uint32_t step = progress_shown / SERIAL_STEP + 1; step <= pct / SERIAL_STEP; step++) {
		n = snprintf(line, sizeof(line), " %u%%", step * SERIAL_STEP);
		serial_write(line, (size_t)n);
	}
	progress_shown = pct;
}

void console_clear(void)
{
	struct biosregs r;
	static const char ansi_clear[] = "\033[2J\033[H";

	bios_regs_init(&r);
	r.eax = (VIDEO_SET_MODE << 8) | VIDEO_TEXT_80X25;
	bios_int(INT_VIDEO, &r, NULL);
	serial_write(ansi_clear, sizeof(ansi_clear) - 1);
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

uint32_t bios_ticks(void)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = TIME_GET_TICKS << 8;
	bios_int(INT_TIME, &r, &r);
	return ((r.ecx & 0xffff) << 16) | (r.edx & 0xffff);
}

/* Ticks from then to now, across midnight. */
static uint32_t ticks_since(uint32_t then)
{
	uint32_t now = bios_ticks();

	return now >= then ? now - then : now + TICKS_PER_DAY - then;
}

static int keyboard_key(void)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = KBD_PEEK << 8;
	bios_int(INT_KEYBOARD, &r, &r);
	if (r.eflags & EFLAGS_ZF)
		return KEY_NONE;
	bios_regs_init(&r);
	r.eax = KBD_READ << 8;
	bios_int(INT_KEYBOARD, &r, &r);
	uint8_t ascii = (uint8_t)r.eax, scan = (uint8_t)(r.eax >> 8);
	if (ascii && ascii != 0xe0)
		return ascii;
	for (size_t i = 0; i < ARRAY_SIZE(scan_keys); i++)
		if (scan_keys[i].scan == scan)
			return scan_keys[i].key;
	return KEY_NONE;
}

bool console_shift_held(void)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = KBD_SHIFT_FLAGS << 8;
	bios_int(INT_KEYBOARD, &r, &r);
	return r.eax & KBD_SHIFTS;
}

/* The next serial byte within ticks, or -1. */
static int serial_wait(uint32_t ticks)
{
	uint32_t start = bios_ticks();
	int c;

	while ((c = serial_getc()) < 0 && ticks_since(start) < ticks)
		;
	return c;
}

static int serial_key(void)
{
	int c = serial_getc();

	if (c == 127)
		return KEY_BACKSPACE;          /* terminals send DEL for backspace */
	if (c == '\n')
		return KEY_ENTER;
	if (c != KEY_ESC)
		return c < 0 ? KEY_NONE : c;
	if (serial_wait(ESCAPE_TICKS) != '[')
		return KEY_ESC;
	c = serial_wait(ESCAPE_TICKS);
	for (size_t i = 0; i < ARRAY_SIZE(ansi_keys); i++)
		if (ansi_keys[i].c == c) {
			if (c >= '0' && c <= '9')
				serial_wait(ESCAPE_TICKS);   /* the '~' */
			return ansi_keys[i].key;
		}
	return KEY_NONE;
}

int console_getkey(int ticks)
{
	uint32_t start = bios_ticks();

	for (;;) {
		int key = keyboard_key();

		if (key == KEY_NONE)
			key = serial_key();
		if (key != KEY_NONE)
			return key;
		if (ticks >= 0 && ticks_since(start) >= (uint32_t)ticks)
			return KEY_NONE;
	}
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
