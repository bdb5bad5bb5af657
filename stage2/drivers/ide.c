/*
 * ide.c - PIIX/ICH IDE with bus-master DMA (what `qemu -M pc -hda` has).
 *
 * The ATA registers are the classic task file (ports 0x1F0-0x1F7 and 0x3F6
 * for the primary channel in "compatibility" mode, or the BARs in native
 * mode); the DMA engine is the bus-master IDE block at BAR4 (SFF-8038i):
 *   +0 command (bit 0 start, bit 3 direction: 1 = write to memory)
 *   +2 status  (bit 0 active, bit 1 error, bit 2 interrupt; write 1 to clear)
 *   +4 the physical address of the PRD table
 * A PRD (physical region descriptor) is {address, byte count, end-of-table
 * flag}; a region may not cross a 64 KiB boundary.
 */
#include "cpu/io.h"
#include "drivers/native.h"
#include "trace.h"

#define ATA_DATA         0
#define ATA_SECCOUNT     2
#define ATA_LBA_LOW      3
#define ATA_LBA_MID      4
#define ATA_LBA_HIGH     5
#define ATA_DEVICE       6
#define ATA_STATUS       7       /* read */
#define ATA_COMMAND      7       /* write */
#define ATA_DEV_LBA      0x40
#define ATA_DEV_SLAVE    0x10
#define ATA_SR_ERR       0x01
#define ATA_SR_DRQ       0x08
#define ATA_SR_DF        0x20
#define ATA_SR_BSY       0x80
#define ATA_CTL_NIEN     0x02    /* device control: no interrupts */
#define ATA_CMD_IDENTIFY 0xec
#define ATA_CMD_READ_DMA 0xc8    /* LBA28, up to 256 sectors */
#define ATA_CMD_READ_DMA_EXT 0x25 /* LBA48, up to 65536 sectors */

#define BM_COMMAND       0
#define BM_STATUS        2
#define BM_PRDT          4
#define BM_CMD_START     0x01
#define BM_CMD_TO_MEMORY 0x08
#define BM_ST_ACTIVE     0x01
#define BM_ST_ERROR      0x02
#define BM_ST_IRQ        0x04

#define PCI_SUBCLASS_IDE 0x01
#define PROGIF_PRIMARY_NATIVE   0x01
#define PROGIF_SECONDARY_NATIVE 0x04
#define PROGIF_BUS_MASTER       0x80

#define PRD_EOT          0x80000000u
#define PRD_MAX          17      /* 1 MiB in 64 KiB pieces, +1 for a misaligned start */
#define MAX_SECTORS      2048    /* 1 MiB per command */
#define LBA28_MAX_SECTORS 256    /* READ DMA's count is one byte (0 = 256) */
#define LBA28_LIMIT      (1u << 28)
#define IDENTIFY_MS      1000
#define COMMAND_MS       3000

struct prd {
	uint32_t addr;
	uint32_t count;          /* bytes, 0 = 64 KiB; bit 31: last entry */
};

struct ide_drive {
	uint16_t base, ctl, bm;  /* task file, device control, bus master */
	uint8_t slave;
	bool lba48;
	const struct pci_dev *pci;
};

static struct prd prd[PRD_MAX] __attribute__((aligned(16)));
static struct ide_drive drives[4];
static struct pci_dev controller;
static uint16_t saved_pci_command;
static int ndrives;

static bool wait_not_busy(uint16_t base, uint32_t ms, uint8_t *status)
{
	uint32_t deadline = native_deadline(ms);

	do {
		*status = inb(base + ATA_STATUS);
		if (!(*status & ATA_SR_BSY))
			return true;
	} while (!native_expired(deadline));
	return false;
}

