/*
 * multiboot.c - the decisions of Multiboot 1 and 2, without the I/O: find
 * and check the kernel's header, plan its load (ELF program headers or the
 * header's addresses), place the modules and the information, build the
 * information.  multiboot_boot.c reads the files and jumps.
 *
 * Multiboot 0.6.96 ("the spec" for version 1) and Multiboot 2.0 are the
 * references; section numbers are given where a rule comes from.
 */
#include "proto/multiboot.h"

/* ELF (the System V ABI's gABI, "ELF Header" and "Program Header"). */
#define ELF_MAGIC        0x464C457Fu    /* "\177ELF" */
#define ELF_CLASS32      1
#define ELF_CLASS64      2
#define ELF_DATA_LSB     1
#define ELF_EXEC         2              /* e_type */
#define EM_386           3
#define EM_X86_64        62
#define PT_LOAD          1
#define ELF32_PHDR_SIZE  32
#define ELF64_PHDR_SIZE  56
#define ELF32_SHDR_SIZE  40
#define ELF64_SHDR_SIZE  64
#define FOUR_GIB         0x100000000ull
#define MAX_PHDRS        64             /* more is not a kernel we can place */

static char why[160];                  /* the message mb_check()/mb_place() return */

static const char *say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return why;
}

/* Little-endian reads at any alignment: the file's bytes are untrusted. */
static uint32_t get16(const uint8_t *p) { return p[0] | p[1] << 8; }
static uint32_t get32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t get64(const uint8_t *p) { return get32(p) | (uint64_t)get32(p + 4) << 32; }

#define PAGE_UP(x) (((x) + MB_PAGE - 1) & ~(uint64_t)(MB_PAGE - 1))

/* ---- Loading by addresses: MB1's a.out kludge, MB2's address tag ---------- */

/*
 * The header at file offset hoff says it is loaded at header_addr; the
 * image starts load_addr, so at file offset hoff - (header_addr - load_addr)
 * (spec 3.1.3).  load_end 0: to the end of the file; bss_end 0: no bss.
 */
static const char *plan_addresses(struct mb_kernel *k, uint64_t file_size, uint32_t hoff,
				  uint32_t header_addr, uint32_t load_addr, uint32_t load_end,
				  uint32_t bss_end, uint32_t entry)
{
	if (load_addr > header_addr || header_addr - load_addr > hoff)
		return say("address fields: load_addr 0x%x does not fit header_addr 0x%x at offset 0x%x",
			   load_addr, header_addr, hoff);
	uint32_t offset = hoff - (header_addr - load_addr);
	uint64_t in_file = file_size - offset;

	if (load_end == 0)
		load_end = in_file > FOUR_GIB - load_addr ? 0 : load_addr + (uint32_t)in_file;
	if (load_end <= load_addr || load_end - load_addr > in_file)
		return say("address fields: load_end_addr 0x%x is not within the file (load_addr 0x%x, "
			   "%llu bytes)", load_end, load_addr, (unsigned long long)in_file);
	if (bss_end == 0)
		bss_end = load_end;
	if (bss_end < load_end)
		return say("address fields: bss_end_addr 0x%x is below load_end_addr 0x%x", bss_end, load_end);
	if (entry < load_addr || entry >= bss_end)
		return say("address fields: entry_addr 0x%x is outside the image (0x%x-0x%x)",
			   entry, load_addr, bss_end);
	k->aout_kludge = true;
	k->nseg = 1;
	k->seg[0] = (struct mb_segment){ offset, load_addr, load_end - load_addr, bss_end - load_addr };
	k->entry = entry;
	return NULL;
}

/* ---- Loading by ELF program headers ------------------------------------------ */

