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
#define SHDR_MAX       (64 * 1024)   /* section headers / names read for the information */
#define SHF_ALLOC      2             /* ELF: the section is in memory with the kernel */
#define EBDA_SEG_PTR   0x40E         /* BDA: the EBDA's segment (a word) */
#define RSDP_SCAN_LO   0xE0000       /* ACPI 6.x 5.2.5.1: the RSDP is on a 16-byte */
#define RSDP_SCAN_HI   0x100000      /* boundary in the EBDA's first KiB or here */
#define RSDP_V1_LEN    20
#define RSDP_V2_LEN    36

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
		for (uint32_t a = from[r]; a + RSDP_V2_LEN <= to[r]; a += 16) {
			const uint8_t *p = (const uint8_t *)(uintptr_t)a;

			if (!memcmp(p, "RSD PTR ", 8) && sums_to_zero(p, RSDP_V1_LEN))
				return p;
		}
	}
	return NULL;
}

/* The ELF section headers, and the names' section when the kernel's own
 * segments do not hold it: what the information describes (Multiboot 1
 * flag 5, Multiboot 2 tag 9).  On any trouble: no ELF information, not a
 * failed boot, unless a Multiboot 2 kernel requires it (then say so). */
static void read_sections(const char *who, struct fs *fs, struct fs_file *f, const char *path,
			  const struct mb_kernel *k, struct mb_boot_info *in)
{
	uint32_t n = k->shnum * k->shentsize;
	uint8_t *sh;

	if (!k->shnum || n > SHDR_MAX || !(sh = malloc(n)))
		return;
	if (load_read(who, fs, f, path, k->shoff, sh, n) < 0) {
		free(sh);
		return;
	}
	in->shdr = sh;
	const uint8_t *s = sh + k->shstrndx * k->shentsize;
	uint32_t flags, size, offset;    /* sh_flags, sh_size, sh_offset: the low halves in ELF64 */

	memcpy(&flags, s + 8, 4);
	memcpy(&offset, s + (k->elf64 ? 24 : 16), 4);
	memcpy(&size, s + (k->elf64 ? 32 : 20), 4);
	if ((flags & SHF_ALLOC) || size > SHDR_MAX || !(in->shstr = malloc(size)))
		return;
	if (load_read(who, fs, f, path, offset, (void *)in->shstr, size) < 0) {
		free((void *)in->shstr);
		in->shstr = NULL;
		return;
	}
	in->shstr_len = size;
}

