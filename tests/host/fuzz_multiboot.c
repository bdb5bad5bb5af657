/*
 * fuzz_multiboot.c - a libFuzzer target for the Multiboot planner
 * (stage2/proto/multiboot.c: header checks, load plans, placement, the
 * information builder), built unchanged with clang, ASan and UBSan by
 * mk/fuzz-parsers.mk.
 *
 * The input: byte 0 picks the version (even: 1, odd: 2) and the number of
 * modules (bits 1-3); bytes 1-8 the file's size beyond the input (little-
 * endian, bounded); the rest is the kernel file's head, as multiboot_boot.c
 * reads it.
 *
 * A run fails (abort) when a promise of multiboot.h is broken: an accepted
 * kernel whose segments are not inside the file, below 1 MiB, overlapping,
 * or whose entry is outside them; ELF sections to load outside the file,
 * outside their area or overlapping each other; placement that overlaps
 * the kernel, is off a page, or leaves usable RAM; an information structure whose size
 * when counted differs from when built, that writes past its buffer, or
 * (MB2) whose tags do not walk to an end tag at total_size.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/multiboot.h"

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_multiboot: %s\n", what);
		abort();
	}
}

static const struct e820_entry map[] = {
	{ 0, 0x9fc00, E820_USABLE }, { 0x9fc00, 0x400, E820_RESERVED },
	{ 0xf0000, 0x10000, E820_RESERVED }, { 0x100000, 0x7ee0000, E820_USABLE },
	{ 0x7fe0000, 0x20000, E820_RESERVED },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mb_kernel k;
	struct mb_layout l;
	uint64_t extra = 0;

	if (size < 9)
		return 0;
	for (int i = 8; i >= 1; i--)
		extra = extra << 8 | data[i];
	extra &= 0xFFFFFFFFFull;                     /* up to 64 GiB beyond */
	int version = (data[0] & 1) + 1, nmods = ((data[0] >> 1) & 7) % (MB_MAX_MODULES + 1);
	const uint8_t *head = data + 9;
	uint32_t len = (uint32_t)(size - 9);
	uint64_t file_size = len + extra;

	if (mb_check(head, len, file_size, version, &k))
		return 0;
	check(k.version == version, "version");
	check(k.nseg > 0 && k.nseg <= MB_MAX_SEGMENTS, "segment count");
	check(k.load_start >= MB_LOW_LIMIT && k.load_start < k.load_end, "load range");
	bool entry_in = false;
	for (int i = 0; i < k.nseg; i++) {
		const struct mb_segment *s = &k.seg[i];
		check(s->filesz <= s->memsz, "filesz > memsz");
		check(s->offset <= file_size && s->filesz <= file_size - s->offset, "segment outside the file");
		check(s->addr >= k.load_start && (uint64_t)s->addr + s->memsz <= k.load_end, "segment outside the range");
		if (k.entry >= s->addr && k.entry - s->addr < s->memsz)
			entry_in = true;
	}
	check(entry_in || (version == 2), "entry outside the segments");   /* MB2's entry tag may point anywhere */

	/* The section header table, when the input holds it (the loader
	 * reads it from the file; here the head is the file). */
	uint8_t *table = NULL;
	if (k.sh.num) {
		check(k.sh.size == k.sh.num * k.sh.entsize && k.sh.num <= MB_MAX_SECTIONS &&
		      k.sh.entsize <= MB_MAX_SHENTSIZE && k.sh.shndx < k.sh.num, "section table bounds");
		check((uint64_t)k.sh.offset + k.sh.size <= file_size, "section table outside the file");
		if ((uint64_t)k.sh.offset + k.sh.size <= len) {
			table = malloc(k.sh.size);
			memcpy(table, head + k.sh.offset, k.sh.size);
			if (mb_sections(&k, table, file_size)) {
				free(table);
				return 0;
			}
			check(k.sh.area <= UINT32_MAX - MB_PAGE, "sections area size");
		}
	}

	uint32_t sizes[MB_MAX_MODULES];
	for (int i = 0; i < nmods; i++)
		sizes[i] = (uint32_t)(data[(i + 1) % size] + 1) * 1000;
	struct mb_module_in mods[MB_MAX_MODULES];
	for (int i = 0; i < nmods; i++)           /* counted first, placed after */
		mods[i] = (struct mb_module_in){ 0, 0, "mod" };
	uint8_t rsdp[36] = "RSD PTR ";
	struct mb_boot_info in = {
		.cmdline = "a b c", .loader_name = "smartboot", .mods = mods, .nmods = nmods,
		.map = map, .count = 5, .mem_lower = 639, .mem_upper = 0x7ee0000 / 1024,
		.drive = 0x80, .partition = 0, .rsdp_old = rsdp, .rsdp_new = rsdp, .rsdp_new_len = 36,
		.shdr = table, .load_base = k.load_start,
	};
	uint32_t need = mb_build_info(&k, &in, NULL, 0, 0);
	check(need > 0, "the information has no size");
	if (mb_place(&k, map, 5, sizes, nmods, need, &l)) {
		free(table);
		return 0;
	}
	uint64_t prev_end = k.load_end;
	if (table) {
		check(l.sections_addr % MB_PAGE == 0 && l.sections_addr >= k.load_end, "sections area misplaced");
		mb_section_addrs(&k, table, l.sections_addr);
		uint64_t next = l.sections_addr;
		for (uint32_t i = 0; i < k.sh.num + 2; i++) {
			struct mb_segment s;
			if (!mb_section(&k, table, i, &s))
				continue;
			check(i < k.sh.num, "a section past the table");
			check(s.filesz == 0 || s.filesz == s.memsz, "section sizes");
			check(s.filesz == 0 || (uint64_t)s.offset + s.filesz <= file_size, "section outside the file");
			check(s.addr >= next && (uint64_t)s.addr + s.memsz <= (uint64_t)l.sections_addr + k.sh.area,
			      "section outside its area, or over the one before");
			next = (uint64_t)s.addr + s.memsz;
		}
		if (k.sh.area)
			prev_end = (uint64_t)l.sections_addr + k.sh.area;
	}
	for (int i = 0; i < nmods; i++) {
		check(l.mod_addr[i] % MB_PAGE == 0, "module off a page");
		check(l.mod_addr[i] >= prev_end, "module overlaps what is before it");
		check((uint64_t)l.mod_addr[i] + sizes[i] <= map[3].addr + map[3].size, "module outside RAM");
		mods[i] = (struct mb_module_in){ l.mod_addr[i], (uint32_t)(l.mod_addr[i] + sizes[i]), "mod" };
		prev_end = l.mod_addr[i] + sizes[i];
	}
	check(l.info_addr % MB_PAGE == 0 && l.info_addr >= prev_end, "information misplaced");
	check(l.end == l.info_addr + need && l.end <= map[3].addr + map[3].size, "information outside RAM");

	uint8_t *buf = malloc(need);
	check(mb_build_info(&k, &in, buf, need, l.info_addr) == need, "built size differs from counted");
	if (version == 2) {
		uint32_t total;
		memcpy(&total, buf, 4);
		check(total == need && total % 8 == 0, "total_size");
		uint32_t off = 8, type = 1, tsize = 0;
		for (int n = 0; n < 1000 && off + 8 <= total; n++) {
			memcpy(&type, buf + off, 4);
			memcpy(&tsize, buf + off + 4, 4);
			if (type == MB2_TAG_END)
				break;
			check(tsize >= 8 && off + tsize <= total, "a tag passes total_size");
			off = (off + tsize + 7) & ~7u;
		}
		check(type == MB2_TAG_END && tsize == 8 && off + 8 == total, "no end tag at total_size");
	}
	free(buf);
	free(table);
	return 0;
}
