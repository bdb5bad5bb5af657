/*
 * disk.c - read the boot disk through INT 13h AH=42h (extended read).
 *
 * The BIOS can only write below 1 MiB in real mode, so every read lands in a
 * 64 KiB bounce buffer (BOUNCE_BUFFER, layout.h) and is copied to its destination (above
 * 1 MiB for the kernel and initrd) in protected mode.  How a read is split
 * into calls (at most 127 sectors, Phoenix's limit), retried, halved, and
 * continued after a call that moved fewer sectors than asked is edd.c's
 * decision, tested on the host; here are the calls.
 *
 * build/stage2-iso.bin (SMARTBOOT_ISO9660, mk/smartos-iso.mk) also reads a
 * CD booted by El Torito: its sectors are 2048 bytes (AH=48h says so, and
 * AH=42h's packet then counts 2048-byte blocks), it has no partition table,
 * the whole disc is the filesystem (ISO 9660), and it is read through
 * INT 13h only: the native drivers (IDE, AHCI, virtio) speak ATA, not the
 * ATAPI packet commands a CD drive wants (docs/iso.md).
 */
#include "bios/bios.h"
#include "bios/disk.h"
#include "bios/edd.h"
#include "layout.h"
#include "part/part.h"
#include "trace.h"

#define INT_DISK             0x13
#define DISK_RESET           0x00
#define DISK_EXT_READ        0x42
#define DISK_EXT_PARAMS      0x48
#define SECTOR_SIZE          512
#define BOUNCE               ((uint8_t *)BOUNCE_BUFFER)
#define CD_SECTOR_SIZE       2048      /* a CD's (El Torito, ISO 9660) */
_Static_assert(EDD_MAX_SECTORS * SECTOR_SIZE <= BOUNCE_SIZE, "one call fits the bounce buffer");

/* INT 13h AH=42h disk address packet. */
struct dap {
	uint8_t size;            /* 0x00: 16 */
	uint8_t reserved;        /* 0x01 */
	uint16_t count;          /* 0x02: sectors */
	uint16_t offset;         /* 0x04: buffer, real-mode far pointer */
	uint16_t segment;        /* 0x06 */
	uint64_t lba;            /* 0x08 */
} __attribute__((packed));
_Static_assert(sizeof(struct dap) == 16, "INT 13h disk address packet");

/* INT 13h AH=48h result buffer (EDD 1.1 part). */
struct drive_params {
	uint16_t size;           /* 0x00: in: buffer size; out: bytes filled */
	uint16_t flags;          /* 0x02 */
	uint32_t cylinders;      /* 0x04 */
	uint32_t heads;          /* 0x08 */
	uint32_t sectors_per_track; /* 0x0c */
	uint64_t sectors;        /* 0x10: total */
	uint16_t bytes_per_sector; /* 0x18 */
} __attribute__((packed));
_Static_assert(sizeof(struct drive_params) == 0x1a, "INT 13h AH=48h buffer");

/* Both live in .bss, below 1 MiB (BSS_START, layout.h), where the
 * real-mode BIOS reaches them through rm_seg():rm_off(). */
static struct dap dap;
static struct drive_params params;

/* One AH=42h call into the bounce buffer (edd_io.read); returns the BIOS
 * status (0 = ok) and what the packet's count says after the call. */
static uint8_t bios_read(void *ctx, uint64_t lba, uint16_t count, uint16_t *done)
{
	const struct disk *d = ctx;
	struct biosregs r;

	dap = (struct dap){ sizeof(dap), 0, count, rm_off(BOUNCE), rm_seg(BOUNCE), lba };
	bios_regs_init(&r);
	r.eax = DISK_EXT_READ << 8;
	r.edx = d->drive;
	r.ds = rm_seg(&dap);
	r.esi = rm_off(&dap);
	bios_int(INT_DISK, &r, &r);
	*done = dap.count;
	if (!bios_failed(&r))
		return 0;
	return (uint8_t)(r.eax >> 8) ? (uint8_t)(r.eax >> 8) : 0xff;
}

