/*
 * part_test.c - host tests of the partition table reader (stage2/part/),
 * built with the host's libc and the sanitizers by mk/host.mk's rule and
 * run by tests/t-16-part-host.sh.
 *
 *   part_test IMAGE [--unknown-size]   the table as JSON on stdout
 *   part_test IMAGE --faults           fail the k-th read, for every k
 *
 * The JSON has the fields tests/part_compare.py compares with sfdisk -J and
 * sgdisk -i (the oracles): "scheme", "id" (disk signature or GUID), "hybrid",
 * "from_backup", "message", "chosen" (the number part_choose() picks, 0 for
 * none), "error" (part_read failed: its message), and "partitions": number,
 * start, size, type, uuid (PARTUUID), name, bootable, attrs, logical.
 * --unknown-size hides the image's size from the reader, as a BIOS without
 * INT 13h AH=48h does.  --faults checks that every failed read makes
 * part_read return -1 (with a message) and that nothing crashes or leaks.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "part/part.h"

/* The image file as a block device (read with pread: the images are
 * sparse and mostly unread). */
struct filedev {
	struct blockdev dev;
	int fd;
	uint64_t image_sectors;
	long calls, fail_at;
};

static int file_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	struct filedev *m = (struct filedev *)dev;
	size_t len = (size_t)count * BLOCKDEV_SECTOR_SIZE;

	if (++m->calls == m->fail_at)
		return -1;
	if (lba >= m->image_sectors || count > m->image_sectors - lba)
		return -1;
	return pread(m->fd, buf, len, (off_t)(lba * BLOCKDEV_SECTOR_SIZE)) == (ssize_t)len ? 0 : -1;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
	putchar('"');
}

static void print_table(const struct part_table *t, int r)
{
	const struct part_info *c = r ? NULL : part_choose(t);
	char buf[40];

	printf("{\"scheme\": \"%s\", ", t->scheme == PART_SCHEME_GPT ? "gpt" : t->scheme ? "dos" : "");
	if (t->scheme == PART_SCHEME_GPT)
		part_guid_string(t->disk_guid, buf);
	else
		snprintf(buf, sizeof buf, "0x%08x", t->disk_signature);
	printf("\"id\": \"%s\", \"hybrid\": %s, \"from_backup\": %s, \"chosen\": %d, \"message\": ", buf,
	       t->hybrid ? "true" : "false", t->from_backup ? "true" : "false", c ? c->number : 0);
	json_string(t->message);
	printf(", \"error\": %s, \"partitions\": [", r ? "true" : "false");
	for (int i = 0; !r && i < t->count; i++) {
		const struct part_info *p = &t->part[i];

		if (p->mbr_type)
			snprintf(buf, sizeof buf, "%02x", p->mbr_type);
		else
			part_guid_string(p->type_guid, buf);
		printf("%s\n  {\"number\": %d, \"start\": %llu, \"size\": %llu, \"type\": \"%s\", ", i ? "," : "",
		       p->number, (unsigned long long)p->start, (unsigned long long)p->sectors, buf);
		part_uuid_string(t, p, buf);
		printf("\"uuid\": \"%s\", \"name\": ", buf);
		json_string(p->label);
		printf(", \"bootable\": %s, \"attrs\": \"%016llx\", \"logical\": %s}", p->bootable ? "true" : "false",
		       (unsigned long long)p->attributes, p->logical ? "true" : "false");
	}
	printf("]}\n");
}

int main(int argc, char **argv)
{
	static struct part_table t;
	struct filedev m = { .fail_at = -1 };
	struct stat st;
	int r;

	if (argc < 2 || (m.fd = open(argv[1], O_RDONLY)) < 0 || fstat(m.fd, &st) < 0) {
		fprintf(stderr, "usage: part_test IMAGE [--unknown-size|--faults]\n");
		return 2;
	}
	m.image_sectors = (uint64_t)st.st_size / BLOCKDEV_SECTOR_SIZE;
	m.dev = (struct blockdev){ .read = file_read, .sectors = m.image_sectors, .name = argv[1] };

	if (argc > 2 && !strcmp(argv[2], "--faults")) {
		long k;

		for (k = 1; k < 10000; k++) {
			m.calls = 0;
			m.fail_at = k;
			r = part_read(&m.dev, &t);
			if (m.calls < k)
				break;          /* no read failed: done */
			if (r == 0 && !t.from_backup) {
				printf("FAIL: %s: read %ld failed but part_read succeeded\n", argv[1], k);
				return 1;
			}
			if (r < 0 && !t.message[0]) {
				printf("FAIL: %s: read %ld failed and part_read gave no message\n", argv[1], k);
				return 1;
			}
		}
		printf("PASS: %s: each of its %ld reads failing makes part_read fail with a message "
		       "(or use the GPT backup)\n", argv[1], k - 1);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[2], "--unknown-size"))
		m.dev.sectors = 0;
	r = part_read(&m.dev, &t);
	print_table(&t, r);
	close(m.fd);
	return 0;
}
