/*
 * printf.c - a small printf for stage 2.
 *
 * Conversions: %c %s %d %i %u %x %X %p %%; flags '-' and '0'; a width; a
 * precision for %s ("%.*s": at most that many bytes); the length modifiers
 * l and ll.  64-bit numbers are converted without 64-bit
 * division (stage 2 does not link libgcc): see div10().
 */
#include "klib.h"

void (*printf_output)(const char *s, size_t n);

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

/* *n /= 10, returning the remainder, by shift-and-subtract. */
static unsigned div10(uint64_t *n)
{
	uint64_t q = 0, r = 0;

	for (int bit = 63; bit >= 0; bit--) {
		r = (r << 1) | ((*n >> bit) & 1);
		if (r >= 10) {
			r -= 10;
			q |= 1ull << bit;
		}
	}
	*n = q;
	return (unsigned)r;
}

static void put_number(struct out *o, uint64_t v, unsigned base, bool upper,
		       bool negative, int width, bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		if (base == 10)
			tmp[n++] = digits[div10(&v)];
		else {
			tmp[n++] = digits[v & 15];
			v >>= 4;
		}
	} while (v);
	if (negative)
		tmp[n++] = '-';
	/* A '-' goes before zero padding, so "-005" rather than "00-5". */
	if (negative && pad == '0') {
		put(o, tmp[--n]);
		width--;
	}
	if (!left)
		for (int i = n; i < width; i++)
			put(o, pad);
	while (n)
		put(o, tmp[--n]);
	if (left)
		for (int i = n; i < width; i++)
			put(o, ' ');
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		bool left = false;
		char pad = ' ';
		int width = 0, longs = 0, precision = -1;

		for (fmt++; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-')
				left = true;
			else
				pad = '0';
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			precision = 0;
			if (*++fmt == '*') {
				precision = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				precision = precision * 10 + (*fmt - '0');
		}
		for (; *fmt == 'l'; fmt++)
			longs++;

		uint64_t u;
		int64_t s;
		switch (*fmt) {
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int len = 0;

			if (!str)
				str = "(null)";
			while (str[len] && (precision < 0 || len < precision))
				len++;
			if (!left)
				for (; len < width; width--)
					put(&o, ' ');
			for (int i = 0; i < len; i++)
				put(&o, str[i]);
			if (left)
				for (; len < width; width--)
					put(&o, ' ');
			break;
		}
		case 'd':
		case 'i':
			s = longs >= 2 ? va_arg(ap, long long) :
			    longs ? va_arg(ap, long) : va_arg(ap, int);
			put_number(&o, s < 0 ? -(uint64_t)s : (uint64_t)s, 10,
				   false, s < 0, width, left, pad);
			break;
		case 'u':
		case 'x':
		case 'X':
			u = longs >= 2 ? va_arg(ap, unsigned long long) :
			    longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned);
			put_number(&o, u, *fmt == 'u' ? 10 : 16, *fmt == 'X',
				   false, width, left, pad);
			break;
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), 16, false,
				   false, width, left, pad);
			break;
		case '%':
			put(&o, '%');
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, '%');
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (printf_output)
		printf_output(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	return n;
}