static void bios_reset(void *ctx)
{
	const struct disk *d = ctx;
	struct biosregs r;

	bios_regs_init(&r);
	r.eax = DISK_RESET << 8;
	r.edx = d->drive;
	bios_int(INT_DISK, &r, NULL);
}

static bool usable(const struct memory_map *mm, uint32_t start, uint32_t bytes)
{
	for (int i = 0; mm && i < mm->count; i++)
		if (mm->map[i].type == E820_USABLE && start >= mm->map[i].addr &&
		    (uint64_t)start + bytes <= mm->map[i].addr + mm->map[i].size)
			return true;
	return false;
}

static int disk_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	struct disk *d = (struct disk *)dev;
	const struct edd_io io = { bios_read, bios_reset, d, BOUNCE, dev->sector_size };

	/* AH=48h's size is a BIOS's word, not the disk's: some report a
	 * smaller one (a CHS-limited size, a USB stick's emulated one).  A read
	 * past it is tried; if the disk really ends there, the BIOS says so. */
	if (edd_past_end(dev->sectors, lba, count)) {
		printf("disk: LBA %llu is past AH=48h's size; size unknown\n",
		       (unsigned long long)(lba + count - 1));
		dev->sectors = 0;
	}
	/* The native driver DMAs straight into the destination, which must be
	 * usable RAM; anything else goes through the BIOS and the bounce buffer. */
	if (d->native && usable(d->mm, (uint32_t)(uintptr_t)buf, count * SECTOR_SIZE)) {
		if (native_read(d->native, lba, count, buf) == 0)
			return 0;
		printf("disk: %s failed; reading through INT 13h from now on\n", d->native->name);
		native_release();
		d->native = NULL;
	}
	return edd_read(&io, &d->max_sectors, lba, count, buf);
}

int disk_open(struct disk *d, uint8_t drive)
{
	struct biosregs r;

	d->drive = drive;
	d->max_sectors = EDD_MAX_SECTORS;
	d->native = NULL;
	d->mm = NULL;
	d->table = NULL;
	d->dev = (struct blockdev){ .read = disk_read, .start_lba = 0, .sectors = 0, .name = "disk",
				    .sector_size = SECTOR_SIZE };

	memset(&params, 0, sizeof(params));
	params.size = sizeof(params);
	bios_regs_init(&r);
	r.eax = DISK_EXT_PARAMS << 8;
	r.edx = drive;
	r.ds = rm_seg(&params);
	r.esi = rm_off(&params);
	bios_int(INT_DISK, &r, &r);
	if (bios_failed(&r)) {
		/* Not fatal: without a size we cannot check bounds, nothing more. */
		printf("disk: drive 0x%02x: size unknown (INT 13h AH=48h failed)\n", drive);
		return 0;
	}
	/* 0: the BIOS left the field as we cleared it; take 512, the only size
	 * INT 13h knew before its extensions. */
#ifdef SMARTBOOT_ISO9660
	if (params.bytes_per_sector == CD_SECTOR_SIZE) {
		d->dev.sector_size = CD_SECTOR_SIZE;
		d->max_sectors = BOUNCE_SIZE / CD_SECTOR_SIZE;
		d->dev.name = "CD";
	} else if (params.bytes_per_sector != SECTOR_SIZE && params.bytes_per_sector) {
		printf("disk: drive 0x%02x has %u-byte sectors; only 512 (a disk) and 2048 (a CD) are read\n",
		       drive, params.bytes_per_sector);
		return -1;
	}
#else                                     /* the disk's stage 2 has no ISO 9660 reader */
	if (params.bytes_per_sector != SECTOR_SIZE && params.bytes_per_sector) {
		printf("disk: drive 0x%02x has %u-byte sectors; only 512 is supported\n",
		       drive, params.bytes_per_sector);
		return -1;
	}
#endif
	d->dev.sectors = edd_disk_sectors(params.size, params.sectors);
	TRACE("disk: drive 0x%02x: %llu sectors of %u bytes (INT 13h AH=48h), CHS %u/%u/%u\n",
	      drive, (unsigned long long)params.sectors, params.bytes_per_sector,
	      params.cylinders, params.heads, params.sectors_per_track);
	return 0;
}

