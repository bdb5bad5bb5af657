/*
 * memory.c - ask the firmware for the memory map.
 *
 * INT 15h AX=E820h first (the loop itself is e820.c's e820_walk(), tested
 * on the host against broken BIOSes; here is only the call); if it gives
 * nothing, E801h (two sizes: 1-16 MiB and above 16 MiB), then AH=88h (KiB
 * above 1 MiB, at most 64 MiB).  E801h and 88h are asked even when E820
 * worked, as the kernel's own 16-bit setup code does, for the zero page's
 * alt_mem_k and ext_mem_k.  INT 12h gives the usable memory below the
 * EBDA, the ceiling for everything we put in low memory.
 */
#include "bios/bios.h"
#include "bios/e820.h"

#define INT_MEMSIZE     0x12
#define INT_SYSTEM      0x15
#define E820_FUNCTION   0xe820
#define SMAP            0x534d4150      /* "SMAP": the E820 signature */
#define E801_FUNCTION   0xe801
#define MEM88_FUNCTION  0x88
#define ACPI_ENABLED    0x1             /* ACPI 3.0 extended attribute bit 0 */
#define E801_LOW_MAX    (15 * 1024)     /* KiB from 1 to 16 MiB: more is bogus */

/* The 24-byte form of an E820 entry (ACPI 3.0 adds extended attributes). */
struct e820_raw {
	struct e820_entry e;
	uint32_t ext;
} __attribute__((packed));

/* In .bss, below 1 MiB: the BIOS writes it.  One buffer for every call,
 * never cleared: at least one BIOS only writes the fields that changed
 * since the previous entry (Linux's arch/x86/boot/memory.c says so). */
static struct e820_raw e820_buf;

/* One INT 15h AX=E820h call, for e820_walk(). */
static void ask_e820(uint32_t next, struct e820_answer *a)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = E820_FUNCTION;
	r.ebx = next;
	r.ecx = sizeof(e820_buf);
	r.edx = SMAP;                   /* some BIOSes want it in EDX */
	r.es = rm_seg(&e820_buf);
	r.edi = rm_off(&e820_buf);
	e820_buf.ext = ACPI_ENABLED;    /* a 20-byte answer leaves it set */
	bios_int(INT_SYSTEM, &r, &r);
	*a = (struct e820_answer){ bios_failed(&r), r.eax, r.ebx, r.ecx, e820_buf.e, e820_buf.ext };
}

static int detect_e820(struct memory_map *mm)
{
	struct e820_walk_stats st;

	return e820_walk(ask_e820, mm->map, &st);
}

/* E801h: KiB from 1 to 16 MiB, 64 KiB blocks above 16 MiB.  Returns false
 * if the BIOS does not have it (or answers nonsense). */
static bool ask_e801(uint32_t *kib_1m_16m, uint32_t *blocks_above_16m)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = E801_FUNCTION;
	bios_int(INT_SYSTEM, &r, &r);
	if (bios_failed(&r))
		return false;
	/* Some BIOSes answer in AX/BX, others in CX/DX: prefer CX/DX. */
	*kib_1m_16m = (r.ecx & 0xffff) ? r.ecx & 0xffff : r.eax & 0xffff;
	*blocks_above_16m = (r.edx & 0xffff) ? r.edx & 0xffff : r.ebx & 0xffff;
	return *kib_1m_16m <= E801_LOW_MAX;
}

/* AH=88h: KiB above 1 MiB, in 16 bits (so at most 64 MiB). */
static bool ask_88(uint16_t *kib)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = MEM88_FUNCTION << 8;
	bios_int(INT_SYSTEM, &r, &r);
	*kib = (uint16_t)r.eax;
	return !bios_failed(&r);
}

bool memory_detect(struct memory_map *mm)
{
	struct biosregs r;
	uint32_t kib_1m_16m = 0, blocks_above_16m = 0;
	bool e801, m88;

	bios_regs_init(&r);
	bios_int(INT_MEMSIZE, &r, &r);
	mm->low_kib = r.eax & 0xffff;

	mm->source = "e820";
	mm->count = detect_e820(mm);

	/* The kernel's setup code fills alt_mem_k the same way: the memory
	 * from 1 MiB that is contiguous (a 1-16 MiB answer short of 15 MiB
	 * means a hole below 16 MiB, and what is above it does not count). */
	e801 = ask_e801(&kib_1m_16m, &blocks_above_16m);
	if (e801)
		mm->alt_mem_k = kib_1m_16m + (kib_1m_16m == E801_LOW_MAX ? blocks_above_16m * 64 : 0);
	m88 = ask_88(&mm->ext_mem_k);
	if (!m88)
		mm->ext_mem_k = 0;

	if (!mm->count && e801) {
		mm->source = "e801";
		mm->map[0] = (struct e820_entry){ 0, mm->low_kib * 1024ull, E820_USABLE };
		mm->map[1] = (struct e820_entry){ 0x100000, kib_1m_16m * 1024ull, E820_USABLE };
		mm->map[2] = (struct e820_entry){ 0x1000000, blocks_above_16m * 65536ull, E820_USABLE };
		mm->count = 3;
	}
	if (!mm->count && m88) {
		mm->source = "88h";
		mm->map[0] = (struct e820_entry){ 0, mm->low_kib * 1024ull, E820_USABLE };
		mm->map[1] = (struct e820_entry){ 0x100000, mm->ext_mem_k * 1024ull, E820_USABLE };
		mm->count = 2;
	}
	mm->count = e820_sanitize(mm->map, mm->count);
	return mm->count > 0;
}
