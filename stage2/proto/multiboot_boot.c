/*
 * multiboot_boot.c - Multiboot 1 and 2: read the kernel, its modules and
 * what the information needs, then jump.
 *
 * multiboot.c decides (is the header good, where does everything go, what
 * does the information say); this file reads and copies.  The kernel and
 * the modules are read straight to their addresses above 1 MiB (stage 2
 * runs flat, in 32-bit protected mode); the information is built at its
 * place last, after everything it describes has arrived.
 */
#include "bios/console.h"
#include "bios/disk.h"
#include "drivers/native.h"
#include "proto/load.h"
#include "proto/multiboot.h"
#include "proto/multiboot_boot.h"
#include "trace.h"

#define LOADER_NAME    "smartboot"
#define EBDA_SEG_PTR   0x40E         /* BDA: the EBDA's segment (a word) */
#define RSDP_SCAN_LO   0xE0000       /* ACPI 6.x 5.2.5.1: the RSDP is on a 16-byte */
#define RSDP_SCAN_HI   0x100000      /* boundary in the EBDA's first KiB or here */

static bool sums_to_zero(const uint8_t *p, uint32_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum = (uint8_t)(sum + *p++);
	return sum == 0;
}

/* Find ACPI's RSDP where the BIOS must put it. */
static const uint8_t *find_rsdp(void)
{
	/* gcc takes a pointer to below 4 KiB for a null-pointer bug
	 * (-Warray-bounds): hide the constant from it. */
	uintptr_t bda = EBDA_SEG_PTR;
	__asm__("" : "+r"(bda));
	uint32_t ebda = (uint32_t)*(volatile uint16_t *)bda << 4;
	const uint32_t from[2] = { ebda, RSDP_SCAN_LO }, to[2] = { ebda + 1024, RSDP_SCAN_HI };

	for (int r = 0; r < 2; r++) {
		if (from[r] < 0x400)              /* no EBDA */
			continue;
		for (uint32_t a = from[r]; a + MB_RSDP_LEN <= to[r]; a += 16) {
			const uint8_t *p = (const uint8_t *)(uintptr_t)a;

			if (!memcmp(p, "RSD PTR ", 8) && sums_to_zero(p, MB_RSDP_LEN))
				return p;
		}
	}
	return NULL;
}

