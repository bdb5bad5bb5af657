/*
 * e820.c - clean up a firmware memory map.
 *
 * Firmware maps can be unsorted, can overlap and can split one range into
 * several.  We sweep over every boundary: between two neighbouring
 * boundaries the type is that of the highest-typed range covering it (so a
 * reserved hole punched into a usable range stays reserved), and neighbours
 * of the same type join.  Plain C with no BIOS calls: the host tests use it.
 */
#include "bios/e820.h"

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

	for (int i = 0; i < count; i++)
		if (a >= map[i].addr && a - map[i].addr < map[i].size &&
		    map[i].type > type)
			type = map[i].type;
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
