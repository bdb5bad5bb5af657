/*
 * fsread.c - the filesystem reader (stage2/fs/ext2.c, unchanged) as a host
 * command, to read a file out of an ext2/3/4 image the way stage 2 would.
 *
 *   fsread [-o SECTOR] [-l] [-s] IMAGE PATH > out
 *
 *   -o SECTOR  the filesystem starts at this sector of IMAGE (a partition:
 *              2048 on the smart-os disk)
 *   -l         list the directory PATH (one "TYPE NAME" line per entry)
 *   -s         statistics on stderr: device reads, bytes read, bytes
 *              checksummed (crc32c), for docs/ext4.md's cost figures
 *
 * The reader's messages go to stdout with printf, as in stage 2, so fsread
 * writes the file to a temporary buffer first and prints it only when the
 * whole read worked; messages then go to stderr.  Exit 0, or 1 with the
 * reader's error code in the message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs.h"

struct filedev {
	struct blockdev dev;
	FILE *fp;
	long reads;
	unsigned long long bytes;
};

static int file_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	struct filedev *d = (struct filedev *)dev;

	d->reads++;
	d->bytes += (unsigned long long)count << 9;
	if (lba - dev->start_lba + count > dev->sectors ||
	    fseeko(d->fp, (off_t)lba << 9, SEEK_SET) || fread(buf, 512, count, d->fp) != count) {
		printf("fsread: cannot read %u sectors at LBA %llu\n", count, (unsigned long long)lba);
		return -1;
	}
	return 0;
}

/* With -s: the bytes the reader checksums (the build wraps crc32c). */
static unsigned long long csum_bytes;
uint32_t __real_crc32c(uint32_t crc, const void *data, size_t len);
uint32_t __wrap_crc32c(uint32_t crc, const void *data, size_t len)
{
	csum_bytes += len;
	return __real_crc32c(crc, data, len);
}

static int list_entry(const char *name, size_t len, uint8_t type, void *arg)
{
	FILE *out = arg;

	fprintf(out, "%u %.*s\n", type, (int)len, name);
	return 0;
}

int main(int argc, char **argv)
{
	struct filedev d = { 0 };
	struct ext2_fs *fs;
	struct ext2_file f;
	unsigned long long start = 0;
	int opt, list = 0, stats = 0, err;
	char *data = NULL;
	size_t size = 0;
	FILE *out;

	while ((opt = getopt(argc, argv, "o:ls")) != -1) {
		if (opt == 'o')
			start = strtoull(optarg, NULL, 0);
		else if (opt == 'l')
			list = 1;
		else if (opt == 's')
			stats = 1;
		else
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	d.fp = fopen(argv[optind], "rb");
	if (!d.fp || fseeko(d.fp, 0, SEEK_END)) {
		perror(argv[optind]);
		return 1;
	}
	d.dev = (struct blockdev){ .read = file_read, .start_lba = start,
				   .sectors = (ftello(d.fp) >> 9) - start, .name = "image" };
	/* The reader prints to stdout: keep it out of the file's bytes. */
	out = open_memstream(&data, &size);
	fflush(stdout);
	int saved = dup(1);
	dup2(2, 1);
	err = ext2_mount(&fs, &d.dev);
	if (!err) {
		if (list) {
			err = ext2_list(fs, argv[optind + 1], list_entry, out);
		} else if (!(err = ext2_open(fs, argv[optind + 1], &f))) {
			char *buf = malloc(f.size ? f.size : 1);

			err = buf ? ext2_read(fs, &f, 0, buf, f.size, NULL) : FS_ENOMEM;
			if (!err)
				fwrite(buf, 1, f.size, out);
			free(buf);
		}
		ext2_unmount(fs);
	}
	fflush(stdout);
	dup2(saved, 1);
	fclose(out);
	if (stats)
		fprintf(stderr, "fsread: %ld device reads, %llu bytes read, %llu bytes checksummed\n",
			d.reads, d.bytes, csum_bytes);
	if (err) {
		fprintf(stderr, "fsread: %s: error %d\n", argv[optind + 1], err);
		free(data);
		return 1;
	}
	fwrite(data, 1, size, stdout);
	free(data);
	return 0;
usage:
	fprintf(stderr, "usage: fsread [-o SECTOR] [-l] [-s] IMAGE PATH\n");
	return 2;
}