int multiboot_boot(struct fs *fs, const struct memory_map *mm, const struct boot_entry *e, int handoff)
{
	int version = e->protocol == BOOT_MULTIBOOT2 ? 2 : 1;
	const char *who = version == 2 ? "multiboot2" : "multiboot";
	struct fs_file kernel, mod[CFG_MAX_INITRDS];
	char *cut[CFG_MAX_INITRDS] = { 0 };
	struct mb_module_in mods[CFG_MAX_INITRDS];
	uint32_t mod_size[CFG_MAX_INITRDS];
	struct mb_boot_info in;
	struct mb_kernel k;
	struct mb_layout at;
	const char *why;
	uint8_t *head = NULL, *shdr = NULL;
	int ret = -1;

	(void)handoff;
	memset(&in, 0, sizeof(in));
	/* The header and the program headers: within the first 32 KiB. */
	if (load_open(who, fs, e->kernel, &kernel) < 0)
		return -1;
	uint32_t head_len = (uint32_t)MIN(kernel.size, (uint64_t)MB2_SEARCH);
	if (!(head = malloc(head_len)) ||
	    load_read(who, fs, &kernel, e->kernel, 0, head, head_len) < 0)
		goto out;
	why = mb_check(head, head_len, kernel.size, version, &k);
	if (why)
		goto refuse;
	/* The ELF section header table, usually at the end of the file. */
	if (k.sh.num) {
		why = "out of memory for its ELF section headers";
		if (!(shdr = malloc(k.sh.size)))
			goto refuse;
		if (load_read(who, fs, &kernel, e->kernel, k.sh.offset, shdr, k.sh.size) < 0)
			goto out;
		why = mb_sections(&k, shdr, kernel.size);
		if (why)
			goto refuse;
	}

	/* The modules: "PATH ARGS"; the string the kernel gets is ARGS, as
	 * GRUB gives it (QEMU's -initrd gives the whole line).  The line is
	 * cut at its first space for the path, and mended if we return. */
	for (int i = 0; i < e->ninitrd; i++) {
		char *line = e->initrd[i];

		cut[i] = strchr(line, ' ');
		if (cut[i])
			*cut[i] = '\0';
		if (load_open(who, fs, line, &mod[i]) < 0)
			goto out;
		mod_size[i] = (uint32_t)MIN(mod[i].size, UINT32_MAX);   /* mb_place() refuses that */
		mods[i] = (struct mb_module_in){ 0, 0, cut[i] ? cut[i] + 1 : "" };
	}

	in.rsdp_old = find_rsdp();
	why = "requires ACPI's RSDP, and the BIOS has none";
	if ((k.need & (1u << MB2_TAG_ACPI_OLD)) && !in.rsdp_old)
		goto refuse;
	/* ACPI 2.0's XSDP is the same structure at revision 2, longer.
	 * (mb_xsdp_len() reads up to MB_XSDP_MAX bytes: memory is there, the
	 * EBDA's KiB is followed by more, 0xFFFFF by 1 MiB.) */
	in.rsdp_new_len = in.rsdp_old ? mb_xsdp_len(in.rsdp_old) : 0;
	in.rsdp_new = in.rsdp_new_len ? in.rsdp_old : NULL;
	why = "requires ACPI 2.0's RSDP (the XSDP, tag 15), and the BIOS has only ACPI 1.0's, or none";
	if ((k.need & (1u << MB2_TAG_ACPI_NEW)) && !in.rsdp_new)
		goto refuse;
	in.shdr = shdr;
	in.cmdline = e->cmdline ? e->cmdline : "";
	in.loader_name = LOADER_NAME;
	in.mods = mods;
	in.nmods = e->ninitrd;
	in.map = mm->map;
	in.count = mm->count;
	in.mem_lower = mm->low_kib;              /* INT 12h: at most 640 */
	/* KiB from 1 MiB to the end of its usable range: "maximally the
	 * address of the first upper memory hole minus 1 megabyte" (MB1 3.3). */
	in.mem_upper = (uint32_t)((load_usable_end(mm, MB_LOW_LIMIT) - MB_LOW_LIMIT) >> 10);
	in.drive = boot_source.drive;
	in.partition = boot_source.partition ? (uint8_t)(boot_source.partition - 1) : 0xFF;
	in.load_base = k.load_start;

	/* Where everything goes, before anything is read. */
	uint32_t info_size = mb_build_info(&k, &in, NULL, 0, 0);
	why = mb_place(&k, mm->map, mm->count, mod_size, e->ninitrd, info_size, &at);
	if (why)
		goto refuse;
	if (shdr) {
		mb_section_addrs(&k, shdr, at.sections_addr);
		TRACE("%s: %u ELF section headers; %u bytes of sections no segment holds, at 0x%x\n",
		      who, k.sh.num, k.sh.area, at.sections_addr);
	}

	for (int i = 0; i < k.nseg; i++) {
		const struct mb_segment *s = &k.seg[i];

		if (s->filesz && load_file(who, fs, &kernel, e->kernel, s->offset, s->addr, s->filesz) < 0)
			goto out;
		memset((uint8_t *)(uintptr_t)s->addr + s->filesz, 0, s->memsz - s->filesz);   /* bss */
	}
	for (uint32_t i = 0; i < k.sh.num; i++) {       /* the sections the segments did not hold */
		struct mb_segment s;

		if (!mb_section(&k, shdr, i, &s))
			continue;
		if (s.filesz && load_read(who, fs, &kernel, e->kernel, s.offset, (void *)(uintptr_t)s.addr, s.filesz) < 0)
			goto out;
		memset((uint8_t *)(uintptr_t)s.addr + s.filesz, 0, s.memsz - s.filesz);       /* SHT_NOBITS */
	}
	for (int i = 0; i < e->ninitrd; i++) {
		if (load_file(who, fs, &mod[i], e->initrd[i], 0, at.mod_addr[i], mod_size[i]) < 0)
			goto out;
		mods[i].start = at.mod_addr[i];
		mods[i].end = at.mod_addr[i] + (uint32_t)mod_size[i];
	}
	trace_phase("loaded");
	mb_build_info(&k, &in, (uint8_t *)(uintptr_t)at.info_addr, info_size, at.info_addr);
	printf("command line: %s\n", in.cmdline);
	native_release();                /* the disk controller as the BIOS left it */
	printf("booting (32-bit entry at 0x%x, Multiboot %d)\n", k.entry, version);
	multiboot_enter(version == 2 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC, at.info_addr, k.entry);
refuse:
	printf("%s: %s: %s\n", who, e->kernel, why);
out:
	for (int i = 0; i < e->ninitrd; i++)
		if (cut[i])
			*cut[i] = ' ';
	free(shdr);
	free(head);
	return ret;
}
