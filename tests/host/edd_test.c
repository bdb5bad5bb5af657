/*
 * edd_test.c - host tests of the INT 13h extensions' decisions
 * (stage2/bios/edd.c): how edd_read() splits a read into AH=42h calls and
 * what it does with each answer, against simulated BIOSes that QEMU's
 * SeaBIOS does not imitate (a boot test cannot show these); and what
 * AH=48h's disk size is worth.  Built with the sanitizers by
 * tests/t-19-disk-host.sh.
 *
 *   - Phoenix-style EDD: more than 127 sectors in one call fails;
 *   - a BIOS that transfers fewer sectors than asked, succeeds, and writes
 *     the number it did transfer into the disk address packet;
 *   - one that succeeds having transferred nothing (count 0);
 *   - one that writes a count larger than asked;
 *   - one that fails large requests (USB sticks), one with a bad sector.
 *
 * Checked to fail before the fix: the old loop in disk.c (first call 128
 * sectors, the packet's count never read back), run in this harness,
 * asked the Phoenix BIOS for 128 (one failed call per read), left holes
 * of stale bounce-buffer data in the partial BIOS's reads, and took a
 * count-0 success as 127 good sectors.
 */
#include <stdio.h>
#include <string.h>

#include "bios/edd.h"

static int failures;

#define CHECK(name, cond) do { \
	if (cond) printf("PASS: %s\n", name); \
	else { printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); failures++; } \
} while (0)

#define DISK_SECTORS 4096
#define BOUNCE_BYTES 65536

static uint8_t bounce[BOUNCE_BYTES];

/* The simulated BIOS and what it saw. */
struct fake {
	uint16_t limit;          /* a call of more sectors fails with 0x01 (0: none) */
	uint16_t partial;        /* transfers at most this many, and says so (0: all) */
	int zero_calls;          /* the first N calls succeed with count 0 */
	bool big_count;          /* writes 0xffff into the count on success */
	uint64_t bad_lba;        /* a sector that cannot be read (0: none) */
	int calls, resets, over127;
	uint16_t largest;
};

/* Sector s holds the bytes (s * 7 + i) & 0xff, i its offset. */
static void fill(uint8_t *p, uint64_t s)
{
	for (int i = 0; i < 512; i++)
		p[i] = (uint8_t)(s * 7 + (uint64_t)i);
}

static uint8_t fake_read(void *ctx, uint64_t lba, uint16_t count, uint16_t *done)
{
	struct fake *f = ctx;
	uint16_t n = count;

	f->calls++;
	f->over127 += count > 127;
	f->largest = count > f->largest ? count : f->largest;
	*done = count;                         /* most BIOSes leave it as it was */
	if (f->limit && count > f->limit) {
		*done = 0;
		return 0x01;
	}
	if (f->zero_calls) {
		f->zero_calls--;
		*done = 0;
		return 0;
	}
	if (f->partial && n > f->partial)
		n = f->partial;
	for (uint16_t i = 0; i < n; i++) {
		if (f->bad_lba && lba + i == f->bad_lba) {
			*done = i;
			return 0x10;                   /* uncorrectable ECC error */
		}
		fill(bounce + i * 512, lba + i);
	}
	if (f->partial)
		*done = n;
	if (f->big_count)
		*done = 0xffff;
	return 0;
}

static void fake_reset(void *ctx)
{
	((struct fake *)ctx)->resets++;
}

static uint8_t buf[DISK_SECTORS * 512];

/* Read count sectors at lba through f; true if all of them are right. */
static bool read_ok(struct fake *f, uint32_t *max, uint64_t lba, uint32_t count, int *rc)
{
	const struct edd_io io = { fake_read, fake_reset, f, bounce, 512 };
	uint8_t want[512];

	memset(buf, 0xee, count * 512);
	*rc = edd_read(&io, max, lba, count, buf);
	for (uint32_t i = 0; i < count; i++) {
		fill(want, lba + i);
		if (memcmp(buf + i * 512, want, 512))
			return false;
	}
	return true;
}

