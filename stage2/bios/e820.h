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

struct memory_map {
	struct e820_entry map[E820_MAX];
	int count;
	uint32_t low_kib;         /* INT 12h: usable KiB below the EBDA */
	const char *source;       /* "e820", "e801" or "88h" */
};

/* Sort by address and resolve overlaps (where two ranges overlap, the
 * higher type wins, so reserved beats usable) and merge neighbours of the
 * same type.  Returns the new count.  Plain C: tested on the host. */
int e820_sanitize(struct e820_entry *map, int count);

/* Print the map, one range a line ("memory map (e820):"...). */
void e820_print(const struct memory_map *mm);

/* Fill *mm from the firmware: E820, else E801, else AH=88h; then sanitize.
 * Returns false when no method gave a map. */
bool memory_detect(struct memory_map *mm);

/* Bytes of usable RAM in the map. */
uint64_t memory_usable(const struct memory_map *mm);

#endif