void disk_use_native(struct disk *d, uint64_t part_lba)
{
#ifdef SMARTBOOT_ISO9660
	if (d->dev.sector_size != SECTOR_SIZE)
		return;                  /* a CD: ATAPI, which no native driver speaks */
#endif
	d->native = native_attach(&d->dev, part_lba);
	if (d->native)
		printf("disk: using the %s driver (DMA)\n", d->native->name);
}

/* Reads through a partition.  LBAs are absolute (the filesystem adds
 * start_lba, see blockdev.h); we only keep them inside the partition. */
static int partition_read(struct blockdev *part, uint64_t lba, uint32_t count, void *buf)
{
	uint64_t end = part->start_lba + part->sectors;

	if (part->sectors && (lba < part->start_lba || lba >= end || count > end - lba)) {
		printf("disk: read of %u sectors at LBA %llu is outside the partition (LBA %llu..%llu)\n",
		       count, (unsigned long long)lba, (unsigned long long)part->start_lba,
		       (unsigned long long)(end - 1));
		return -1;
	}
	return disk_read(&((struct disk_part *)part)->disk->dev, lba, count, buf);
}

/* Why the boot partition was chosen, for disk_describe(). */
static const char *boot_reason;
static const struct part_table *boot_table;

struct part_table *disk_table(struct disk *d)
{
	struct part_table *table = d->table;

	if (table)
		return table;
	table = malloc(sizeof(*table));
	if (!table) {
		printf("disk: no memory for the partition table\n");
		return NULL;
	}
	if (part_read(&d->dev, table) < 0) {
		if (table->message[0])
			printf("disk: %s\n", table->message);
		free(table);
		return NULL;
	}
	if (table->from_backup)
		printf("disk: %s\n", table->message);
	return d->table = table;
}

void disk_close(struct disk *d)
{
	free(d->table);
	d->table = NULL;
}

void disk_partition(struct disk *d, const struct part_info *p, struct disk_part *part)
{
	*part = (struct disk_part){ { .read = partition_read, .start_lba = p->start, .sectors = p->sectors,
				      .name = "partition", .sector_size = SECTOR_SIZE }, d };
}

int disk_find_partition(struct disk *d, struct disk_part *part)
{
	const struct part_table *table;
	const struct part_info *p;

#ifdef SMARTBOOT_ISO9660
	/* A CD: no partition table (its sector 0 may hold a hybrid image's
	 * MBR, which counts 512-byte sectors): the whole disc, "partition 0". */
	if (d->dev.sector_size != SECTOR_SIZE) {
		*part = (struct disk_part){ d->dev, d };
		part->dev.read = partition_read;
		boot_reason = "a CD: the whole disc";
		return 0;
	}
#endif
	table = disk_table(d);
	if (!table)
		return -1;
	p = part_choose(table);
	if (!p && table->scheme == PART_SCHEME_GPT) {
		printf("disk: no GPT partition is Legacy BIOS Bootable or of type Linux filesystem "
		       "or Linux x86-64 root\n");
		return -1;
	}
	if (!p) {
		printf("disk: no Linux (type 0x83) partition, primary or logical\n");
		return -1;
	}
	if (!p->sectors) {
		printf("disk: partition %d is empty (0 sectors)\n", p->number);
		return -1;
	}
	boot_table = table;
	boot_reason = p->bootable ? "marked bootable (active, or GPT Legacy BIOS Bootable)" :
		      "the first Linux one (nothing marked bootable)";
	disk_partition(d, p, part);
	return p->number;
}

void disk_describe(int number)
{
	if (!boot_table)
		return;
	part_describe(boot_table);
	printf("part: booting from sda%d: %s\n", number, boot_reason);
}
