/*
 * native.h - disk drivers that talk to the controller instead of the BIOS.
 *
 * INT 13h on SeaBIOS moves one 512-byte sector per IDE command by PIO: about
 * 10 MB/s under QEMU.  A driver that programs the controller's DMA engine
 * moves megabytes per command straight into the kernel's final address.
 * Each driver offers the disks it finds as struct native_disk; disk.c
 * decides whether one of them is the BIOS boot drive and falls back to INT
 * 13h on any doubt or error.
 */
#ifndef NATIVE_H
#define NATIVE_H

#include "blockdev.h"
#include "drivers/pci.h"

struct native_disk {
	const char *name;        /* "ide 0:0" ... for messages */
	uint64_t sectors;        /* from IDENTIFY or the controller */
	uint32_t max_sectors;    /* the most one command moves */
	/* One command: count (1..max_sectors) sectors at lba by DMA to addr
	 * (physical = linear, in usable RAM below 4 GiB).  0, or -1 with a
	 * message printed. */
	int (*read)(struct native_disk *nd, uint64_t lba, uint32_t count, uint32_t addr);
	/* Leave the controller as the kernel expects to find it. */
	void (*release)(struct native_disk *nd);
	void *priv;
};

#define NATIVE_MAX_DISKS 8

/* Probe one PCI storage controller; append the disks found to out[] (at
 * most room of them).  Returns how many were added. */
int ide_probe(const struct pci_dev *d, struct native_disk *out, int room);
int ahci_probe(const struct pci_dev *d, struct native_disk *out, int room);
int virtio_probe(const struct pci_dev *d, struct native_disk *out, int room);

/* Find the controller disk that is the BIOS drive bios (whose boot
 * partition starts at part_lba), or NULL.  The others are released. */
struct native_disk *native_attach(struct blockdev *bios, uint64_t part_lba);
/* Read count sectors at lba into buf, as many commands as it takes. */
int native_read(struct native_disk *nd, uint64_t lba, uint32_t count, void *buf);
/* Release the disk in use (before the kernel starts, or on a fallback). */
void native_release(void);

/* Wait helper for the drivers: has the deadline (BIOS ticks) passed? */
uint32_t native_deadline(uint32_t ms);
bool native_expired(uint32_t deadline);

#endif
