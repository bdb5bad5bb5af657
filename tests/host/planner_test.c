/*
 * planner_test.c - host tests of the boot-protocol planner (bzimage.c) and
 * the memory-map clean-up (e820.c).  Built with the host's libc and the
 * sanitizers by tests/t-11-planner-host.sh.  Each check prints PASS:/FAIL:.
 */
#include <stdio.h>
#include <string.h>

#include "proto/bzimage.h"
#include "check.h"


/* A setup header like the 6.1 kernel's: protocol 2.15, LOADED_HIGH. */
static struct setup_header good_header(void)
{
	struct setup_header h;

	memset(&h, 0, sizeof(h));
	h.setup_sects = 27;
	h.boot_flag = BOOT_FLAG;
	h.header = HDRS_MAGIC;
	h.version = 0x020f;
	h.loadflags = LOADED_HIGH;
	h.code32_start = 0x100000;
	h.initrd_addr_max = 0x7fffffff;
	h.cmdline_size = 2047;
	h.pref_address = 0x1000000;
	h.init_size = 0x800000;
	return h;
}

static void test_check(void)
{
	struct setup_header h = good_header();
	struct linux_plan p;

	CHECK("bzimage: a good header is accepted", bzimage_check(&h, 2 << 20, &p) == NULL);
	CHECK("bzimage: setup size is (setup_sects+1)*512", p.setup_size == 28 * 512);
	CHECK("bzimage: kernel size comes from the file, not syssize",
	      p.kernel_size == (2u << 20) - 28 * 512);
	CHECK("bzimage: reserved range covers pref_address + init_size",
	      p.reserved_end == 0x1000000 + 0x800000);
	CHECK("bzimage: cmdline_max from cmdline_size", p.cmdline_max == 2047);

	h.setup_sects = 0;
	CHECK("bzimage: setup_sects 0 means 4", !bzimage_check(&h, 1 << 20, &p) && p.setup_size == 5 * 512);
	h = good_header();
	h.boot_flag = 0;
	CHECK("bzimage: missing 0xAA55 refused", bzimage_check(&h, 1 << 20, &p) != NULL);
	h = good_header();
	h.header = 0;
	CHECK("bzimage: missing HdrS refused", bzimage_check(&h, 1 << 20, &p) != NULL);
	h = good_header();
	h.version = 0x0201;
	CHECK("bzimage: protocol 2.01 refused",
	      bzimage_check(&h, 1 << 20, &p) && strstr(bzimage_check(&h, 1 << 20, &p), "2.02"));
	h = good_header();
	h.loadflags = 0;
	CHECK("bzimage: zImage (no LOADED_HIGH) refused", bzimage_check(&h, 1 << 20, &p) != NULL);
	h = good_header();
	CHECK("bzimage: setup_sects past the file refused", bzimage_check(&h, 28 * 512, &p) != NULL);
	h.setup_sects = 100;
	CHECK("bzimage: setup part over 32 KiB refused", bzimage_check(&h, 1 << 20, &p) != NULL);
	h = good_header();
	h.syssize = ((2u << 20) - 28 * 512) / 16;
	CHECK("bzimage: a file as long as syssize says is accepted", bzimage_check(&h, 2 << 20, &p) == NULL);
	CHECK("bzimage: a file shorter than syssize says is truncated",
	      bzimage_check(&h, (2 << 20) - 16, &p) && strstr(bzimage_check(&h, (2 << 20) - 16, &p), "truncated"));
	h.version = 0x0203;
	CHECK("bzimage: before 2.04 syssize is not trusted", bzimage_check(&h, 1 << 20, &p) == NULL);
	h = good_header();
	h.version = 0x0205;
	CHECK("bzimage: before 2.06 the command line is 255 bytes",
	      !bzimage_check(&h, 1 << 20, &p) && p.cmdline_max == 255);
}

