/*
 * unpack.c - the decompressor (the format is in unpack.h).
 *
 * Plain C, no BIOS calls, no globals, no library calls: stage 2's stub runs
 * it before anything else of stage 2 exists, tools/pack.c runs it on every
 * build to check what it packed, and tests/t-15-pack-host.sh runs it under
 * the sanitizers with damaged input.
 */
#include "entry/unpack.h"

/* The range decoder.  The packed stream is one big binary fraction; code
 * holds its next 32 bits minus the start of the current interval, range
 * the interval's width.  Each decision splits the interval in proportion to
 * its probability, and code says which side the stream is on. */
struct decoder {
	uint32_t range, code;
	const uint8_t *in, *end;
};

static uint8_t next_byte(struct decoder *d)
{
	return d->in < d->end ? *d->in++ : 0;    /* past the end: zeros */
}

/* One decision with the adaptive probability *p (of a 0), updated. */
static unsigned get_bit(struct decoder *d, uint16_t *p)
{
	uint32_t bound = (d->range >> PROB_BITS) * *p;
	unsigned bit;

	if (d->code < bound) {
		d->range = bound;
		*p += (PROB_ONE - *p) >> PROB_MOVE;
		bit = 0;
	} else {
		d->code -= bound;
		d->range -= bound;
		*p -= *p >> PROB_MOVE;
		bit = 1;
	}
	while (d->range < RANGE_TOP) {           /* keep 24 bits or more */
		d->range <<= 8;
		d->code = (d->code << 8) | next_byte(d);
	}
	return bit;
}

/* n bits as a bit tree: the first with probs[1], the second with probs[2]
 * or probs[3], and so on.  Returns 1 followed by the n bits. */
static uint32_t get_tree(struct decoder *d, uint16_t *probs, unsigned n)
{
	uint32_t node = 1;

	while (n--)
		node = (node << 1) | get_bit(d, &probs[node]);
	return node;
}

/* number(): see unpack.h. */
static uint32_t get_number(struct decoder *d, struct number_model *m)
{
	unsigned k = 0, t;
	uint32_t n;

	while (k < NUMBER_K_MAX && get_bit(d, &m->k[k]))
		k++;
	t = k < TREE_BITS ? k : TREE_BITS;
	n = get_tree(d, m->tree[k], t);          /* the leading 1, the high bits */
	for (unsigned i = t; i < k; i++)
		n = (n << 1) | get_bit(d, &m->low[k][i]);
	return n - 1;
}

/* The x86 branch filter (unpack.h), backwards: targets to rel32. */
static void calls_to_relative(uint8_t *b, size_t size)
{
	for (size_t i = 0; i + 6 <= size; i++) {
		if (b[i] == X86_JCC_PREFIX && (b[i + 1] & 0xF0) == X86_JCC)
			i++;                     /* the rel32 is one byte later */
		else if ((b[i] & 0xFE) != X86_CALL)
			continue;
		if ((uint8_t)(b[i + 4] + 1) > 1) {    /* top byte not 0x00/0xFF */
			i += 4;
			continue;
		}
		uint32_t v = b[i + 1] | b[i + 2] << 8 | b[i + 3] << 16 | (uint32_t)b[i + 4] << 24;

		v -= (uint32_t)(i + 5);
		v = (uint32_t)((int32_t)(v << 7) >> 7);   /* 25 bits, sign-extended */
		for (int j = 1; j <= 4; j++, v >>= 8)
			b[i + j] = (uint8_t)v;
		i += 4;
	}
}

int unpack(uint8_t *out, size_t size, const uint8_t *packed, size_t packed_size)
{
	struct pack_model m;
	struct decoder d = { 0xFFFFFFFFu, 0, packed, packed + packed_size };
	uint16_t *p = (uint16_t *)&m;
	unsigned kind = KIND_LITERAL;            /* of the item before */
	size_t pos = 0, dist = 0;

	for (size_t i = 0; i < sizeof(m) / sizeof(*p); i++)
		p[i] = PROB_ONE / 2;
	for (int i = 0; i < 4; i++)
		d.code = (d.code << 8) | next_byte(&d);

	while (pos < size) {
		size_t len;

		if (!get_bit(&d, &m.is_match[kind])) {
			uint8_t prev = pos ? out[pos - 1] : 0;

			out[pos++] = (uint8_t)get_tree(&d, m.literal[LITERAL_CONTEXT(prev)], 8);
			kind = KIND_LITERAL;
			continue;
		}
		kind = get_bit(&d, &m.is_rep[kind]) ? KIND_REP : KIND_MATCH;
		len = get_number(&d, &m.length[kind == KIND_REP]) + MIN_MATCH;
		if (kind == KIND_MATCH)
			dist = get_number(&d, &m.distance[DIST_CONTEXT(len)]) + 1;
		/* A copy starts inside what is written and ends inside out;
		 * anything else (a rep before any match, too) is corruption. */
		if (dist == 0 || dist > pos || len > size - pos)
			return -1;
		for (; len; len--, pos++)
			out[pos] = out[pos - dist];      /* they may overlap: bytewise */
	}
	calls_to_relative(out, size);
	return 0;
}

uint32_t unpack_crc32c(uint32_t crc, const void *data, size_t n)
{
	const uint8_t *b = data;

	crc = ~crc;
	while (n--) {
		crc ^= *b++;
		for (int i = 0; i < 8; i++)           /* one bit at a time: no table */
			crc = (crc >> 1) ^ (0x82F63B78u & -(crc & 1));
	}
	return ~crc;
}
