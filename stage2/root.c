/*
 * root.c - find the partition an entry names (root.h, docs/partitions.md
 * "Choosing the partition").
 *
 * By number (hd1,msdos5) or PARTUUID it is the partition module's listing
 * of that BIOS disk; by filesystem UUID, label or file each partition is
 * mounted through fs_mount() and asked.  Disks other than the boot disk are
 * read through INT 13h only (the native drivers serve the boot disk), and
 * their table is freed as soon as the partition is found: the heap is small.
 */
#include "root.h"
#include "trace.h"

#define FIRST_HARD_DISK 0x80     /* hd0, whatever the boot drive (BIOS and GRUB) */

struct find { const char *name; size_t len; };

static int find_entry(const char *name, size_t len, uint8_t type, void *arg)
{
	const struct find *want = arg;

	(void)type;
	return len == want->len && !strncmp(name, want->name, len);
}

int path_exists(struct fs *fs, const char *path)
{
	char dir[64] = "/";

	for (const char *p = path + 1; *p; ) {
		const char *slash = strchr(p, '/');
		struct find want = { p, slash ? (size_t)(slash - p) : strlen(p) };
		int found = fs_list(fs, dir, find_entry, &want);

		if (found != 1)
			return found < 0 ? found : 0;
		if (!slash)
			return 1;
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		p = slash + 1;
	}
	return 1;
}

#ifndef SMARTBOOT_ISO9660
/* Another BIOS disk, and the partition mounted from it: static because the
 * filesystem keeps pointing at them until the caller unmounts it. */
static struct disk other;
static struct disk_part other_part;

/* Is fs the one r names?  ROOT_NUMBER and ROOT_PARTUUID were decided from
 * the listing, before mounting. */
static bool matches(const struct root_spec *r, struct fs *fs)
{
	char uuid[37], *u = uuid;

	if (r->kind == ROOT_UUID) {     /* as blkid prints it: 8-4-4-4-12 hex digits */
		for (int i = 0; i < 16; i++)
			u += snprintf(u, 4, (0x0550 >> i & 1) ? "-%02x" : "%02x", fs->uuid[i]);
		return !strcmp(uuid, r->key);
	}
	if (r->kind == ROOT_LABEL)
		return !strcmp(fs->label, r->key);
	if (r->kind == ROOT_FILE)
		return r->key[0] == '/' && path_exists(fs, r->key) == 1;
	return true;
}

/* The BIOS data area's count of hard disks (IBM PC/AT BIOS: 40:75h).  Read
 * with asm: GCC takes a pointer below 4 KiB for a null one (-Warray-bounds). */
static int bios_hard_disks(void)
{
	uint32_t n;

	__asm__ volatile("movzbl 0x475, %0" : "=r"(n));
	return (int)n;
}

struct fs *root_mount(struct disk *boot, struct fs *bootfs, int bootnum, const struct root_spec *r)
{
	int disks = MIN(bios_hard_disks(), ROOT_MAX_DISK + 1);
	const char *how = cfg_root_prefixes[r->kind];
	char partuuid[37];

	boot_source = (struct boot_source){ boot->drive, bootnum };
	if (r->kind == ROOT_BOOT)
		return bootfs;
	/* The boot disk first (i = -1), then hd0, hd1, ... but the boot disk. */
	for (int i = -1; i < disks; i++) {
		uint8_t drive = i < 0 ? boot->drive : (uint8_t)(FIRST_HARD_DISK + i);
		struct disk *d = drive == boot->drive ? boot : &other;
		struct part_table *t;

		if ((i >= 0 && d == boot) || (r->kind == ROOT_NUMBER && drive != FIRST_HARD_DISK + r->disk))
			continue;
		if (d == &other && disk_open(d, drive) < 0)
			continue;
		t = disk_table(d);
		if (t && d == &other && verbose)
			part_describe(t);       /* the teaching trace: what is looked at */
		for (int k = 0; t && k < t->count; k++) {
			const struct part_info *p = &t->part[k];
			struct fs *fs = bootfs;

			part_uuid_string(t, p, partuuid);
			if ((r->kind == ROOT_NUMBER && p->number != r->partition) ||
			    (r->kind == ROOT_PARTUUID && strcmp(partuuid, r->key)))
				continue;
			if (d == &other || p->number != bootnum) {
				disk_partition(d, p, &other_part);
				if (fs_mount(&fs, &other_part.dev) < 0)
					continue;
			}
			if (matches(r, fs)) {
				printf("root: %s%s is hd%d,%d (drive 0x%02x, PARTUUID %s)\n", how, r->key,
				       drive - FIRST_HARD_DISK, p->number, drive, partuuid);
				boot_source = (struct boot_source){ drive, p->number };
				disk_close(&other);
				return fs;
			}
			if (fs != bootfs)
				fs_unmount(fs);
		}
		disk_close(&other);
	}
	printf("root: %s%s: no partition matches (BIOS disks looked at: %d)\n", how, r->key, MAX(disks, 1));
	return NULL;
}
#else
/* build/stage2-iso.bin (mk/smartos-iso.mk): the ISO 9660 reader takes the
 * room that looking through other partitions and disks needs (31,744
 * bytes), and a live CD's entries are on the disc it booted from. */
struct fs *root_mount(struct disk *boot, struct fs *bootfs, int bootnum, const struct root_spec *r)
{
	boot_source = (struct boot_source){ boot->drive, bootnum };
	if (r->kind == ROOT_BOOT)
		return bootfs;
	printf("root: %s%s: this stage 2 (the CD's) reads only the disc it booted from\n",
	       cfg_root_prefixes[r->kind], r->key);
	return NULL;
}
#endif
