/*
 * linux.c - the Linux x86 boot protocol: load, fill in, hand off.
 *
 * The decisions (is this a bzImage, where does the initrd go) are in
 * bzimage.c; the reading, with its messages and progress bar, is load.c,
 * shared by every protocol; this file does the rest and the last steps.
 */
#include "proto/bzimage.h"
#include "bios/console.h"
#include "cpu/io.h"
#include "proto/linux.h"
#include "proto/load.h"
#include "cpu/longmode.h"
#include "drivers/native.h"
#include "trace.h"

#define WHO           "linux"        /* what our messages start with */
#define REAL_MODE     ((uint8_t *)REAL_MODE_BASE)
#define XLF_KERNEL_64 0x0001         /* xloadflags: has the 64-bit entry */
#define ENTRY64_OFFSET 0x200         /* startup_64 is 512 bytes into the kernel */
#define PIC1_DATA     0x21           /* 8259 interrupt mask registers */
#define PIC2_DATA     0xA1
#define PIC1_CASCADE  0xFB           /* all masked but IRQ 2, where PIC 2 hangs */

/*
 * The 16-bit entry runs the kernel's setup code, which masks every
 * interrupt at the two 8259s before it leaves real mode; the 32- and 64-bit
 * entries skip it, so we do the same.  Left unmasked, the timer's next tick
 * waits at the CPU with IF clear until the kernel reprograms the PICs, and
 * under QEMU's TCG a pending interrupt sends the CPU back to its main loop
 * at every translated block: the decompressor ran 3 % slower
 * (docs/performance.md).
 */
static void mask_pics(void)
{
	outb(PIC2_DATA, 0xFF);
	io_delay();
	outb(PIC1_DATA, PIC1_CASCADE);
	io_delay();
}

/* The 32- and 64-bit entries get a zero page we build: all zero but for the
 * setup header, the memory map and what the kernel's 16-bit setup code
 * would have filled in: E801h's and 88h's sizes (which the kernel uses when
 * the E820 map has fewer than 2 entries) and what the VGA console needs. */
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
	bp->alt_mem_k = mm->alt_mem_k;
	bp->screen_info.ext_mem_k = mm->ext_mem_k;

	struct screen_info *si = &bp->screen_info;
	console_cursor(&si->orig_x, &si->orig_y, &si->orig_video_mode, &si->orig_video_cols);
	si->orig_video_lines = 25;
	si->orig_video_isVGA = 1;
	si->orig_video_points = 16;
}

static void trace_header(const struct setup_header *h)
{
	TRACE("kernel header: protocol %u.%02u, setup_sects %u, code32_start 0x%x,\n"
	      "  pref_address 0x%llx, kernel_alignment 0x%x, relocatable %u, xloadflags 0x%x,\n"
	      "  init_size 0x%x, initrd_addr_max 0x%x, cmdline_size %u, loadflags 0x%x\n",
	      h->version >> 8, h->version & 0xff, h->setup_sects, h->code32_start,
	      (unsigned long long)h->pref_address, h->kernel_alignment, h->relocatable_kernel,
	      h->xloadflags, h->init_size, h->initrd_addr_max, h->cmdline_size, h->loadflags);
}

#define PAGE_ALIGN(x) (((x) + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1))

