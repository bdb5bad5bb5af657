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
#define MAX_PHDRS        64             /* more is not a kernel we can place */
#define SHT_NOBITS       8              /* a section with no bytes in the file (a .bss) */
#define ELF32_SHDR_SIZE  40
#define ELF64_SHDR_SIZE  64

static char why[128];                  /* the message mb_check()/mb_place() return */

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

#define PAGE_UP(x) (((x) + MB_PAGE - 1) & ~(MB_PAGE - 1))

/*
 * Everything here is 32-bit: the kernel file is below 4 GiB (checked
 * first) and so must be every address it loads at; an ELF64 field is read
 * as its low half, and its high half must be zero.  32-bit arithmetic is a
 * third of the code of 64-bit on i386, and stage 2 is short of room.
 */

/* ---- Loading by addresses: MB1's a.out kludge ------------------------------- */

/*
 * a: header_addr, load_addr, load_end_addr, bss_end_addr: MB1's header
 * fields (flag 16) and MB2's address tag (2) alike.  The header at file
 * offset hoff says it is loaded at header_addr; the image starts at
 * load_addr, so at file offset hoff - (header_addr - load_addr) (MB1 3.1.3,
 * MB2 3.1.5).  load_end 0: to the end of the file; bss_end 0: no bss.
 */
static const char *plan_addresses(struct mb_kernel *k, uint32_t file_size, uint32_t hoff,
				  const uint32_t a[4], uint32_t entry)
{
	uint32_t header_addr = a[0], load = a[1], load_end = a[2], bss_end = a[3];
	uint32_t offset = hoff - (header_addr - load), in_file = file_size - offset;

	if (load_end == 0)
		load_end = load + in_file;
	if (bss_end == 0)
		bss_end = load_end;
	/* The header inside the image, the loaded bytes inside the file, the
	 * bss after them, the entry inside. */
	if (load > header_addr || header_addr - load > hoff || load_end <= load || load_end - load > in_file ||
	    bss_end < load_end || entry < load || entry >= bss_end)
		return say("address fields do not fit the file (load_addr 0x%x, entry 0x%x)", load, entry);
	k->nseg = 1;
	k->seg[0] = (struct mb_segment){ offset, load, load_end - load, bss_end - load };
	k->entry = entry;
	return NULL;
}

/* ---- Loading by ELF program headers ------------------------------------------ */

/* Where ELF32 and ELF64 keep e_entry and e_phoff, and a program header's
 * p_offset, p_vaddr, p_paddr, p_filesz and p_memsz (gABI, "ELF Header",
 * "Program Header"). */
enum { P_OFFSET, P_VADDR, P_PADDR, P_FILESZ, P_MEMSZ, P_FIELDS };
static const uint8_t ehdr_at[2][2] = { { 24, 28 }, { 24, 32 } };
static const uint8_t phdr_at[2][P_FIELDS] = { { 4, 8, 12, 16, 20 }, { 8, 16, 24, 32, 40 } };

