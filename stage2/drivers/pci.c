/*
 * pci.c - find the disk controllers.
 *
 * Configuration mechanism #1: write the bus/device/function/register address
 * to port 0xCF8 (bit 31 = enable), then read or write the 32-bit register at
 * port 0xCFC.  Every PC since the mid-1990s has it.  A slot with no device
 * reads vendor 0xFFFF.  The scan is bounded by construction: 256 buses x 32
 * devices x 8 functions, and only function 0 of an empty slot is read.
 */
#include "cpu/io.h"
#include "drivers/pci.h"
#include "trace.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA    0xcfc
#define PCI_ENABLE         0x80000000u
#define PCI_MULTIFUNCTION  0x80     /* header type bit 7 */
#define PCI_NO_DEVICE      0xffff

static void select_reg(const struct pci_dev *d, uint8_t off)
{
	outl(PCI_CONFIG_ADDRESS, PCI_ENABLE | (uint32_t)d->bus << 16 |
	     (uint32_t)d->dev << 11 | (uint32_t)d->fn << 8 | (off & 0xfc));
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
	select_reg(d, off);
	return inl(PCI_CONFIG_DATA);
}

void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v)
{
	select_reg(d, off);
	outl(PCI_CONFIG_DATA, v);
}

uint16_t pci_read16(const struct pci_dev *d, uint8_t off)
{
	return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
	uint32_t old = pci_read32(d, off);
	uint32_t shift = (off & 2) * 8;

	pci_write32(d, off, (old & ~(0xffffu << shift)) | (uint32_t)v << shift);
}

bool pci_find_storage(bool (*cb)(const struct pci_dev *d, void *arg), void *arg)
{
	struct pci_dev d;

	for (unsigned bus = 0; bus < 256; bus++) {
		for (unsigned dev = 0; dev < 32; dev++) {
			for (unsigned fn = 0; fn < 8; fn++) {
				d.bus = (uint8_t)bus;
				d.dev = (uint8_t)dev;
				d.fn = (uint8_t)fn;
				uint32_t id = pci_read32(&d, PCI_VENDOR_ID);

				if ((id & 0xffff) == PCI_NO_DEVICE) {
					if (fn == 0)
						break;     /* empty slot */
					continue;
				}
				uint32_t class = pci_read32(&d, PCI_CLASS_REV);

				d.vendor = (uint16_t)id;
				d.device = (uint16_t)(id >> 16);
				d.class = (uint8_t)(class >> 24);
				d.subclass = (uint8_t)(class >> 16);
				d.progif = (uint8_t)(class >> 8);
				if (d.class == PCI_CLASS_STORAGE) {
					TRACE("pci: %02x:%02x.%u %04x:%04x storage class %02x.%02x.%02x\n",
					      bus, dev, fn, d.vendor, d.device, d.class, d.subclass, d.progif);
					if (cb(&d, arg))
						return true;
				}
				if (fn == 0 && !(pci_read32(&d, PCI_HEADER_TYPE & 0xfc) >> 16 & PCI_MULTIFUNCTION))
					break;             /* single-function device */
			}
		}
	}
	return false;
}