static void test_read(void)
{
	uint32_t max;
	int rc;
	bool ok;

	struct fake phoenix = { .limit = 127 };
	max = EDD_MAX_SECTORS;
	ok = read_ok(&phoenix, &max, 100, 1000, &rc);
	CHECK("Phoenix EDD (127 at most): 1000 sectors in 8 calls of at most 127, none failed",
	      ok && rc == 0 && phoenix.over127 == 0 && phoenix.calls == 8 && phoenix.resets == 0 &&
	      max == EDD_MAX_SECTORS);

	struct fake partial = { .partial = 50 };
	max = EDD_MAX_SECTORS;
	ok = read_ok(&partial, &max, 7, 1000, &rc);
	CHECK("a BIOS that moves 50 sectors a call and says so in the packet: no hole in the data",
	      ok && rc == 0 && partial.calls == 20);

	struct fake odd = { .partial = 1 };
	max = EDD_MAX_SECTORS;
	ok = read_ok(&odd, &max, 0, 300, &rc);
	CHECK("one sector a call: 300 calls, all the data", ok && rc == 0 && odd.calls == 300);

	struct fake zero_once = { .zero_calls = 2 };
	max = EDD_MAX_SECTORS;
	ok = read_ok(&zero_once, &max, 0, 200, &rc);
	CHECK("success with a count of 0, twice: tried again (after a reset), then all the data",
	      ok && rc == 0 && zero_once.resets == 2 && max == EDD_MAX_SECTORS);

	struct fake zero = { .zero_calls = 1 << 30 };
	max = EDD_MAX_SECTORS;
	read_ok(&zero, &max, 0, 200, &rc);
	CHECK("success with a count of 0, always: an error after bounded tries (3 per size, "
	      "127, 63, 31, 15, 7, 3, 1)", rc == -1 && zero.calls == 3 * 7);

	struct fake big = { .big_count = true };
	max = EDD_MAX_SECTORS;
	ok = read_ok(&big, &max, 5, 400, &rc);
	CHECK("a count larger than asked: only what was asked is taken (no read past the bounce buffer)",
	      ok && rc == 0 && big.calls == 4);

	struct fake usb = { .limit = 64 };
	max = EDD_MAX_SECTORS;
	ok = read_ok(&usb, &max, 0, 1000, &rc);
	CHECK("a BIOS that fails calls over 64 sectors: halved once to 63, kept for the next reads",
	      ok && rc == 0 && max == 63 && usb.largest == 127);
	usb.calls = 0;
	ok = read_ok(&usb, &max, 0, 126, &rc);
	CHECK("... the next read starts at 63 a call", ok && rc == 0 && usb.calls == 2);

	struct fake bad = { .bad_lba = 300 };
	max = EDD_MAX_SECTORS;
	read_ok(&bad, &max, 250, 100, &rc);
	CHECK("a bad sector: halved down to it, then an error naming its LBA", rc == -1 && max == 1);
}

static void test_size(void)
{
	CHECK("AH=48h: a size in a whole answer is kept", edd_disk_sectors(0x1a, 1000) == 1000);
	CHECK("AH=48h: 0 sectors is unknown", edd_disk_sectors(0x1a, 0) == 0);
	CHECK("AH=48h: all ones is unknown", edd_disk_sectors(0x1a, ~0ull) == 0);
	CHECK("AH=48h: an answer that stops before the size field is unknown",
	      edd_disk_sectors(0x10, 1000) == 0 && edd_disk_sectors(0x18, 1000) == 1000);
	CHECK("past the end: a read over the last sector", edd_past_end(1000, 990, 11) &&
	      edd_past_end(1000, 1000, 1) && !edd_past_end(1000, 990, 10));
	CHECK("past the end: never when the size is unknown (0)", !edd_past_end(0, ~0ull, 1));
	CHECK("past the end: no overflow at the top of the LBA range",
	      edd_past_end(1000, ~0ull - 1, 4) && !edd_past_end(~0ull, ~0ull - 4, 4));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_read();
	test_size();
	return failures != 0;
}
