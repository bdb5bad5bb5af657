/*
 * blockdev.h - a disk, or a part of one, as the filesystem reader sees it.
 *
 * The disk layer (disk.c) provides one for the BIOS drive and one for the
 * boot partition; the host tests provide one over an image file.  The
 * reader only ever calls read().
 */
#ifndef BLOCKDEV_H
#define BLOCKDEV_H

#include "klib.h"

/* A disk's sectors are 512 bytes (the ext2 reader reads only those); a CD's
 * are 2048 (struct blockdev's sector_size says which).  (Prefixed: disk.c
 * and bzimage.c have their own SECTOR_SIZE.) */
#define BLOCKDEV_SECTOR_SHIFT 9
#define BLOCKDEV_SECTOR_SIZE  (1u << BLOCKDEV_SECTOR_SHIFT)

struct blockdev {
	/*
	 * Read `count` sectors (of sector_size bytes) at the absolute LBA `lba` into `buf`.
	 * `buf` may be anywhere in memory (also above 1 MiB) and `count` any
	 * size: the implementation bounces and splits as it needs to.
	 * Returns 0, or a negative number after printing its own message.
	 */
	int (*read)(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf);
	uint64_t start_lba;   /* first sector of the partition; callers add it */
	uint64_t sectors;     /* its length in sectors (0: unknown) */
	const char *name;     /* for messages: "disk", "partition", an image file */
	uint32_t sector_size; /* bytes: 512 or 2048 (a CD); 0 is taken as 512 */
};

#endif
