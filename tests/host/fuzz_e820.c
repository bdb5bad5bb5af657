/*
 * fuzz_e820.c - a libFuzzer target for the E820 loop and the memory-map
 * clean-up (stage2/bios/e820.c: e820_walk(), e820_sanitize()), built
 * unchanged with clang and the address and undefined-behaviour sanitizers
 * by mk/fuzz-parsers.mk.
 *
 * The input is a simulated BIOS: a list of 30-byte answers,
 *   [0]        flags: bit 0 CF set, bit 1 EAX is not "SMAP"
 *   [1, 5)     EBX, the continuation value (little-endian)
 *   [5]        ECX, the bytes written (20, 24, or anything)
 *   [6, 26)    the entry: address, size, type
 *   [26, 30)   the ACPI 3.0 extended attributes
 * The call with continuation value v gets answer v mod N, so a list can
 * end (EBX = 0, CF), go on for ever, or cycle.
 *
 * A run fails (abort) when a promise of e820.h is broken: more than
 * E820_MAX_CALLS calls or E820_MAX entries, an entry kept that the BIOS
 * did not give whole, or a map after e820_sanitize() that is not sorted, disjoint and merged or
 * still has a type 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bios/e820.h"

#define SMAP   0x534d4150
#define RECORD 30

static const uint8_t *bios;
static size_t nrecords;
static int calls;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_e820: %s\n", what);
		abort();
	}
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void fake_bios(uint32_t next, struct e820_answer *a)
{
	calls++;
	check(calls <= E820_MAX_CALLS, "e820_walk: more than E820_MAX_CALLS calls");
	if (!nrecords) {
		a->carry = true;
		return;
	}
	const uint8_t *r = bios + (next % nrecords) * RECORD;
	a->carry = r[0] & 1;
	a->eax = r[0] & 2 ? 0x50414d53 : SMAP;
	a->ebx = le32(r + 1);
	a->ecx = r[5];
	memcpy(&a->entry, r + 6, sizeof(a->entry));
	a->ext = le32(r + 26);
}

/* Did the BIOS give this entry whole (20 bytes or more)? */
static int given(const struct e820_entry *e)
{
	for (size_t i = 0; i < nrecords; i++) {
		const uint8_t *r = bios + i * RECORD;

		if (r[5] >= 20 && !memcmp(r + 6, e, sizeof(*e)))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct e820_entry map[E820_MAX];
	struct e820_walk_stats st;
	int count;

	bios = data;
	nrecords = size / RECORD;
	calls = 0;
	count = e820_walk(fake_bios, map, &st);
	check(count >= 0 && count <= E820_MAX, "e820_walk: count out of range");
	check(st.calls == calls, "e820_walk: calls miscounted");
	for (int i = 0; i < count; i++)
		check(given(&map[i]), "e820_walk: kept an entry the BIOS did not give whole");

	count = e820_sanitize(map, count);
	check(count >= 0 && count <= E820_MAX, "e820_sanitize: count out of range");
	for (int i = 0; i < count; i++) {
		check(map[i].size > 0, "e820_sanitize: an empty range");
		check(map[i].type != 0, "e820_sanitize: type 0 left in the map");
		if (i) {
			check(map[i - 1].addr + map[i - 1].size <= map[i].addr, "e820_sanitize: unsorted or overlapping");
			check(map[i - 1].addr + map[i - 1].size != map[i].addr || map[i - 1].type != map[i].type,
			      "e820_sanitize: neighbours of one type not merged");
		}
	}
	return 0;
}
