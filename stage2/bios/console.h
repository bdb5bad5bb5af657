/* console.h - output to the screen and to COM1, input from either. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "klib.h"

void console_init(void);
void console_write(const char *s, size_t n); /* used by printf */
/* Set while a progress line is open: the next printf starts a new line
 * (so an error from the disk layer does not run into the bar). */
extern bool console_midline;
/* A progress line for loading name: "loading NAME [####......] 40%"
 * redrawn in place on the screen, " 10% 20%..." on serial.  start() opens
 * it (console_midline); console_progress() is an fs_read() progress
 * callback; the caller ends the line. */
void console_progress_start(const char *name);
void console_progress(uint64_t done, uint64_t total);
/* The cursor position (for the kernel's screen_info). */
void console_cursor(uint8_t *x, uint8_t *y, uint8_t *mode, uint8_t *cols);

/* The two halves separately: a progress bar redrawn in place on the
 * screen, but printed in steps on the serial line. */
void screen_write(const char *s, size_t n);
void serial_write(const char *s, size_t n);
/* Clear the screen (and the serial terminal, with ANSI codes). */
void console_clear(void);

/* Keys: ASCII, or one of these for the keys without one. */
enum {
	KEY_ENTER = '\r', KEY_ESC = 27, KEY_BACKSPACE = 8,
	KEY_UP = 0x100, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME, KEY_END,
	KEY_INSERT, KEY_DELETE,
	KEY_NONE = -1,
};
/* Wait up to ticks BIOS timer ticks (18.2 per second; -1: forever) for a
 * key from the keyboard (INT 16h) or the serial line.  KEY_NONE on timeout. */
int console_getkey(int ticks);
/* Is a Shift key held down (INT 16h AH=02h)? */
bool console_shift_held(void);
/* The BIOS tick counter (INT 1Ah), 18.2 per second. */
uint32_t bios_ticks(void);
#define TICKS_PER_SECOND 18

void serial_init(uint16_t port, uint32_t baud);
void serial_putc(char c);
int serial_getc(void);          /* -1 if nothing has arrived */

/* Print the message, say the boot cannot go on, and halt visibly. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);

#endif