static const char *plan_elf(struct mb_kernel *k, const uint8_t *h, uint32_t len, uint64_t file_size)
{
	if (len < 64 || get32(h) != ELF_MAGIC)
		return say("not an ELF file, and its Multiboot header has no address fields");
	bool is64 = h[4] == ELF_CLASS64;
	uint32_t machine = get16(h + 18);

	if ((h[4] != ELF_CLASS32 && !is64) || h[5] != ELF_DATA_LSB)
		return say("ELF: not a little-endian ELF32 or ELF64 file");
	if (get16(h + 16) != ELF_EXEC)
		return say("ELF: not an executable (e_type %u)", get16(h + 16));
	if (machine != (is64 ? EM_X86_64 : EM_386))
		return say("ELF: machine %u is not x86 (%u for ELF%s)", machine,
			   is64 ? EM_X86_64 : EM_386, is64 ? "64" : "32");
	uint64_t entry = is64 ? get64(h + 24) : get32(h + 24);
	uint64_t phoff = is64 ? get64(h + 32) : get32(h + 28);
	uint32_t phentsize = get16(h + (is64 ? 54 : 42)), phnum = get16(h + (is64 ? 56 : 44));
	uint32_t want = is64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE;

	if (phnum == 0 || phnum > MAX_PHDRS || phentsize < want)
		return say("ELF: %u program headers of %u bytes", phnum, phentsize);
	if (phoff > len || (uint64_t)phnum * phentsize > len - phoff)
		return say("ELF: the program headers are not within the first %u bytes", len);

	k->elf64 = is64;
	k->nseg = 0;
	bool entry_found = false;
	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *p = h + phoff + (uint64_t)i * phentsize;
		uint64_t off, vaddr, paddr, filesz, memsz;

		if (get32(p) != PT_LOAD)
			continue;
		if (is64) {
			off = get64(p + 8); vaddr = get64(p + 16); paddr = get64(p + 24);
			filesz = get64(p + 32); memsz = get64(p + 40);
		} else {
			off = get32(p + 4); vaddr = get32(p + 8); paddr = get32(p + 12);
			filesz = get32(p + 16); memsz = get32(p + 20);
		}
		if (memsz == 0)
			continue;
		if (filesz > memsz)
			return say("ELF: segment %u has more bytes in the file (%llu) than in memory (%llu)",
				   i, (unsigned long long)filesz, (unsigned long long)memsz);
		if (off > file_size || filesz > file_size - off)
			return say("ELF: segment %u (offset 0x%llx, %llu bytes) passes the end of the file",
				   i, (unsigned long long)off, (unsigned long long)filesz);
		/* The physical address (p_paddr) is where it goes: we do not
		 * page, so a kernel linked high loads low by it. */
		if (paddr >= FOUR_GIB || memsz > FOUR_GIB - paddr)
			return say("ELF: segment %u at 0x%llx (%llu bytes) is not below 4 GiB",
				   i, (unsigned long long)paddr, (unsigned long long)memsz);
		if (k->nseg == MB_MAX_SEGMENTS)
			return say("ELF: more than %u loadable segments", MB_MAX_SEGMENTS);
		k->seg[k->nseg++] = (struct mb_segment){ off, (uint32_t)paddr, (uint32_t)filesz, (uint32_t)memsz };
		/* The entry is a virtual address: translate it by the segment
		 * that holds it, as the ELF loaders of GRUB and QEMU do. */
		if (!entry_found && entry >= vaddr && entry - vaddr < memsz) {
			k->entry = (uint32_t)(entry - vaddr + paddr);
			entry_found = true;
		}
	}
	if (k->nseg == 0)
		return say("ELF: no loadable segment");
	if (!entry_found)
		return say("ELF: the entry point 0x%llx is in no loadable segment", (unsigned long long)entry);

	/* The section headers, for the ELF sections information. */
	k->shoff = is64 ? get64(h + 40) : get32(h + 32);
	k->shentsize = get16(h + (is64 ? 58 : 46));
	k->shnum = get16(h + (is64 ? 60 : 48));
	k->shstrndx = get16(h + (is64 ? 62 : 50));
	if (k->shentsize != (is64 ? ELF64_SHDR_SIZE : ELF32_SHDR_SIZE) || k->shnum == 0 ||
	    k->shoff > file_size || (uint64_t)k->shnum * k->shentsize > file_size - k->shoff ||
	    k->shstrndx >= k->shnum)
		k->shnum = 0;                  /* none, or not usable: no ELF sections information */
	return NULL;
}

/* ---- The headers ------------------------------------------------------------- */