static const char *plan_elf(struct mb_kernel *k, const uint8_t *h, uint32_t len, uint32_t file_size)
{
	bool is64 = h[4] == ELF_CLASS64, entry_found = false;

	if (len < 64 || get32(h) != ELF_MAGIC)
		return say("not ELF, and no address fields (flag 16)");
	if ((h[4] != ELF_CLASS32 && !is64) || h[5] != ELF_DATA_LSB || get16(h + 16) != ELF_EXEC ||
	    get16(h + 18) != (is64 ? EM_X86_64 : EM_386))
		return say("ELF: not an x86 executable");
	/* ELF64: the low halves (a higher-half entry translates as well by
	 * them as by the whole addresses). */
	uint32_t entry = get32(h + ehdr_at[is64][0]), phoff = get32(h + ehdr_at[is64][1]);
	uint32_t phentsize = get16(h + (is64 ? 54 : 42)), phnum = get16(h + (is64 ? 56 : 44));

	if (phnum == 0 || phnum > MAX_PHDRS ||
	    phentsize < (is64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE) || phoff > len || phnum * phentsize > len - phoff)
		return "ELF: bad entry or program headers";

	/* The section header table: e_shoff, e_shentsize, e_shnum,
	 * e_shstrndx.  e_shnum 0: none (or more than 0xFF00, which the gABI
	 * keeps in section 0: more than we pass on anyway).  Read and checked
	 * entry by entry later (mb_sections()): it is usually at the end of
	 * the file, far past the head. */
	struct mb_sections *sh = &k->sh;
	uint32_t shoff = get32(h + (is64 ? 40 : 32)), shoff_high = is64 ? get32(h + 44) : 0;
	sh->entsize = get16(h + (is64 ? 58 : 46));
	sh->num = get16(h + (is64 ? 60 : 48));
	sh->shndx = get16(h + (is64 ? 62 : 50));
	k->is64 = is64;
	if (sh->num) {
		if (sh->num > MB_MAX_SECTIONS || sh->entsize < (is64 ? ELF64_SHDR_SIZE : ELF32_SHDR_SIZE) ||
		    sh->entsize > MB_MAX_SHENTSIZE || sh->shndx >= sh->num || shoff_high || shoff > file_size ||
		    sh->num * sh->entsize > file_size - shoff)
			return say("ELF: section header table: %u of %u bytes at 0x%x, names in %u: past the file, "
				   "or over %u", sh->num, sh->entsize, shoff, sh->shndx, MB_MAX_SECTIONS);
		sh->offset = shoff;
		sh->size = sh->num * sh->entsize;
	}

	for (uint32_t i = 0; i < phnum; i++) {
		const uint8_t *p = h + phoff + i * phentsize;
		uint32_t v[P_FIELDS];
		bool high = false;

		/* The high halves of an ELF64 segment's file and physical
		 * fields must be 0; its virtual address may be anything (a
		 * higher-half kernel's), only its low half is used. */
		for (int j = 0; j < P_FIELDS; j++) {
			v[j] = get32(p + phdr_at[is64][j]);
			high |= is64 && j != P_VADDR && get32(p + phdr_at[is64][j] + 4);
		}
		if (get32(p) != PT_LOAD || v[P_MEMSZ] == 0)
			continue;
		/* The physical address (p_paddr) is where it goes: we do not
		 * page, so a kernel linked high loads low by it. */
		if (high || v[P_MEMSZ] > UINT32_MAX - v[P_PADDR] || v[P_FILESZ] > v[P_MEMSZ] ||
		    v[P_OFFSET] > file_size || v[P_FILESZ] > file_size - v[P_OFFSET] || k->nseg == MB_MAX_SEGMENTS)
			return say("ELF: segment %u: past the file, above 4 GiB, or over %u", i, MB_MAX_SEGMENTS);
		k->seg[k->nseg++] = (struct mb_segment){ v[P_OFFSET], v[P_PADDR], v[P_FILESZ], v[P_MEMSZ] };
		/* The entry is a virtual address: translate it by the segment
		 * that holds it, as the ELF loaders of GRUB and QEMU do. */
		if (!entry_found && entry - v[P_VADDR] < v[P_MEMSZ]) {
			k->entry = entry - v[P_VADDR] + v[P_PADDR];
			entry_found = true;
		}
	}
	if (!entry_found)
		return say("ELF: entry 0x%x in no segment", entry);
	return NULL;
}

/* ---- The headers ------------------------------------------------------------- */

/* The first header: magic on an align boundary in the first limit bytes,
 * whose first words (n of them, the magic included) sum to 0. */
static const uint8_t *find_header(const uint8_t *head, uint32_t len, uint32_t magic, uint32_t limit,
				  uint32_t align, int n, const char **err)
{
	for (uint32_t off = 0; off + 4 * n <= MIN(len, limit); off += align) {
		const uint8_t *h = head + off;
		uint32_t sum = 0;

		if (get32(h) != magic)
			continue;
		for (int i = 0; i < n; i++)
			sum += get32(h + 4 * i);
		if (sum)
			*err = "bad checksum";
		return h;
	}
	*err = say("no header (magic 0x%x) in the first %u bytes", magic, limit);
	return NULL;
}

/* A text mode request smartboot honours: EGA's 80x25 (the screen the BIOS
 * left), or no preference (0).  The depth of a text mode is 0 (MB1 3.1.4,
 * MB2 3.1.10); any other depth asks for a graphics mode. */
static bool ega_text_fits(uint32_t width, uint32_t height, uint32_t depth)
{
	return depth == 0 && (width == 0 || width == MB_EGA_COLS) && (height == 0 || height == MB_EGA_ROWS);
}

