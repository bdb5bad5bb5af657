/*
 * report.c - the test kernel: print on COM1 everything the boot loader gave
 * us, in a stable text form, then leave QEMU (isa-debug-exit) or halt.
 *
 * Every line starts "mbk: ".  A line "mbk: @..." holds a value a loader may
 * choose freely (an address, a selector number): tests/t-36-multiboot.sh
 * compares the other lines between loaders, these only by eye.  The
 * location-independent facts about those addresses (page-aligned, no
 * overlaps, inside usable RAM) are printed as verdicts on ordinary lines.
 *
 * The structures are written out here from the specifications (Multiboot
 * 0.6.96 section 3.3, Multiboot 2.0 section 3.6), not shared with the
 * loader's headers: the test kernel is an independent reader.
 */
#include <stdint.h>
#include <stddef.h>

#define COM1             0x3F8
#define DEBUG_EXIT_PORT  0xF4        /* QEMU -device isa-debug-exit,iobase=0xf4 */
#define DEBUG_EXIT_CODE  0x10        /* QEMU exits with (0x10 << 1) | 1 = 33 */
#define MB1_EAX          0x2BADB002
#define MB2_EAX          0x36D76289
#define CR0_PE           (1u << 0)
#define CR0_PG           (1u << 31)
#define EFLAGS_IF        (1u << 9)
#define EFLAGS_VM        (1u << 17)
#define PAGE             4096u
#define MAX_RANGES       64

uint32_t entry_eax, entry_ebx, entry_cr0, entry_eflags;
uint16_t entry_cs, entry_ds, entry_es, entry_fs, entry_gs, entry_ss;
extern char __load_start[], __bss_end[];

/* ---- Serial output ------------------------------------------------------ */

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static void putc_serial(char c)
{
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)   /* THR empty, bounded */
		;
	outb(COM1, (uint8_t)c);
}

static void puts_(const char *s)
{
	while (*s) {
		if (*s == '\n')
			putc_serial('\r');
		putc_serial(*s++);
	}
}

static void putu(uint32_t v)
{
	char b[12];
	int i = 11;

	b[i] = 0;
	do b[--i] = (char)('0' + v % 10); while (v /= 10);
	puts_(b + i);
}

static void putx(uint64_t v)
{
	char b[20];
	int i = 19;

	b[i] = 0;
	do b[--i] = "0123456789abcdef"[v & 15]; while (v >>= 4);
	puts_("0x");
	puts_(b + i);
}

/* A string from the loader, quoted, bounded, non-printing bytes as \xNN. */
static void putq(const char *s, uint32_t max)
{
	putc_serial('"');
	for (uint32_t i = 0; i < max && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 32 && c < 127 && c != '"' && c != '\\') {
			putc_serial((char)c);
		} else {
			puts_("\\x");
			putc_serial("0123456789abcdef"[c >> 4]);
			putc_serial("0123456789abcdef"[c & 15]);
		}
	}
	putc_serial('"');
}

static void line(const char *key) { puts_("mbk: "); puts_(key); }
static void yesno(const char *key, int v) { line(key); puts_(v ? " yes\n" : " no\n"); }

