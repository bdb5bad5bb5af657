/*
 * tools/pack.c - pack stage 2: the stub as it is, the payload compressed.
 *
 *   pack IN OUT
 *
 * IN is the unpacked stage 2 (objcopy -O binary of build/stage2-entry*.elf):
 * the stub, then the payload.  OUT is what stage 1 loads: the stub with the
 * packed size and the payload's CRC-32C filled into its header (stub.h),
 * then the packed payload (format: stage2/entry/unpack.h).  Fails, writing
 * nothing, when OUT would be over STAGE2_BUDGET bytes (stage2/layout.h) or
 * when stage2/entry/unpack.c - the stub's own decompressor, linked in here - does
 * not give back the payload exactly.
 *
 * The compressor: every match is found (hash chains on the first two
 * bytes), then the cheapest sequence of items is chosen by dynamic
 * programming, with each bit priced from the statistics of the previous
 * pass; four passes, the smallest output wins.  docs/packing.md has the
 * measurements.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "entry/stub.h"
#include "entry/unpack.h"

#define PROG "pack"
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define IMAGE_MAX (1u << 20)     /* reading more is certainly wrong */

static void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- the range encoder ---------------------------------------------------- */

/* The mirror of unpack.c's decoder: low is the start of the interval, with
 * a 33rd bit for the carry that a later addition can push into bytes
 * already decided.  Those bytes wait in cache and pending until no carry
 * can reach them any more. */
struct encoder {
	uint64_t low;
	uint32_t range;
	uint8_t cache;           /* the last byte decided but for a carry */
	size_t pending;          /* 0xFF bytes after it, waiting too */
	bool started;            /* cache holds a byte (the first is implicit) */
	uint8_t *out;
	size_t n, cap;
};

static void emit(struct encoder *e, uint8_t b)
{
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 4096;
		e->out = xrealloc(e->out, e->cap);
	}
	e->out[e->n++] = b;
}

static void shift_low(struct encoder *e)
{
	if ((uint32_t)e->low < 0xFF000000u || (e->low >> 32)) {
		uint8_t carry = (uint8_t)(e->low >> 32);

		/* The first byte would be the stream's integer part, always 0
		 * (no carry reaches it: the interval starts inside [0, 1)), so
		 * it is not written and the decoder starts at the second. */
		if (e->started)
			emit(e, (uint8_t)(e->cache + carry));
		else if (carry)
			die("internal error: a carry into the first byte");
		for (; e->pending; e->pending--)
			emit(e, (uint8_t)(0xFF + carry));
		e->cache = (uint8_t)(e->low >> 24);
		e->started = true;
	} else {
		e->pending++;        /* 0xFF: a carry would change it */
	}
	e->low = (e->low & 0x00FFFFFFu) << 8;
}

static void encode_bit(struct encoder *e, uint16_t *p, unsigned bit)
{
	uint32_t bound = (e->range >> PROB_BITS) * *p;

	if (!bit) {
		e->range = bound;
		*p += (PROB_ONE - *p) >> PROB_MOVE;
	} else {
		e->low += bound;
		e->range -= bound;
		*p -= *p >> PROB_MOVE;
	}
	while (e->range < RANGE_TOP) {
		e->range <<= 8;
		shift_low(e);
	}
}

static void encoder_finish(struct encoder *e)
{
	for (int i = 0; i < 5; i++)          /* low's bytes, and cache */
		shift_low(e);
	while (e->n && !e->out[e->n - 1])    /* the decoder reads zeros past the end */
		e->n--;
}

/* ---- the model: what stage2/entry/unpack.c reads, bit for bit ------------------- */

/* Where the bits go: to the encoder; or counted, per probability, for the
 * next pass's prices; or only priced (in 1/PRICE_ONE bits) with the
 * probabilities left as they are. */
#define PRICE_ONE 256
struct sink {
	struct encoder *e;
	uint32_t (*counts)[2];   /* [probability's index][bit] */
	const uint16_t *base;    /* the model's first probability */
	uint64_t price;
};
static uint32_t price_table[2][PROB_ONE];

static void price_init(void)
{
	for (unsigned p = 1; p < PROB_ONE; p++) {
		price_table[0][p] = (uint32_t)lround(-log2((double)p / PROB_ONE) * PRICE_ONE);
		price_table[1][p] = (uint32_t)lround(-log2(1.0 - (double)p / PROB_ONE) * PRICE_ONE);
	}
}

static void put_bit(struct sink *s, uint16_t *p, unsigned bit)
{
	if (s->counts)
		s->counts[p - s->base][bit]++;
	if (s->e)
		encode_bit(s->e, p, bit);
	else
		s->price += price_table[bit][*p];
}

