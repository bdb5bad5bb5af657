/*
 * multiboot_test.c - host tests of the Multiboot planner (multiboot.c):
 * header checks and refusals, ELF32/ELF64/a.out-kludge plans, placement in
 * the memory map, and the information built for both versions, read back
 * field by field.  Built with the sanitizers by make host-tests (mk/host.mk)
 * for tests/t-18-multiboot-host.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto/multiboot.h"
#include "check.h"
/* A refusal whose message contains want. */
#define REFUSED(name, err, want) CHECK(name, (err) && strstr((err), (want)))

static uint8_t img[65536];

static void w16(uint32_t off, uint32_t v) { img[off] = (uint8_t)v; img[off + 1] = (uint8_t)(v >> 8); }
static void w32(uint32_t off, uint32_t v) { w16(off, v & 0xFFFF); w16(off + 2, v >> 16); }
static void w64(uint32_t off, uint64_t v) { w32(off, (uint32_t)v); w32(off + 4, (uint32_t)(v >> 32)); }
static uint32_t r32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* An ELF32 executable: one PT_LOAD of 0x2000 bytes from offset 0x1000 to
 * vaddr 0xC0100000, paddr 0x100000, memsz 0x5000; entry 0xC0100040; a
 * section header table of 3 entries at 0x3000 (names in section 2). */
static void elf32(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF\1\1\1", 7);
	w16(16, 2); w16(18, 3); w32(20, 1);
	w32(24, 0xC0100040); w32(28, 52); w32(32, 0x3000);
	w16(40, 52); w16(42, 32); w16(44, 1); w16(46, 40); w16(48, 3); w16(50, 2);
	w32(52, 1); w32(56, 0x1000); w32(60, 0xC0100000); w32(64, 0x100000);
	w32(68, 0x2000); w32(72, 0x5000); w32(76, 7);
	/* section 1 .text (alloc), section 2 .shstrtab (not loaded) at 0x3100 */
	w32(0x3000 + 40 + 0, 1); w32(0x3000 + 40 + 4, 1); w32(0x3000 + 40 + 8, 6);
	w32(0x3000 + 40 + 12, 0xC0100000); w32(0x3000 + 40 + 20, 0x2000);
	w32(0x3000 + 80 + 0, 7); w32(0x3000 + 80 + 4, 3); w32(0x3000 + 80 + 16, 0x3100);
	w32(0x3000 + 80 + 20, 17);
	memcpy(img + 0x3100, "\0.text\0.shstrtab", 17);
}

static void mb1_header(uint32_t off, uint32_t flags)
{
	w32(off, MB1_HEADER_MAGIC); w32(off + 4, flags); w32(off + 8, -(MB1_HEADER_MAGIC + flags));
}

/* An MB2 header at off with the given tags (already laid out, 8-aligned,
 * the end tag included), checksum fixed. */
static void mb2_header(uint32_t off, const uint8_t *tags, uint32_t tags_len)
{
	uint32_t len = 16 + tags_len;

	w32(off, MB2_HEADER_MAGIC); w32(off + 4, 0); w32(off + 8, len);
	w32(off + 12, -(MB2_HEADER_MAGIC + len));
	memcpy(img + off + 16, tags, tags_len);
}

static const struct e820_entry qemu_map[] = {
	{ 0, 0x9fc00, E820_USABLE }, { 0x9fc00, 0x400, E820_RESERVED },
	{ 0xf0000, 0x10000, E820_RESERVED }, { 0x100000, 0xfee0000, E820_USABLE },
	{ 0xffe0000, 0x20000, E820_RESERVED },
};

