/*
 * edd.c - the decisions of reading through the INT 13h extensions (see
 * edd.h); disk.c makes the calls.  Plain C: tests/host/edd_test.c.
 */
#include "bios/edd.h"

#define EDD_SECTORS_END      0x18   /* AH=48h: the total-sectors field (0x10) ends here */

int edd_read(const struct edd_io *io, uint32_t *max_sectors, uint64_t lba, uint32_t count,
	     void *buf)
{
	uint8_t *dst = buf;

	while (count) {
		uint32_t n = MIN(count, *max_sectors);
		uint16_t done = 0;
		uint8_t status;
		int tries = 0;

		for (;;) {
			status = io->read(io->ctx, lba, (uint16_t)n, &done);
			/* A count past what we asked for is not a transfer: the
			 * bounce buffer holds n sectors at most. */
			if (!status && done)
				break;
			io->reset(io->ctx);
			if (++tries < EDD_READ_TRIES)
				continue;             /* transient: same request again */
			if (n == 1) {
				/* Status 0 here: the BIOS said it read, and moved nothing. */
				printf("disk: read error 0x%02x at LBA %llu after %d tries\n",
				       status, (unsigned long long)lba, tries);
				return -1;
			}
			n /= 2;                       /* maybe too large for this BIOS */
			*max_sectors = n;
			tries = 0;
		}
		done = (uint16_t)MIN(done, n);
		memcpy(dst, io->bounce, done * io->sector_size);
		dst += done * io->sector_size;
		lba += done;
		count -= done;
	}
	return 0;
}

uint64_t edd_disk_sectors(uint16_t filled, uint64_t sectors)
{
	if (filled < EDD_SECTORS_END || sectors == UINT64_MAX)
		return 0;
	return sectors;
}

bool edd_past_end(uint64_t sectors, uint64_t lba, uint32_t count)
{
	return sectors && (lba >= sectors || count > sectors - lba);
}