int linux_boot(struct fs *fs, const struct memory_map *mm,
	       const struct boot_entry *e, int default_handoff)
{
	struct setup_header *hdr = (struct setup_header *)(REAL_MODE + SETUP_HEADER_OFFSET);
	struct fs_file kernel, initrd[CFG_MAX_INITRDS];
	struct linux_plan plan;
	uint64_t initrd_total = 0;
	const char *cmdline = e->cmdline ? e->cmdline : "";
	int handoff = e->handoff ? e->handoff : default_handoff;
	const char *why;
	char size[2][16];

	/* The header: the first two sectors hold it whole. */
	if (load_open(WHO, fs, e->kernel, &kernel) < 0)
		return -1;
	if (kernel.size < 1024) {
		printf("linux: %s: not a bzImage (%u bytes)\n", e->kernel, (unsigned)kernel.size);
		return -1;
	}
	if (load_read(WHO, fs, &kernel, e->kernel, 0, REAL_MODE, 1024) < 0)
		return -1;
	why = bzimage_check(hdr, kernel.size, &plan);
	if (why) {
		printf("linux: %s: %s\n", e->kernel, why);
		return -1;
	}
	trace_header(hdr);
	if (handoff == 64 && !(hdr->xloadflags & XLF_KERNEL_64)) {
		printf("linux: %s has no 64-bit entry (XLF_KERNEL_64 not set); use handoff 32\n", e->kernel);
		return -1;
	}
	/* A 64-bit kernel needs long mode whatever the hand-off: through the
	 * 32-bit entry it would hang in its decompressor without a word (its
	 * own check, "This kernel requires an x86-64 CPU", is in the 16-bit
	 * setup code, which only the 16-bit hand-off runs).  Said here, for
	 * all three, before megabytes are loaded for nothing. */
	if ((hdr->xloadflags & XLF_KERNEL_64) && !cpu_has_long_mode()) {
		printf("linux: %s is a 64-bit (x86-64) kernel and this CPU has no long mode "
		       "(CPUID 80000001h EDX bit 29)\n", e->kernel);
		return -1;
	}
	/* While it unpacks, the kernel needs RAM up to reserved_end (its own
	 * size, or pref_address + init_size): a machine with less would crash
	 * in the decompressor, long after we could say why. */
	uint64_t top = load_usable_end(mm, plan.kernel_addr);
	if (top < plan.reserved_end) {
		printf("linux: not enough memory: %s needs RAM from 0x%x to 0x%llx (%s) to unpack; "
		       "usable RAM there ends at 0x%llx (%s)\n", e->kernel, plan.kernel_addr,
		       (unsigned long long)plan.reserved_end, load_mib(size[0], plan.reserved_end),
		       (unsigned long long)top, load_mib(size[1], top));
		return -1;
	}
	if (strlen(cmdline) > plan.cmdline_max) {
		printf("linux: command line is %u bytes; the kernel takes at most %u\n",
		       (unsigned)strlen(cmdline), plan.cmdline_max);
		return -1;
	}

	/* The initrds, one after another, each starting on a page: find them
	 * all and place the whole before spending time loading anything. */
	for (int i = 0; i < e->ninitrd; i++) {
		if (load_open(WHO, fs, e->initrd[i], &initrd[i]) < 0)
			return -1;
		initrd_total = PAGE_ALIGN(initrd_total) + initrd[i].size;
	}
	if (e->ninitrd) {
		uint64_t room;

		plan.initrd_addr = bzimage_place_initrd(hdr, &plan, mm->map, mm->count, initrd_total, &room);
		if (!plan.initrd_addr) {
			printf("linux: not enough memory for the initrd: %s in %d file(s), but the largest "
			       "free range above the kernel (0x%llx) is %s\n", load_mib(size[0], initrd_total),
			       e->ninitrd, (unsigned long long)plan.reserved_end, load_mib(size[1], room));
			return -1;
		}
		TRACE("initrd: %llu bytes at 0x%x, the highest page below min(initrd_addr_max, "
		      "top of RAM) clear of the kernel (up to 0x%llx)\n", (unsigned long long)initrd_total,
		      plan.initrd_addr, (unsigned long long)plan.reserved_end);
	}

	/* The real-mode part to X, the rest to 1 MiB, the initrds high. */
	TRACE("real-mode part: %u bytes at 0x%x; command line at 0x%x\n", plan.setup_size,
	      REAL_MODE_BASE, REAL_MODE_BASE + CMDLINE_OFFSET);
	if (load_read(WHO, fs, &kernel, e->kernel, 0, REAL_MODE, plan.setup_size) < 0)
		return -1;
	if (load_file(WHO, fs, &kernel, e->kernel, plan.setup_size, plan.kernel_addr, plan.kernel_size) < 0)
		return -1;
	uint64_t at = plan.initrd_addr;
	for (int i = 0; i < e->ninitrd; i++) {
		at = PAGE_ALIGN(at);
		if (load_file(WHO, fs, &initrd[i], e->initrd[i], 0, (uint32_t)at, initrd[i].size) < 0)
			return -1;
		at += initrd[i].size;
	}
	trace_phase("loaded");

	memcpy(REAL_MODE + CMDLINE_OFFSET, cmdline, strlen(cmdline) + 1);
	bzimage_fill_header(hdr, cmdline, REAL_MODE_BASE + CMDLINE_OFFSET,
			    plan.initrd_addr, (uint32_t)initrd_total);
	printf("command line: %s\n", cmdline);
	native_release();                /* the disk controller as the kernel expects it */

	uint32_t entry32 = hdr->code32_start;
	switch (handoff) {
	case 16:
		printf("booting (16-bit entry at %04x:0000)\n", (REAL_MODE_BASE >> 4) + 0x20);
		linux_enter16(REAL_MODE_BASE >> 4, HEAP_END);
	case 64: {
		uint32_t pml4 = identity_map_4g();

		if (!pml4) {
			printf("linux: out of memory for the page tables\n");
			return -1;
		}
		TRACE("long mode: page tables at 0x%x (4 GiB identity-mapped, 2 MiB pages); "
		      "CR4.PAE, CR3, EFER.LME, CR0.PG, then a far jump to a 64-bit code segment\n", pml4);
		printf("booting (64-bit entry at 0x%x)\n", entry32 + ENTRY64_OFFSET);
		build_zero_page((struct boot_params *)REAL_MODE, mm);
		mask_pics();
		linux_enter64(entry32 + ENTRY64_OFFSET, REAL_MODE_BASE, pml4);
	}
	default:
		printf("booting (32-bit entry at 0x%x)\n", entry32);
		build_zero_page((struct boot_params *)REAL_MODE, mm);
		mask_pics();
		linux_enter32(entry32, REAL_MODE_BASE);
	}
}