static const char *check_mb1(struct mb_kernel *k, const uint8_t *head, uint32_t len, uint32_t file_size)
{
	const char *err = NULL;
	const uint8_t *h = find_header(head, len, MB1_HEADER_MAGIC, MB1_SEARCH, MB1_HEADER_ALIGN, 3, &err);

	if (err)
		return err;
	uint32_t off = (uint32_t)(h - head), flags = get32(h + 4);

	k->header_offset = off;
	if (flags & MB1_REQUIRED_BITS & ~MB1_KNOWN)
		return say("flags 0x%x: requirements smartboot does not know", flags);
	if (off + 32 > len)
		return "header cut off by the end of the file";
	/* A video mode (MB1 3.1.4): EGA text is what the BIOS left on the
	 * screen, and it is described to every kernel; a graphics mode would
	 * take VBE, which smartboot does not do. */
	if (flags & MB1_VIDEO_MODE) {
		if (off + sizeof(struct mb1_header) > len)
			return "header cut off by the end of the file";
		uint32_t type = get32(h + 32), w = get32(h + 36), ht = get32(h + 40), d = get32(h + 44);
		if (type != MB1_MODE_EGA_TEXT || !ega_text_fits(w, ht, d))
			return say("a video mode is required (flags bit 2: mode_type %u, %ux%ux%u); smartboot has "
				   "no VBE, only 80x25 EGA text", type, w, ht, d);
	}
	/* Bit 16 makes the address fields authoritative even in an ELF file
	 * (spec 3.1.2), as GRUB and QEMU read it. */
	if (flags & MB1_ADDRESSES) {
		const uint32_t a[4] = { get32(h + 12), get32(h + 16), get32(h + 20), get32(h + 24) };

		return plan_addresses(k, file_size, off, a, get32(h + 28));
	}
	return plan_elf(k, head, len, file_size);
}

static const char *check_mb2(struct mb_kernel *k, const uint8_t *head, uint32_t len, uint32_t file_size)
{
	const char *err = NULL;
	const uint8_t *h = find_header(head, len, MB2_HEADER_MAGIC, MB2_SEARCH, MB2_ALIGN, 4, &err);

	if (err)
		return err;
	uint32_t off = (uint32_t)(h - head), hlen = get32(h + 8);

	k->header_offset = off;
	if (get32(h + 4) != MB2_ARCH_I386)
		return "architecture is not i386 (0)";
	if (hlen < 16 + 8 || hlen > len - off)
		return "header_length out of range";

	/* Everything we always give; an information request adds to it. */
	const uint8_t *entry = NULL, *addresses = NULL;
	uint32_t t = 16;
	for (;;) {
		const uint8_t *tag = h + t;

		if (t + 8 > hlen || get32(tag + 4) < 8 || get32(tag + 4) > hlen - t)
			return "header tags: no end tag, or a bad size";
		uint32_t type = get16(tag), size = get32(tag + 4);
		bool optional = get16(tag + 2) & MB2_HTAG_OPTIONAL;
		if (type == MB2_HTAG_END)
			break;
		if (type == MB2_HTAG_INFO_REQUEST) {
			for (uint32_t i = 8; i + 4 <= size; i += 4) {
				uint32_t want = get32(tag + i);

				if (optional)
					continue;
				if (want >= 32 || !(MB2_CAN_GIVE >> want & 1))
					return say("requires information tag %u, which smartboot cannot give", want);
				k->need |= 1u << want;
			}
		} else if (type == MB2_HTAG_ENTRY && size >= 12) {
			entry = tag + 8;
		} else if (type == MB2_HTAG_ADDRESS && size >= 24) {
			/* Honoured required or not, as GRUB does: the image is
			 * loaded by these addresses, not as an ELF file. */
			addresses = tag + 8;
		} else if (type == MB2_HTAG_CONSOLE && size >= 12) {
			/* (3.1.9) A console is required, and EGA text, the one
			 * smartboot has, is not among the kernel's. */
			uint32_t flags = get32(tag + 8);
			if (!optional && (flags & MB2_CONSOLE_REQUIRED) && !(flags & MB2_CONSOLE_EGA_TEXT))
				return "requires a console other than EGA text (header tag 4); smartboot has only EGA text";
		} else if (type == MB2_HTAG_FRAMEBUFFER && size >= 20) {
			/* A preferred mode (3.1.10).  Text, 80x25 or no
			 * preference, is the screen every kernel gets described;
			 * a graphics mode would take VBE.  Optional: the kernel
			 * takes EGA text too. */
			uint32_t w = get32(tag + 8), ht = get32(tag + 12), d = get32(tag + 16);
			if (!optional && !ega_text_fits(w, ht, d))
				return say("requires a %ux%ux%u framebuffer (header tag 5); smartboot has no VBE, "
					   "only 80x25 EGA text", w, ht, d);
		} else if (!optional && (type >= 32 || !(MB2_HTAG_HARMLESS >> type & 1))) {
			return say("requires header tag %u, which smartboot cannot honour", type);
		}
		t = (t + size + MB2_ALIGN - 1) & ~(MB2_ALIGN - 1);
	}

	/* The address tag (3.1.5): a non-ELF image, loaded as MB1's flag 16
	 * loads one, with the entry from the entry tag, which must be there.
	 * load_addr -1: the file is loaded from its first byte. */
	if (addresses) {
		uint32_t a[4] = { get32(addresses), get32(addresses + 4), get32(addresses + 8), get32(addresses + 12) };

		if (!entry)
			return "header tag 2 (load addresses) without an entry address tag (3)";
		if (a[1] == UINT32_MAX)
			a[1] = a[0] - off;
		err = plan_addresses(k, file_size, off, a, get32(entry));
	} else {
		err = plan_elf(k, head, len, file_size);
		if (!err && entry)
			k->entry = get32(entry);
	}
	return err;
}

