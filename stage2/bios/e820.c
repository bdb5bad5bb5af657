/*
 * e820.c - collect and clean up a firmware memory map.
 *
 * e820_walk() is memory.c's INT 15h AX=E820h loop with the BIOS call
 * passed in, so the host tests can play a broken BIOS.  Firmware maps can
 * then be unsorted, can overlap and can split one range into several:
 * e820_sanitize() sweeps over every boundary: between two neighbouring
 * boundaries the type is that of the highest-typed range covering it (so a
 * reserved hole punched into a usable range stays reserved), and neighbours
 * of the same type join.  Plain C with no BIOS calls: the host tests use it.
 */
#include "bios/e820.h"

#define SMAP             0x534d4150     /* "SMAP": the E820 signature */
#define E820_ENTRY_BYTES 20             /* the entry without ACPI 3.0's attributes */
#define E820_EXT_BYTES   24             /* with them */
#define E820_EXT_ENABLED 0x1            /* attribute bit 0: clear = ignore the entry */

int e820_walk(e820_ask_fn *ask, struct e820_entry *map, struct e820_walk_stats *stats)
{
	struct e820_answer a;
	uint32_t ignored[E820_MAX / 32] = { 0 };   /* which entries in map said "ignore" */
	uint32_t next = 0;
	int count = 0;

	memset(stats, 0, sizeof(*stats));
	do {
		if (stats->calls == E820_MAX_CALLS) {
			printf("memory: E820: %d calls; the map is cut there\n", E820_MAX_CALLS);
			break;
		}
		stats->calls++;
		ask(next, &a);
		/* CF set ends the list: some BIOSes end it so after the last
		 * entry instead of with EBX = 0, and without SMAP in EAX. */
		if (a.carry)
			break;
		/* EAX must say SMAP on every call: a BIOS that loses it mid-list
		 * may have given a part of the map, all of it or garbage. */
		if (a.eax != SMAP) {
			printf("memory: E820: no SMAP at call %d; the map is not used\n", stats->calls);
			return 0;
		}
		next = a.ebx;
		if (a.ecx < E820_ENTRY_BYTES) {
			stats->short_answers++;     /* not a whole entry */
			continue;
		}
		if (a.ecx >= E820_EXT_BYTES && !(a.ext & E820_EXT_ENABLED)) {
			stats->ignored++;
			ignored[count / 32] |= 1u << (count % 32);
		}
		map[count++] = a.entry;
	} while (next != 0 && count < E820_MAX);

	/* ACPI 3.0: an entry whose attribute bit 0 is clear is to be ignored.
	 * But some BIOSes clear it on every entry (Linux ignores the bit for
	 * that reason): then none is ignored. */
	if (stats->ignored == count) {
		if (count)
			printf("memory: E820: every entry says ignore; all are used\n");
		return count;
	}
	int kept = 0;
	for (int i = 0; i < count; i++)
		if (!(ignored[i / 32] & 1u << (i % 32)))
			map[kept++] = map[i];
	return kept;
}

static void sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)            /* insertion sort: n <= 256 */
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static uint32_t type_at(const struct e820_entry *map, int count, uint64_t a)
{
	uint32_t type = 0;

	for (int i = 0; i < count; i++) {
		/* Type 0 is in no spec: like any type we do not know, it is not
		 * RAM, and it must not lose to a usable range it overlaps. */
		uint32_t t = map[i].type ? map[i].type : E820_RESERVED;

		if (a >= map[i].addr && a - map[i].addr < map[i].size && t > type)
			type = t;
	}
	return type;
}

int e820_sanitize(struct e820_entry *map, int count)
{
	uint64_t points[2 * E820_MAX];
	struct e820_entry out[E820_MAX];
	int npoints = 0, nout = 0;

	for (int i = 0; i < count && i < E820_MAX; i++) {
		if (map[i].size == 0 || map[i].addr + map[i].size < map[i].addr)
			continue;              /* empty, or wraps past 2^64 */
		points[npoints++] = map[i].addr;
		points[npoints++] = map[i].addr + map[i].size;
	}
	sort_u64(points, npoints);

	for (int i = 0; i + 1 < npoints; i++) {
		uint64_t start = points[i], end = points[i + 1];
		uint32_t type;

		if (start == end)
			continue;
		type = type_at(map, count, start);
		if (!type)
			continue;              /* a gap no range covers */
		if (nout && out[nout - 1].type == type &&
		    out[nout - 1].addr + out[nout - 1].size == start)
			out[nout - 1].size += end - start;
		else if (nout < E820_MAX)
			out[nout++] = (struct e820_entry){ start, end - start, type };
	}
	memcpy(map, out, nout * sizeof(out[0]));
	return nout;
}

uint64_t memory_usable(const struct memory_map *mm)
{
	uint64_t total = 0;

	for (int i = 0; i < mm->count; i++)
		if (mm->map[i].type == E820_USABLE)
			total += mm->map[i].size;
	return total;
}

/* The table, for the verbose trace and the prompt's `e820` command. */
void e820_print(const struct memory_map *mm)
{
	static const char *const names[] = { "?", "usable", "reserved", "ACPI", "ACPI NVS", "unusable" };

	printf("memory map (%s):\n", mm->source);
	for (int i = 0; i < mm->count; i++) {
		const struct e820_entry *e = &mm->map[i];
		printf("  %016llx - %016llx  %s\n", (unsigned long long)e->addr,
		       (unsigned long long)(e->addr + e->size - 1),
		       e->type < ARRAY_SIZE(names) ? names[e->type] : "other");
	}
}
