/*
 * e820_test.c - host tests of the E820 loop (stage2/bios/e820.c:
 * e820_walk()) against a simulated BIOS, and of the clean-up's rule for
 * types it does not know.  The broken BIOSes are the ones Linux's
 * arch/x86/boot/memory.c and the ACPI specification describe: the list
 * ended with CF set instead of EBX = 0, SMAP missing in EAX mid-list,
 * 20-byte entries (no ACPI 3.0 attributes), entries marked "ignore"
 * (attribute bit 0 clear), on some BIOSes every entry, answers shorter than
 * an entry, and a continuation value that cycles.  Built with the
 * sanitizers by tests/t-17-e820-host.sh.
 *
 * Checked to fail before the fix: with the old loop (ignored and short
 * answers skipped without a bound, no all-ignored rule, type 0 losing to
 * usable RAM) the cycling BIOS hung the test until its timeout, and the
 * all-ignored, short-answer and type-0 checks failed.
 */
#include <stdio.h>
#include <string.h>

#include "bios/e820.h"

#define SMAP 0x534d4150

static int failures;

#define CHECK(name, cond) do { \
	if (cond) printf("PASS: %s\n", name); \
	else { printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); failures++; } \
} while (0)

/* The simulated BIOS: answer[next] for continuation value next; past the
 * end, CF set.  Each answer names its own continuation value (ebx). */
static const struct e820_answer *answers;
static int nanswers, calls;

static void fake_bios(uint32_t next, struct e820_answer *a)
{
	calls++;
	if (next >= (uint32_t)nanswers) {
		memset(a, 0, sizeof(*a));
		a->carry = true;
		return;
	}
	*a = answers[next];
}

static int walk(const struct e820_answer *list, int n, struct e820_entry *map,
		struct e820_walk_stats *st)
{
	answers = list;
	nanswers = n;
	calls = 0;
	return e820_walk(fake_bios, map, st);
}

/* An answer: 20 or 24 bytes, continuation value next, ACPI 3.0 attributes ext. */
#define ANS(addr, size, type, ecx, ext, next) \
	{ false, SMAP, next, ecx, { addr, size, type }, ext }