static void test_mb1_elf(void)
{
	struct mb_kernel k;
	const char *err;

	elf32();
	mb1_header(0x1000, MB1_PAGE_ALIGN | MB1_MEMORY_INFO);
	err = mb_check(img, sizeof(img), 0x4000, 1, &k);
	CHECK("mb1: an ELF32 kernel with a good header is accepted", err == NULL);
	CHECK("mb1: the header is found at 0x1000", k.header_offset == 0x1000 && k.version == 1);
	CHECK("mb1: one segment at its physical address", k.nseg == 1 && k.seg[0].addr == 0x100000 &&
	      k.seg[0].offset == 0x1000 && k.seg[0].filesz == 0x2000 && k.seg[0].memsz == 0x5000);
	CHECK("mb1: the entry is translated from virtual to physical", k.entry == 0x100040);
	CHECK("mb1: the load range includes the bss", k.load_start == 0x100000 && k.load_end == 0x105000);

	w32(0x1008, r32(img + 0x1008) + 1);
	REFUSED("mb1: a bad checksum is refused", mb_check(img, sizeof(img), 0x4000, 1, &k), "bad checksum");
	elf32();
	mb1_header(0x2004 + 8192, 0);
	REFUSED("mb1: a header past 8 KiB is not found", mb_check(img, sizeof(img), 0x8000, 1, &k),
		"no header (magic 0x1badb002)");
	elf32();
	mb1_header(0x1002, 0);
	REFUSED("mb1: an unaligned header is not found", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"no header (magic 0x1badb002)");
	elf32();
	mb1_header(0x1000, 1u << 3);
	REFUSED("mb1: an unknown required flag is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"does not know");
	elf32();
	mb1_header(0x1000, 1u << 20);
	CHECK("mb1: an unknown optional flag (bit 20) is accepted", !mb_check(img, sizeof(img), 0x4000, 1, &k));
	elf32();
	mb1_header(0x1000, MB1_VIDEO_MODE);
	w32(0x1020, MB1_MODE_LINEAR); w32(0x1024, 1024); w32(0x1028, 768); w32(0x102c, 32);
	REFUSED("mb1: a video mode request is refused", mb_check(img, sizeof(img), 0x4000, 1, &k), "video mode");
	REFUSED("mb1: ... and says which mode", mb_check(img, sizeof(img), 0x4000, 1, &k), "mode_type 0, 1024x768x32");
	w32(0x1020, MB1_MODE_EGA_TEXT); w32(0x1024, 80); w32(0x1028, 25); w32(0x102c, 0);
	CHECK("mb1: an 80x25 EGA text request is honoured", !mb_check(img, sizeof(img), 0x4000, 1, &k) && k.ega_text);
	w32(0x1024, 0); w32(0x1028, 0);
	CHECK("mb1: an EGA text request without preference (0x0x0) is honoured",
	      !mb_check(img, sizeof(img), 0x4000, 1, &k) && k.ega_text);
	w32(0x1028, 50);
	REFUSED("mb1: an 80x50 text mode is refused (only the BIOS's 80x25)", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"mode_type 1, 0x50x0");
	w32(0x1028, 25); w32(0x102c, 8);
	REFUSED("mb1: EGA text with a depth (a graphics mode) is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"video mode");
	w32(0x102c, 0);
	REFUSED("mb1: video fields cut off by the head's end are refused", mb_check(img, 0x102c, 0x4000, 1, &k),
		"cut off");
	elf32();
	mb1_header(0x1000, 0);
	w32(64, 0x80000);
	REFUSED("mb1: a kernel below 1 MiB is refused", mb_check(img, sizeof(img), 0x4000, 1, &k), "below 1 MiB");
	elf32();
	mb1_header(0x1000, 0);
	w32(68, 0x20000); w32(72, 0x20000);
	REFUSED("mb1: a segment past the end of the file is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"past the file");
	elf32();
	mb1_header(0x1000, 0);
	w32(24, 0x500000);
	REFUSED("mb1: an entry outside the segments is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"entry 0x500000 in no segment");
	elf32();
	mb1_header(0x1000, 0);
	img[0] = 0;
	REFUSED("mb1: not ELF and no address fields is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"not ELF");
	elf32();
	mb1_header(0x1000, 0);
	CHECK("mb1: a short head (the header's 32 bytes at its edge) is fine",
	      !mb_check(img, 0x1020, 0x4000, 1, &k));
	REFUSED("mb1: a head that cuts the header is refused", mb_check(img, 0x101c, 0x4000, 1, &k), "cut off");
}

static void test_mb1_aout(void)
{
	struct mb_kernel k;

	/* A flat binary: the header at file offset 0x40 says it is at 0x200040,
	 * the image starts at 0x200000; 0x3000 bytes in the file, bss to 0x208000. */
	memset(img, 0, sizeof(img));
	mb1_header(0x40, MB1_ADDRESSES | MB1_PAGE_ALIGN);
	w32(0x4c, 0x200040); w32(0x50, 0x200000); w32(0x54, 0x203000); w32(0x58, 0x208000); w32(0x5c, 0x200080);
	CHECK("aout: the address fields are used", !mb_check(img, sizeof(img), 0x3000, 1, &k) &&
	      k.nseg == 1 && k.seg[0].offset == 0 && k.seg[0].addr == 0x200000 && k.seg[0].filesz == 0x3000 &&
	      k.seg[0].memsz == 0x8000 && k.entry == 0x200080);
	w32(0x54, 0);
	CHECK("aout: load_end_addr 0 loads to the end of the file",
	      !mb_check(img, sizeof(img), 0x2800, 1, &k) && k.seg[0].filesz == 0x2800);
	w32(0x54, 0x203000);
	w32(0x58, 0);
	CHECK("aout: bss_end_addr 0 means no bss", !mb_check(img, sizeof(img), 0x3000, 1, &k) && k.seg[0].memsz == 0x3000);
	w32(0x54, 0x210000);
	REFUSED("aout: load_end_addr past the file is refused", mb_check(img, sizeof(img), 0x3000, 1, &k),
		"do not fit the file");
	w32(0x54, 0x203000); w32(0x58, 0x201000);
	REFUSED("aout: bss_end_addr below load_end_addr is refused", mb_check(img, sizeof(img), 0x3000, 1, &k),
		"do not fit the file");
	w32(0x58, 0x208000); w32(0x50, 0x200080);
	REFUSED("aout: load_addr above header_addr is refused", mb_check(img, sizeof(img), 0x3000, 1, &k),
		"do not fit the file");
	w32(0x50, 0x100000);
	REFUSED("aout: header_addr - load_addr beyond the header's offset is refused",
		mb_check(img, sizeof(img), 0x3000, 1, &k), "do not fit the file");
	w32(0x50, 0x200000); w32(0x5c, 0x300000);
	REFUSED("aout: entry_addr outside the image is refused", mb_check(img, sizeof(img), 0x3000, 1, &k),
		"do not fit the file");
}

/* Tags: an info request (tags given), optional or not, then the end tag. */
static uint32_t request(uint8_t *t, uint16_t flags, const uint32_t *types, uint32_t n)
{
	uint32_t size = 8 + 4 * n;

	memcpy(t, (uint16_t[]){ MB2_HTAG_INFO_REQUEST, flags }, 4);
	memcpy(t + 4, &size, 4);
	memcpy(t + 8, types, 4 * n);
	return (size + 7) & ~7u;
}

static uint32_t simple_tag(uint8_t *t, uint16_t type, uint16_t flags, uint32_t size)
{
	memset(t, 0, size);
	memcpy(t, (uint16_t[]){ type, flags }, 4);
	memcpy(t + 4, &size, 4);
	return (size + 7) & ~7u;
}

static void test_mb2(void)
{
	struct mb_kernel k;
	uint8_t tags[256];
	uint32_t n;

	elf32();
	n = request(tags, 0, (const uint32_t[]){ 1, 3, 4, 6 }, 4);
	n += request(tags + n, MB2_HTAG_OPTIONAL, (const uint32_t[]){ 9, 14, 15, 30 }, 4);
	n += simple_tag(tags + n, MB2_HTAG_MODULE_ALIGN, 0, 8);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	CHECK("mb2: an ELF32 kernel with requests is accepted", !mb_check(img, sizeof(img), 0x4000, 2, &k));
	CHECK("mb2: version 2, header at 0x1008", k.version == 2 && k.header_offset == 0x1008);
	CHECK("mb2: required requests are recorded", k.need == ((1u << 1) | (1u << 3) | (1u << 4) | (1u << 6)));
	CHECK("mb2: an optional unknown request is ignored", !(k.need & (1u << 30)));

	elf32();
	n = request(tags, 0, (const uint32_t[]){ 1, 12 }, 2);     /* 12: EFI64 system table */
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	REFUSED("mb2: a required tag we cannot give is refused", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"information tag 12");
	elf32();
	n = simple_tag(tags, MB2_HTAG_FRAMEBUFFER, 0, 20);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	CHECK("mb2: a required framebuffer without preference (0x0x0) is EGA text",
	      !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.ega_text);
	w32(0x1008 + 16 + 8, 80); w32(0x1008 + 16 + 12, 25); mb2_header(0x1008, img + 0x1008 + 16, n);
	CHECK("mb2: a required 80x25 text framebuffer (depth 0) is EGA text",
	      !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.ega_text);
	w32(0x1008 + 16 + 8, 1024); w32(0x1008 + 16 + 12, 768); w32(0x1008 + 16 + 16, 32);
	mb2_header(0x1008, img + 0x1008 + 16, n);
	REFUSED("mb2: a required 1024x768x32 framebuffer is refused by name", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"requires a 1024x768x32 framebuffer (header tag 5)");
	memcpy(img + 0x1008 + 16 + 2, (uint16_t[]){ MB2_HTAG_OPTIONAL }, 2);
	mb2_header(0x1008, img + 0x1008 + 16, n);
	CHECK("mb2: an optional 1024x768x32 framebuffer is accepted (EGA text)",
	      !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.ega_text);
	elf32();
	n = simple_tag(tags, MB2_HTAG_FRAMEBUFFER, MB2_HTAG_OPTIONAL, 20);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	CHECK("mb2: an optional framebuffer is accepted (EGA text)", !mb_check(img, sizeof(img), 0x4000, 2, &k) &&
	      k.ega_text);
	elf32();
	n = simple_tag(tags, MB2_HTAG_CONSOLE, 0, 12);
	memcpy(tags + 8, (const uint32_t[]){ MB2_CONSOLE_REQUIRED }, 4);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	REFUSED("mb2: a required console without EGA text support is refused", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"requires a console other than EGA text");
	memcpy(img + 0x1008 + 16 + 8, (const uint32_t[]){ MB2_CONSOLE_REQUIRED | MB2_CONSOLE_EGA_TEXT }, 4);
	mb2_header(0x1008, img + 0x1008 + 16, n);
	CHECK("mb2: a required console with EGA text support is accepted", !mb_check(img, sizeof(img), 0x4000, 2, &k));
	memcpy(img + 0x1008 + 16 + 2, (uint16_t[]){ MB2_HTAG_OPTIONAL }, 2);
	memcpy(img + 0x1008 + 16 + 8, (const uint32_t[]){ MB2_CONSOLE_REQUIRED }, 4);
	mb2_header(0x1008, img + 0x1008 + 16, n);
	CHECK("mb2: the same console tag marked optional is accepted", !mb_check(img, sizeof(img), 0x4000, 2, &k));
	elf32();
	n = simple_tag(tags, 42, 0, 8);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	REFUSED("mb2: an unknown required header tag is refused", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"header tag 42");
	elf32();
	n = simple_tag(tags, 42, MB2_HTAG_OPTIONAL, 8);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	CHECK("mb2: an unknown optional header tag is ignored", !mb_check(img, sizeof(img), 0x4000, 2, &k));
	w32(0x100c, 4);
	REFUSED("mb2: architecture 4 (MIPS) is refused", mb_check(img, sizeof(img), 0x4000, 2, &k), "bad checksum");
	elf32();
	n = simple_tag(tags, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	w32(0x100c, 4); w32(0x1014, -(MB2_HEADER_MAGIC + 4 + 24));
	REFUSED("mb2: architecture 4 with a good checksum is refused", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"architecture is not i386");
	elf32();
	n = simple_tag(tags, MB2_HTAG_MODULE_ALIGN, 0, 8);
	mb2_header(0x1008, tags, n);
	REFUSED("mb2: a header without an end tag is refused", mb_check(img, sizeof(img), 0x4000, 2, &k), "no end tag");
	elf32();
	n = simple_tag(tags, MB2_HTAG_END, 0, 8);
	mb2_header(0x1004, tags, n);
	REFUSED("mb2: a header on a 4-byte boundary is not found", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"no header (magic 0xe85250d6)");

	/* ELF64: the same layout as an ELF64 file. */
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF\2\1\1", 7);
	w16(16, 2); w16(18, 62); w64(24, 0x100040); w64(32, 64); w64(40, 0);
	w16(52, 64); w16(54, 56); w16(56, 1); w16(58, 64); w16(60, 0);
	w32(64, 1); w64(64 + 8, 0x1000); w64(64 + 16, 0x100000); w64(64 + 24, 0x100000);
	w64(64 + 32, 0x1000); w64(64 + 40, 0x3000);
	n = simple_tag(tags, MB2_HTAG_END, 0, 8);
	mb2_header(0x1000, tags, n);
	CHECK("mb2: an ELF64 kernel loads by its program headers", !mb_check(img, sizeof(img), 0x2000, 2, &k) &&
	      k.nseg == 1 && k.seg[0].addr == 0x100000 && k.seg[0].memsz == 0x3000 && k.entry == 0x100040);
	w64(64 + 24, 0x100000000ull);
	REFUSED("mb2: an ELF64 segment above 4 GiB is refused", mb_check(img, sizeof(img), 0x2000, 2, &k), "4 GiB");
}

/* Section header i of the ELF32 image (table at 0x3000, 40 bytes each). */
static void sect32(uint32_t i, uint32_t type, uint32_t addr, uint32_t off, uint32_t size, uint32_t align)
{
	uint32_t at = 0x3000 + 40 * i;

	memset(img + at, 0, 40);
	w32(at + 4, type); w32(at + 12, addr); w32(at + 16, off); w32(at + 20, size); w32(at + 32, align);
}

static void test_sections(void)
{
	struct mb_kernel k;
	struct mb_segment seg;
	static uint8_t table[MB_MAX_SECTIONS * MB_MAX_SHENTSIZE];

	elf32();
	mb1_header(0x1000, 0);
	CHECK("sections: the table is found in the ELF header", !mb_check(img, sizeof(img), 0x4000, 1, &k) &&
	      k.sh.num == 3 && k.sh.entsize == 40 && k.sh.shndx == 2 && k.sh.offset == 0x3000 && k.sh.size == 120);
	CHECK("sections: only the one without an address is loaded (.shstrtab, 17 bytes)",
	      !mb_sections(&k, img + 0x3000, 0x4000) && k.sh.area == 17 && k.sh.ours[0] == 4);
	memcpy(table, img + 0x3000, k.sh.size);
	mb_section_addrs(&k, table, 0x105000);
	CHECK("sections: its sh_addr is where it goes, the others are untouched",
	      r32(table + 80 + 12) == 0x105000 && r32(table + 40 + 12) == 0xC0100000 && r32(table + 12) == 0);
	CHECK("sections: section 2 comes from its offset", mb_section(&k, table, 2, &seg) && seg.offset == 0x3100 &&
	      seg.addr == 0x105000 && seg.filesz == 17 && seg.memsz == 17);
	CHECK("sections: sections 0, 1 and 3 (past the table) are not loaded", !mb_section(&k, table, 0, &seg) &&
	      !mb_section(&k, table, 1, &seg) && !mb_section(&k, table, 3, &seg));

	/* Five sections: alignment, a NOBITS one (zeroed, not read). */
	w16(48, 6);
	sect32(3, 2, 0, 0x3200, 0x30, 4);            /* .symtab */
	sect32(4, 3, 0, 0x3300, 5, 1);               /* .strtab */
	sect32(5, 8, 0, 0, 0x10, 16);                /* a NOBITS, not at an address */
	CHECK("sections: six headers", !mb_check(img, sizeof(img), 0x4000, 1, &k) && k.sh.num == 6);
	CHECK("sections: each on its alignment: 17, pad to 20, 0x30, 5, pad to 0x50, 0x10",
	      !mb_sections(&k, img + 0x3000, 0x4000) && k.sh.area == 0x60 && k.sh.ours[0] == 0x3c);
	memcpy(table, img + 0x3000, k.sh.size);
	mb_section_addrs(&k, table, 0x200000);
	CHECK("sections: addresses 0x200000, 0x200014, 0x200044, 0x200050",
	      r32(table + 80 + 12) == 0x200000 && r32(table + 120 + 12) == 0x200014 &&
	      r32(table + 160 + 12) == 0x200044 && r32(table + 200 + 12) == 0x200050);
	CHECK("sections: a NOBITS section is zeroed, not read", mb_section(&k, table, 5, &seg) && seg.filesz == 0 &&
	      seg.memsz == 0x10);

	/* Crafted tables. */
	elf32(); mb1_header(0x1000, 0);
	w16(48, 300);
	REFUSED("sections: 300 headers are refused", mb_check(img, sizeof(img), 0x40000, 1, &k), "section header table");
	elf32(); mb1_header(0x1000, 0);
	w16(46, 20);
	REFUSED("sections: 20-byte headers are refused", mb_check(img, sizeof(img), 0x4000, 1, &k), "section header table");
	elf32(); mb1_header(0x1000, 0);
	w16(46, 0xFFFF);
	REFUSED("sections: 65535-byte headers are refused", mb_check(img, sizeof(img), 0x4000, 1, &k), "section header table");
	elf32(); mb1_header(0x1000, 0);
	w32(32, 0x3FF0);
	REFUSED("sections: a table past the end of the file is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"section header table");
	w32(32, 0xFFFFFFF0);
	REFUSED("sections: a table at 4 GiB - 16 (wrapping) is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"section header table");
	elf32(); mb1_header(0x1000, 0);
	w16(50, 3);
	REFUSED("sections: shstrndx past the table is refused", mb_check(img, sizeof(img), 0x4000, 1, &k),
		"names in 3");
	elf32(); mb1_header(0x1000, 0);
	w16(48, 0);
	CHECK("sections: e_shnum 0 is no table, and no area", !mb_check(img, sizeof(img), 0x4000, 1, &k) && k.sh.num == 0 &&
	      k.sh.area == 0);
	elf32(); mb1_header(0x1000, 0);
	mb_check(img, sizeof(img), 0x4000, 1, &k);
	sect32(2, 3, 0, 0x3FF8, 17, 1);
	REFUSED("sections: a section past the end of the file is refused", mb_sections(&k, img + 0x3000, 0x4000),
		"section 2: past the file");
	sect32(2, 3, 0, 0xFFFFFFF0, 0x20, 1);
	REFUSED("sections: a section whose end wraps is refused", mb_sections(&k, img + 0x3000, 0x4000), "section 2");
	sect32(2, 3, 0, 0x3100, 17, 8192);
	REFUSED("sections: an alignment over a page is refused", mb_sections(&k, img + 0x3000, 0x4000), "over a page");
	sect32(2, 3, 0, 0x3100, 17, 12);
	REFUSED("sections: an alignment not a power of 2 is refused", mb_sections(&k, img + 0x3000, 0x4000), "section 2");
	sect32(1, 8, 0, 0, 0xFFFF0000, 1);
	sect32(2, 8, 0, 0, 0xFFFF0000, 1);
	REFUSED("sections: two NOBITS of 4 GiB - 64 KiB pass 4 GiB", mb_sections(&k, img + 0x3000, 0x4000),
		"pass 4 GiB");
	struct mb_layout l;
	sect32(1, 8, 0, 0, 0x10000000, 1);
	sect32(2, 3, 0, 0x3100, 17, 1);
	CHECK("sections: a 256 MiB area is planned", !mb_sections(&k, img + 0x3000, 0x4000) && k.sh.area == 0x10000011);
	REFUSED("sections: ... and does not fit the map", mb_place(&k, qemu_map, 5, NULL, 0, 600, &l), "at 0x105000");

	/* ELF64: 64-byte headers, 64-bit fields. */
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF\2\1\1", 7);
	w16(16, 2); w16(18, 62); w64(24, 0x100040); w64(32, 64); w64(40, 0x3000);
	w16(52, 64); w16(54, 56); w16(56, 1); w16(58, 64); w16(60, 3); w16(62, 2);
	w32(64, 1); w64(64 + 8, 0x1000); w64(64 + 16, 0xFFFFFFFF80100000ull); w64(64 + 24, 0x100000);
	w64(64 + 32, 0x1000); w64(64 + 40, 0x3000);
	w32(0x3000 + 64 + 4, 1); w64(0x3000 + 64 + 16, 0xFFFFFFFF80100000ull); w64(0x3000 + 64 + 32, 0x1000);
	w32(0x3000 + 128 + 4, 3); w64(0x3000 + 128 + 24, 0x3100); w64(0x3000 + 128 + 32, 17); w64(0x3000 + 128 + 48, 1);
	w64(24, 0xFFFFFFFF80100040ull);
	uint8_t t2[64];
	uint32_t n = simple_tag(t2, MB2_HTAG_END, 0, 8);
	mb2_header(0x1000, t2, n);
	CHECK("sections: ELF64's table", !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.is64 && k.sh.num == 3 &&
	      k.sh.entsize == 64 && k.sh.size == 192);
	CHECK("sections: ELF64: a higher-half section is left alone, .shstrtab loaded",
	      !mb_sections(&k, img + 0x3000, 0x4000) && k.sh.area == 17 && k.sh.ours[0] == 4);
	memcpy(table, img + 0x3000, k.sh.size);
	mb_section_addrs(&k, table, 0x104000);
	CHECK("sections: ELF64: its 64-bit sh_addr is set", r32(table + 128 + 16) == 0x104000 &&
	      r32(table + 128 + 20) == 0 && r32(table + 64 + 20) == 0xFFFFFFFF);
	w32(0x3000 + 128 + 36, 1);
	REFUSED("sections: ELF64: a size over 4 GiB is refused", mb_sections(&k, img + 0x3000, 0x4000), "section 2");
	w32(0x3000 + 128 + 36, 0); w32(0x3000 + 128 + 28, 1);
	REFUSED("sections: ELF64: an offset over 4 GiB is refused", mb_sections(&k, img + 0x3000, 0x4000), "section 2");
	w32(0x3000 + 128 + 28, 0); w32(44, 1);
	REFUSED("sections: ELF64: e_shoff over 4 GiB is refused", mb_check(img, sizeof(img), 0x4000, 2, &k),
		"section header table");
}

/* MB2's address tag (3.1.5): a flat binary, as MB1's a.out kludge. */
static void test_mb2_address(void)
{
	struct mb_kernel k;
	uint8_t tags[128];
	uint32_t n;

	memset(img, 0, sizeof(img));
	n = simple_tag(tags, MB2_HTAG_ADDRESS, 0, 24);
	memcpy(tags + 8, (const uint32_t[]){ 0x200040, 0x200000, 0x203000, 0x208000 }, 16);
	n += simple_tag(tags + n, MB2_HTAG_ENTRY, 0, 12);
	memcpy(tags + 24 + 8, (const uint32_t[]){ 0x200080 }, 4);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x40, tags, n);
	CHECK("mb2 address: a flat binary loads by the address tag", !mb_check(img, sizeof(img), 0x3000, 2, &k) &&
	      k.nseg == 1 && k.seg[0].offset == 0 && k.seg[0].addr == 0x200000 && k.seg[0].filesz == 0x3000 &&
	      k.seg[0].memsz == 0x8000 && k.entry == 0x200080 && k.sh.num == 0 && k.load_start == 0x200000);
	memcpy(img + 0x40 + 16 + 12, (const uint32_t[]){ 0xFFFFFFFF }, 4);
	mb2_header(0x40, img + 0x40 + 16, n);
	CHECK("mb2 address: load_addr -1 loads from the file's first byte",
	      !mb_check(img, sizeof(img), 0x3000, 2, &k) && k.seg[0].offset == 0 && k.seg[0].addr == 0x200000);
	memcpy(img + 0x40 + 16 + 12, (const uint32_t[]){ 0x200000, 0 }, 8);
	mb2_header(0x40, img + 0x40 + 16, n);
	CHECK("mb2 address: load_end_addr 0 loads to the end of the file",
	      !mb_check(img, sizeof(img), 0x2800, 2, &k) && k.seg[0].filesz == 0x2800);
	memcpy(img + 0x40 + 16 + 16, (const uint32_t[]){ 0x210000 }, 4);
	mb2_header(0x40, img + 0x40 + 16, n);
	REFUSED("mb2 address: load_end_addr past the file is refused", mb_check(img, sizeof(img), 0x3000, 2, &k),
		"do not fit the file");
	memcpy(img + 0x40 + 16 + 16, (const uint32_t[]){ 0x203000, 0x201000 }, 8);
	mb2_header(0x40, img + 0x40 + 16, n);
	REFUSED("mb2 address: bss_end_addr below load_end_addr is refused", mb_check(img, sizeof(img), 0x3000, 2, &k),
		"do not fit the file");
	memcpy(img + 0x40 + 16 + 12, (const uint32_t[]){ 0x100000, 0x203000, 0x208000 }, 12);
	mb2_header(0x40, img + 0x40 + 16, n);
	REFUSED("mb2 address: header_addr - load_addr beyond the header's offset is refused",
		mb_check(img, sizeof(img), 0x3000, 2, &k), "do not fit the file");
	memcpy(img + 0x40 + 16 + 12, (const uint32_t[]){ 0x200000 }, 4);
	memcpy(img + 0x40 + 16 + 24 + 8, (const uint32_t[]){ 0x300000 }, 4);
	mb2_header(0x40, img + 0x40 + 16, n);
	REFUSED("mb2 address: an entry outside the image is refused", mb_check(img, sizeof(img), 0x3000, 2, &k),
		"entry 0x300000");
	memcpy(img + 0x40 + 16 + 12, (const uint32_t[]){ 0x80000, 0x83000, 0x88000 }, 12);
	memcpy(img + 0x40 + 16 + 8, (const uint32_t[]){ 0x80040 }, 4);
	memcpy(img + 0x40 + 16 + 24 + 8, (const uint32_t[]){ 0x80080 }, 4);
	mb2_header(0x40, img + 0x40 + 16, n);
	REFUSED("mb2 address: an image below 1 MiB is refused", mb_check(img, sizeof(img), 0x3000, 2, &k), "below 1 MiB");
	n = simple_tag(tags, MB2_HTAG_ADDRESS, 0, 24);
	memcpy(tags + 8, (const uint32_t[]){ 0x200040, 0x200000, 0x203000, 0x208000 }, 16);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	memset(img, 0, sizeof(img));
	mb2_header(0x40, tags, n);
	REFUSED("mb2 address: without an entry tag it is refused", mb_check(img, sizeof(img), 0x3000, 2, &k),
		"without an entry address tag");
	n = simple_tag(tags, MB2_HTAG_ADDRESS, 0, 16);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x40, tags, n);
	REFUSED("mb2 address: a short address tag is refused", mb_check(img, sizeof(img), 0x3000, 2, &k),
		"header tag 2");
	/* On an ELF file, the tag wins (GRUB): no sections then. */
	elf32();
	n = simple_tag(tags, MB2_HTAG_ADDRESS, 0, 24);
	memcpy(tags + 8, (const uint32_t[]){ 0x101008, 0x100000, 0x104000, 0x105000 }, 16);
	n += simple_tag(tags + n, MB2_HTAG_ENTRY, 0, 12);
	memcpy(tags + 24 + 8, (const uint32_t[]){ 0x100040 }, 4);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	CHECK("mb2 address: on an ELF file the tag is used, not the program headers",
	      !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.seg[0].offset == 0 && k.seg[0].filesz == 0x4000 &&
	      k.sh.num == 0 && k.entry == 0x100040);
	n = request(tags, 0, (const uint32_t[]){ 9 }, 1);
	memcpy(tags + n, img + 0x1008 + 16, 24 + 16 + 8);
	n += 24 + 16 + 8;
	mb2_header(0x1008, tags, n);
	CHECK("mb2 address: a required tag 9 with no ELF section headers is accepted (an empty tag, as GRUB)",
	      !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.sh.num == 0 && k.need == 1u << 9);
	static uint8_t buf[4096];
	struct mb_boot_info in = { .cmdline = "", .loader_name = "smartboot", .map = qemu_map, .count = 5 };
	uint32_t size = mb_build_info(&k, &in, buf, sizeof(buf), 0x108000), off;
	for (off = 8; off + 8 <= size && r32(buf + off) != MB2_TAG_ELF_SECTIONS; off = (off + r32(buf + off + 4) + 7) & ~7u)
		;
	CHECK("mb2 address: ... tag 9 says num 0, entsize 0, shndx 0", off + 20 <= size && r32(buf + off + 4) == 20 &&
	      r32(buf + off + 8) == 0 && r32(buf + off + 12) == 0 && r32(buf + off + 16) == 0);
	elf32();
	n = request(tags, 0, (const uint32_t[]){ 9, 15 }, 2);
	n += simple_tag(tags + n, MB2_HTAG_END, 0, 8);
	mb2_header(0x1008, tags, n);
	CHECK("mb2: required requests for 9 (ELF sections) and 15 (XSDP) are accepted and recorded",
	      !mb_check(img, sizeof(img), 0x4000, 2, &k) && k.need == ((1u << 9) | (1u << 15)));
}

/* An RSDP of revision rev (20 bytes, checksummed), and from revision 2 an
 * XSDP of length len with its extended checksum (bad: off by one). */
static void make_rsdp(uint8_t *p, uint8_t rev, uint32_t len, bool bad)
{
	uint8_t sum = 0;

	memset(p, 0, MB_XSDP_MAX);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "SMARTB", 6);
	p[15] = rev;
	memcpy(p + 16, (const uint32_t[]){ 0x7fe1000 }, 4);
	for (int i = 0; i < 20; i++)
		sum = (uint8_t)(sum + p[i]);
	p[8] = (uint8_t)-sum;
	if (rev < 2)
		return;
	memcpy(p + 20, &len, 4);
	memcpy(p + 24, (const uint64_t[]){ 0x7fe2000 }, 8);
	sum = 0;
	for (uint32_t i = 0; i < MB_XSDP_MAX && i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[32] = (uint8_t)(-sum + bad);
}

static void test_xsdp(void)
{
	uint8_t p[MB_XSDP_MAX];

	make_rsdp(p, 2, 36, false);
	CHECK("xsdp: revision 2, 36 bytes, both checksums: 36", mb_xsdp_len(p) == 36);
	make_rsdp(p, 0, 36, false);
	CHECK("xsdp: revision 0 (ACPI 1.0): none", mb_xsdp_len(p) == 0);
	make_rsdp(p, 2, 36, true);
	CHECK("xsdp: a bad extended checksum: none", mb_xsdp_len(p) == 0);
	make_rsdp(p, 2, 20, false);
	CHECK("xsdp: length 20: none", mb_xsdp_len(p) == 0);
	make_rsdp(p, 2, 0xFFFFFFFF, false);
	CHECK("xsdp: length 4 GiB - 1: none (and nothing read past 64 bytes)", mb_xsdp_len(p) == 0);
	make_rsdp(p, 3, 40, false);
	CHECK("xsdp: a later revision, 40 bytes: 40", mb_xsdp_len(p) == 40);
}

static void test_place(void)
{
	struct mb_kernel k;
	struct mb_layout l;
	uint32_t sizes[2] = { 5000, 14 };

	elf32();
	mb1_header(0x1000, 0);
	mb_check(img, sizeof(img), 0x4000, 1, &k);
	CHECK("place: modules and information after the kernel",
	      !mb_place(&k, qemu_map, 5, sizes, 2, 600, &l) && l.mod_addr[0] == 0x105000 &&
	      l.mod_addr[1] == 0x107000 && l.info_addr == 0x108000 && l.end == 0x108000 + 600);
	k.sh.area = 0x1234;
	CHECK("place: the sections after the kernel, on a page, then the modules",
	      !mb_place(&k, qemu_map, 5, sizes, 2, 600, &l) && l.sections_addr == 0x105000 &&
	      l.mod_addr[0] == 0x107000 && l.mod_addr[1] == 0x109000 && l.info_addr == 0x10a000);
	k.sh.area = 0;
	struct e820_entry small[] = { { 0, 0x9fc00, E820_USABLE }, { 0x100000, 0x6000, E820_USABLE } };
	REFUSED("place: a module past the end of RAM is refused", mb_place(&k, small, 2, sizes, 2, 600, &l), "at 0x105000 for 5000 bytes");
	struct e820_entry hole[] = { { 0, 0x9fc00, E820_USABLE }, { 0x100000, 0x2000, E820_USABLE } };
	REFUSED("place: a kernel over a hole is refused", mb_place(&k, hole, 2, sizes, 0, 600, &l), "at 0x100000 for 20480 bytes");
}

static void test_info(void)
{
	struct mb_kernel k;
	static uint8_t buf[8192];
	const uint8_t rsdp[20] = "RSD PTR ";
	struct mb_module_in mods[2] = { { 0x105000, 0x106388, "first args" }, { 0x107000, 0x10700e, "" } };
	struct mb_boot_info in = {
		.cmdline = "console=ttyS0 hello", .loader_name = "smartboot", .mods = mods, .nmods = 2,
		.map = qemu_map, .count = 5, .mem_lower = 639, .mem_upper = 0xfee0000 / 1024,
		.drive = 0x80, .partition = 0, .rsdp_old = rsdp, .load_base = 0x100000,
	};
	uint32_t phys = 0x108000, n;

	elf32();
	mb1_header(0x1000, 0);
	mb_check(img, sizeof(img), 0x4000, 1, &k);
	n = mb_build_info(&k, &in, NULL, 0, phys);
	CHECK("mb1 info: counting and building give the same size", n && mb_build_info(&k, &in, buf, n, phys) == n);
	CHECK("mb1 info: too small a buffer is refused", mb_build_info(&k, &in, buf, n - 1, phys) == 0);
	mb_build_info(&k, &in, buf, sizeof(buf), phys);
	struct mb1_info mi;
	memcpy(&mi, buf, sizeof(mi));
#define AT(a) (buf + (a) - phys)
	CHECK("mb1 info: flags mem, bootdev, cmdline, mods, mmap, name, framebuffer",
	      mi.flags == (MB1_INFO_MEMORY | MB1_INFO_BOOTDEV | MB1_INFO_CMDLINE | MB1_INFO_MODS |
			   MB1_INFO_MMAP | MB1_INFO_LOADER_NAME | MB1_INFO_FRAMEBUFFER));
	CHECK("mb1 info: EGA text framebuffer", mi.framebuffer_addr == 0xB8000 && mi.framebuffer_pitch == 160 &&
	      mi.framebuffer_width == 80 && mi.framebuffer_height == 25 && mi.framebuffer_bpp == 16 &&
	      mi.framebuffer_type == MB_FB_EGA_TEXT);
	CHECK("mb1 info: memory", mi.mem_lower == 639 && mi.mem_upper == 0xfee0000 / 1024);
	CHECK("mb1 info: boot device 0x8000ffff (hd0, first partition)", mi.boot_device == 0x8000FFFF);
	CHECK("mb1 info: command line", !strcmp((char *)AT(mi.cmdline), "console=ttyS0 hello"));
	CHECK("mb1 info: loader name", !strcmp((char *)AT(mi.boot_loader_name), "smartboot"));
	CHECK("mb1 info: mmap of 5 entries of 20 bytes", mi.mmap_length == 5 * 24 &&
	      r32(AT(mi.mmap_addr)) == 20 && r32(AT(mi.mmap_addr) + 3 * 24 + 4) == 0x100000 &&
	      r32(AT(mi.mmap_addr) + 4 * 24 + 20) == E820_RESERVED);
	const uint8_t *m = AT(mi.mods_addr);
	CHECK("mb1 info: two modules with their strings", mi.mods_count == 2 && r32(m) == 0x105000 &&
	      r32(m + 4) == 0x106388 && !strcmp((char *)AT(r32(m + 8)), "first args") &&
	      !strcmp((char *)AT(r32(m + 24)), "") && r32(m + 12) == 0);
	CHECK("mb1 info: everything inside the buffer", n < 1024);
	CHECK("mb1 info: no table read, no flag 5", !(mi.flags & MB1_INFO_ELF_SHDR));

	/* The section headers (their addresses set by mb_section_addrs()). */
	static uint8_t table[120];
	memcpy(table, img + 0x3000, sizeof(table));
	mb_sections(&k, table, 0x4000);
	mb_section_addrs(&k, table, 0x105000);
	in.shdr = table;
	n = mb_build_info(&k, &in, NULL, 0, phys);
	CHECK("mb1 info: with sections, counting and building agree", n && mb_build_info(&k, &in, buf, n, phys) == n);
	memcpy(&mi, buf, sizeof(mi));
	CHECK("mb1 info: flag 5: num 3, size 40, shndx 2", (mi.flags & MB1_INFO_ELF_SHDR) && mi.shdr_num == 3 &&
	      mi.shdr_size == 40 && mi.shdr_shndx == 2);
	CHECK("mb1 info: the table is copied, on 8 bytes, addresses set", mi.shdr_addr % 8 == 0 &&
	      !memcmp(AT(mi.shdr_addr), table, 120) && r32(AT(mi.shdr_addr) + 80 + 12) == 0x105000);
	in.shdr = NULL;

	/* Multiboot 2. */
	uint8_t tags[64];
	uint32_t t = request(tags, 0, (const uint32_t[]){ 1 }, 1);
	t += simple_tag(tags + t, MB2_HTAG_FRAMEBUFFER, MB2_HTAG_OPTIONAL, 20);
	t += simple_tag(tags + t, MB2_HTAG_END, 0, 8);
	elf32();
	mb2_header(0x1008, tags, t);
	mb_check(img, sizeof(img), 0x4000, 2, &k);
	memcpy(table, img + 0x3000, sizeof(table));
	mb_sections(&k, table, 0x4000);
	mb_section_addrs(&k, table, 0x105000);
	in.shdr = table;
	uint8_t xsdp[MB_XSDP_MAX];
	make_rsdp(xsdp, 2, 36, false);
	in.rsdp_new = xsdp;
	in.rsdp_new_len = 36;
	n = mb_build_info(&k, &in, NULL, 0, phys);
	CHECK("mb2 info: counting and building give the same size", n && mb_build_info(&k, &in, buf, n, phys) == n);
	CHECK("mb2 info: total_size", r32(buf) == n && n % 8 == 0);
	uint32_t seen = 0, mods_seen = 0;
	bool end_ok = false;
	for (uint32_t off = 8; off + 8 <= n; ) {
		uint32_t type = r32(buf + off), size = r32(buf + off + 4);
		if (off % 8)
			break;
		if (type == MB2_TAG_END) {
			end_ok = size == 8 && off + 8 == n;
			break;
		}
		if (type < 32)
			seen |= 1u << type;
		if (type == MB2_TAG_CMDLINE)
			CHECK("mb2 info: command line", !strcmp((char *)buf + off + 8, "console=ttyS0 hello"));
		if (type == MB2_TAG_MODULE && mods_seen++ == 0)
			CHECK("mb2 info: module 1", r32(buf + off + 8) == 0x105000 && r32(buf + off + 12) == 0x106388 &&
			      !strcmp((char *)buf + off + 16, "first args") && size == 16 + 11);
		if (type == MB2_TAG_MMAP)
			CHECK("mb2 info: mmap entries of 24 bytes", r32(buf + off + 8) == 24 && size == 16 + 5 * 24 &&
			      r32(buf + off + 16 + 3 * 24) == 0x100000);
		if (type == MB2_TAG_BOOTDEV)
			CHECK("mb2 info: boot device", r32(buf + off + 8) == 0x80 && r32(buf + off + 12) == 0 &&
			      r32(buf + off + 16) == 0xFFFFFFFF);
		if (type == MB2_TAG_FRAMEBUFFER)
			CHECK("mb2 info: EGA text framebuffer", r32(buf + off + 8) == 0xB8000 && r32(buf + off + 16) == 160 &&
			      r32(buf + off + 20) == 80 && r32(buf + off + 24) == 25 && buf[off + 28] == 16 &&
			      buf[off + 29] == MB_FB_EGA_TEXT);
		if (type == MB2_TAG_ACPI_OLD)
			CHECK("mb2 info: ACPI old RSDP copied", size == 28 && !memcmp(buf + off + 8, "RSD PTR ", 8));
		if (type == MB2_TAG_ACPI_NEW)
			CHECK("mb2 info: the XSDP copied whole (36 bytes)", size == 8 + 36 && !memcmp(buf + off + 8, xsdp, 36));
		if (type == MB2_TAG_ELF_SECTIONS)
			CHECK("mb2 info: ELF sections: u32 num 3, entsize 40, shndx 2, the table at +20",
			      size == 20 + 120 && r32(buf + off + 8) == 3 && r32(buf + off + 12) == 40 &&
			      r32(buf + off + 16) == 2 && !memcmp(buf + off + 20, table, 120) &&
			      r32(buf + off + 20 + 80 + 12) == 0x105000);
		off = (off + size + 7) & ~7u;
	}
	CHECK("mb2 info: all the tags", seen == ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) |
		(1u << 6) | (1u << 8) | (1u << 9) | (1u << 14) | (1u << 15) | (1u << 21)) && mods_seen == 2);
	CHECK("mb2 info: the end tag closes the list", end_ok);
}

int main(void)
{
	test_mb1_elf();
	test_mb1_aout();
	test_mb2();
	test_sections();
	test_mb2_address();
	test_xsdp();
	test_place();
	test_info();
	return check_failures != 0;
}
