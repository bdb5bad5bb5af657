/* console.h - output to the screen and to COM1, input from either. */
#ifndef CONSOLE_H
#define CONSOLE_H

#include "klib.h"

void console_init(void);
void console_write(const char *s, size_t n); /* used by printf */
/* The cursor position (for the kernel's screen_info). */
void console_cursor(uint8_t *x, uint8_t *y, uint8_t *mode, uint8_t *cols);

void serial_init(void);
void serial_putc(char c);

/* Print the message, say the boot cannot go on, and halt visibly. */
__attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...);

#endif