static void test_walk(void)
{
	static struct e820_entry map[E820_MAX];
	struct e820_walk_stats st;
	int n;

	const struct e820_answer good[] = {
		ANS(0, 0x9fc00, E820_USABLE, 20, 0, 1),
		ANS(0x9fc00, 0x400, E820_RESERVED, 20, 0, 2),
		ANS(0x100000, 0x7f00000, E820_USABLE, 20, 0, 0),
	};
	n = walk(good, 3, map, &st);
	CHECK("walk: three 20-byte entries (no ACPI 3.0 attributes: none ignored), EBX = 0 ends",
	      n == 3 && st.calls == 3 && map[2].addr == 0x100000 && map[2].type == E820_USABLE);

	const struct e820_answer cf_end[] = {
		ANS(0, 0x9fc00, E820_USABLE, 20, 0, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 20, 0, 2),   /* then CF, not EBX = 0 */
	};
	n = walk(cf_end, 2, map, &st);
	CHECK("walk: CF set instead of EBX = 0 ends the list; the entries before it stay",
	      n == 2 && st.calls == 3);

	struct e820_answer no_smap[] = {
		ANS(0, 0x9fc00, E820_USABLE, 20, 0, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 20, 0, 2),
		ANS(0x8000000, 0x1000, E820_RESERVED, 20, 0, 0),
	};
	no_smap[1].eax = 0x1234;
	n = walk(no_smap, 3, map, &st);
	CHECK("walk: SMAP missing in EAX mid-list: the whole map is dropped (E801h next)", n == 0);

	const struct e820_answer acpi3[] = {
		ANS(0, 0x9fc00, E820_USABLE, 24, 1, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 24, 1, 2),
		ANS(0x8000000, 0x100000, E820_USABLE, 24, 0, 3),    /* bit 0 clear: ignore */
		ANS(0xfffc0000, 0x40000, E820_RESERVED, 24, 3, 0),
	};
	n = walk(acpi3, 4, map, &st);
	CHECK("walk: a 24-byte entry with ACPI 3.0 attribute bit 0 clear is ignored, the others kept",
	      n == 3 && st.ignored == 1 && map[2].addr == 0xfffc0000);

	const struct e820_answer all_ignored[] = {
		ANS(0, 0x9fc00, E820_USABLE, 24, 0, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 24, 0, 0),
	};
	n = walk(all_ignored, 2, map, &st);
	CHECK("walk: every entry marked ignore (a BIOS that never sets bit 0): all are used",
	      n == 2 && st.ignored == 2 && map[1].size == 0x7f00000);

	const struct e820_answer short_ans[] = {
		ANS(0, 0x9fc00, E820_USABLE, 20, 0, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 12, 0, 2),   /* 12 bytes: half an entry */
		ANS(0x8000000, 0x1000, E820_RESERVED, 0, 0, 3),
		ANS(0xfffc0000, 0x40000, E820_RESERVED, 20, 0, 0),
	};
	n = walk(short_ans, 4, map, &st);
	CHECK("walk: answers shorter than 20 bytes are skipped, the list goes on",
	      n == 2 && st.short_answers == 2 && map[1].addr == 0xfffc0000);

	const struct e820_answer cycle_ignored[] = {
		ANS(0, 0x9fc00, E820_USABLE, 24, 1, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 24, 0, 2),   /* ignore, then back to 1 */
		ANS(0x8000000, 0x1000, E820_RESERVED, 24, 0, 1),
	};
	n = walk(cycle_ignored, 3, map, &st);
	CHECK("walk: a continuation value cycling through ignored entries ends (bounded)",
	      n == 1 && calls <= E820_MAX_CALLS && map[0].size == 0x9fc00);

	const struct e820_answer cycle_short[] = {
		ANS(0, 0x9fc00, E820_USABLE, 20, 0, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 8, 0, 1),    /* short, and points at itself */
	};
	n = walk(cycle_short, 2, map, &st);
	CHECK("walk: a continuation value cycling through short answers stops after E820_MAX_CALLS",
	      n == 1 && calls == E820_MAX_CALLS && st.calls == E820_MAX_CALLS);

	const struct e820_answer endless[] = {
		ANS(0, 0x9fc00, E820_USABLE, 20, 0, 1),
		ANS(0x100000, 0x7f00000, E820_USABLE, 20, 0, 2),
		ANS(0x9fc00, 0x400, E820_RESERVED, 20, 0, 1),      /* and back to 1 */
	};
	n = walk(endless, 3, map, &st);
	CHECK("walk: a list that never ends stops at E820_MAX entries; the clean-up merges the repeats",
	      n == E820_MAX && e820_sanitize(map, n) == 3);

	const struct e820_answer none[] = { { true, 0, 0, 0, { 0, 0, 0 }, 0 } };
	n = walk(none, 1, map, &st);
	CHECK("walk: CF on the first call (no E820): 0 entries", n == 0 && st.calls == 1);
}

static void test_types(void)
{
	struct e820_entry m[E820_MAX] = {             /* e820_sanitize() may split ranges */
		{ 0x100000, 0x7f00000, E820_USABLE },
		{ 0x200000, 0x100000, 0 },             /* type 0 inside usable RAM */
		{ 0x400000, 0x100000, 0x12345 },       /* a type from the future */
	};
	int n = e820_sanitize(m, 3);

	CHECK("types: type 0 over usable RAM is reserved (not RAM), not lost",
	      n == 5 && m[1].addr == 0x200000 && m[1].size == 0x100000 && m[1].type == E820_RESERVED);
	CHECK("types: an unknown type over usable RAM stays (not RAM), with its number for the kernel",
	      m[3].addr == 0x400000 && m[3].type == 0x12345 && m[4].type == E820_USABLE);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_walk();
	test_types();
	return failures != 0;
}
