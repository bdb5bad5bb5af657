/*
 * klib.h - the few C library functions smartboot uses.
 *
 * Stage 2 is freestanding: the files in lib/ implement these for it.  The prototypes
 * are the standard ones, so code that only includes this header (the
 * filesystem reader, the configuration parser) also compiles on the host
 * against the real C library and is tested there.
 */
#ifndef KLIB_H
#define KLIB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
void *memchr(const void *s, int c, size_t n);

/* printf family: %c %s %d %i %u %x %X %p %%, flags '-' '0', width, a
 * precision for %s ("%.*s", "%.5s"), and the
 * length modifiers l and ll (64-bit values print without 64-bit division). */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Where printf() writes (lib/ knows nothing of stage 2): stage 2's
 * console_init() sets it to console_write(); until then output is dropped. */
extern void (*printf_output)(const char *s, size_t n);

/* A small heap (stage 2: STAGE2_HEAP_START..STAGE2_HEAP_END in
 * stage2/layout.h; malloc.c). */
void *malloc(size_t size);
void free(void *p);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