static uint32_t fnv1a(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* ---- What the loader must have left: ranges, overlaps, usable RAM ---------- */

struct range { uint64_t start, end; const char *what; int index; };
static struct range placed[MAX_RANGES];
static int nplaced;
static struct range usable[MAX_RANGES];
static int nusable;

static void place(const char *what, int index, uint64_t start, uint64_t len)
{
	if (nplaced < MAX_RANGES && len)
		placed[nplaced++] = (struct range){ start, start + len, what, index };
}

static void add_usable(uint64_t base, uint64_t len, uint32_t type)
{
	if (type == 1 && nusable < MAX_RANGES)
		usable[nusable++] = (struct range){ base, base + len, "ram", 0 };
}

static void range_name(const struct range *r)
{
	puts_(r->what);
	if (r->index >= 0) {
		putc_serial('[');
		putu((uint32_t)r->index);
		putc_serial(']');
	}
}

/* Verdicts that do not depend on where the loader put things. */
static void check_layout(void)
{
	int overlaps = 0, outside = 0;

	for (int i = 0; i < nplaced; i++) {
		for (int j = i + 1; j < nplaced; j++) {
			if (placed[i].start < placed[j].end && placed[j].start < placed[i].end) {
				line("overlap ");
				range_name(&placed[i]);
				puts_(" ");
				range_name(&placed[j]);
				puts_("\n");
				overlaps++;
			}
		}
		int inside = 0;
		for (int k = 0; k < nusable; k++)
			if (placed[i].start >= usable[k].start && placed[i].end <= usable[k].end)
				inside = 1;
		if (!inside && nusable) {
			line("outside-usable-ram ");
			range_name(&placed[i]);
			puts_("\n");
			outside++;
		}
	}
	line("layout.pieces ");
	putu((uint32_t)nplaced);
	puts_("\n");
	yesno("layout.no-overlaps", !overlaps);
	yesno("layout.all-in-usable-ram", nusable && !outside);
}

/* ---- The machine state at entry ----------------------------------------- */

struct gdtr { uint16_t limit; uint32_t base; } __attribute__((packed));

/* Is selector sel a flat segment (base 0, limit 4 GiB, 32-bit) of the
 * wanted kind (code: 1, data: 0) in the GDT the loader left? */
static int flat(uint16_t sel, int code)
{
	struct gdtr g;

	__asm__ volatile("sgdt %0" : "=m"(g));
	if ((sel & 4) || (sel | 7) > g.limit)        /* LDT or beyond the GDT */
		return 0;
	const uint8_t *d = (const uint8_t *)(uintptr_t)(g.base + (sel & ~7u));
	uint32_t base = d[2] | d[3] << 8 | d[4] << 16 | (uint32_t)d[7] << 24;
	uint32_t limit = d[0] | d[1] << 8 | (d[6] & 15u) << 16;
	int granular = d[6] & 0x80, big = d[6] & 0x40;
	int present = d[5] & 0x80, is_code = (d[5] & 0x18) == 0x18, is_data = (d[5] & 0x18) == 0x10;

	return present && base == 0 && limit == 0xFFFFF && granular && big &&
	       (code ? is_code : is_data && (d[5] & 2));  /* data: writable */
}

/* A20: does writing above 1 MiB show through at the address 1 MiB lower?
 * Only our own variable is written; the alias below 1 MiB is only read. */
static volatile uint32_t a20_probe;

static int a20_on(void)
{
	volatile uint32_t *alias = (volatile uint32_t *)((uintptr_t)&a20_probe - 0x100000);

	for (uint32_t v = 0x5A5A0001; v < 0x5A5A0003; v++) {
		a20_probe = v;
		__asm__ volatile("" ::: "memory");
		if (*alias != v)
			return 1;
	}
	return 0;
}

static void machine_state(void)
{
	line("cr0.pe ");    putu(!!(entry_cr0 & CR0_PE)); puts_("\n");
	line("cr0.pg ");    putu(!!(entry_cr0 & CR0_PG)); puts_("\n");
	line("eflags.if "); putu(!!(entry_eflags & EFLAGS_IF)); puts_("\n");
	line("eflags.vm "); putu(!!(entry_eflags & EFLAGS_VM)); puts_("\n");
	yesno("cs.flat-code32", flat(entry_cs, 1));
	yesno("ds.flat-data", flat(entry_ds, 0));
	yesno("es.flat-data", flat(entry_es, 0));
	yesno("fs.flat-data", flat(entry_fs, 0));
	yesno("gs.flat-data", flat(entry_gs, 0));
	yesno("ss.flat-data", flat(entry_ss, 0));
	line("@selectors cs "); putx(entry_cs); puts_(" ds "); putx(entry_ds);
	puts_(" es "); putx(entry_es); puts_(" fs "); putx(entry_fs);
	puts_(" gs "); putx(entry_gs); puts_(" ss "); putx(entry_ss); puts_("\n");
	yesno("a20", a20_on());
	line("@ebx "); putx(entry_ebx); puts_("\n");
	line("@kernel "); putx((uintptr_t)__load_start); puts_(" - "); putx((uintptr_t)__bss_end); puts_("\n");
	place("kernel", -1, (uintptr_t)__load_start, (uintptr_t)(__bss_end - __load_start));
}

/* A module's bytes: size, page alignment, a checksum, its string. */
static void module(int i, uint32_t start, uint32_t end, const char *string)
{
	line("mod["); putu((uint32_t)i); puts_("] size "); putu(end - start);
	puts_(" fnv1a "); putx(end >= start ? fnv1a((const uint8_t *)(uintptr_t)start, end - start) : 0);
	puts_(" page-aligned "); puts_(start % PAGE ? "no" : "yes");
	puts_(" string "); putq(string, 256); puts_("\n");
	line("@mod["); putu((uint32_t)i); puts_("] "); putx(start); puts_(" - "); putx(end); puts_("\n");
	place("module", i, start, end - start);
}

static uint32_t strlen_(const char *s) { uint32_t n = 0; while (n < 4096 && s[n]) n++; return n; }

/* ACPI's RSDP (ACPI 6.x 5.2.5.3): the signature, the checksum, the OEM, the
 * revision, where the RSDT is; from revision 2 on (the XSDP, tag 15) its
 * length, where the XSDT is and the extended checksum over all of it. */
static void rsdp(const char *key, const uint8_t *p, uint32_t len)
{
	uint8_t sum = 0;

	for (uint32_t i = 0; i < 20 && i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	line(key); puts_(" bytes "); putu(len); puts_(" signature ");
	putq((const char *)p, 8); puts_(" checksum "); puts_(sum ? "bad" : "ok");
	puts_(" oem "); putq((const char *)p + 9, 6);
	puts_(" revision "); putu(p[15]);
	puts_(" rsdt "); putx(p[16] | p[17] << 8 | p[18] << 16 | (uint32_t)p[19] << 24);
	if (p[15] >= 2 && len >= 36) {
		uint32_t length = *(const uint32_t *)(p + 20);
		sum = 0;
		for (uint32_t i = 0; i < length && i < len; i++)
			sum = (uint8_t)(sum + p[i]);
		puts_(" length "); putu(length);
		puts_(length == len ? " (all copied)" : " (not all copied)");
		puts_(" xsdt "); putx(*(const uint64_t *)(p + 24));
		puts_(" xchecksum "); puts_(sum ? "bad" : "ok");
	}
	puts_("\n");
}

/* ---- Multiboot 1 -------------------------------------------------------- */

struct mb1_info {
	uint32_t flags;                          /* 0 */
	uint32_t mem_lower, mem_upper;           /* 4, 8: bit 0 */
	uint32_t boot_device;                    /* 12: bit 1 */
	uint32_t cmdline;                        /* 16: bit 2 */
	uint32_t mods_count, mods_addr;          /* 20, 24: bit 3 */
	uint32_t syms[4];                        /* 28: bit 4 (a.out) or 5 (ELF: num, size, addr, shndx) */
	uint32_t mmap_length, mmap_addr;         /* 44, 48: bit 6 */
	uint32_t drives_length, drives_addr;     /* 52, 56: bit 7 */
	uint32_t config_table;                   /* 60: bit 8 */
	uint32_t boot_loader_name;               /* 64: bit 9 */
	uint32_t apm_table;                      /* 68: bit 10 */
	uint32_t vbe[4];                         /* 72: bit 11 */
	uint64_t fb_addr;                        /* 88: bit 12 */
	uint32_t fb_pitch, fb_width, fb_height;  /* 96, 100, 104 */
	uint8_t fb_bpp, fb_type;                 /* 108, 109 */
} __attribute__((packed));

/* Section headers: ELF32 (40 bytes) or ELF64 (64 bytes); name, type,
 * flags, address, size. */
static void elf_sections(uint32_t num, uint32_t entsize, uint32_t shndx, const uint8_t *sh)
{
	line("elf.sections "); putu(num); puts_(" entsize "); putu(entsize);
	puts_(" shstrndx "); putu(shndx); puts_("\n");
	if (entsize != 40 && entsize != 64)
		return;
	const char *names = 0;
	for (uint32_t i = 0; i < num && i < 64; i++) {
		const uint8_t *s = sh + i * entsize;
		uint32_t name = *(const uint32_t *)s, type = *(const uint32_t *)(s + 4);
		uint64_t flags, addr, size;
		if (entsize == 40) {
			flags = *(const uint32_t *)(s + 8);
			addr = *(const uint32_t *)(s + 12);
			size = *(const uint32_t *)(s + 20);
		} else {
			flags = *(const uint64_t *)(s + 8);
			addr = *(const uint64_t *)(s + 16);
			size = *(const uint64_t *)(s + 32);
		}
		if (i == shndx && addr)
			names = (const char *)(uintptr_t)addr;
		(void)name;
		/* Allocated sections are at their link addresses (the same for
		 * every loader); the others wherever the loader put them. */
		line(flags & 2 ? "elf.section[" : "@elf.section[");
		putu(i); puts_("] type "); putu(type); puts_(" flags "); putx(flags);
		puts_(" size "); putx(size); puts_(" addr "); putx(addr); puts_("\n");
		/* A section the loader placed (not SHF_ALLOC): its bytes, and
		 * its place among the pieces that must not overlap. */
		if (!(flags & 2) && addr && size && type != 8 /* SHT_NOBITS */ && addr < 0x100000000ull) {
			line("elf.content["); putu(i); puts_("] size "); putx(size);
			puts_(" fnv1a "); putx(fnv1a((const uint8_t *)(uintptr_t)addr, (uint32_t)size));
			puts_("\n");
			place("section", (int)i, addr, size);
		}
	}
	if (!names)
		return;
	line("elf.names");
	for (uint32_t i = 1; i < num && i < 64; i++) {
		puts_(" ");
		puts_(names + *(const uint32_t *)(sh + i * entsize));
	}
	puts_("\n");
}

static void multiboot1(const struct mb1_info *mbi)
{
	uint32_t f = mbi->flags;

	line("info.flags "); putx(f); puts_("\n");
	place("info", -1, (uintptr_t)mbi, sizeof(*mbi));
	if (f & 1) {
		line("mem_lower "); putu(mbi->mem_lower); puts_("\n");
		line("mem_upper "); putu(mbi->mem_upper); puts_("\n");
	}
	if (f & 2) {
		line("boot_device "); putx(mbi->boot_device); puts_("\n");
	}
	if (f & 4) {
		const char *s = (const char *)(uintptr_t)mbi->cmdline;
		line("cmdline "); putq(s, 4096); puts_("\n");
		place("cmdline", -1, mbi->cmdline, strlen_(s) + 1);
	}
	if (f & 64) {
		line("mmap.length "); putu(mbi->mmap_length); puts_("\n");
		place("mmap", -1, mbi->mmap_addr, mbi->mmap_length);
		int n = 0;
		for (uint32_t off = 0; off + 4 <= mbi->mmap_length && n < 64; n++) {
			const uint8_t *e = (const uint8_t *)(uintptr_t)(mbi->mmap_addr + off);
			uint32_t size = *(const uint32_t *)e;
			uint64_t base = *(const uint64_t *)(e + 4), len = *(const uint64_t *)(e + 12);
			uint32_t type = *(const uint32_t *)(e + 20);
			line("mmap["); putu((uint32_t)n); puts_("] size "); putu(size);
			puts_(" base "); putx(base); puts_(" length "); putx(len);
			puts_(" type "); putu(type); puts_("\n");
			add_usable(base, len, type);
			off += size + 4;                 /* size does not count itself */
		}
	}
	if (f & 8) {
		line("mods.count "); putu(mbi->mods_count); puts_("\n");
		const uint32_t *m = (const uint32_t *)(uintptr_t)mbi->mods_addr;
		place("mods", -1, mbi->mods_addr, mbi->mods_count * 16);
		for (uint32_t i = 0; i < mbi->mods_count && i < 16; i++) {
			const char *s = (const char *)(uintptr_t)m[i * 4 + 2];
			module((int)i, m[i * 4], m[i * 4 + 1], s);
			place("modstring", (int)i, m[i * 4 + 2], strlen_(s) + 1);
		}
	}
	if (f & 32) {
		elf_sections(mbi->syms[0], mbi->syms[1], mbi->syms[3],
			     (const uint8_t *)(uintptr_t)mbi->syms[2]);
		place("shdr", -1, mbi->syms[2], mbi->syms[0] * mbi->syms[1]);
	}
	if (f & 512) {
		const char *s = (const char *)(uintptr_t)mbi->boot_loader_name;
		line("boot_loader_name "); putq(s, 256); puts_("\n");
	}
	if (f & 4096) {
		line("framebuffer type "); putu(mbi->fb_type); puts_(" width "); putu(mbi->fb_width);
		puts_(" height "); putu(mbi->fb_height); puts_(" bpp "); putu(mbi->fb_bpp);
		puts_(" pitch "); putu(mbi->fb_pitch); puts_(" addr "); putx(mbi->fb_addr); puts_("\n");
	}
}

/* ---- Multiboot 2 -------------------------------------------------------- */

#define TAG(p) ((const uint32_t *)(p))

static void multiboot2(const uint8_t *mbi)
{
	uint32_t total = TAG(mbi)[0];
	const uint8_t *tags[32][16];
	int ntags[32] = { 0 };

	line("info.total_size-aligned "); puts_(total % 8 ? "no" : "yes"); puts_("\n");
	place("info", -1, (uintptr_t)mbi, total);
	/* Collect the tags by type: the report lists them in type order,
	 * whatever order the loader wrote them in. */
	line("tags");
	const uint8_t *end = 0;
	for (uint32_t off = 8; off + 8 <= total; ) {
		const uint8_t *t = mbi + off;
		uint32_t type = TAG(t)[0], size = TAG(t)[1];
		if (type == 0) {
			end = t;
			break;
		}
		if (type < 32 && ntags[type] < 16)
			tags[type][ntags[type]++] = t;
		if (size < 8)
			break;
		off = (off + size + 7) & ~7u;    /* tags start on 8-byte boundaries */
	}
	for (int i = 1; i < 32; i++)
		for (int j = 0; j < ntags[i]; j++) {
			puts_(" ");
			putu((uint32_t)i);
		}
	puts_("\n");
	yesno("tag.end size 8 at total_size", end && TAG(end)[1] == 8 && end + 8 == mbi + total);

	for (int j = 0; j < ntags[1]; j++) {
		line("cmdline "); putq((const char *)tags[1][j] + 8, 4096); puts_("\n");
	}
	for (int j = 0; j < ntags[2]; j++) {
		line("boot_loader_name "); putq((const char *)tags[2][j] + 8, 256); puts_("\n");
	}
	for (int j = 0; j < ntags[4]; j++) {
		line("mem_lower "); putu(TAG(tags[4][j])[2]); puts_("\n");
		line("mem_upper "); putu(TAG(tags[4][j])[3]); puts_("\n");
	}
	for (int j = 0; j < ntags[5]; j++) {
		line("bootdev biosdev "); putx(TAG(tags[5][j])[2]); puts_(" partition "); putx(TAG(tags[5][j])[3]);
		puts_(" sub_partition "); putx(TAG(tags[5][j])[4]); puts_("\n");
	}
	for (int j = 0; j < ntags[6]; j++) {
		const uint32_t *t = TAG(tags[6][j]);
		uint32_t size = t[1], esize = t[2];
		line("mmap.entry_size "); putu(esize); puts_(" version "); putu(t[3]); puts_("\n");
		for (uint32_t off = 16, n = 0; esize >= 24 && off + esize <= size && n < 64; off += esize, n++) {
			const uint8_t *e = (const uint8_t *)t + off;
			uint64_t base = *(const uint64_t *)e, len = *(const uint64_t *)(e + 8);
			uint32_t type = *(const uint32_t *)(e + 16);
			line("mmap["); putu(n); puts_("] base "); putx(base); puts_(" length "); putx(len);
			puts_(" type "); putu(type); puts_(" reserved "); putu(*(const uint32_t *)(e + 20));
			puts_("\n");
			add_usable(base, len, type);
		}
	}
	line("mods.count "); putu((uint32_t)ntags[3]); puts_("\n");
	for (int j = 0; j < ntags[3]; j++)
		module(j, TAG(tags[3][j])[2], TAG(tags[3][j])[3], (const char *)tags[3][j] + 16);
	for (int j = 0; j < ntags[9]; j++) {
		const uint32_t *t = TAG(tags[9][j]);
		elf_sections(t[2], t[3], t[4], (const uint8_t *)(t + 5));
	}
	for (int j = 0; j < ntags[8]; j++) {
		const uint8_t *t = tags[8][j];
		line("framebuffer type "); putu(t[29]); puts_(" width "); putu(TAG(t)[5]);
		puts_(" height "); putu(TAG(t)[6]); puts_(" bpp "); putu(t[28]);
		puts_(" pitch "); putu(TAG(t)[4]); puts_(" addr "); putx(*(const uint64_t *)(t + 8)); puts_("\n");
	}
	for (int j = 0; j < ntags[14]; j++)
		rsdp("acpi.old", tags[14][j] + 8, TAG(tags[14][j])[1] - 8);
	for (int j = 0; j < ntags[15]; j++)
		rsdp("acpi.new", tags[15][j] + 8, TAG(tags[15][j])[1] - 8);
	for (int j = 0; j < ntags[21]; j++) {
		line("load_base_addr "); putx(TAG(tags[21][j])[2]); puts_("\n");
	}
}

/* ---- The report ---------------------------------------------------------- */

__attribute__((noreturn)) void report(void);

void report(void)
{
	outb(COM1 + 1, 0);                        /* no interrupts */
	outb(COM1 + 3, 0x80);                     /* DLAB: divisor 1 = 115200 baud */
	outb(COM1 + 0, 1);
	outb(COM1 + 1, 0);
	outb(COM1 + 3, 0x03);                     /* 8N1 */
	puts_("\nmbk: begin\n");
	line("eax "); putx(entry_eax);
	puts_(entry_eax == MB1_EAX ? " multiboot1\n" : entry_eax == MB2_EAX ? " multiboot2\n" : " unknown\n");
	machine_state();
	if (entry_eax == MB1_EAX)
		multiboot1((const struct mb1_info *)(uintptr_t)entry_ebx);
	else if (entry_eax == MB2_EAX)
		multiboot2((const uint8_t *)(uintptr_t)entry_ebx);
	check_layout();
	puts_("mbk: end\n");
	outb(DEBUG_EXIT_PORT, DEBUG_EXIT_CODE);   /* QEMU with isa-debug-exit: leave */
	for (;;)
		__asm__ volatile("cli; hlt");
}
