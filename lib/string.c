/* string.c - the string and memory functions of klib.h, for stage 2. */
#include "klib.h"

/*
 * memcpy's big job is stage 2's hot loop: every INT 13h read lands in the
 * 64 KiB bounce buffer and is copied up here, 70 MB for a large initrd.
 * How fast that goes matters little on real hardware, but a lot under
 * QEMU's TCG (docs/performance.md): there a `rep movs` runs one translated
 * block per element, so `rep movsb` copies 64 KiB in about 0.4 ms, longer
 * than the AHCI read that filled it, and `rep movsd` is 4 times faster.
 * MMX moves 8 bytes per instruction, eight registers per loop turn, for
 * less again.  MMX needs CPUID's MMX bit (Pentium MMX and later) and CR0
 * with EM and TS clear (no FPU emulation, no pending lazy FPU switch): we
 * check once, and use rep movsd without it.
 */
#define CR0_EM        0x04            /* x87/MMX instructions trap (#UD) */
#define CR0_TS        0x08            /* x87/MMX instructions trap (#NM) */
#define CPUID_MMX     (1u << 23)      /* CPUID leaf 1, EDX */
#define MMX_BLOCK     64              /* bytes per loop turn: mm0-mm7 */
#define MMX_MIN       4096            /* below this, rep movsd is as good */

static bool can_use_mmx(void)
{
	static int mmx = -1;              /* not checked yet */
	uint32_t cr0, eax = 1, ebx, ecx = 0, edx;

	if (mmx < 0) {
		__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
		__asm__ volatile("cpuid" : "+a"(eax), "=b"(ebx), "+c"(ecx), "=d"(edx));
		mmx = (edx & CPUID_MMX) && !(cr0 & (CR0_EM | CR0_TS));
	}
	return mmx;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;
	size_t words;

	if (n >= MMX_MIN && can_use_mmx()) {
		size_t blocks = n / MMX_BLOCK;

		__asm__ volatile(
			"1:\n\t"
			"movq   (%1), %%mm0\n\t"   "movq  8(%1), %%mm1\n\t"
			"movq 16(%1), %%mm2\n\t"   "movq 24(%1), %%mm3\n\t"
			"movq 32(%1), %%mm4\n\t"   "movq 40(%1), %%mm5\n\t"
			"movq 48(%1), %%mm6\n\t"   "movq 56(%1), %%mm7\n\t"
			"movq %%mm0,   (%0)\n\t"   "movq %%mm1,  8(%0)\n\t"
			"movq %%mm2, 16(%0)\n\t"   "movq %%mm3, 24(%0)\n\t"
			"movq %%mm4, 32(%0)\n\t"   "movq %%mm5, 40(%0)\n\t"
			"movq %%mm6, 48(%0)\n\t"   "movq %%mm7, 56(%0)\n\t"
			"add $64, %1\n\t"
			"add $64, %0\n\t"
			"dec %2\n\t"
			"jnz 1b\n\t"
			"emms"                       /* leave the x87 registers free */
			: "+r"(dst), "+r"(src), "+r"(blocks) : : "memory", "cc");
		n %= MMX_BLOCK;
	}
	words = n / 4;
	n %= 4;
	__asm__ volatile("rep movsl" : "+D"(dst), "+S"(src), "+c"(words) : : "memory");
	__asm__ volatile("rep movsb" : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	return ret;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	void *ret = dst;
	__asm__ volatile("rep stosb" : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n; n--, p++, q++)
		if (*p != *q)
			return *p - *q;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