static const char *check_mb1(struct mb_kernel *k, const uint8_t *head, uint32_t len, uint64_t file_size)
{
	uint32_t limit = MIN(len, MB1_SEARCH), off;

	for (off = 0; off + 12 <= limit; off += MB1_HEADER_ALIGN)
		if (get32(head + off) == MB1_HEADER_MAGIC)
			break;
	if (off + 12 > limit)
		return say("no Multiboot 1 header (magic 0x%08x) in the first %u bytes", MB1_HEADER_MAGIC, MB1_SEARCH);
	const uint8_t *h = head + off;
	uint32_t flags = get32(h + 4);

	if (get32(h) + flags + get32(h + 8) != 0)
		return say("Multiboot 1 header at 0x%x: bad checksum (magic + flags + checksum = 0x%x, not 0)",
			   off, get32(h) + flags + get32(h + 8));
	k->version = 1;
	k->header_offset = off;
	if (flags & MB1_REQUIRED_BITS & ~MB1_KNOWN)
		return say("Multiboot 1 header asks for features smartboot does not know (flags 0x%08x, "
			   "required bits 0x%04x)", flags, flags & MB1_REQUIRED_BITS & ~MB1_KNOWN);
	uint32_t need = flags & MB1_VIDEO_MODE ? 48 : flags & MB1_ADDRESSES ? 32 : 12;
	if (off + need > len)
		return say("Multiboot 1 header at 0x%x: its fields pass the end of the file", off);
	if (flags & MB1_VIDEO_MODE) {
		uint32_t mode = get32(h + 32), w = get32(h + 36), ht = get32(h + 40);

		/* EGA text is what the BIOS left us in; a graphics mode would take
		 * VBE, which smartboot does not do.  Width/height 0: no preference. */
		if (mode != MB1_MODE_EGA_TEXT)
			return say("the kernel asks for a graphics video mode (flags bit 2, mode_type %u, "
				   "%ux%ux%u); smartboot gives EGA text only", mode, w, ht, get32(h + 44));
		if ((w && w != MB_EGA_COLS) || (ht && ht != MB_EGA_ROWS))
			return say("the kernel asks for a %ux%u text mode; smartboot gives 80x25 only", w, ht);
		k->ega_text = true;
	}
	/* Bit 16 makes the address fields authoritative even in an ELF
	 * file (spec 3.1.2), as GRUB and QEMU read it. */
	if (flags & MB1_ADDRESSES)
		return plan_addresses(k, file_size, off, get32(h + 12), get32(h + 16), get32(h + 20),
				      get32(h + 24), get32(h + 28));
	return plan_elf(k, head, len, file_size);
}

