/*
 * memory.c - ask the firmware for the memory map.
 *
 * INT 15h AX=E820h first; if it gives nothing, E801h (two sizes: 1-16 MiB
 * and above 16 MiB), then AH=88h (KiB above 1 MiB, at most 64 MiB).  INT
 * 12h gives the usable memory below the EBDA, the ceiling for everything we
 * put in low memory.
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

/* The 24-byte form of an E820 entry (ACPI 3.0 adds extended attributes). */
struct e820_raw {
	struct e820_entry e;
	uint32_t ext;
} __attribute__((packed));

static struct e820_raw e820_buf; /* in .bss, below 1 MiB: the BIOS writes it */

static int detect_e820(struct memory_map *mm)
{
	struct biosregs r;
	uint32_t next = 0;
	int count = 0;

	do {
		bios_regs_init(&r);
		r.eax = E820_FUNCTION;
		r.ebx = next;
		r.ecx = sizeof(e820_buf);
		r.edx = SMAP;
		r.es = rm_seg(&e820_buf);
		r.edi = rm_off(&e820_buf);
		e820_buf.ext = ACPI_ENABLED;    /* a 20-byte answer leaves it set */
		bios_int(INT_SYSTEM, &r, &r);
		/* CF set ends the list (on some BIOSes: after the last entry
		 * instead of EBX=0).  EAX must say SMAP on every call; a BIOS
		 * that loses it mid-list has given us garbage: drop it all. */
		if (bios_failed(&r))
			break;
		if (r.eax != SMAP)
			return 0;
		next = r.ebx;
		if (r.ecx >= 24 && !(e820_buf.ext & ACPI_ENABLED))
			continue;               /* "ignore this entry" (ACPI 3.0) */
		if (count < E820_MAX)
			mm->map[count++] = e820_buf.e;
	} while (next != 0 && count < E820_MAX);
	return count;
}

static int detect_e801(struct memory_map *mm)
{
	struct biosregs r;
	uint32_t kib_1m_16m, blocks_above_16m;

	bios_regs_init(&r);
	r.eax = E801_FUNCTION;
	bios_int(INT_SYSTEM, &r, &r);
	if (bios_failed(&r))
		return 0;
	/* Some BIOSes answer in AX/BX, others in CX/DX: prefer CX/DX. */
	kib_1m_16m = (r.ecx & 0xffff) ? r.ecx & 0xffff : r.eax & 0xffff;
	blocks_above_16m = (r.edx & 0xffff) ? r.edx & 0xffff : r.ebx & 0xffff;
	mm->map[0] = (struct e820_entry){ 0, mm->low_kib * 1024ull, E820_USABLE };
	mm->map[1] = (struct e820_entry){ 0x100000, kib_1m_16m * 1024ull, E820_USABLE };
	mm->map[2] = (struct e820_entry){ 0x1000000, blocks_above_16m * 65536ull, E820_USABLE };
	return 3;
}

static int detect_88(struct memory_map *mm)
{
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = MEM88_FUNCTION << 8;
	bios_int(INT_SYSTEM, &r, &r);
	if (bios_failed(&r))
		return 0;
	mm->map[0] = (struct e820_entry){ 0, mm->low_kib * 1024ull, E820_USABLE };
	mm->map[1] = (struct e820_entry){ 0x100000, (r.eax & 0xffff) * 1024ull, E820_USABLE };
	return 2;
}

bool memory_detect(struct memory_map *mm)
{
	struct biosregs r;

	bios_regs_init(&r);
	bios_int(INT_MEMSIZE, &r, &r);
	mm->low_kib = r.eax & 0xffff;

	mm->source = "e820";
	mm->count = detect_e820(mm);
	if (!mm->count) {
		mm->source = "e801";
		mm->count = detect_e801(mm);
	}
	if (!mm->count) {
		mm->source = "88h";
		mm->count = detect_88(mm);
	}
	mm->count = e820_sanitize(mm->map, mm->count);
	return mm->count > 0;
}