static void put_tree(struct sink *s, uint16_t *probs, unsigned n, uint32_t value)
{
	uint32_t node = 1;

	while (n--) {
		unsigned bit = (value >> n) & 1;

		put_bit(s, &probs[node], bit);
		node = (node << 1) | bit;
	}
}

static void put_number(struct sink *s, struct number_model *m, uint32_t v)
{
	uint32_t n = v + 1;
	unsigned k = 0, t;

	while (n >> (k + 1))
		k++;
	t = k < TREE_BITS ? k : TREE_BITS;
	for (unsigned i = 0; i < k; i++)
		put_bit(s, &m->k[i], 1);
	if (k < NUMBER_K_MAX)
		put_bit(s, &m->k[k], 0);
	put_tree(s, m->tree[k], t, (n >> (k - t)) & ((1u << t) - 1));
	for (unsigned i = t; i < k; i++)
		put_bit(s, &m->low[k][i], (n >> (k - 1 - i)) & 1);
}

static void model_init(struct pack_model *m)
{
	uint16_t *p = (uint16_t *)m;

	for (size_t i = 0; i < sizeof(*m) / sizeof(*p); i++)
		p[i] = PROB_ONE / 2;
}

/* One item: a literal (len 1), a match or a rep. */
struct item {
	uint32_t len, dist;
	unsigned kind;
};

/* The bits of item, after an item of kind `before`; prev is the byte
 * before the item, byte the literal. */
static void put_item(struct sink *s, struct pack_model *m, unsigned before, const struct item *it,
		     uint8_t prev, uint8_t byte)
{
	if (it->kind == KIND_LITERAL) {
		put_bit(s, &m->is_match[before], 0);
		put_tree(s, m->literal[LITERAL_CONTEXT(prev)], 8, byte);
		return;
	}
	put_bit(s, &m->is_match[before], 1);
	put_bit(s, &m->is_rep[before], it->kind == KIND_REP);
	put_number(s, &m->length[it->kind == KIND_REP], it->len - MIN_MATCH);
	if (it->kind == KIND_MATCH)
		put_number(s, &m->distance[DIST_CONTEXT(it->len)], it->dist - 1);
}

/* ---- finding matches -------------------------------------------------------- */

#define CHAIN_MAX  4096          /* earlier positions tried, per position */
#define NICE_LEN   96            /* a match this long is taken whole */
#define LEN_MAX    65536         /* the longest match we look for */

struct match {
	uint32_t len, dist;
};

/* For position i: m[first[i] .. first[i+1]-1], longer and farther as the
 * index grows; each is the nearest match of its length. */
struct matches {
	struct match *m;
	size_t *first;
	size_t count, cap;
};

static uint32_t match_length(const uint8_t *in, size_t n, size_t from, size_t at)
{
	uint32_t l = 0;

	while (at + l < n && l < LEN_MAX && in[from + l] == in[at + l])
		l++;
	return l;
}

static void find_matches(const uint8_t *in, size_t n, struct matches *mt)
{
	long *head = xrealloc(NULL, 65536 * sizeof(long));
	long *prev = xrealloc(NULL, (n + 1) * sizeof(long));
	size_t skip_to = 0;

	mt->first = xrealloc(NULL, (n + 1) * sizeof(size_t));
	for (size_t i = 0; i < 65536; i++)
		head[i] = -1;
	for (size_t i = 0; i < n; i++) {
		unsigned key = i + 1 < n ? in[i] | in[i + 1] << 8 : 0;
		uint32_t best = MIN_MATCH - 1;
		int tries = 0;

		mt->first[i] = mt->count;
		/* Inside a match of NICE_LEN or more parse() wants none (a
		 * long run of zeros would take quadratic time). */
		for (long j = i < skip_to ? -1 : head[key]; j >= 0 && tries < CHAIN_MAX;
		     j = prev[j], tries++) {
			uint32_t l = match_length(in, n, (size_t)j, i);

			if (l <= best)
				continue;
			if (mt->count == mt->cap) {
				mt->cap = mt->cap ? 2 * mt->cap : 65536;
				mt->m = xrealloc(mt->m, mt->cap * sizeof(*mt->m));
			}
			mt->m[mt->count++] = (struct match){ l, (uint32_t)(i - (size_t)j) };
			best = l;
			if (l >= NICE_LEN) {
				skip_to = i + l;
				break;
			}
		}
		prev[i] = head[key];
		head[key] = (long)i;
	}
	mt->first[n] = mt->count;
	free(head);
	free(prev);
}

/* ---- the parse: the cheapest items at given prices -------------------------- */