static const char *check_mb2(struct mb_kernel *k, const uint8_t *head, uint32_t len, uint64_t file_size)
{
	uint32_t limit = MIN(len, MB2_SEARCH), off;

	for (off = 0; off + 16 <= limit; off += MB2_ALIGN)
		if (get32(head + off) == MB2_HEADER_MAGIC)
			break;
	if (off + 16 > limit)
		return say("no Multiboot 2 header (magic 0x%08x) in the first %u bytes", MB2_HEADER_MAGIC, MB2_SEARCH);
	const uint8_t *h = head + off;
	uint32_t arch = get32(h + 4), hlen = get32(h + 8);

	if (get32(h) + arch + hlen + get32(h + 12) != 0)
		return say("Multiboot 2 header at 0x%x: bad checksum", off);
	k->version = 2;
	k->header_offset = off;
	if (arch != MB2_ARCH_I386)
		return say("Multiboot 2 header: architecture %u is not i386 (0)", arch);
	if (hlen < 16 + 8 || hlen > len - off)
		return say("Multiboot 2 header: header_length %u is out of range", hlen);

	/* Everything we always give; an information request adds to it. */
	k->want = (1u << MB2_TAG_CMDLINE) | (1u << MB2_TAG_LOADER_NAME) | (1u << MB2_TAG_MODULE) |
		  (1u << MB2_TAG_BASIC_MEMINFO) | (1u << MB2_TAG_BOOTDEV) | (1u << MB2_TAG_MMAP) |
		  (1u << MB2_TAG_ACPI_OLD) | (1u << MB2_TAG_ACPI_NEW) | (1u << MB2_TAG_ELF_SECTIONS) |
		  (1u << MB2_TAG_LOAD_BASE);
	const uint8_t *addresses = NULL;
	uint32_t entry = 0;
	bool has_entry = false, end = false;
	for (uint32_t t = 16; t + 8 <= hlen && !end; ) {
		const uint8_t *tag = h + t;
		uint32_t type = get16(tag), size = get32(tag + 4);
		bool optional = get16(tag + 2) & MB2_HTAG_OPTIONAL;

		if (size < 8 || size > hlen - t)
			return say("Multiboot 2 header: tag %u at 0x%x has size %u", type, off + t, size);
		switch (type) {
		case MB2_HTAG_END:
			end = true;
			break;
		case MB2_HTAG_INFO_REQUEST:
			for (uint32_t i = 8; i + 4 <= size; i += 4) {
				uint32_t want = get32(tag + i);

				if (want < 32 && (MB2_CAN_GIVE >> want & 1)) {
					k->want |= 1u << want;
					if (!optional)
						k->need |= 1u << want;
				} else if (!optional) {
					return say("the kernel requires information tag %u, which smartboot cannot "
						   "give (Multiboot 2 information request)", want);
				}
			}
			break;
		case MB2_HTAG_ADDRESS:
			if (size < 24)
				return say("Multiboot 2 header: address tag of %u bytes", size);
			addresses = tag;
			break;
		case MB2_HTAG_ENTRY:
			if (size < 12)
				return say("Multiboot 2 header: entry address tag of %u bytes", size);
			entry = get32(tag + 8);
			has_entry = true;
			break;
		case MB2_HTAG_FRAMEBUFFER:
			/* A required framebuffer means a graphics mode (VBE): refuse;
			 * optional, the kernel gets the EGA text screen described. */
			if (!optional)
				return say("the kernel requires a graphics framebuffer (%ux%ux%u, Multiboot 2 "
					   "framebuffer tag); smartboot gives EGA text only",
					   size >= 20 ? get32(tag + 8) : 0, size >= 20 ? get32(tag + 12) : 0,
					   size >= 20 ? get32(tag + 16) : 0);
			k->ega_text = true;
			k->want |= 1u << MB2_TAG_FRAMEBUFFER;
			break;
		case MB2_HTAG_CONSOLE:        /* EGA text is there, whatever it asks */
		case MB2_HTAG_MODULE_ALIGN:   /* modules are always page-aligned */
		case MB2_HTAG_EFI_BS:         /* EFI only: meaningless on a BIOS */
		case MB2_HTAG_ENTRY_EFI32:
		case MB2_HTAG_ENTRY_EFI64:
		case MB2_HTAG_RELOCATABLE:    /* loaded at its preferred address */
			break;
		default:
			if (!optional)
				return say("the kernel requires Multiboot 2 header tag %u, unknown to smartboot", type);
		}
		t = (t + size + MB2_ALIGN - 1) & ~(MB2_ALIGN - 1);
	}
	if (!end)
		return say("Multiboot 2 header: no end tag within header_length %u", hlen);

	const char *err = addresses ?
		plan_addresses(k, file_size, off, get32(addresses + 8), get32(addresses + 12),
			       get32(addresses + 16), get32(addresses + 20), has_entry ? entry : get32(addresses + 12)) :
		plan_elf(k, head, len, file_size);
	if (err)
		return err;
	if (has_entry)
		k->entry = entry;
	if (!(k->shnum))
		k->want &= ~(1u << MB2_TAG_ELF_SECTIONS);
	if (k->need & ~k->want)
		return say("the kernel requires ELF section headers, and its file has none usable");
	return NULL;
}

const char *mb_check(const uint8_t *head, uint32_t head_len, uint64_t file_size, int version,
		     struct mb_kernel *k)
{
	const char *err;

	memset(k, 0, sizeof(*k));
	if (head_len > file_size)
		head_len = (uint32_t)file_size;
	err = version == 2 ? check_mb2(k, head, head_len, file_size) : check_mb1(k, head, head_len, file_size);
	if (err)
		return err;

	k->load_start = UINT32_MAX;
	for (int i = 0; i < k->nseg; i++) {
		k->load_start = MIN(k->load_start, k->seg[i].addr);
		k->load_end = MAX(k->load_end, k->seg[i].addr + k->seg[i].memsz);
	}
	if (k->load_start < MB_LOW_LIMIT)
		return say("the kernel loads at 0x%x, below 1 MiB, where the BIOS and smartboot are",
			   k->load_start);
	for (int i = 0; i < k->nseg; i++)
		for (int j = i + 1; j < k->nseg; j++)
			if (k->seg[i].addr < k->seg[j].addr + k->seg[j].memsz &&
			    k->seg[j].addr < k->seg[i].addr + k->seg[i].memsz)
				return say("ELF: segments %d and %d overlap (0x%x, 0x%x)", i, j,
					   k->seg[i].addr, k->seg[j].addr);
	return NULL;
}

/* ---- Placing the modules and the information ------------------------------------ */