/* IDENTIFY DEVICE: is there an ATA disk, how large, does it do LBA48? */
static bool identify(struct ide_drive *dr, uint64_t *sectors)
{
	uint16_t id[256];
	uint8_t st;

	outb(dr->ctl, ATA_CTL_NIEN);                /* we poll */
	outb(dr->base + ATA_DEVICE, ATA_DEV_LBA | (dr->slave ? ATA_DEV_SLAVE : 0));
	for (int i = 0; i < 4; i++)
		(void)inb(dr->ctl);                 /* 400 ns for the select */
	st = inb(dr->base + ATA_STATUS);
	if (st == 0xff || st == 0)
		return false;                       /* no drive, or a floating bus */
	outb(dr->base + ATA_COMMAND, ATA_CMD_IDENTIFY);
	if (!wait_not_busy(dr->base, IDENTIFY_MS, &st) || (st & ATA_SR_ERR) || !(st & ATA_SR_DRQ))
		return false;                       /* ATAPI (CD-ROM) aborts IDENTIFY */
	for (int i = 0; i < 256; i++)
		id[i] = inw(dr->base + ATA_DATA);
	dr->lba48 = id[83] & (1u << 10);
	*sectors = dr->lba48 ? (uint64_t)id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32
			     : (uint64_t)id[60] | (uint64_t)id[61] << 16;
	return *sectors != 0;
}

/* Describe buf..buf+bytes in PRDs, none crossing a 64 KiB boundary. */
static void build_prds(uint32_t addr, uint32_t bytes)
{
	int n = 0;

	while (bytes) {
		uint32_t room = 0x10000 - (addr & 0xffff);
		uint32_t len = MIN(room, bytes);

		prd[n].addr = addr;
		prd[n].count = len & 0xffff;        /* 0x10000 is written as 0 */
		addr += len;
		bytes -= len;
		n++;
	}
	prd[n - 1].count |= PRD_EOT;
}

/* One READ DMA (EXT) command: the PRD table, the task-file registers, then
 * the bus-master status polled against a deadline. */
static int read_dma(struct ide_drive *dr, uint64_t lba, uint32_t count, uint32_t addr)
{
	uint16_t b = dr->base;
	uint8_t st, bm;

	build_prds(addr, count * 512);
	outb(dr->bm + BM_COMMAND, 0);
	outb(dr->bm + BM_STATUS, BM_ST_ERROR | BM_ST_IRQ);  /* write 1 to clear */
	outl(dr->bm + BM_PRDT, (uint32_t)(uintptr_t)prd);
	outb(dr->bm + BM_COMMAND, BM_CMD_TO_MEMORY);

	outb(b + ATA_DEVICE, ATA_DEV_LBA | (dr->slave ? ATA_DEV_SLAVE : 0));
	if (dr->lba48) {
		/* LBA48: the "previous" (high) bytes first, then the low ones. */
		outb(b + ATA_SECCOUNT, (uint8_t)(count >> 8));
		outb(b + ATA_LBA_LOW, (uint8_t)(lba >> 24));
		outb(b + ATA_LBA_MID, (uint8_t)(lba >> 32));
		outb(b + ATA_LBA_HIGH, (uint8_t)(lba >> 40));
		outb(b + ATA_SECCOUNT, (uint8_t)count);
		outb(b + ATA_LBA_LOW, (uint8_t)lba);
		outb(b + ATA_LBA_MID, (uint8_t)(lba >> 8));
		outb(b + ATA_LBA_HIGH, (uint8_t)(lba >> 16));
		outb(b + ATA_COMMAND, ATA_CMD_READ_DMA_EXT);
	} else {
		outb(b + ATA_DEVICE, ATA_DEV_LBA | (dr->slave ? ATA_DEV_SLAVE : 0) | (uint8_t)((lba >> 24) & 0xf));
		outb(b + ATA_SECCOUNT, (uint8_t)count);   /* 256 is written as 0 */
		outb(b + ATA_LBA_LOW, (uint8_t)lba);
		outb(b + ATA_LBA_MID, (uint8_t)(lba >> 8));
		outb(b + ATA_LBA_HIGH, (uint8_t)(lba >> 16));
		outb(b + ATA_COMMAND, ATA_CMD_READ_DMA);
	}
	outb(dr->bm + BM_COMMAND, BM_CMD_TO_MEMORY | BM_CMD_START);

	uint32_t deadline = native_deadline(COMMAND_MS);
	do {
		bm = inb(dr->bm + BM_STATUS);
		if (!(bm & BM_ST_ACTIVE) || (bm & BM_ST_ERROR))
			break;
	} while (!native_expired(deadline));
	outb(dr->bm + BM_COMMAND, 0);                      /* stop the engine */
	outb(dr->bm + BM_STATUS, BM_ST_ERROR | BM_ST_IRQ);
	if (!wait_not_busy(b, COMMAND_MS, &st) || (bm & (BM_ST_ACTIVE | BM_ST_ERROR)) ||
	    (st & (ATA_SR_ERR | ATA_SR_DF))) {
		printf("ide: DMA read at LBA %llu failed (status 0x%02x, bus master 0x%02x)\n",
		       (unsigned long long)lba, st, bm);
		return -1;
	}
	return 0;
}