struct node {
	uint64_t cost;           /* of the cheapest items found to here */
	struct item last;        /* the last of them */
	uint32_t rep;            /* the distance a rep would copy from */
};

static uint64_t price_of(struct pack_model *prices, const struct node *at, const struct item *it,
			 uint8_t prev, uint8_t byte)
{
	struct sink s = { NULL, NULL, NULL, 0 };

	put_item(&s, prices, at->last.kind, it, prev, byte);
	return s.price;
}

static void relax(struct node *nodes, size_t i, struct item it, uint64_t price)
{
	struct node *to = &nodes[i + it.len];

	if (nodes[i].cost + price < to->cost) {
		to->cost = nodes[i].cost + price;
		to->last = it;
		to->rep = it.kind == KIND_LITERAL ? nodes[i].rep : it.dist;
	}
}

/* Offer every length of a copy of up to max bytes from dist back; past
 * NICE_LEN only the whole copy (long runs would take too long). */
static void relax_copies(struct node *nodes, size_t i, struct pack_model *prices, unsigned kind,
			 uint32_t dist, uint32_t min, uint32_t max)
{
	for (uint32_t len = min; len <= max; len++) {
		struct item it = { len, dist, kind };

		if (len > NICE_LEN && len < max)
			len = max, it.len = max;
		relax(nodes, i, it, price_of(prices, &nodes[i], &it, 0, 0));
	}
}

/* The cheapest items for in[0..n-1] if every bit cost what prices say.
 * Sets *items, returns how many.  (The kind before and the rep distance
 * follow the cheapest way to each position, not every way: close enough.) */
static size_t parse(const uint8_t *in, size_t n, const struct matches *mt,
		    struct pack_model *prices, struct item **items)
{
	struct node *nodes = xrealloc(NULL, (n + 1) * sizeof(*nodes));
	size_t count = 0;

	for (size_t i = 0; i <= n; i++)
		nodes[i].cost = UINT64_MAX;
	nodes[0] = (struct node){ 0, { 0, 0, KIND_LITERAL }, 0 };

	for (size_t i = 0, skip_to = 0; i < n; i++) {
		struct item lit = { 1, 0, KIND_LITERAL };
		uint32_t rep = nodes[i].rep, done = MIN_MATCH - 1;

		if (i < skip_to)         /* inside a long match: take it whole */
			continue;
		relax(nodes, i, lit, price_of(prices, &nodes[i], &lit, i ? in[i - 1] : 0, in[i]));
		if (rep && rep <= i) {
			uint32_t len = match_length(in, n, i - rep, i);

			relax_copies(nodes, i, prices, KIND_REP, rep, MIN_MATCH, len);
			if (len >= NICE_LEN)
				skip_to = i + len;
		}
		for (size_t k = mt->first[i]; k < mt->first[i + 1]; k++) {
			relax_copies(nodes, i, prices, KIND_MATCH, mt->m[k].dist, done + 1, mt->m[k].len);
			done = mt->m[k].len;
			if (done >= NICE_LEN && i + done > skip_to)
				skip_to = i + done;
		}
	}
	for (size_t i = n; i > 0; i -= nodes[i].last.len)
		count++;
	*items = xrealloc(NULL, count * sizeof(**items));
	for (size_t i = n, k = count; i > 0; i -= nodes[i].last.len)
		(*items)[--k] = nodes[i].last;
	free(nodes);
	return count;
}

/* ---- packing ---------------------------------------------------------------- */

/* The x86 branch filter (unpack.h): rel32 to targets. */
static void calls_to_absolute(uint8_t *b, size_t size)
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

		v += (uint32_t)(i + 5);
		v = (uint32_t)((int32_t)(v << 7) >> 7);   /* 25 bits, sign-extended */
		for (int j = 1; j <= 4; j++, v >>= 8)
			b[i + j] = (uint8_t)v;
		i += 4;
	}
}

/* Encode items with the adaptive model; the next pass's prices come from
 * how often each probability saw a 0 and a 1. */
static size_t encode(const uint8_t *in, const struct item *items, size_t count, uint8_t **out,
		     struct pack_model *next_prices)
{
	static uint32_t counts[sizeof(struct pack_model) / sizeof(uint16_t)][2];
	struct pack_model m;
	struct encoder e = { .range = 0xFFFFFFFFu };
	struct sink s = { &e, counts, (uint16_t *)&m, 0 };
	uint16_t *p = (uint16_t *)next_prices;
	unsigned before = KIND_LITERAL;
	size_t pos = 0;