/* The usable range holding [start, end), or -1. */
static int usable_range(const struct e820_entry *map, int count, uint64_t start, uint64_t end)
{
	for (int i = 0; i < count; i++)
		if (map[i].type == E820_USABLE && start >= map[i].addr && end <= map[i].addr + map[i].size)
			return i;
	return -1;
}

const char *mb_place(const struct mb_kernel *k, const struct e820_entry *map, int count,
		     const uint64_t *mod_size, int nmods, uint32_t info_size, struct mb_layout *out)
{
	/* Each segment alone must be in RAM: a kernel with a hole between
	 * segments may straddle a reserved range. */
	for (int i = 0; i < k->nseg; i++)
		if (usable_range(map, count, k->seg[i].addr, (uint64_t)k->seg[i].addr + k->seg[i].memsz) < 0)
			return say("the kernel's segment at 0x%x-0x%x is not in usable RAM",
				   k->seg[i].addr, k->seg[i].addr + k->seg[i].memsz);
	if (nmods > MB_MAX_MODULES)
		return say("%d modules; smartboot takes at most %d", nmods, MB_MAX_MODULES);

	/* The modules, each on a page (Multiboot 1 flag 0, Multiboot 2's
	 * module alignment tag; we always do it), then the information,
	 * all after the kernel: they never overlap it or each other. */
	uint64_t at = PAGE_UP((uint64_t)k->load_end);
	for (int i = 0; i < nmods; i++) {
		if (mod_size[i] > FOUR_GIB)
			return say("module %d: too large", i + 1);
		if (usable_range(map, count, at, at + mod_size[i]) < 0)
			return say("module %d (%llu bytes) does not fit in usable RAM after 0x%llx", i + 1,
				   (unsigned long long)mod_size[i], (unsigned long long)at);
		out->mod_addr[i] = (uint32_t)at;
		at = PAGE_UP(at + mod_size[i]);
	}
	if (usable_range(map, count, at, at + info_size) < 0 || at + info_size >= FOUR_GIB)
		return say("the Multiboot information (%u bytes) does not fit in usable RAM after 0x%llx",
			   info_size, (unsigned long long)at);
	out->info_addr = (uint32_t)at;
	out->end = (uint32_t)(at + info_size);
	return NULL;
}

uint32_t mb_mem_upper(const struct e820_entry *map, int count)
{
	/* The range that starts at (or covers) 1 MiB, to its end: "maximally
	 * the address of the first upper memory hole minus 1 megabyte"
	 * (spec 3.3).  Neighbours are merged by e820_sanitize(). */
	int i = usable_range(map, count, MB_LOW_LIMIT, MB_LOW_LIMIT + 1);
	uint64_t end;

	if (i < 0)
		return 0;
	end = MIN(map[i].addr + map[i].size, FOUR_GIB);
	return (uint32_t)((end - MB_LOW_LIMIT) >> 10);
}

/* ---- Building the information ---------------------------------------------------- */

/* A writer that counts when there is no buffer, and stops at the end. */
struct out { uint8_t *buf; uint32_t size, used, phys; bool full; };

static uint32_t put(struct out *o, const void *src, uint32_t n, uint32_t align)
{
	uint32_t at = (o->used + align - 1) & ~(align - 1);

	if (at + n < at || at + n > o->size) {
		o->full = true;
		o->used = o->size;
		return 0;
	}
	if (o->buf) {
		memset(o->buf + o->used, 0, at - o->used);
		if (src)
			memcpy(o->buf + at, src, n);
		else
			memset(o->buf + at, 0, n);
	}
	o->used = at + n;
	return at;
}

static uint32_t put_string(struct out *o, const char *s)
{
	return o->phys + put(o, s ? s : "", (uint32_t)strlen(s ? s : "") + 1, 1);
}

static void set32(struct out *o, uint32_t at, uint32_t v)
{
	if (o->buf && !o->full)
		memcpy(o->buf + at, &v, 4);
}

/* The section headers, with the names' section (if it was not loaded with
 * the kernel) copied into the information and its address filled in.
 * Returns the headers' offset in o. */
static uint32_t put_sections(struct out *o, const struct mb_kernel *k, const struct mb_boot_info *in)
{
	uint32_t str = 0, n = k->shnum * k->shentsize;
	uint32_t addr_field = k->elf64 ? 16 : 12;      /* sh_addr */
	uint32_t at;

	if (in->shstr)
		str = o->phys + put(o, in->shstr, in->shstr_len, 8);
	at = put(o, in->shdr, n, 8);
	if (in->shstr && o->buf && !o->full) {
		uint8_t *sh = o->buf + at + k->shstrndx * k->shentsize + addr_field;
		memset(sh, 0, k->elf64 ? 8 : 4);
		memcpy(sh, &str, 4);
	}
	return at;
}

