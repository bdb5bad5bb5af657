/*
 * iso_test.c - host tests of the ISO 9660 reader (stage2/fs/iso9660.c),
 * built with the host's libc and the sanitizers by tests/t-25-iso-host.sh.
 *
 *   iso_test LABEL IMAGE SECTOR_SIZE < SCRIPT
 *
 * The image is read through a struct blockdev with SECTOR_SIZE-byte
 * sectors (512: a hybrid image on a disk; 2048: a CD), with pread(), so an
 * image of several GiB need not fit in memory.  SCRIPT has one check per
 * line, each printing one PASS:/FAIL: line named "LABEL: ...":
 *
 *   tree HOSTDIR              every file and directory under HOSTDIR (what
 *                             xorriso -osirrox extracted) reads back the
 *                             same: whole files, partial reads across block
 *                             and extent boundaries, directory listings
 *   file PATH HOSTFILE        one file, byte for byte, with partial reads
 *   fails PATH CODE TEXT...   iso9660_open fails with CODE and prints TEXT
 *   mountfails CODE TEXT...   iso9660_mount fails so
 *   mountsays TEXT...         iso9660_mount works and describe prints TEXT
 *   faults PATH               fail the device's k-th read, for every k, while
 *                             mounting, opening PATH and reading it: the
 *                             reader must return FS_EIO (and leak nothing)
 *
 * CODE is a name from fs.h without the FS_ prefix (ENOENT, ECORRUPT, ...).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/fs.h"
#include "fs/iso9660.h"

#include "capture.h"             /* capture_start(), capture_end(), captured[] */

static const char *label;
static int failures;

static void report(const char *what, const char *fmt, va_list ap)
{
	printf("%s: %s: ", what, label);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
}

static void pass(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("PASS", fmt, ap);
	va_end(ap);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report("FAIL", fmt, ap);
	va_end(ap);
	failures++;
}

/* ---- The image as a block device ---- */

struct filedev {
	struct blockdev dev;
	int fd;
	long calls, fail_at;       /* fault injection: the call that fails, -1: none */
	long out_of_range;         /* reads outside the image: the reader's bug */
};

static int filedev_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	struct filedev *d = (struct filedev *)dev;
	uint64_t ss = dev->sector_size;
	long call = d->calls++;

	if (call == d->fail_at) {
		printf("test: injected read error at LBA %llu\n", (unsigned long long)lba);
		return -1;
	}
	if (lba > dev->sectors || count > dev->sectors - lba) {
		printf("test: read of %u sectors at LBA %llu is outside the image\n", count,
		       (unsigned long long)lba);
		d->out_of_range++;
		return -1;
	}
	if (pread(d->fd, buf, count * ss, lba * ss) != (ssize_t)(count * ss)) {
		printf("test: pread failed at LBA %llu\n", (unsigned long long)lba);
		return -1;
	}
	return 0;
}

/* ---- Checks ---- */

static const char *const codes[] = {
	"OK", "EIO", "ECORRUPT", "EUNSUPPORTED", "ENOENT", "ENOTDIR", "ELOOP", "ENAMETOOLONG",
	"ENOMEM", "ERANGE",
};

static const char *code_name(int err)
{
	return err <= 0 && -err < (int)(sizeof(codes) / sizeof(codes[0])) ? codes[-err] : "?";
}

static struct filedev dev;
static struct iso_fs *fs;
static long reads_checked, files_checked, dirs_checked;

static void *read_host_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *data = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		data = malloc(n ? n : 1);
		if (data && fread(data, 1, n, fp) != (size_t)n) {
			free(data);
			data = NULL;
		}
		*size = n;
	}
	fclose(fp);
	return data;
}

/* Compare PATH with HOSTFILE: whole, then windows around every block and
 * 1 MiB boundary (extents are made 1 MiB long by the test) and the end. */