	memset(counts, 0, sizeof(counts));
	model_init(&m);
	for (size_t i = 0; i < count; i++) {
		put_item(&s, &m, before, &items[i], pos ? in[pos - 1] : 0, in[pos]);
		pos += items[i].len;
		before = items[i].kind;
	}
	encoder_finish(&e);
	for (size_t i = 0; i < ARRAY_LEN(counts); i++) {
		double zero = (counts[i][0] + 0.5) / (counts[i][0] + counts[i][1] + 1.0);
		long q = lround(zero * PROB_ONE);

		p[i] = (uint16_t)(q < 16 ? 16 : q > PROB_ONE - 16 ? PROB_ONE - 16 : q);
	}
	*out = e.out;
	return e.n;
}

#define PASSES 4

/* Pack in[0..n-1] (already filtered); returns the size, *out the bytes. */
static size_t pack(const uint8_t *in, size_t n, uint8_t **out)
{
	struct matches mt = { 0 };
	struct pack_model prices;
	size_t best = SIZE_MAX;

	price_init();
	find_matches(in, n, &mt);
	model_init(&prices);                 /* the first pass: every bit one bit */
	*out = NULL;
	for (int pass = 0; pass < PASSES; pass++) {
		struct item *items;
		size_t count = parse(in, n, &mt, &prices, &items);
		uint8_t *packed;
		size_t size = encode(in, items, count, &packed, &prices);

		if (size < best) {
			free(*out);
			*out = packed;
			best = size;
		} else {
			free(packed);
		}
		free(items);
	}
	free(mt.m);
	free(mt.first);
	return best;
}

/* ---- the files -------------------------------------------------------------- */

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = xrealloc(NULL, IMAGE_MAX + 1);

	if (!f)
		die("%s: %s", path, strerror(errno));
	*len = fread(buf, 1, IMAGE_MAX + 1, f);
	if (ferror(f))
		die("%s: %s", path, strerror(errno));
	fclose(f);
	if (*len > IMAGE_MAX)
		die("%s: over %u bytes: not an unpacked stage 2", path, IMAGE_MAX);
	return buf;
}

static void write_file(const char *path, const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(a, 1, na, f) != na || fwrite(b, 1, nb, f) != nb || fclose(f) != 0) {
		remove(path);
		die("%s: %s", path, strerror(errno));
	}
}

int main(int argc, char **argv)
{
	struct stage2_header h;
	uint8_t *image, *payload, *filtered, *packed, *check;
	size_t len, stub, size, packed_size, total;

	if (argc != 3) {
		fprintf(stderr, "usage: " PROG " UNPACKED-STAGE2 OUT\n");
		return 2;
	}
	image = read_file(argv[1], &len);
	if (len < sizeof(h))
		die("%s: %zu bytes, shorter than stage 2's header", argv[1], len);
	memcpy(&h, image, sizeof(h));
	if (memcmp(h.magic, STAGE2_MAGIC, sizeof(h.magic)) != 0)
		die("%s: no \"" STAGE2_MAGIC "\" at offset 4: not a stage 2 image", argv[1]);
	/* The header says where the stub ends: the payload must be the rest. */
	stub = h.payload_addr - STAGE2_BASE;
	size = h.payload_size;
	if (h.payload_addr < STAGE2_BASE + sizeof(h) || stub > len || len - stub != size)
		die("%s: header says payload at 0x%x, %zu bytes, but the file has %zu bytes from 0x%x",
		    argv[1], h.payload_addr, size, len, STAGE2_BASE);
	if (size > (1u << (NUMBER_K_MAX + 1)) - 2)
		die("%s: a payload of %zu bytes is more than the format's numbers reach", argv[1], size);
	payload = image + stub;

	filtered = xrealloc(NULL, size);
	memcpy(filtered, payload, size);
	calls_to_absolute(filtered, size);
	packed_size = pack(filtered, size, &packed);

	/* Unpack it as the stub will, with the stub's own code. */
	check = xrealloc(NULL, size);
	if (unpack(check, size, packed, packed_size) != 0 || memcmp(check, payload, size) != 0)
		die("internal error: %s does not unpack to what was packed", argv[1]);

	total = stub + packed_size;
	if (total > STAGE2_BUDGET)
		die("stage 2 packed is %zu bytes (stub %zu + payload %zu packed from %zu), "
		    "over its budget of %d bytes (STAGE2_BUDGET: the 62-sector gap before a "
		    "partition at sector 63)", total, stub, packed_size, size, STAGE2_BUDGET);

	h.packed_size = (uint32_t)packed_size;
	h.payload_crc = unpack_crc32c(0, payload, size);
	memcpy(image, &h, sizeof(h));
	write_file(argv[2], image, stub, packed, packed_size);
	free(image);
	free(filtered);
	free(packed);
	free(check);
	return 0;
}