static int ide_read(struct native_disk *nd, uint64_t lba, uint32_t count, uint32_t addr)
{
	struct ide_drive *dr = nd->priv;

	if (!dr->lba48 && lba + count > LBA28_LIMIT) {
		printf("ide: LBA %llu is past what an LBA28 drive can address\n",
		       (unsigned long long)(lba + count - 1));
		return -1;
	}
	return read_dma(dr, lba, count, addr);
}

/* Interrupts back on (nIEN clear) and the PCI command register as found:
 * the BIOS and then the kernel's ata_piix expect the chip as they left it. */
static void ide_release(struct native_disk *nd)
{
	struct ide_drive *dr = nd->priv;

	outb(dr->bm + BM_COMMAND, 0);
	outb(dr->ctl, 0);
	pci_write16(dr->pci, PCI_COMMAND, saved_pci_command);
}

int ide_probe(const struct pci_dev *d, struct native_disk *out, int room)
{
	static const uint16_t legacy[2][2] = { { 0x1f0, 0x3f6 }, { 0x170, 0x376 } };
	uint32_t bar4;
	int found = 0;

	if (d->subclass != PCI_SUBCLASS_IDE || !(d->progif & PROGIF_BUS_MASTER) || ndrives)
		return 0;
	controller = *d;
	bar4 = pci_read32(&controller, PCI_BAR0 + 16);
	if (!(bar4 & 1))
		return 0;                           /* bus master must be I/O space */
	saved_pci_command = pci_read16(&controller, PCI_COMMAND);
	pci_write16(&controller, PCI_COMMAND, saved_pci_command | PCI_CMD_IO | PCI_CMD_MASTER);

	for (int ch = 0; ch < 2; ch++) {
		bool native = d->progif & (ch ? PROGIF_SECONDARY_NATIVE : PROGIF_PRIMARY_NATIVE);
		uint16_t base = native ? (uint16_t)(pci_read32(&controller, PCI_BAR0 + ch * 8) & ~3u) : legacy[ch][0];
		uint16_t ctl = native ? (uint16_t)((pci_read32(&controller, PCI_BAR0 + ch * 8 + 4) & ~3u) + 2) : legacy[ch][1];

		for (int sl = 0; sl < 2 && found < room; sl++) {
			struct ide_drive *dr = &drives[ndrives];
			uint64_t sectors;

			*dr = (struct ide_drive){ base, ctl, (uint16_t)((bar4 & ~3u) + ch * 8), (uint8_t)sl, false, &controller };
			if (!identify(dr, &sectors))
				continue;
			static char names[4][8];
			snprintf(names[ndrives], sizeof(names[0]), "ide %d:%d", ch, sl);
			out[found++] = (struct native_disk){ names[ndrives], sectors,
							     dr->lba48 ? MAX_SECTORS : LBA28_MAX_SECTORS, ide_read, ide_release, dr };
			TRACE("ide: channel %d %s: %llu sectors, %s\n", ch, sl ? "slave" : "master",
			      (unsigned long long)sectors, dr->lba48 ? "LBA48" : "LBA28");
			ndrives++;
		}
	}
	if (!found)
		pci_write16(&controller, PCI_COMMAND, saved_pci_command);
	return found;
}