static int check_file(const char *path, const char *hostfile)
{
	struct iso_file f;
	size_t size;
	uint8_t *want = read_host_file(hostfile, &size), *got;
	int err, bad = 0;

	if (!want) {
		fail("%s: cannot read %s", path, hostfile);
		return 1;
	}
	capture_start();
	err = iso9660_open(fs, path, &f);
	capture_end();
	if (err) {
		fail("%s: open: %s: %s", path, code_name(err), captured);
		free(want);
		return 1;
	}
	if (f.size != size) {
		fail("%s: size %llu, want %zu", path, (unsigned long long)f.size, size);
		free(want);
		return 1;
	}
	got = malloc(size + 1);
	capture_start();
	err = iso9660_read(fs, &f, 0, got, size, NULL);
	capture_end();
	if (err || memcmp(got, want, size)) {
		fail("%s: whole read: %s %s", path, code_name(err), captured);
		bad = 1;
	}
	reads_checked++;
	static const uint64_t offs[] = { 1, 2047, 2048, 2049, 4095, 1 << 20, (1 << 20) + 1,
					 (2 << 20) - 3, 3 << 20 };
	for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]) && !bad; i++) {
		uint64_t off = offs[i] - 1, n = 4100;

		if (off >= size)
			break;
		if (n > size - off)
			n = size - off;
		memset(got, 0, n);
		capture_start();
		err = iso9660_read(fs, &f, off, got, n, NULL);
		capture_end();
		if (err || memcmp(got, want + off, n)) {
			fail("%s: read of %llu at %llu: %s %s", path, (unsigned long long)n,
			     (unsigned long long)off, code_name(err), captured);
			bad = 1;
		}
		reads_checked++;
	}
	/* Past the end: FS_ERANGE. */
	capture_start();
	err = iso9660_read(fs, &f, size, got, 1, NULL);
	capture_end();
	if (err != FS_ERANGE) {
		fail("%s: a read past the end returns %s", path, code_name(err));
		bad = 1;
	}
	free(got);
	free(want);
	files_checked++;
	return bad;
}

struct names {
	int count;
	char name[4096][256];
	uint8_t type[4096];
};

static int collect(const char *name, size_t len, uint8_t type, void *arg)
{
	struct names *n = arg;

	if (n->count == 4096)
		return 1;
	memcpy(n->name[n->count], name, len);
	n->name[n->count][len] = 0;
	n->type[n->count++] = type;
	return 0;
}