int multiboot_boot(struct fs *fs, const struct memory_map *mm, const struct boot_entry *e, int handoff)
{
	int version = e->protocol == BOOT_MULTIBOOT2 ? 2 : 1;
	const char *who = version == 2 ? "multiboot2" : "multiboot";
	struct fs_file kernel, mod[CFG_MAX_INITRDS];
	char *mod_path[CFG_MAX_INITRDS] = { 0 };
	struct mb_module_in mods[CFG_MAX_INITRDS];
	uint32_t mod_size[CFG_MAX_INITRDS];
	struct mb_boot_info in;
	struct mb_kernel k;
	struct mb_layout at;
	const char *why;
	uint8_t *head = NULL;
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

	/* The modules: "PATH ARGS"; the string the kernel gets is ARGS, as
	 * GRUB gives it (QEMU's -initrd gives the whole line). */
	for (int i = 0; i < e->ninitrd; i++) {
		const char *line = e->initrd[i], *space = strchr(line, ' ');
		size_t n = space ? (size_t)(space - line) : strlen(line);

		mod_path[i] = cfg_strndup(line, n);
		if (!mod_path[i] || load_open(who, fs, mod_path[i], &mod[i]) < 0)
			goto out;
		why = "a module of 4 GiB or more";
		if (mod[i].size >= 0xFFFFFFFFu)
			goto refuse;
		mod_size[i] = (uint32_t)mod[i].size;
		mods[i] = (struct mb_module_in){ 0, 0, space ? space + 1 : "" };
	}

	if (version == 1 || (k.want & (1u << MB2_TAG_ELF_SECTIONS)))
		read_sections(who, fs, &kernel, e->kernel, &k, &in);
	why = "could not read the ELF section headers it requires";
	if ((k.need & (1u << MB2_TAG_ELF_SECTIONS)) && !in.shdr)
		goto refuse;
	in.rsdp_old = find_rsdp();
	if (in.rsdp_old && in.rsdp_old[15] >= 2) {           /* revision: ACPI 2.0+ has the XSDP */
		uint32_t len;

		memcpy(&len, in.rsdp_old + 20, 4);
		if (len >= RSDP_V2_LEN && len <= 64 && sums_to_zero(in.rsdp_old, len)) {
			in.rsdp_new = in.rsdp_old;
			in.rsdp_new_len = len;
		}
	}
	why = "requires ACPI's RSDP, and the BIOS has none";
	if ((k.need & (1u << MB2_TAG_ACPI_OLD) && !in.rsdp_old) ||
	    (k.need & (1u << MB2_TAG_ACPI_NEW) && !in.rsdp_new))
		goto refuse;
	in.cmdline = e->cmdline ? e->cmdline : "";
	in.loader_name = LOADER_NAME;
	in.mods = mods;
	in.nmods = e->ninitrd;
	in.map = mm->map;
	in.count = mm->count;
	in.mem_lower = MIN(mm->low_kib, 640u);
	/* KiB from 1 MiB to the end of its usable range: "maximally the
	 * address of the first upper memory hole minus 1 megabyte" (MB1 3.3). */
	in.mem_upper = (uint32_t)((MIN(load_usable_end(mm, MB_LOW_LIMIT), 0x100000000ull) - MB_LOW_LIMIT) >> 10);
	in.drive = boot_source.drive;
	in.partition = boot_source.partition ? (uint8_t)(boot_source.partition - 1) : 0xFF;
	in.load_base = k.load_start;

	/* Where everything goes, before anything is read. */
	uint32_t info_size = mb_build_info(&k, &in, NULL, 0, 0);
	why = mb_place(&k, mm->map, mm->count, mod_size, e->ninitrd, info_size, &at);
	if (why)
		goto refuse;

	for (int i = 0; i < k.nseg; i++) {
		const struct mb_segment *s = &k.seg[i];

		if (s->filesz && load_file(who, fs, &kernel, e->kernel, s->offset, s->addr, s->filesz) < 0)
			goto out;
		memset((uint8_t *)(uintptr_t)s->addr + s->filesz, 0, s->memsz - s->filesz);   /* bss */
	}
	for (int i = 0; i < e->ninitrd; i++) {
		if (load_file(who, fs, &mod[i], mod_path[i], 0, at.mod_addr[i], mod_size[i]) < 0)
			goto out;
		mods[i].start = at.mod_addr[i];
		mods[i].end = at.mod_addr[i] + (uint32_t)mod_size[i];
	}
	trace_phase("loaded");
	mb_build_info(&k, &in, (uint8_t *)(uintptr_t)at.info_addr, info_size, at.info_addr);
	TRACE("%s: information at 0x%x (%u bytes); modules from 0x%x\n", who, at.info_addr, info_size,
	      e->ninitrd ? at.mod_addr[0] : 0);
	printf("command line: %s\n", in.cmdline);
	native_release();                /* the disk controller as the BIOS left it */
	printf("booting (32-bit entry at 0x%x, Multiboot %d)\n", k.entry, version);
	multiboot_enter(version == 2 ? MB2_BOOT_MAGIC : MB1_BOOT_MAGIC, at.info_addr, k.entry);
refuse:
	printf("%s: %s: %s\n", who, e->kernel, why);
out:
	for (int i = 0; i < e->ninitrd; i++)
		free(mod_path[i]);
	free((void *)in.shdr);
	free((void *)in.shstr);
	free(head);
	return ret;
}
