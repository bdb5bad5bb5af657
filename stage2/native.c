/*
 * native.c - choose a native driver for the BIOS boot drive, or none.
 *
 * The BIOS says "drive 0x80" and nothing about which controller or port
 * that is.  So we ask every driver for the disks it sees and compare each
 * with what INT 13h returns: the size (AH=48h) and the first sectors of the
 * disk and of the boot partition.  Only a single perfect match is used; on
 * any doubt, INT 13h stays in charge.
 */
#include "console.h"
#include "native.h"
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

static bool probe(const struct pci_dev *d, void *arg)
{
	(void)arg;
	ndisks += ide_probe(d, disks + ndisks, NATIVE_MAX_DISKS - ndisks);
	return ndisks == NATIVE_MAX_DISKS;
}

/* Do native reads of the sectors at each lba match bios_read's? */
static bool same_data(struct native_disk *nd, struct blockdev *bios, const uint64_t *lbas, int n,
		      uint8_t *a, uint8_t *b)
{
	for (int i = 0; i < n; i++) {
		if (bios->read(bios, lbas[i], COMPARE_SECTORS, a) < 0 ||
		    nd->read(nd, lbas[i], COMPARE_SECTORS, b) < 0 ||
		    memcmp(a, b, COMPARE_SECTORS * 512))
			return false;
	}
	return true;
}

struct native_disk *native_attach(struct blockdev *bios, uint64_t part_lba)
{
	uint64_t lbas[2] = { 0, part_lba };
	uint8_t *a = malloc(2 * COMPARE_SECTORS * 512), *b = a + COMPARE_SECTORS * 512;
	struct native_disk *match = NULL;
	int matches = 0;

	if (!a)
		return NULL;
	pci_find_storage(probe, NULL);
	for (int i = 0; i < ndisks; i++) {
		bool size_ok = !bios->sectors || bios->sectors == disks[i].sectors;

		if (size_ok && same_data(&disks[i], bios, lbas, 2, a, b)) {
			match = &disks[i];
			matches++;
		}
		TRACE("native: %s %s the BIOS drive\n", disks[i].name,
		      match == &disks[i] ? "is" : "is not");
	}
	free(a);
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
