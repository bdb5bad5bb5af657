/* pci.h - PCI configuration space through mechanism #1 (ports 0xCF8/0xCFC). */
#ifndef PCI_H
#define PCI_H

#include "klib.h"

struct pci_dev {
	uint8_t bus, dev, fn;
	uint16_t vendor, device;
	uint8_t class, subclass, progif;
};

#define PCI_VENDOR_ID     0x00
#define PCI_COMMAND       0x04
#define PCI_CMD_IO        0x0001
#define PCI_CMD_MEMORY    0x0002
#define PCI_CMD_MASTER    0x0004   /* the device may start DMA */
#define PCI_CLASS_REV     0x08
#define PCI_HEADER_TYPE   0x0e
#define PCI_BAR0          0x10
#define PCI_CLASS_STORAGE 0x01

uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
void pci_write32(const struct pci_dev *d, uint8_t off, uint32_t v);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);

/* Call cb for every mass-storage controller (class 01h) on buses 0-255;
 * stop when it returns true.  Returns true if cb did. */
bool pci_find_storage(bool (*cb)(const struct pci_dev *d, void *arg), void *arg);

#endif
