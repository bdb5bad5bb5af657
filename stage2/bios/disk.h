/* disk.h - the BIOS disk (INT 13h extensions) as a block device. */
#ifndef DISK_H
#define DISK_H

#include "blockdev.h"
#include "bios/e820.h"
#include "drivers/native.h"
#include "part/part.h"

struct disk {
	struct blockdev dev;     /* first: disk_read() casts back to struct disk */
	uint8_t drive;           /* BIOS drive number, 0x80 = first hard disk */
	uint32_t max_sectors;    /* per INT 13h call (edd.h); halved for good after an error */
	struct native_disk *native;        /* the controller's driver, or NULL */
	const struct memory_map *mm;       /* DMA only into usable RAM */
	struct part_table *table;          /* read once, on the heap (14 KiB); disk_close() frees it */
};

/* A partition of a disk: reads go through its disk, kept inside it. */
struct disk_part {
	struct blockdev dev;     /* first: partition_read() casts back */
	struct disk *disk;
};

/* Where the entry being booted is: the BIOS drive and its partition, set
 * by root.c's root_mount() for a protocol that tells the kernel
 * (Multiboot's boot device). */
struct boot_source { uint8_t drive; int partition; };
extern struct boot_source boot_source;

/* Use a native driver for this disk if one matches it (native.c). */
void disk_use_native(struct disk *d, uint64_t part_lba);

/* Open the BIOS drive; its size comes from INT 13h AH=48h. */
int disk_open(struct disk *d, uint8_t drive);

/* Find the boot partition in the disk's table (DOS or GPT, read by part/):
 * the one part_choose() picks.  *part reads through *d.  Returns its number
 * (sdaN; 0: a CD, the whole disc), or -1 after saying why.  An entry's
 * other partition is root.c's to find (disk_table, disk_partition). */
int disk_find_partition(struct disk *d, struct disk_part *part);

/* The disk's partition table, read on the first call; NULL after saying why. */
struct part_table *disk_table(struct disk *d);
/* A block device for partition p of d's table. */
void disk_partition(struct disk *d, const struct part_info *p, struct disk_part *part);
/* Free what disk_table() read (another disk than the boot disk, after use). */
void disk_close(struct disk *d);

/* The teaching trace: the partition table read, and why partition `number`
 * (the boot partition) was chosen. */
void disk_describe(int number);

#endif
