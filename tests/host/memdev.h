/*
 * memdev.h - a struct blockdev over an image in memory, for the fuzz
 * targets (fuzz_ext2.c, fuzz_iso9660.c): what the fuzzer gives is the disk.
 * Set .dev.sectors and .dev.sector_size (512 for a disk, 2048 for a CD)
 * and .image; .dev.read = memdev_read.
 */
#ifndef TESTS_HOST_MEMDEV_H
#define TESTS_HOST_MEMDEV_H

#include <string.h>

#include "blockdev.h"

struct memdev {
	struct blockdev dev;
	const uint8_t *image;
};

static int memdev_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	struct memdev *m = (struct memdev *)dev;

	if (lba > dev->sectors || count > dev->sectors - lba)
		return -1;       /* the device's end: stage 2's disk layer refuses too */
	memcpy(buf, m->image + lba * dev->sector_size, (size_t)count * dev->sector_size);
	return 0;
}

#endif
