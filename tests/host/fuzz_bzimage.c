/*
 * fuzz_bzimage.c - a libFuzzer target for the boot-protocol planner
 * (stage2/proto/bzimage.c: the header checks, the initrd placement, the header
 * fill-in and the command-line scan) and the memory-map clean-up
 * (stage2/bios/e820.c), built unchanged with clang and the address and
 * undefined-behaviour sanitizers by mk/fuzz-parsers.mk.
 *
 * The input, zero-padded where short:
 *   [0, 1024)           the kernel file's first two sectors (the setup
 *                       header at 0x1f1), as linux.c reads them
 *   [1024, 1032)        the file's size (little-endian)
 *   [1032, 1040)        the initrds' total size
 *   [1040, 1041)        N, the number of E820 entries (mod 129)
 *   [1041, 1041 + 20N)  the firmware's E820 entries, unsorted, overlapping
 *   the rest            the command line
 *
 * A run fails (abort) when a promise of bzimage.h or e820.h is broken: an
 * accepted header whose plan does not add up; a map that is not sorted,
 * disjoint and merged after e820_sanitize(); an initrd placed off a page,
 * over the kernel, above 4 GiB or initrd_addr_max, or outside usable RAM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/bzimage.h"

#define HEAD       1024
#define FIXED      (HEAD + 8 + 8 + 1)
#define FOUR_GIB   0x100000000ull

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_bzimage: %s\n", what);
		abort();
	}
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t head[HEAD + 0x200];  /* the real-mode area linux.c reads into */
	struct setup_header *hdr = (struct setup_header *)(head + SETUP_HEADER_OFFSET);
	uint8_t fixed[FIXED] = { 0 };
	struct e820_entry map[E820_MAX];
	struct linux_plan plan;
	const char *why;
	int count;

	memcpy(fixed, data, size < FIXED ? size : FIXED);
	memset(head, 0, sizeof(head));
	memcpy(head, fixed, HEAD);
	uint64_t file_size = le64(fixed + HEAD), initrd_size = le64(fixed + HEAD + 8);
	count = fixed[HEAD + 16] % (E820_MAX + 1);

	/* The map: as many whole entries as the input holds. */
	size_t have = size > FIXED ? size - FIXED : 0;
	if ((size_t)count * sizeof(map[0]) > have)
		count = (int)(have / sizeof(map[0]));
	memcpy(map, data + FIXED, (size_t)count * sizeof(map[0]));
	size_t used = FIXED + (size_t)count * sizeof(map[0]);

	/* The command line: a NUL-terminated copy of the rest, in its own
	 * allocation so ASan sees a scan past its end. */
	size_t clen = size > used ? size - used : 0;
	char *cmdline = malloc(clen + 1);
	if (!cmdline)
		return 0;
	memcpy(cmdline, data + used, clen);
	cmdline[clen] = '\0';

	count = e820_sanitize(map, count);
	check(count >= 0 && count <= E820_MAX, "e820_sanitize: count out of range");
	for (int i = 0; i < count; i++) {
		check(map[i].size > 0, "e820_sanitize: an empty range");
		if (i > 0) {
			check(map[i - 1].addr + map[i - 1].size <= map[i].addr, "e820_sanitize: unsorted or overlapping");
			check(map[i - 1].addr + map[i - 1].size < map[i].addr || map[i - 1].type != map[i].type,
			      "e820_sanitize: neighbours of one type not merged");
		}
	}

	why = bzimage_check(hdr, file_size, &plan);
	if (!why) {
		uint32_t sects = hdr->setup_sects ? hdr->setup_sects : 4;

		check(plan.setup_size == (sects + 1) * 512 && plan.setup_size <= REAL_MODE_LIMIT,
		      "bzimage_check: setup size");
		check(plan.setup_size < file_size && plan.kernel_size == file_size - plan.setup_size,
		      "bzimage_check: the kernel is not the rest of the file");
		check(plan.kernel_addr == KERNEL_LOAD_ADDR &&
		      plan.reserved_end >= (uint64_t)plan.kernel_addr + plan.kernel_size,
		      "bzimage_check: the reserved range does not cover the kernel");
		check(plan.cmdline_max < CMDLINE_AREA, "bzimage_check: command line larger than its area");

		uint64_t room;
		uint32_t at = bzimage_place_initrd(hdr, &plan, map, count, initrd_size, &room);
		uint64_t limit = (hdr->version >= 0x0203 ? hdr->initrd_addr_max : 0x37ffffffu) + 1ull;

		if (at) {
			int inside = 0;

			check(at % PAGE_SIZE == 0, "place_initrd: not page-aligned");
			check(at >= plan.reserved_end, "place_initrd: over the kernel");
			check(at + initrd_size <= FOUR_GIB && at + initrd_size <= limit,
			      "place_initrd: above 4 GiB or initrd_addr_max");
			for (int i = 0; i < count; i++)
				inside |= map[i].type == E820_USABLE && at >= map[i].addr &&
					  at + initrd_size <= map[i].addr + map[i].size;
			check(inside, "place_initrd: outside usable RAM");
			check(room >= initrd_size, "place_initrd: room smaller than what was placed");
		}
		bzimage_fill_header(hdr, cmdline, REAL_MODE_BASE + CMDLINE_OFFSET, at, (uint32_t)initrd_size);
		check(hdr->type_of_loader == 0xff && (hdr->loadflags & CAN_USE_HEAP), "fill_header");
	}
	const char *v;
	(void)cmdline_has(cmdline, "quiet", NULL);
	(void)cmdline_has(cmdline, "vga", &v);
	free(cmdline);
	return 0;
}