static int check_tree(const char *path, const char *host)
{
	struct names *n = calloc(1, sizeof(*n));
	DIR *d = opendir(host);
	struct dirent *e;
	int err, bad = 0, host_count = 0;

	capture_start();
	err = iso9660_list(fs, path, collect, n);
	capture_end();
	if (err < 0 || !d) {
		fail("%s: list: %s %s", path, code_name(err), captured);
		free(n);
		if (d)
			closedir(d);
		return 1;
	}
	while ((e = readdir(d))) {
		char hp[8192], ip[8192];
		struct stat st;
		int i;

		host_count++;
		for (i = 0; i < n->count && strcmp(n->name[i], e->d_name); i++)
			;
		if (i == n->count) {
			fail("%s: %s is not listed", path, e->d_name);
			bad = 1;
			continue;
		}
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(hp, sizeof(hp), "%s/%s", host, e->d_name);
		snprintf(ip, sizeof(ip), "%s/%s", strcmp(path, "/") ? path : "", e->d_name);
		if (lstat(hp, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (n->type[i] != FS_FT_DIR) {
				fail("%s: listed as type %u, not a directory", ip, n->type[i]);
				bad = 1;
			}
			bad |= check_tree(ip, hp);
		} else if (S_ISREG(st.st_mode)) {
			if (n->type[i] != FS_FT_REG) {
				fail("%s: listed as type %u, not a file", ip, n->type[i]);
				bad = 1;
			}
			bad |= check_file(ip, hp);
		}
	}
	closedir(d);
	if (host_count != n->count) {
		fail("%s: %d entries listed, the oracle has %d", path, n->count, host_count);
		bad = 1;
	}
	dirs_checked++;
	free(n);
	return bad;
}

static int expect(int err, const char *code, const char *text, const char *what)
{
	if (strcmp(code_name(err), code) || !strstr(captured, text)) {
		fail("%s: got %s \"%s\", want %s \"%s\"", what, code_name(err), captured, code, text);
		return 1;
	}
	pass("%s: %s \"%s\"", what, code, text);
	return 0;
}

/* Every read of mount + open + read fails in turn: FS_EIO each time. */
static void check_faults(const char *path)
{
	long k, total;
	int bad = 0;

	for (k = 0;; k++) {
		struct iso_fs *v;
		struct iso_file f;
		uint8_t *buf = NULL;
		int err;

		dev.calls = 0;
		dev.fail_at = k;
		capture_start();
		err = iso9660_mount(&v, &dev.dev);
		if (!err) {
			err = iso9660_open(v, path, &f);
			if (!err) {
				buf = malloc(f.size + 1);
				err = iso9660_read(v, &f, 0, buf, f.size, NULL);
				free(buf);
			}
			iso9660_unmount(v);
		}
		capture_end();
		if (dev.calls <= k) {
			total = k;
			break;
		}
		if (err != FS_EIO) {
			fail("faults %s: read %ld failing gives %s, not EIO", path, k, code_name(err));
			bad = 1;
		}
	}
	dev.fail_at = -1;
	if (!bad)
		pass("faults %s: each of %ld reads failing in turn gives EIO", path, total);
}

int main(int argc, char **argv)
{
	char line[4096];
	struct stat st;
	int err;

	if (argc != 4) {
		fprintf(stderr, "usage: iso_test LABEL IMAGE SECTOR_SIZE < SCRIPT\n");
		return 2;
	}
	label = argv[1];
	dev.fd = open(argv[2], O_RDONLY);
	if (dev.fd < 0 || fstat(dev.fd, &st)) {
		perror(argv[2]);
		return 2;
	}
	dev.dev.read = filedev_read;
	dev.dev.sector_size = atoi(argv[3]);
	dev.dev.sectors = st.st_size / dev.dev.sector_size;
	dev.dev.name = "image";
	dev.fail_at = -1;

	while (fgets(line, sizeof(line), stdin)) {
		char *cmd = strtok(line, " \n"), *a = strtok(NULL, " \n"), *b = strtok(NULL, " \n");
		char *rest = strtok(NULL, "\n");
		char what[8192];

		if (!cmd || cmd[0] == '#')
			continue;
		if (!strcmp(cmd, "mountfails") || !strcmp(cmd, "mountsays")) {
			/* a: CODE or the start of TEXT; the text is the rest */
			if (!strcmp(cmd, "mountfails"))
				snprintf(what, sizeof(what), "%s%s%s", b ? b : "", rest ? " " : "",
					 rest ? rest : "");
			else
				snprintf(what, sizeof(what), "%s%s%s%s%s", a ? a : "", b ? " " : "",
					 b ? b : "", rest ? " " : "", rest ? rest : "");
			iso9660_unmount(fs);
			fs = NULL;
			capture_start();
			err = iso9660_mount(&fs, &dev.dev);
			if (!err)
				iso9660_describe(fs);
			capture_end();
			if (!strcmp(cmd, "mountfails"))
				expect(err, a, what, "mount");
			else
				expect(err, "OK", what, "mount");
			continue;
		}
		if (!fs) {
			capture_start();
			err = iso9660_mount(&fs, &dev.dev);
			capture_end();
			if (err) {
				fail("mount: %s %s", code_name(err), captured);
				return 1;
			}
		}
		if (!strcmp(cmd, "tree")) {
			files_checked = dirs_checked = reads_checked = 0;
			if (!check_tree("/", a))
				pass("tree %s: %ld directories, %ld files, %ld reads the same", a,
				     dirs_checked, files_checked, reads_checked);
		} else if (!strcmp(cmd, "file")) {
			if (!check_file(a, b))
				pass("file %s: the same as %s", a, b);
		} else if (!strcmp(cmd, "fails")) {
			struct iso_file f;

			capture_start();
			err = iso9660_open(fs, a, &f);
			capture_end();
			snprintf(what, sizeof(what), "open %s", a);
			expect(err, b, rest ? rest : "", what);
		} else if (!strcmp(cmd, "faults")) {
			check_faults(a);
		} else {
			fail("unknown check %s", cmd);
		}
	}
	iso9660_unmount(fs);
	if (dev.out_of_range)
		fail("%ld reads outside the image", dev.out_of_range);
	return failures ? 1 : 0;
}
