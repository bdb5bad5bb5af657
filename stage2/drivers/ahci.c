/*
 * ahci.c - an AHCI SATA port with one command slot (what `qemu -M q35` has).
 *
 * The HBA's registers are memory-mapped at BAR5 (ABAR); each port has a
 * command list (32 headers; we use slot 0), a received-FIS area, and per
 * command a table holding the command FIS and the PRDT (the DMA regions).
 * We point a port at our own structures for the boot and give it back its
 * BIOS's structures afterwards (the BIOS may still read through it, and the
 * kernel's ahci driver resets the HBA anyway).
 */
#include "drivers/native.h"
#include "trace.h"

#define PCI_SUBCLASS_SATA  0x06
#define PCI_PROGIF_AHCI    0x01
#define PCI_BAR5           0x24

#define HBA_GHC            0x04
#define HBA_PI             0x0c      /* ports implemented */
#define GHC_AE             0x80000000u
#define PORT_BASE(p)       (0x100 + (p) * 0x80)
#define PX_CLB             0x00
#define PX_CLBU            0x04
#define PX_FB              0x08
#define PX_FBU             0x0c
#define PX_IS              0x10
#define PX_CMD             0x18
#define PX_TFD             0x20
#define PX_SIG             0x24
#define PX_SSTS            0x28
#define PX_SERR            0x30
#define PX_CI              0x38
#define CMD_ST             0x0001    /* start processing the command list */
#define CMD_FRE            0x0010    /* FIS receive enable */
#define CMD_FR             0x4000    /* FIS receive running */
#define CMD_CR             0x8000    /* command list running */
#define SSTS_DET_PRESENT   3         /* device present, PHY up */
#define SIG_ATA            0x00000101
#define TFD_ERR            0x01
#define TFD_BUSY           0x88      /* BSY | DRQ */
#define IS_TFES            (1u << 30)

#define FIS_H2D            0x27
#define FIS_COMMAND        0x80
#define ATA_DEV_LBA        0x40
#define ATA_CMD_IDENTIFY   0xec
#define ATA_CMD_READ_DMA_EXT 0x25
#define MAX_SECTORS        8192      /* 4 MiB: one PRD entry */
#define MAX_PORTS          4
#define STOP_MS            500
#define COMMAND_MS         3000

struct cmd_header {
	uint16_t flags;          /* bits 0-4: FIS length in dwords; bit 6: write */
	uint16_t prdtl;          /* PRDT entries */
	uint32_t prdbc;          /* bytes transferred */
	uint32_t ctba, ctbau;    /* command table, 128-byte aligned */
	uint32_t reserved[4];
};

struct cmd_table {
	uint8_t cfis[64];
	uint8_t acmd[16];
	uint8_t reserved[48];
	struct { uint32_t dba, dbau, reserved, dbc; } prdt[1];
};

struct ahci_port {
	volatile uint8_t *regs;
	uint32_t saved[5];       /* CLB, CLBU, FB, FBU, CMD */
};

static struct cmd_header cmd_list[32] __attribute__((aligned(1024)));
static uint8_t received_fis[256] __attribute__((aligned(256)));
static struct cmd_table table __attribute__((aligned(128)));
static struct ahci_port ports[MAX_PORTS];
static int nports;

static inline uint32_t rd(struct ahci_port *p, uint32_t off) { return *(volatile uint32_t *)(p->regs + off); }
static inline void wr(struct ahci_port *p, uint32_t off, uint32_t v) { *(volatile uint32_t *)(p->regs + off) = v; }

/* Clear bits and wait, bounded, until the "running" bits follow. */
static bool port_stop(struct ahci_port *p)
{
	uint32_t deadline = native_deadline(STOP_MS);

	wr(p, PX_CMD, rd(p, PX_CMD) & ~(uint32_t)(CMD_ST | CMD_FRE));
	while (rd(p, PX_CMD) & (CMD_CR | CMD_FR))
		if (native_expired(deadline))
			return false;
	return true;
}

