/*
 * unpack_test.c - host test of stage 2's decompressor (stage2/entry/unpack.c)
 * against what the packer (tools/pack.c) wrote.
 *
 *   unpack_test UNPACKED PACKED [NAME]
 *   unpack_test                          (CRC-32C's check values only)
 *
 * UNPACKED is a stage 2 image as linked (header, stub, payload), PACKED what
 * tools/pack.c made of it.  Checks that the stub is copied as is (but for
 * the two fields pack fills in), that the packed payload unpacks to the
 * payload with the CRC the header gives, and that damaged copies (bits
 * flipped, bytes changed, the end cut off) are caught by unpack() or by the
 * CRC, without a read or write out of bounds (the sanitizers watch: every
 * buffer has exactly its size).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "entry/stub.h"
#include "entry/unpack.h"
#include "check.h"

#define DAMAGES 400


static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);
	size_t n;

	if (!f || !buf) {
		perror(path);
		exit(2);
	}
	n = fread(buf, 1, 1 << 20, f);
	fclose(f);
	*len = n;
	return realloc(buf, n ? n : 1);
}

/* xorshift32: the same damage on every run. */
static uint32_t rnd_state = 2463534242u;
static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Unpack packed[0..n-1] into a buffer of exactly size bytes.  Returns 1
 * when the result is accepted (unpack() succeeded and the CRC matches),
 * and then *same says whether it equals want. */
static int accepted(const uint8_t *packed, size_t n, size_t size, uint32_t crc,
		    const uint8_t *want, int *same)
{
	uint8_t *in = malloc(n ? n : 1), *out = malloc(size ? size : 1);
	int ok;

	memcpy(in, packed, n);
	ok = unpack(out, size, in, n) == 0 && unpack_crc32c(0, out, size) == crc;
	*same = ok && memcmp(out, want, size) == 0;
	free(in);
	free(out);
	return ok;
}

int main(int argc, char **argv)
{
	size_t ulen, plen, stub, size, n;
	uint8_t *u, *p, *packed;
	struct stage2_header uh, ph;
	int same, caught = 0, harmless = 0, missed = 0;

	if (argc == 1) {
		check_prefix = "crc32c";
		CHECK("unpack_crc32c(\"123456789\") = 0xE3069283 (the CRC-32C check value)",
		      unpack_crc32c(0, "123456789", 9) == 0xE3069283u);
		CHECK("unpack_crc32c continues a sum",
		      unpack_crc32c(unpack_crc32c(0, "1234", 4), "56789", 5) == 0xE3069283u);
		return check_failures ? 1 : 0;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: unpack_test [UNPACKED PACKED [NAME]]\n");
		return 2;
	}
	check_prefix = argc > 3 ? argv[3] : "unpack";
	u = read_file(argv[1], &ulen);
	p = read_file(argv[2], &plen);
	if (ulen < sizeof(uh) || plen < sizeof(ph)) {
		printf("FAIL: %s: images shorter than a header\n", check_prefix);
		return 1;
	}
	memcpy(&uh, u, sizeof(uh));
	memcpy(&ph, p, sizeof(ph));
	stub = uh.payload_addr - 0x8000;
	size = uh.payload_size;
	n = ph.packed_size;

	CHECK("the packed image is the stub (%zu bytes) and the packed payload (%zu bytes)",
	      memcmp(ph.magic, STAGE2_MAGIC, 4) == 0 && stub + size == ulen && stub + n == plen,
	      stub, n);
	CHECK("the stub is copied as is, but for packed_size and payload_crc",
	      memcmp(u, p, offsetof(struct stage2_header, packed_size)) == 0 &&
	      memcmp(u + sizeof(uh), p + sizeof(ph), stub - sizeof(uh)) == 0);
	if (stub + n != plen || stub + size != ulen)
		return 1;
	packed = p + stub;

	clock_t t0 = clock();
	int ok = accepted(packed, n, size, ph.payload_crc, u + stub, &same);
	double ms = (double)(clock() - t0) * 1000 / CLOCKS_PER_SEC;

	CHECK("unpacks to the payload, %zu bytes from %zu (%.1f%%), CRC-32C 0x%08x (%.2f ms here)",
	      ok && same, size, n, size ? 100.0 * n / size : 0.0, ph.payload_crc, ms);

	/* Damage: one bit, one byte, or the end cut off. */
	for (int i = 0; i < DAMAGES && n; i++) {
		uint8_t *bad = malloc(n);
		size_t bad_n = n, at = rnd() % n;

		memcpy(bad, packed, n);
		switch (i % 3) {
		case 0: bad[at] ^= (uint8_t)(1u << (rnd() % 8)); break;
		case 1: bad[at] = (uint8_t)(bad[at] + 1 + rnd() % 255); break;
		case 2: bad_n = at; break;
		}
		if (!accepted(bad, bad_n, size, ph.payload_crc, u + stub, &same))
			caught++;
		else if (same)
			harmless++;      /* e.g. the last bits of the stream: unused */
		else
			missed++;
		free(bad);
	}
	CHECK("%d damaged copies: %d caught, %d unpack right anyway, %d accepted wrong",
	      missed == 0, DAMAGES, caught, harmless, missed);
	free(u);
	free(p);
	return check_failures ? 1 : 0;
}