static void test_initrd(void)
{
	struct setup_header h = good_header();
	struct linux_plan p;
	struct e820_entry map[] = {
		{ 0, 0x9fc00, E820_USABLE },
		{ 0x9fc00, 0x400, E820_RESERVED },
		{ 0xf0000, 0x10000, E820_RESERVED },
		{ 0x100000, 0x3ee0000 - 0x100000, E820_USABLE },   /* 64 MiB machine */
		{ 0x3ee0000, 0x20000, E820_RESERVED },
	};
	uint32_t at;
	uint64_t room;

	bzimage_check(&h, 2 << 20, &p);
	at = bzimage_place_initrd(&h, &p, map, 5, 3 << 20, &room);
	CHECK("initrd: placed at the top of usable RAM", at + (3u << 20) <= 0x3ee0000 && at + (3u << 20) > 0x3ee0000 - 4096);
	CHECK("initrd: page aligned", (at & 4095) == 0);
	CHECK("initrd: clear of the kernel's unpacking range", at >= p.reserved_end);

	h.initrd_addr_max = 0x1ffffff;  /* 32 MiB */
	at = bzimage_place_initrd(&h, &p, map, 5, 3 << 20, &room);
	CHECK("initrd: honours initrd_addr_max", at == 0x2000000 - (3u << 20));
	h.initrd_addr_max = 0x19fffff;  /* 26 MiB: only 2 MiB clear of the kernel */
	at = bzimage_place_initrd(&h, &p, map, 5, 3 << 20, &room);
	CHECK("initrd: refused when nothing below initrd_addr_max is clear of the kernel", at == 0);

	h = good_header();
	at = bzimage_place_initrd(&h, &p, map, 5, 60u << 20, &room);
	CHECK("initrd: too large for memory gives 0", at == 0);
	CHECK("initrd: ... and the largest free range above the kernel, for the message",
	      room == 0x3ee0000 - p.reserved_end);

	struct e820_entry big[] = {
		{ 0x100000, 0xbff00000, E820_USABLE },          /* up to 3 GiB */
		{ 0x100000000ull, 0x40000000, E820_USABLE },    /* above 4 GiB: unusable for us */
	};
	h.initrd_addr_max = 0xffffffff;
	at = bzimage_place_initrd(&h, &p, big, 2, 1 << 20, &room);
	CHECK("initrd: stays below 4 GiB", at == 0xc0000000u - (1u << 20));
}

static void test_fill(void)
{
	struct setup_header h = good_header();

	h.loadflags |= KASLR_FLAG;
	bzimage_fill_header(&h, "root=/dev/sda1 quiet vga=0x317", 0x1e000, 0x3000000, 12345);
	CHECK("header: type_of_loader 0xFF", h.type_of_loader == 0xff);
	CHECK("header: loadflags read-modify-write keeps the kernel's bits",
	      (h.loadflags & (LOADED_HIGH | KASLR_FLAG)) == (LOADED_HIGH | KASLR_FLAG));
	CHECK("header: CAN_USE_HEAP and QUIET set", (h.loadflags & (CAN_USE_HEAP | QUIET_FLAG)) == (CAN_USE_HEAP | QUIET_FLAG));
	CHECK("header: heap_end_ptr", h.heap_end_ptr == 0xe000 - 0x200);
	CHECK("header: vid_mode from vga=", h.vid_mode == 0x317);
	CHECK("header: cmd_line_ptr", h.cmd_line_ptr == 0x1e000);
	CHECK("header: ramdisk", h.ramdisk_image == 0x3000000 && h.ramdisk_size == 12345);

	h = good_header();
	bzimage_fill_header(&h, "root=/dev/sda1 notquiet", 0x1e000, 0, 0);
	CHECK("header: no QUIET for 'notquiet'", !(h.loadflags & QUIET_FLAG));
	CHECK("header: vid_mode 0xFFFF without vga=", h.vid_mode == 0xffff);
	bzimage_fill_header(&h, "vga=ask", 0x1e000, 0, 0);
	CHECK("header: vga=ask", h.vid_mode == 0xfffd);
}

static void test_e820(void)
{
	struct e820_entry m[] = {
		{ 0x100000, 0x1000000, E820_USABLE },
		{ 0, 0x9fc00, E820_USABLE },
		{ 0x9fc00, 0x400, E820_RESERVED },
		{ 0x1100000, 0x100000, E820_USABLE },        /* adjacent: merges */
		{ 0x800000, 0x1000, E820_RESERVED },         /* a hole in usable RAM */
		{ 0x5000000, 0, E820_USABLE },               /* empty: dropped */
	};
	int n = e820_sanitize(m, 6);

	CHECK("e820: sorted, hole kept, neighbours merged", n == 5);
	CHECK("e820: first range", m[0].addr == 0 && m[0].size == 0x9fc00 && m[0].type == E820_USABLE);
	CHECK("e820: reserved beats usable",
	      m[3].addr == 0x800000 && m[3].size == 0x1000 && m[3].type == E820_RESERVED);
	CHECK("e820: usable around the hole, merged with its neighbour",
	      m[2].addr == 0x100000 && m[2].size == 0x700000 &&
	      m[4].addr == 0x801000 && m[4].addr + m[4].size == 0x1200000);
}

int main(void)
{
	test_check();
	test_initrd();
	test_e820();
	test_fill();
	return check_failures != 0;
}
