/*
 * edd.h - the decisions of reading through the INT 13h extensions (EDD),
 * apart from the calls: how a read is split into AH=42h calls and what the
 * BIOS's answers mean, and what AH=48h's disk size is worth.  Plain C with
 * no BIOS calls (disk.c makes them): the host tests play broken BIOSes.
 */
#ifndef EDD_H
#define EDD_H

#include "klib.h"

/* Sectors per AH=42h call.  Phoenix's EDD 3.0 specification allows at most
 * 127 blocks in one call, and BIOSes built on it fail (or wrap) at 128;
 * SeaBIOS takes 128.  127 sectors also fit the 64 KiB bounce buffer. */
#define EDD_MAX_SECTORS 127
/* Calls of one request before it is halved (a reset between each), and
 * calls that succeed but move no sector before the read is given up. */
#define EDD_READ_TRIES  3

/* How edd_read() reaches the BIOS (disk.c; a fake one in the host tests). */
struct edd_io {
	/* One AH=42h call: count sectors at lba into bounce.  Returns the
	 * BIOS status (0: CF clear) and sets *done to the disk address
	 * packet's block count after the call: some BIOSes write there how
	 * many sectors they really transferred. */
	uint8_t (*read)(void *ctx, uint64_t lba, uint16_t count, uint16_t *done);
	void (*reset)(void *ctx);          /* AH=00h, between tries */
	void *ctx;
	const uint8_t *bounce;             /* where read() puts the sectors */
	uint32_t sector_size;              /* bytes: 512, or a CD's 2048 (disk.c) */
};

/* Read count sectors at lba to buf, in calls of at most *max_sectors
 * sectors.  A call that fails is tried again after a reset; one that keeps
 * failing is halved, and *max_sectors keeps the smaller size for the rest
 * of the boot (some BIOSes and USB sticks fail large requests only).  A
 * call that succeeds with fewer sectors than asked goes on from the first
 * sector it did not transfer; one that succeeds with none counts as a
 * failure.  Returns 0, or -1 after printing a message with the LBA. */
int edd_read(const struct edd_io *io, uint32_t *max_sectors, uint64_t lba, uint32_t count,
	     void *buf);

/* The number of sectors AH=48h reports, or 0 (unknown) when the answer
 * cannot be trusted: the BIOS filled less of the buffer than the size
 * field's end (filled: the buffer's first word after the call), or said 0
 * (some BIOSes do for USB sticks and for drives over 2 TiB), or all ones. */
uint64_t edd_disk_sectors(uint16_t filled, uint64_t sectors);

/* Does a read of count sectors at lba pass the end of a disk of sectors
 * sectors (0: unknown, never)? */
bool edd_past_end(uint64_t sectors, uint64_t lba, uint32_t count);

#endif