static uint32_t build_mb1(struct out *o, const struct mb_kernel *k, const struct mb_boot_info *in)
{
	struct mb1_info info;
	uint32_t at = put(o, NULL, sizeof(info), 8);

	memset(&info, 0, sizeof(info));
	info.flags = MB1_INFO_MEMORY | MB1_INFO_BOOTDEV | MB1_INFO_CMDLINE | MB1_INFO_MODS |
		     MB1_INFO_MMAP | MB1_INFO_LOADER_NAME;
	info.mem_lower = in->mem_lower;
	info.mem_upper = in->mem_upper;
	/* drive, then the partition (0-based) and two sub-levels, 0xFF unused. */
	info.boot_device = (uint32_t)in->drive << 24 | (uint32_t)in->partition << 16 | 0xFFFF;
	info.cmdline = put_string(o, in->cmdline);
	info.boot_loader_name = put_string(o, in->loader_name);

	info.mmap_addr = o->phys + put(o, NULL, 0, 8);
	for (int i = 0; i < in->count; i++) {
		struct mb1_mmap_entry e = { sizeof(e) - 4, in->map[i].addr, in->map[i].size, in->map[i].type };
		put(o, &e, sizeof(e), 4);
	}
	info.mmap_length = (uint32_t)in->count * sizeof(struct mb1_mmap_entry);

	struct mb1_module mods[MB_MAX_MODULES];
	for (int i = 0; i < in->nmods && i < MB_MAX_MODULES; i++)
		mods[i] = (struct mb1_module){ in->mods[i].start, in->mods[i].end,
					       put_string(o, in->mods[i].string), 0 };
	info.mods_count = (uint32_t)MIN(in->nmods, MB_MAX_MODULES);
	info.mods_addr = o->phys + put(o, mods, info.mods_count * sizeof(mods[0]), 4);

	if (k->shnum && in->shdr) {
		info.flags |= MB1_INFO_ELF_SHDR;
		info.shdr_num = k->shnum;
		info.shdr_size = k->shentsize;
		info.shdr_addr = o->phys + put_sections(o, k, in);
		info.shdr_shndx = k->shstrndx;
	}
	if (k->ega_text) {
		info.flags |= MB1_INFO_FRAMEBUFFER;
		info.framebuffer_addr = MB_EGA_TEXT_ADDR;
		info.framebuffer_pitch = MB_EGA_COLS * 2;      /* a character and its attribute */
		info.framebuffer_width = MB_EGA_COLS;
		info.framebuffer_height = MB_EGA_ROWS;
		info.framebuffer_bpp = 16;
		info.framebuffer_type = MB_FB_EGA_TEXT;
	}
	if (o->buf && !o->full)
		memcpy(o->buf + at, &info, sizeof(info));
	return at;
}

/* MB2: a tag head; returns its offset (the size is set by tag_end). */
static uint32_t tag_start(struct out *o, uint32_t type)
{
	uint32_t head[2] = { type, 0 };

	return put(o, head, sizeof(head), MB2_ALIGN);
}

static void tag_end(struct out *o, uint32_t at)
{
	set32(o, at + 4, o->used - at);
}

static void tag_u32s(struct out *o, uint32_t type, const uint32_t *v, uint32_t n)
{
	uint32_t at = tag_start(o, type);

	put(o, v, n * 4, 4);
	tag_end(o, at);
}

static void tag_string(struct out *o, uint32_t type, const char *s)
{
	uint32_t at = tag_start(o, type);

	put_string(o, s);
	tag_end(o, at);
}

