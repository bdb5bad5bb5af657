/*
 * linux.c - the Linux x86 boot protocol: load, fill in, hand off.
 *
 * The decisions (is this a bzImage, where does the initrd go) are in
 * bzimage.c; this file does the reading and the last steps.
 */
#include "bzimage.h"
#include "console.h"
#include "linux.h"

#define REAL_MODE ((uint8_t *)REAL_MODE_BASE)
#define PROGRESS_DOTS 20

static uint32_t dots_shown;

/* A row of dots while a large file loads: PROGRESS_DOTS for the whole. */
static void progress(uint64_t done, uint64_t total)
{
	/* In KiB and 32 bits: stage 2 has no 64-bit division. */
	uint32_t want = (uint32_t)(done >> 10) * PROGRESS_DOTS / ((uint32_t)(total >> 10) + 1);

	for (; dots_shown < want; dots_shown++)
		printf(".");
}

/* "1.9 MiB" without floating point. */
static void print_size(uint64_t bytes)
{
	uint32_t tenths = (uint32_t)((bytes * 10) >> 20);

	printf("%u.%u MiB", tenths / 10, tenths % 10);
}

static int load_file(struct ext2_fs *fs, struct ext2_file *f, const char *path,
		     uint64_t offset, void *dst, uint64_t len)
{
	int err;

	printf("loading %s ", path);
	print_size(len);
	printf(" ");
	dots_shown = 0;
	err = ext2_read(fs, f, offset, dst, len, progress);
	printf(err < 0 ? " failed\n" : " ok\n");
	if (err < 0)
		printf("linux: could not read %s\n", path);
	return err;
}

static bool in_usable_ram(const struct memory_map *mm, uint64_t start, uint64_t end)
{
	for (int i = 0; i < mm->count; i++)
		if (mm->map[i].type == E820_USABLE && start >= mm->map[i].addr &&
		    end <= mm->map[i].addr + mm->map[i].size)
			return true;
	return false;
}

/* The 32-bit entry gets a zero page we build: all zero but for the setup
 * header, the memory map and what the VGA console needs to know. */
static void build_zero_page(struct boot_params *bp, const struct memory_map *mm)
{
	uint32_t hdr_end = 0x202 + REAL_MODE[0x201]; /* boot.rst, "32-bit Boot Protocol" */
	static uint8_t header[0x202 + 0x100];

	memcpy(header, REAL_MODE, hdr_end);
	memset(bp, 0, sizeof(*bp));
	memcpy((uint8_t *)bp + SETUP_HEADER_OFFSET, header + SETUP_HEADER_OFFSET,
	       hdr_end - SETUP_HEADER_OFFSET);

	memcpy(bp->e820_table, mm->map, mm->count * sizeof(mm->map[0]));
	bp->e820_entries = (uint8_t)mm->count;

	struct screen_info *si = &bp->screen_info;
	console_cursor(&si->orig_x, &si->orig_y, &si->orig_video_mode, &si->orig_video_cols);
	si->orig_video_lines = 25;
	si->orig_video_isVGA = 1;
	si->orig_video_points = 16;
}

int linux_boot(struct ext2_fs *fs, const struct memory_map *mm, const struct linux_boot *b)
{
	struct setup_header *hdr = (struct setup_header *)(REAL_MODE + SETUP_HEADER_OFFSET);
	struct ext2_file kernel, initrd;
	struct linux_plan plan;
	uint32_t initrd_size = 0;
	const char *why;

	/* The header: the first two sectors hold it whole. */
	if (ext2_open(fs, b->kernel, &kernel) < 0)
		return -1;
	if (kernel.size < 1024) {
		printf("linux: %s: not a bzImage (only %u bytes)\n", b->kernel, (unsigned)kernel.size);
		return -1;
	}
	if (ext2_read(fs, &kernel, 0, REAL_MODE, 1024, NULL) < 0)
		return -1;
	why = bzimage_check(hdr, kernel.size, &plan);
	if (why) {
		printf("linux: %s: %s\n", b->kernel, why);
		return -1;
	}
	if (!in_usable_ram(mm, plan.kernel_addr, plan.kernel_addr + (uint64_t)plan.kernel_size)) {
		printf("linux: %s: no usable RAM for %u bytes at 0x%x\n", b->kernel,
		       plan.kernel_size, plan.kernel_addr);
		return -1;
	}
	if (strlen(b->cmdline) > plan.cmdline_max) {
		printf("linux: command line is %u bytes; the kernel takes at most %u\n",
		       (unsigned)strlen(b->cmdline), plan.cmdline_max);
		return -1;
	}

	/* The initrd first checks whether it fits before we spend time. */
	if (b->initrd) {
		if (ext2_open(fs, b->initrd, &initrd) < 0)
			return -1;
		plan.initrd_addr = bzimage_place_initrd(hdr, &plan, mm->map, mm->count, initrd.size);
		if (!plan.initrd_addr || initrd.size > UINT32_MAX) {
			printf("linux: %s: initrd too large for memory (", b->initrd);
			print_size(initrd.size);
			printf(")\n");
			return -1;
		}
		initrd_size = (uint32_t)initrd.size;
	}

	/* The real-mode part to X, the rest to 1 MiB, the initrd high. */
	if (ext2_read(fs, &kernel, 0, REAL_MODE, plan.setup_size, NULL) < 0)
		return -1;
	if (load_file(fs, &kernel, b->kernel, plan.setup_size,
		      (void *)(uintptr_t)plan.kernel_addr, plan.kernel_size) < 0)
		return -1;
	if (b->initrd && load_file(fs, &initrd, b->initrd, 0,
				   (void *)(uintptr_t)plan.initrd_addr, initrd_size) < 0)
		return -1;

	memcpy(REAL_MODE + CMDLINE_OFFSET, b->cmdline, strlen(b->cmdline) + 1);
	bzimage_fill_header(hdr, b->cmdline, REAL_MODE_BASE + CMDLINE_OFFSET,
			    plan.initrd_addr, initrd_size);
	printf("command line: %s\n", b->cmdline);

	if (b->entry == ENTRY_16) {
		printf("booting (16-bit entry at %04x:0000)\n", (REAL_MODE_BASE >> 4) + 0x20);
		linux_enter16(REAL_MODE_BASE >> 4, HEAP_END);
	}
	printf("booting (32-bit entry at 0x%x)\n", hdr->code32_start);
	uint32_t entry = hdr->code32_start;
	build_zero_page((struct boot_params *)REAL_MODE, mm);
	linux_enter32(entry, REAL_MODE_BASE);
}
