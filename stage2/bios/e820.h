/* e820.h - the physical memory map (INT 15h AX=E820h and its fallbacks). */
#ifndef E820_H
#define E820_H

#include "klib.h"

/* One range, as the BIOS returns it and as the kernel's zero page holds it
 * (struct boot_e820_entry: 20 bytes, packed). */
struct e820_entry {
	uint64_t addr;   /* 0x00 */
	uint64_t size;   /* 0x08 */
	uint32_t type;   /* 0x10 */
} __attribute__((packed));
_Static_assert(sizeof(struct e820_entry) == 20, "boot_e820_entry is 20 bytes");

#define E820_USABLE      1
#define E820_RESERVED    2
#define E820_ACPI        3
#define E820_NVS         4
#define E820_UNUSABLE    5

/* The zero page holds 128 entries (E820_MAX_ENTRIES_ZEROPAGE). */
#define E820_MAX 128
/* INT 15h AX=E820h calls before we stop asking: each call returns at most
 * one entry, and a BIOS whose continuation value cycles through entries
 * marked "ignore" (or too short to keep) would otherwise be asked forever. */
#define E820_MAX_CALLS (2 * E820_MAX)

struct memory_map {
	struct e820_entry map[E820_MAX];
	int count;
	uint32_t low_kib;         /* INT 12h: usable KiB below the EBDA */
	const char *source;       /* "e820", "e801" or "88h" */
	/* What the kernel's own 16-bit setup code would have put in the zero
	 * page from E801h and 88h (linux.c copies them for the 32- and 64-bit
	 * hand-offs): with fewer than 2 E820 entries the kernel sizes memory
	 * from the larger of the two.  0 when the BIOS did not answer. */
	uint32_t alt_mem_k;       /* E801h: KiB from 1 MiB up to the first hole */
	uint16_t ext_mem_k;       /* 88h: KiB above 1 MiB (at most 64 MiB) */
};

/* One answer to INT 15h AX=E820h, as the BIOS left the registers and the
 * buffer (memory.c fills it; the host tests play the BIOS). */
struct e820_answer {
	bool carry;               /* CF: the call failed (or the list ended) */
	uint32_t eax;             /* "SMAP" when the call worked */
	uint32_t ebx;             /* continuation value: 0 after the last entry */
	uint32_t ecx;             /* bytes written: 20, or 24 with ACPI 3.0 attributes */
	struct e820_entry entry;
	uint32_t ext;             /* ACPI 3.0 extended attributes (if ecx >= 24) */
};

/* Ask the BIOS for the entry at continuation value next (0: the first). */
typedef void e820_ask_fn(uint32_t next, struct e820_answer *a);

/* What the walk saw, for the trace. */
struct e820_walk_stats {
	int calls;
	int ignored;              /* ACPI 3.0 attribute bit 0 clear */
	int short_answers;        /* fewer than 20 bytes */
};

/* The E820 loop, without the BIOS call: ask for entries until the BIOS
 * says the list is over (EBX = 0, or CF set), keep the valid ones in map.
 * Returns their number; 0 when the map cannot be trusted (SMAP missing
 * mid-list) or is empty: then memory.c tries E801h.  Stops, with a
 * message, after E820_MAX_CALLS calls or E820_MAX entries.  Plain C. */
int e820_walk(e820_ask_fn *ask, struct e820_entry *map, struct e820_walk_stats *stats);

/* Sort by address and resolve overlaps (where two ranges overlap, the
 * higher type wins, so reserved beats usable; type 0, which no spec
 * defines, counts as reserved) and merge neighbours of the same type.
 * Returns the new count.  map must have room for E820_MAX entries (holes
 * split ranges).  Plain C: tested on the host. */
int e820_sanitize(struct e820_entry *map, int count);

/* Print the map, one range a line ("memory map (e820):"...). */
void e820_print(const struct memory_map *mm);

/* Fill *mm from the firmware: E820, else E801, else AH=88h; then sanitize.
 * Returns false when no method gave a map. */
bool memory_detect(struct memory_map *mm);

/* Bytes of usable RAM in the map. */
uint64_t memory_usable(const struct memory_map *mm);

#endif