static int command(struct ahci_port *p, uint8_t cmd, uint64_t lba, uint32_t count,
		   uint32_t addr, uint32_t bytes)
{
	memset(&table, 0, sizeof(table));
	table.cfis[0] = FIS_H2D;
	table.cfis[1] = FIS_COMMAND;
	table.cfis[2] = cmd;
	table.cfis[4] = (uint8_t)lba;
	table.cfis[5] = (uint8_t)(lba >> 8);
	table.cfis[6] = (uint8_t)(lba >> 16);
	table.cfis[7] = ATA_DEV_LBA;
	table.cfis[8] = (uint8_t)(lba >> 24);
	table.cfis[9] = (uint8_t)(lba >> 32);
	table.cfis[10] = (uint8_t)(lba >> 40);
	table.cfis[12] = (uint8_t)count;
	table.cfis[13] = (uint8_t)(count >> 8);
	table.prdt[0].dba = addr;
	table.prdt[0].dbc = bytes - 1;     /* byte count minus one */
	cmd_list[0] = (struct cmd_header){ .flags = 5, .prdtl = 1,
					   .ctba = (uint32_t)(uintptr_t)&table };

	wr(p, PX_IS, ~0u);                 /* write 1 to clear */
	wr(p, PX_CI, 1);
	uint32_t deadline = native_deadline(COMMAND_MS);
	while ((rd(p, PX_CI) & 1) && !(rd(p, PX_IS) & IS_TFES))
		if (native_expired(deadline))
			break;
	if ((rd(p, PX_CI) & 1) || (rd(p, PX_IS) & IS_TFES) || (rd(p, PX_TFD) & TFD_ERR)) {
		printf("ahci: command 0x%02x at LBA %llu failed (TFD 0x%02x)\n", cmd,
		       (unsigned long long)lba, rd(p, PX_TFD) & 0xff);
		return -1;
	}
	return 0;
}

static int ahci_read(struct native_disk *nd, uint64_t lba, uint32_t count, uint32_t addr)
{
	return command(nd->priv, ATA_CMD_READ_DMA_EXT, lba, count, addr, count * 512);
}

/* Give the port back the BIOS's command list and FIS area, running as it was. */
static void ahci_release(struct native_disk *nd)
{
	struct ahci_port *p = nd->priv;

	port_stop(p);
	wr(p, PX_CLB, p->saved[0]);
	wr(p, PX_CLBU, p->saved[1]);
	wr(p, PX_FB, p->saved[2]);
	wr(p, PX_FBU, p->saved[3]);
	wr(p, PX_CMD, p->saved[4] & ~(uint32_t)CMD_ST);
	wr(p, PX_CMD, p->saved[4]);        /* FRE before ST, as the spec asks */
}

int ahci_probe(const struct pci_dev *d, struct native_disk *out, int room)
{
	static uint16_t identify[256];
	static char names[MAX_PORTS][8];
	int found = 0;

	if (d->subclass != PCI_SUBCLASS_SATA || d->progif != PCI_PROGIF_AHCI)
		return 0;
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_MEMORY | PCI_CMD_MASTER);
	volatile uint8_t *abar = (volatile uint8_t *)(uintptr_t)(pci_read32(d, PCI_BAR5) & ~0xfu);
	*(volatile uint32_t *)(abar + HBA_GHC) |= GHC_AE;
	uint32_t pi = *(volatile uint32_t *)(abar + HBA_PI);

	for (int n = 0; n < 32 && found < room && nports < MAX_PORTS; n++) {
		struct ahci_port *p = &ports[nports];

		p->regs = abar + PORT_BASE(n);
		if (!(pi & (1u << n)) || (rd(p, PX_SSTS) & 0xf) != SSTS_DET_PRESENT ||
		    rd(p, PX_SIG) != SIG_ATA)
			continue;
		for (int i = 0; i < 4; i++)
			p->saved[i] = rd(p, PX_CLB + 4 * (uint32_t)i);
		p->saved[4] = rd(p, PX_CMD);
		if (!port_stop(p))
			continue;
		wr(p, PX_CLB, (uint32_t)(uintptr_t)cmd_list);
		wr(p, PX_CLBU, 0);
		wr(p, PX_FB, (uint32_t)(uintptr_t)received_fis);
		wr(p, PX_FBU, 0);
		wr(p, PX_SERR, ~0u);
		wr(p, PX_CMD, rd(p, PX_CMD) | CMD_FRE);
		wr(p, PX_CMD, rd(p, PX_CMD) | CMD_ST);

		struct native_disk nd = { names[nports], 0, MAX_SECTORS, ahci_read, ahci_release, p };
		if (command(p, ATA_CMD_IDENTIFY, 0, 0, (uint32_t)(uintptr_t)identify, 512) < 0) {
			ahci_release(&nd);
			continue;
		}
		nd.sectors = (uint64_t)identify[100] | (uint64_t)identify[101] << 16 |
			     (uint64_t)identify[102] << 32;
		snprintf(names[nports], sizeof(names[0]), "ahci %d", n);
		TRACE("ahci: port %d: %llu sectors\n", n, (unsigned long long)nd.sectors);
		out[found++] = nd;
		nports++;
	}
	return found;
}