const char *mb_check(const uint8_t *head, uint32_t head_len, uint64_t file_size, int version,
		     struct mb_kernel *k)
{
	const char *err;

	memset(k, 0, sizeof(*k));
	k->version = version;
	if (file_size >= 0xFFFFFFFFu)
		return "4 GiB or larger";
	if (head_len > file_size)
		head_len = (uint32_t)file_size;
	err = version == 2 ? check_mb2(k, head, head_len, (uint32_t)file_size) :
			     check_mb1(k, head, head_len, (uint32_t)file_size);
	if (err)
		return err;

	k->load_start = UINT32_MAX;
	for (int i = 0; i < k->nseg; i++) {
		const struct mb_segment *s = &k->seg[i];

		k->load_start = MIN(k->load_start, s->addr);
		k->load_end = MAX(k->load_end, s->addr + s->memsz);
	}
	if (k->load_start < MB_LOW_LIMIT)
		return say("loads at 0x%x, below 1 MiB (the BIOS, smartboot)", k->load_start);
	/* The screen as the BIOS left it, 80x25 EGA text, is described to every
	 * kernel, as GRUB does in text mode (Multiboot 1 flag 12, Multiboot 2
	 * tag 8): a kernel learns where to write without asking. */
	k->ega_text = true;
	return NULL;
}

/* ---- The ELF sections ------------------------------------------------------------ */

/* A section header's sh_type, sh_addr, sh_offset, sh_size, sh_addralign
 * (gABI, "Sections"; ELF64's are 8 bytes wide, their high halves must be
 * 0 where we use them). */
enum { S_TYPE, S_ADDR, S_OFFSET, S_SIZE, S_ALIGN, S_FIELDS };
static const uint8_t shdr_at[2][S_FIELDS] = { { 4, 12, 16, 20, 32 }, { 4, 16, 24, 32, 48 } };

static uint32_t shdr_get(const struct mb_kernel *k, const uint8_t *table, uint32_t i, int field, bool *high)
{
	const uint8_t *p = table + i * k->sh.entsize + shdr_at[k->is64][field];

	if (k->is64 && field != S_TYPE)
		*high |= get32(p + 4) != 0;
	return get32(p);
}

/* Walk the sections smartboot loads, laying them out from base: each on
 * its sh_addralign.  Returns the area's size; set: write the addresses. */