static void build_mb2(struct out *o, const struct mb_kernel *k, const struct mb_boot_info *in)
{
	uint32_t fixed[2] = { 0, 0 };            /* total_size, reserved */
	uint32_t at, w = k->want;

	put(o, fixed, sizeof(fixed), MB2_ALIGN);
	if (w & 1u << MB2_TAG_CMDLINE)
		tag_string(o, MB2_TAG_CMDLINE, in->cmdline);
	if (w & 1u << MB2_TAG_LOADER_NAME)
		tag_string(o, MB2_TAG_LOADER_NAME, in->loader_name);
	for (int i = 0; i < in->nmods && (w & 1u << MB2_TAG_MODULE); i++) {
		at = tag_start(o, MB2_TAG_MODULE);
		put(o, &in->mods[i].start, 4, 4);
		put(o, &in->mods[i].end, 4, 4);
		put(o, in->mods[i].string ? in->mods[i].string : "", (uint32_t)strlen(in->mods[i].string ? in->mods[i].string : "") + 1, 1);
		tag_end(o, at);
	}
	if (w & 1u << MB2_TAG_BASIC_MEMINFO)
		tag_u32s(o, MB2_TAG_BASIC_MEMINFO, (const uint32_t[]){ in->mem_lower, in->mem_upper }, 2);
	if (w & 1u << MB2_TAG_BOOTDEV)
		tag_u32s(o, MB2_TAG_BOOTDEV, (const uint32_t[]){ in->drive,
			 in->partition == 0xFF ? 0xFFFFFFFFu : in->partition, 0xFFFFFFFFu }, 3);
	if (w & 1u << MB2_TAG_MMAP) {
		at = tag_start(o, MB2_TAG_MMAP);
		put(o, (const uint32_t[]){ MB2_MMAP_ENTRY_SIZE, 0 }, 8, 4);
		for (int i = 0; i < in->count; i++) {
			uint32_t tail[2] = { in->map[i].type, 0 };

			put(o, &in->map[i].addr, 8, 4);
			put(o, &in->map[i].size, 8, 4);
			put(o, tail, 8, 4);
		}
		tag_end(o, at);
	}
	if ((w & 1u << MB2_TAG_FRAMEBUFFER) && k->ega_text) {
		uint64_t addr = MB_EGA_TEXT_ADDR;
		uint32_t geometry[3] = { MB_EGA_COLS * 2, MB_EGA_COLS, MB_EGA_ROWS };
		uint8_t kind[4] = { 16, MB_FB_EGA_TEXT, 0, 0 };      /* bpp, type, reserved u16 */

		at = tag_start(o, MB2_TAG_FRAMEBUFFER);
		put(o, &addr, 8, 4);
		put(o, geometry, sizeof(geometry), 4);
		put(o, kind, sizeof(kind), 1);
		tag_end(o, at);
	}
	if ((w & 1u << MB2_TAG_ELF_SECTIONS) && k->shnum && in->shdr) {
		at = tag_start(o, MB2_TAG_ELF_SECTIONS);
		put(o, (const uint32_t[]){ k->shnum, k->shentsize, k->shstrndx }, 12, 4);
		/* The names' section inside the tag, after the headers (the
		 * kernel reads num headers and skips the rest of the tag). */
		uint32_t sh = put(o, in->shdr, k->shnum * k->shentsize, 4);
		if (in->shstr) {
			uint32_t str = o->phys + put(o, in->shstr, in->shstr_len, MB2_ALIGN);
			uint32_t field = sh + k->shstrndx * k->shentsize + (k->elf64 ? 16 : 12);

			if (o->buf && !o->full) {
				memset(o->buf + field, 0, k->elf64 ? 8 : 4);
				memcpy(o->buf + field, &str, 4);
			}
		}
		tag_end(o, at);
	}
	if ((w & 1u << MB2_TAG_ACPI_OLD) && in->rsdp_old) {
		at = tag_start(o, MB2_TAG_ACPI_OLD);
		put(o, in->rsdp_old, 20, 1);
		tag_end(o, at);
	}
	if ((w & 1u << MB2_TAG_ACPI_NEW) && in->rsdp_new) {
		at = tag_start(o, MB2_TAG_ACPI_NEW);
		put(o, in->rsdp_new, in->rsdp_new_len, 1);
		tag_end(o, at);
	}
	if (w & 1u << MB2_TAG_LOAD_BASE)
		tag_u32s(o, MB2_TAG_LOAD_BASE, &in->load_base, 1);
	at = tag_start(o, MB2_TAG_END);
	tag_end(o, at);
	set32(o, 0, o->used);
}

uint32_t mb_build_info(const struct mb_kernel *k, const struct mb_boot_info *in, uint8_t *buf,
		       uint32_t size, uint32_t phys)
{
	struct out o = { buf, buf ? size : UINT32_MAX, 0, phys, false };

	if (k->version == 2)
		build_mb2(&o, k, in);
	else
		build_mb1(&o, k, in);
	return o.full ? 0 : o.used;
}
