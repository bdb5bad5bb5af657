/*
 * virtio.c - virtio-blk over legacy virtio-pci (`qemu -drive if=virtio`).
 *
 * Legacy (virtio 0.9.5) rather than modern (1.0): the whole device is a
 * handful of I/O ports at BAR0, so there are no capability lists to walk
 * and no MMIO mappings to set up — the smallest driver, and QEMU (and
 * SeaBIOS) still offer the legacy interface on "transitional" devices.
 *
 * One virtqueue of descriptors, an "available" ring (ours to write) and a
 * "used" ring (the device's).  A read is a chain of three descriptors: the
 * request header, the data (straight into its destination), a status byte.
 */
#include "cpu/io.h"
#include "drivers/native.h"
#include "trace.h"

#define VIRTIO_VENDOR       0x1af4
#define VIRTIO_BLK_LEGACY   0x1001
#define VIO_QUEUE_PFN       0x08
#define VIO_QUEUE_SIZE      0x0c
#define VIO_QUEUE_SELECT    0x0e
#define VIO_QUEUE_NOTIFY    0x10
#define VIO_STATUS          0x12
#define VIO_BLK_CAPACITY    0x14    /* device config: 64-bit, in sectors */
#define STATUS_ACK          0x01
#define STATUS_DRIVER       0x02
#define STATUS_DRIVER_OK    0x04
#define DESC_NEXT           0x01
#define DESC_WRITE          0x02    /* the device writes this buffer */
#define VIRTIO_BLK_T_IN     0
#define QUEUE_ALIGN         4096
#define MAX_SECTORS         8192    /* 4 MiB per request */
#define COMMAND_MS          3000
#define MAX_QUEUE           1024

struct vring_desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vring_avail { uint16_t flags, idx, ring[]; };
struct vring_used_elem { uint32_t id, len; };
struct vring_used { uint16_t flags, idx; struct vring_used_elem ring[]; };
struct blk_req { uint32_t type, reserved; uint64_t sector; };

static struct {
	uint16_t io;
	uint16_t qsize, last_used;
	struct vring_desc *desc;
	struct vring_avail *avail;
	volatile struct vring_used *used;
	struct blk_req req;
	volatile uint8_t status;
} vq;

static int request(uint64_t lba, uint32_t count, uint32_t addr)
{
	vq.req = (struct blk_req){ VIRTIO_BLK_T_IN, 0, lba };
	vq.status = 0xff;
	vq.desc[0] = (struct vring_desc){ (uintptr_t)&vq.req, sizeof(vq.req), DESC_NEXT, 1 };
	vq.desc[1] = (struct vring_desc){ addr, count * 512, DESC_NEXT | DESC_WRITE, 2 };
	vq.desc[2] = (struct vring_desc){ (uintptr_t)&vq.status, 1, DESC_WRITE, 0 };
	vq.avail->ring[vq.avail->idx % vq.qsize] = 0;
	__asm__ volatile("" ::: "memory");      /* the ring entry before the index */
	vq.avail->idx++;
	__asm__ volatile("" ::: "memory");
	outw(vq.io + VIO_QUEUE_NOTIFY, 0);

	uint32_t deadline = native_deadline(COMMAND_MS);
	while (vq.used->idx == vq.last_used)
		if (native_expired(deadline)) {
			printf("virtio: read at LBA %llu timed out\n", (unsigned long long)lba);
			return -1;
		}
	vq.last_used++;
	if (vq.status != 0) {
		printf("virtio: read at LBA %llu failed (status %u)\n", (unsigned long long)lba, vq.status);
		return -1;
	}
	return 0;
}

static int virtio_read(struct native_disk *nd, uint64_t lba, uint32_t count, uint32_t addr)
{
	(void)nd;
	return request(lba, count, addr);
}

/* A reset stops the device and forgets our queue; the kernel sets it up
 * anew.  (The BIOS's own queue is gone too: after this, INT 13h cannot use
 * the device; see native.c.) */
static void virtio_release(struct native_disk *nd)
{
	(void)nd;
	outb(vq.io + VIO_STATUS, 0);
}

int virtio_probe(const struct pci_dev *d, struct native_disk *out, int room)
{
	if (d->vendor != VIRTIO_VENDOR || d->device != VIRTIO_BLK_LEGACY || vq.io || room < 1)
		return 0;
	uint32_t bar0 = pci_read32(d, PCI_BAR0);
	if (!(bar0 & 1))
		return 0;
	vq.io = (uint16_t)(bar0 & ~3u);
	pci_write16(d, PCI_COMMAND, pci_read16(d, PCI_COMMAND) | PCI_CMD_IO | PCI_CMD_MASTER);

	outb(vq.io + VIO_STATUS, 0);                            /* reset */
	outb(vq.io + VIO_STATUS, STATUS_ACK | STATUS_DRIVER);   /* no features */
	outw(vq.io + VIO_QUEUE_SELECT, 0);
	vq.qsize = inw(vq.io + VIO_QUEUE_SIZE);
	if (!vq.qsize || vq.qsize > MAX_QUEUE) {
		virtio_release(NULL);
		return 0;
	}
	/* The legacy layout: descriptors and the available ring, then the used
	 * ring on the next 4 KiB boundary; the whole on a page boundary. */
	uint32_t ring1 = (16u * vq.qsize + 6 + 2u * vq.qsize + QUEUE_ALIGN - 1) & ~(QUEUE_ALIGN - 1);
	uint32_t bytes = ring1 + ((6 + 8u * vq.qsize + QUEUE_ALIGN - 1) & ~(QUEUE_ALIGN - 1));
	uint8_t *mem = malloc(bytes + QUEUE_ALIGN);
	if (!mem) {
		virtio_release(NULL);
		return 0;
	}
	mem = (uint8_t *)(((uintptr_t)mem + QUEUE_ALIGN - 1) & ~(uintptr_t)(QUEUE_ALIGN - 1));
	memset(mem, 0, bytes);
	vq.desc = (struct vring_desc *)mem;
	vq.avail = (struct vring_avail *)(mem + 16u * vq.qsize);
	vq.used = (struct vring_used *)(mem + ring1);
	outl(vq.io + VIO_QUEUE_PFN, (uint32_t)(uintptr_t)mem / QUEUE_ALIGN);
	outb(vq.io + VIO_STATUS, STATUS_ACK | STATUS_DRIVER | STATUS_DRIVER_OK);

	uint64_t sectors = inl(vq.io + VIO_BLK_CAPACITY) | (uint64_t)inl(vq.io + VIO_BLK_CAPACITY + 4) << 32;
	TRACE("virtio: blk at I/O 0x%x, queue of %u, %llu sectors\n", vq.io, vq.qsize,
	      (unsigned long long)sectors);
	out[0] = (struct native_disk){ "virtio", sectors, MAX_SECTORS, virtio_read, virtio_release, NULL };
	return 1;
}
