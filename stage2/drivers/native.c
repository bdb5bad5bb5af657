/*
 * native.c - choose a native driver for the BIOS boot drive, or none.
 *
 * The BIOS says "drive 0x80" and nothing about which controller or port
 * that is.  So we ask every driver for the disks it sees and compare each
 * with what INT 13h returns: the size (AH=48h) and the first sectors of the
 * disk and of the boot partition.  Only a single perfect match is used; on
 * any doubt, INT 13h stays in charge.
 */
#include "bios/console.h"
#include "drivers/native.h"
#include "trace.h"

#define COMPARE_SECTORS 8

static struct native_disk disks[NATIVE_MAX_DISKS];
static int ndisks;
static struct native_disk *active;

uint32_t native_deadline(uint32_t ms)
{
	return bios_ticks() + ms * TICKS_PER_SECOND / 1000 + 2;
}

bool native_expired(uint32_t deadline)
{
	return bios_ticks() >= deadline;
}

int native_read(struct native_disk *nd, uint64_t lba, uint32_t count, void *buf)
{
	uint32_t addr = (uint32_t)(uintptr_t)buf;

	while (count) {
		uint32_t n = MIN(count, nd->max_sectors);

		if (nd->read(nd, lba, n, addr) < 0)
			return -1;
		lba += n;
		addr += n * 512;
		count -= n;
	}
	return 0;
}

static bool probe(const struct pci_dev *d, void *arg)
{
	(void)arg;
	ndisks += ide_probe(d, disks + ndisks, NATIVE_MAX_DISKS - ndisks);
	ndisks += ahci_probe(d, disks + ndisks, NATIVE_MAX_DISKS - ndisks);
	ndisks += virtio_probe(d, disks + ndisks, NATIVE_MAX_DISKS - ndisks);
	return ndisks == NATIVE_MAX_DISKS;
}

struct native_disk *native_attach(struct blockdev *bios, uint64_t part_lba)
{
	const uint64_t lbas[2] = { 0, part_lba };
	const uint32_t bytes = COMPARE_SECTORS * 512;
	uint8_t *want = malloc(3 * bytes), *got = want + 2 * bytes;
	struct native_disk *match = NULL;
	int matches = 0;

	/* An unknown size (AH=48h failed, or said something we do not trust)
	 * is no evidence: without it, two disks with the same first sectors
	 * (a clone) could not be told apart. */
	if (!bios->sectors) {
		free(want);
		return NULL;
	}
	/* What the BIOS reads, first: once a driver owns a controller (an
	 * AHCI port points at our command list), the BIOS cannot use it. */
	if (!want || bios->read(bios, lbas[0], COMPARE_SECTORS, want) < 0 ||
	    bios->read(bios, lbas[1], COMPARE_SECTORS, want + bytes) < 0) {
		free(want);
		return NULL;
	}
	pci_find_storage(probe, NULL);
	for (int i = 0; i < ndisks; i++) {
		bool same = bios->sectors == disks[i].sectors;

		for (int j = 0; j < 2 && same; j++)
			same = native_read(&disks[i], lbas[j], COMPARE_SECTORS, got) == 0 &&
			       !memcmp(got, want + j * bytes, bytes);
		if (same) {
			match = &disks[i];
			matches++;
		}
		TRACE("native: %s %s the BIOS drive\n", disks[i].name, same ? "is" : "is not");
	}
	free(want);
	for (int i = 0; i < ndisks; i++)
		if (matches != 1 || &disks[i] != match)
			disks[i].release(&disks[i]);
	if (matches != 1) {
		TRACE("native: %d matches; INT 13h it is\n", matches);
		return NULL;
	}
	active = match;
	return match;
}

void native_release(void)
{
	if (active)
		active->release(active);
	active = NULL;
}