static uint32_t layout_sections(const struct mb_kernel *k, uint8_t *table, uint32_t base, bool set)
{
	uint32_t at = 0;

	for (uint32_t i = 0; i < k->sh.num; i++) {
		bool high = false;
		uint32_t size = shdr_get(k, table, i, S_SIZE, &high), align = shdr_get(k, table, i, S_ALIGN, &high);

		if (!(k->sh.ours[i / 8] >> (i % 8) & 1))
			continue;
		at = (at + MAX(align, 1u) - 1) & ~(MAX(align, 1u) - 1);
		if (set) {
			uint8_t *p = table + i * k->sh.entsize + shdr_at[k->is64][S_ADDR];
			uint32_t addr = base + at;

			memcpy(p, &addr, 4);         /* the high half of an ELF64 one is 0 already */
		}
		at += size;
	}
	return at;
}

const char *mb_sections(struct mb_kernel *k, const uint8_t *table, uint64_t file_size)
{
	uint64_t area = 0;

	memset(k->sh.ours, 0, sizeof(k->sh.ours));
	for (uint32_t i = 0; i < k->sh.num; i++) {
		bool high = false, addr_high = false, size_high = false;
		uint32_t type = shdr_get(k, table, i, S_TYPE, &high), addr = shdr_get(k, table, i, S_ADDR, &addr_high),
			 offset = shdr_get(k, table, i, S_OFFSET, &high), size = shdr_get(k, table, i, S_SIZE, &size_high),
			 align = shdr_get(k, table, i, S_ALIGN, &high);

		/* GRUB's rule (multiboot_elfxx.c): a section with an address
		 * was loaded by the program headers (or is a higher-half
		 * kernel's: left alone); an empty one needs nothing.  Only
		 * the ones we load are checked: their bytes in the file, an
		 * alignment a page-aligned area can give, 32-bit fields. */
		if (addr || addr_high || (size == 0 && !size_high))
			continue;
		if (high || size_high || (type != SHT_NOBITS && (offset > file_size || size > file_size - offset)) ||
		    align > MB_PAGE || (align & (align - 1)))
			return say("ELF: section %u: past the file, above 4 GiB, or aligned on over a page", i);
		area = (area + MAX(align, 1u) - 1) & ~(uint64_t)(MAX(align, 1u) - 1);
		area += size;
		if (area > UINT32_MAX - MB_PAGE)
			return say("ELF: section %u: the sections pass 4 GiB", i);
		k->sh.ours[i / 8] |= (uint8_t)(1u << (i % 8));
	}
	k->sh.area = (uint32_t)area;
	return NULL;
}

void mb_section_addrs(const struct mb_kernel *k, uint8_t *table, uint32_t base)
{
	layout_sections(k, table, base, true);
}

bool mb_section(const struct mb_kernel *k, const uint8_t *table, uint32_t i, struct mb_segment *s)
{
	bool high = false;

	if (i >= k->sh.num || !(k->sh.ours[i / 8] >> (i % 8) & 1))
		return false;
	s->offset = shdr_get(k, table, i, S_OFFSET, &high);
	s->addr = shdr_get(k, table, i, S_ADDR, &high);
	s->memsz = shdr_get(k, table, i, S_SIZE, &high);
	s->filesz = shdr_get(k, table, i, S_TYPE, &high) == SHT_NOBITS ? 0 : s->memsz;
	return true;
}

/* ---- ACPI --------------------------------------------------------------------------- */

