/*
 * chain.c - chainloading: start another boot sector as the BIOS would.
 *
 * What a boot sector may rely on when it starts (the BIOS Boot
 * Specification 1.01, and what MS-DOS's and Windows' MBRs hand to a
 * partition's boot sector):
 *   - it is at 0000:7C00 and runs there in real mode, CS:IP = 0000:7C00;
 *   - DL is the BIOS drive it was read from;
 *   - for a partition's boot sector, DS:SI (and DS:BP, which some FAT boot
 *     sectors read instead) points to that partition's 16-byte entry in the
 *     MBR's table.  A DOS MBR relocates itself to 0000:0600 first, so the
 *     table is at 0x7BE; DOS and Windows boot sectors take the partition's
 *     first LBA from there (offset 8) when their BPB's "hidden sectors" is
 *     not trusted.  We copy the whole MBR to the same place.  A logical
 *     partition's entry is in its EBR, with a start relative to that EBR:
 *     the boot sector gets a copy with the absolute start (CHAIN_ENTRY_COPY),
 *     which is what it wants from offset 8.
 * And what stage 2 changed must be undone: the native disk controller is
 * given back to the BIOS (native_release), the IDT is the BIOS's IVT again
 * (PROTECTED_TO_REAL).  The 8259s are as the BIOS left them: only the
 * 32-bit Linux hand-off masks them, after which nothing returns.  A20 stays
 * on; the IVT, the BDA and the EBDA were never written.
 */
#include "bios/console.h"
#include "drivers/native.h"
#include "layout.h"
#include "part/part.h"
#include "proto/chain.h"
#include "trace.h"

#define SECTOR BLOCKDEV_SECTOR_SIZE
_Static_assert(CFG_MAX_PARTITION == PART_MAX, "config.h and part.h agree on the partitions");

static struct disk other;                      /* another BIOS disk than ours */
static uint8_t mbr[SECTOR], sector[SECTOR];    /* .bss, below 1 MiB */
static struct mbr_partition entry;             /* what DS:SI points to */

/* The partition `number` of d: its first LBA and the entry for DS:SI (the
 * address it will have once the MBR is at CHAIN_MBR_COPY).  0, or -1 after
 * a message. */
static int find_partition(struct disk *d, int number, uint64_t *lba, uint32_t *si)
{
	struct part_table *t = malloc(sizeof(*t));
	const struct part_info *p;
	int ret = -1;

	if (!t) {
		printf("chain: out of memory for the partition table\n");
		return -1;
	}
	if (part_read(&d->dev, t) < 0) {
		if (t->message[0])
			printf("chain: drive 0x%02x: %s\n", d->drive, t->message);
	} else if (!(p = part_find(t, number))) {
		printf("chain: drive 0x%02x has no partition %d\n", d->drive, number);
	} else if (t->scheme != PART_SCHEME_MBR) {
		/* A GPT partition has no 16-byte entry to point at; the "GPT
		 * hand-over" convention for it is not implemented. */
		printf("chain: partition %d of drive 0x%02x is a GPT partition: smartboot chainloads "
		       "DOS partitions only (or the disk: hd%d)\n", number, d->drive, d->drive - CFG_BIOS_HD0);
	} else if (!p->logical) {
		*lba = p->start;
		*si = CHAIN_MBR_COPY + MBR_TABLE_OFFSET + (uint32_t)(number - 1) * sizeof(entry);
		ret = 0;
	} else if (d->dev.read(&d->dev, p->table_lba, 1, sector) == 0) {
		memcpy(&entry, sector + MBR_TABLE_OFFSET, sizeof(entry));
		put_le32(entry.lba_first, (uint32_t)p->start);
		*lba = p->start;
		*si = CHAIN_ENTRY_COPY;
		ret = 0;
	}
	if (ret == 0)
		TRACE("chain: partition %d: LBA %llu, %llu sectors%s; its entry for DS:SI at 0000:%04x\n",
		      number, (unsigned long long)p->start, (unsigned long long)p->sectors,
		      p->logical ? " (logical: its EBR's entry, start made absolute)" : "", *si);
	free(t);
	return ret;
}

int chain_boot(struct disk *boot_disk, int boot_partition, const struct boot_entry *e)
{
	struct disk *d = boot_disk;
	int number = e->partition;
	uint64_t lba = 0;
	uint32_t si = 0;                          /* 0: no partition entry */

	if (e->drive && e->drive != boot_disk->drive) {
		if (disk_open(&other, (uint8_t)e->drive) < 0)
			return -1;
		other.mm = boot_disk->mm;
		d = &other;
	} else if (number == 0) {
		number = boot_partition;
	}
	if (d->dev.read(&d->dev, 0, 1, mbr) < 0) {
		printf("chain: cannot read the MBR of drive 0x%02x\n", d->drive);
		return -1;
	}
	if (number != CFG_WHOLE_DISK) {
		if (find_partition(d, number, &lba, &si) < 0)
			return -1;
		if (d->dev.read(&d->dev, lba, 1, sector) < 0) {
			printf("chain: cannot read the boot sector of partition %d (drive 0x%02x, LBA %llu)\n",
			       number, d->drive, (unsigned long long)lba);
			return -1;
		}
	} else {
		memcpy(sector, mbr, SECTOR);
	}
	/* The BIOS's own test before it jumps to a boot sector (BBS 1.01). */
	if (sector[MBR_SIGNATURE_OFFSET] != MBR_BOOT_SIGNATURE_0 ||
	    sector[MBR_SIGNATURE_OFFSET + 1] != MBR_BOOT_SIGNATURE_1) {
		printf("chain: '%s': drive 0x%02x, LBA %llu is not a boot sector "
		       "(its last two bytes are 0x%02x 0x%02x, want 0x55 0xaa)\n", e->title, d->drive,
		       (unsigned long long)lba, sector[MBR_SIGNATURE_OFFSET], sector[MBR_SIGNATURE_OFFSET + 1]);
		return -1;
	}

	printf("chain: booting drive 0x%02x LBA %llu at 0000:%04x (DL 0x%02x, DS:SI 0000:%04x)\n",
	       d->drive, (unsigned long long)lba, CHAIN_LOAD_ADDR, d->drive, si);
	trace_phase("chainloading");
	native_release();                         /* the controller back to the BIOS */
	memcpy((void *)CHAIN_MBR_COPY, mbr, SECTOR);
	if (si == CHAIN_ENTRY_COPY)
		memcpy((void *)CHAIN_ENTRY_COPY, &entry, sizeof(entry));
	memcpy((void *)CHAIN_LOAD_ADDR, sector, SECTOR);
	chain_enter(d->drive, si, CHAIN_LOAD_ADDR);
}