uint32_t mb_xsdp_len(const uint8_t *p)
{
	uint32_t len = get32(p + MB_XSDP_LENGTH);
	uint8_t sum = 0;

	if (p[MB_RSDP_REVISION] < 2 || len < MB_XSDP_MIN || len > MB_XSDP_MAX)
		return 0;
	for (uint32_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum ? 0 : len;
}

/* ---- Placing the modules and the information ------------------------------------ */

/* Is [start, start + len) inside one usable range?  (No wrap: len fits.) */
static bool usable(const struct e820_entry *map, int count, uint32_t start, uint32_t len)
{
	for (int i = 0; i < count; i++)
		if (map[i].type == E820_USABLE && start >= map[i].addr &&
		    (uint64_t)start + len <= map[i].addr + map[i].size)
			return true;
	return false;
}

const char *mb_place(const struct mb_kernel *k, const struct e820_entry *map, int count,
		     const uint32_t *mod_size, int nmods, uint32_t info_size, struct mb_layout *out)
{
	/* The kernel, from its first to its last byte, in one usable range;
	 * then its sections' area, then the modules, each on a page
	 * (Multiboot 1 flag 0, Multiboot 2's module alignment tag: we always
	 * do it), then the information, all after the kernel: nothing
	 * overlaps.  Piece i: 0 the kernel, 1 the sections, 2.. the modules,
	 * nmods + 2 the information. */
	uint32_t at = k->load_start, size = k->load_end - k->load_start;

	for (int i = 0; i <= nmods + 2; i++) {
		if (i == 1)
			size = k->sh.area;
		else if (i > 1)
			size = i - 2 < nmods ? mod_size[i - 2] : info_size;
		if (at < k->load_start || size > UINT32_MAX - at - MB_PAGE || (size && !usable(map, count, at, size)))
			return say("not enough usable RAM at 0x%x for %u bytes (the kernel, its sections, %d module(s), "
				   "then the information)", at, size, nmods);
		if (i == 1)
			out->sections_addr = at;
		else if (i > 1 && i - 2 < nmods)
			out->mod_addr[i - 2] = at;
		out->info_addr = at;
		at = PAGE_UP(at + size);
	}
	out->end = out->info_addr + info_size;
	return NULL;
}

/* ---- Building the information ---------------------------------------------------- */

/* A writer that counts when there is no buffer, and stops at the end. */
struct out { uint8_t *buf; uint32_t size, used, phys; bool full; };

/* Append n bytes of src (zeros if NULL) at the next multiple of align;
 * returns their offset. */
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

static void set32(struct out *o, uint32_t at, uint32_t v)
{
	if (o->buf && !o->full)
		memcpy(o->buf + at, &v, 4);
}

/* A C string; returns its physical address. */
static uint32_t put_string(struct out *o, const char *s)
{
	return o->phys + put(o, s, (uint32_t)strlen(s) + 1, 1);
}

/* EGA text as the framebuffer: the layout of Multiboot 1's fields from
 * framebuffer_addr to framebuffer_type and of Multiboot 2's tag 8 after
 * its head (which adds a reserved u16). */
static const struct {
	uint64_t addr;
	uint32_t pitch, width, height;
	uint8_t bpp, type;
	uint16_t reserved;
} __attribute__((packed)) ega_text = {
	MB_EGA_TEXT_ADDR, MB_EGA_COLS * 2, MB_EGA_COLS, MB_EGA_ROWS, 16, MB_FB_EGA_TEXT, 0
};
_Static_assert(sizeof(ega_text) == 24, "Multiboot 2 framebuffer tag: 24 bytes after the head");

static void build_mb1(struct out *o, const struct mb_kernel *k, const struct mb_boot_info *in)
{
	struct mb1_info info;
	struct mb1_module mods[MB_MAX_MODULES];
	int nmods = MIN(in->nmods, MB_MAX_MODULES);

	memset(&info, 0, sizeof(info));
	put(o, NULL, sizeof(info), 8);                  /* at offset 0; filled last */
	info.flags = MB1_INFO_MEMORY | MB1_INFO_BOOTDEV | MB1_INFO_CMDLINE | MB1_INFO_MODS |
		     MB1_INFO_MMAP | MB1_INFO_LOADER_NAME;
	info.mem_lower = in->mem_lower;
	info.mem_upper = in->mem_upper;
	/* The drive, then the partition (0-based) and two sub-levels, 0xFF
	 * unused: (hd0,msdos1) is 0x8000FFFF. */
	info.boot_device = (uint32_t)in->drive << 24 | (uint32_t)in->partition << 16 | 0xFFFF;
	info.cmdline = put_string(o, in->cmdline);
	info.boot_loader_name = put_string(o, in->loader_name);

	info.mmap_addr = o->phys + put(o, NULL, 0, 8);
	for (int i = 0; i < in->count; i++) {
		put(o, &(const uint32_t){ sizeof(struct mb1_mmap_entry) - 4 }, 4, 4);   /* size */
		put(o, &in->map[i], sizeof(in->map[i]), 1);      /* base, length, type */
	}
	info.mmap_length = (uint32_t)in->count * sizeof(struct mb1_mmap_entry);

	for (int i = 0; i < nmods; i++)
		mods[i] = (struct mb1_module){ in->mods[i].start, in->mods[i].end,
					       put_string(o, in->mods[i].string), 0 };
	info.mods_count = (uint32_t)nmods;
	info.mods_addr = o->phys + put(o, mods, (uint32_t)nmods * sizeof(mods[0]), 4);

	/* The section headers, with the addresses of the sections smartboot
	 * loaded: a copy in the information, as GRUB keeps it. */
	if (k->sh.num && in->shdr) {
		info.flags |= MB1_INFO_ELF_SHDR;
		info.shdr_num = k->sh.num;
		info.shdr_size = k->sh.entsize;
		info.shdr_addr = o->phys + put(o, in->shdr, k->sh.size, 8);
		info.shdr_shndx = k->sh.shndx;
	}
	if (k->ega_text) {
		info.flags |= MB1_INFO_FRAMEBUFFER;
		memcpy(&info.framebuffer_addr, &ega_text, 22);
	}
	if (o->buf && !o->full)
		memcpy(o->buf, &info, sizeof(info));
}

/* MB2: a tag of type: its head, then a and b (b may be a string), the size
 * set to what was written. */
static uint32_t tag(struct out *o, uint32_t type, const void *a, uint32_t alen, const char *b)
{
	uint32_t head[2] = { type, 0 }, at = put(o, head, sizeof(head), MB2_ALIGN);

	put(o, a, alen, 4);
	if (b)
		put(o, b, (uint32_t)strlen(b) + 1, 1);
	set32(o, at + 4, o->used - at);
	return at;
}

static void build_mb2(struct out *o, const struct mb_kernel *k, const struct mb_boot_info *in)
{
	uint32_t dev[3] = { in->drive, in->partition == 0xFF ? 0xFFFFFFFFu : in->partition, 0xFFFFFFFFu }, at;

	/* Every tag smartboot has, asked for or not, as GRUB does: a kernel
	 * skips the tags it does not know (MB2 3.6). */
	put(o, NULL, 8, MB2_ALIGN);                    /* total_size (set last), reserved */
	tag(o, MB2_TAG_CMDLINE, NULL, 0, in->cmdline);
	tag(o, MB2_TAG_LOADER_NAME, NULL, 0, in->loader_name);
	for (int i = 0; i < in->nmods; i++)
		tag(o, MB2_TAG_MODULE, &in->mods[i], 8, in->mods[i].string);    /* start, end, string */
	tag(o, MB2_TAG_BASIC_MEMINFO, &in->mem_lower, 8, NULL);              /* mem_lower, mem_upper */
	tag(o, MB2_TAG_BOOTDEV, dev, sizeof(dev), NULL);
	at = tag(o, MB2_TAG_MMAP, (const uint32_t[]){ MB2_MMAP_ENTRY_SIZE, 0 }, 8, NULL);
	for (int i = 0; i < in->count; i++) {
		put(o, &in->map[i], sizeof(in->map[i]), 4);     /* base, length, type */
		put(o, NULL, 4, 4);                              /* reserved */
	}
	set32(o, at + 4, o->used - at);
	tag(o, MB2_TAG_FRAMEBUFFER, &ega_text, sizeof(ega_text), NULL);
	/* ELF sections (3.6.7): num, entsize and shndx are u32 as GRUB and
	 * the specification's own multiboot2.h have them (its text says
	 * u16), then the headers.  Always there, as GRUB has it: num 0 for
	 * a kernel without them (loaded by the address tag). */
	bool sections = k->sh.num && in->shdr;
	at = tag(o, MB2_TAG_ELF_SECTIONS, (const uint32_t[]){ sections ? k->sh.num : 0, sections ? k->sh.entsize : 0,
		 sections ? k->sh.shndx : 0 }, 12, NULL);
	if (sections)
		put(o, in->shdr, k->sh.size, 4);
	set32(o, at + 4, o->used - at);
	if (in->rsdp_old)
		tag(o, MB2_TAG_ACPI_OLD, in->rsdp_old, MB_RSDP_LEN, NULL);
	if (in->rsdp_new)
		tag(o, MB2_TAG_ACPI_NEW, in->rsdp_new, in->rsdp_new_len, NULL);
	tag(o, MB2_TAG_LOAD_BASE, &in->load_base, 4, NULL);
	tag(o, MB2_TAG_END, NULL, 0, NULL);
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
