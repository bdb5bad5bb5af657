/*
 * ext2_test.c - host tests of the ext2 reader (stage2/fs/ext2.c), built with the
 * host's libc and the sanitizers by tests/t-10-ext2-host.sh.
 *
 *   ext2_test LABEL IMAGE < SCRIPT
 *
 * The image is loaded into memory and read through a struct blockdev, as
 * stage 2 reads the disk.  SCRIPT has one check per line, each printing one
 * PASS:/FAIL: line named "LABEL: ...":
 *
 *   tree HOSTDIR              every file and directory under HOSTDIR (the
 *                             tree mke2fs -d copied) reads back the same:
 *                             whole files, partial reads, directory listings
 *                             (in a directory of more than BIG_DIR entries,
 *                             every name and type, but one file in 100)
 *   file PATH HOSTFILE        one file, byte for byte, with partial reads
 *   same PATH1 PATH2          both paths lead to the same inode
 *   fails PATH CODE TEXT...   ext2_open fails with CODE and prints TEXT
 *   listfails PATH CODE TEXT  ext2_list fails so
 *   readfails PATH CODE TEXT  ext2_open works, reading the whole file fails so
 *   mountfails CODE TEXT...   ext2_mount fails so
 *   mountsays [TEXT...]       ext2_mount works and prints TEXT (no TEXT: nothing)
 *   reads PATH MAX            reading PATH whole takes at most MAX device reads
 *   faults PATH               fail the device's k-th read, for every k, while
 *                             mounting, opening PATH, reading its ends and
 *                             listing /: the reader must return FS_EIO (and
 *                             leak nothing)
 *   fuzz COUNT SEED           corrupt the metadata COUNT times: no crash,
 *                             no hang, no leak (ASan), whatever it returns
 *   crc32c                    the checksum against its definition
 *   interface UUID LABEL PATH the same image through fs.h: fs_mount() finds
 *                             it in fs.c's table, reports the UUID and label
 *                             mke2fs was given, and fs_open/fs_read/fs_list
 *                             give what ext2_open/ext2_read/ext2_list give
 *
 * CODE is a name from fs.h without the FS_ prefix (ENOENT, ECORRUPT, ...).
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/crc32c.h"
#include "fs/fs.h"

#include "capture.h"             /* capture_start(), capture_end(), captured[] */

static const char *label;
static int failures;

static void pass(const char *fmt, ...)
{
	va_list ap;

	printf("PASS: %s: ", label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL: %s: ", label);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
}

/* ---- The image as a block device ---- */

struct memdev {
	struct blockdev dev;
	uint8_t *image;
	uint64_t size;
	long calls;           /* read() calls so far */
	long fail_at;         /* the call that fails (fault injection), -1: none */
	long out_of_range;    /* reads outside the image: the reader's bug */
	/* Optionally, where metadata reads went (the fuzzer corrupts there). */
	uint64_t (*log)[2];
	int logged, log_max;
	uint32_t log_limit;   /* log reads of at most this many sectors */
};

static int memdev_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	struct memdev *m = (struct memdev *)dev;
	long call = m->calls++;

	if (call == m->fail_at) {
		printf("test: injected read error at LBA %llu\n", (unsigned long long)lba);
		return -1;
	}
	if (lba < dev->start_lba || lba - dev->start_lba > dev->sectors ||
	    count > dev->sectors - (lba - dev->start_lba)) {
		printf("test: read of %u sectors at LBA %llu is outside the image\n", count,
		       (unsigned long long)lba);
		m->out_of_range++;
		return -1;
	}
	memcpy(buf, m->image + ((lba - dev->start_lba) << 9), (size_t)count << 9);
	if (m->log && count <= m->log_limit && m->logged < m->log_max) {
		m->log[m->logged][0] = (lba - dev->start_lba) << 9;
		m->log[m->logged++][1] = (uint64_t)count << 9;
	}
	return 0;
}

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

/* ---- Checks ---- */

static struct memdev mdev;
static struct ext2_fs *fs;

static const struct { const char *name; int code; } codes[] = {
	{ "OK", FS_OK }, { "EIO", FS_EIO }, { "ECORRUPT", FS_ECORRUPT },
	{ "EUNSUPPORTED", FS_EUNSUPPORTED }, { "ENOENT", FS_ENOENT }, { "ENOTDIR", FS_ENOTDIR },
	{ "ELOOP", FS_ELOOP }, { "ENAMETOOLONG", FS_ENAMETOOLONG }, { "ENOMEM", FS_ENOMEM },
	{ "ERANGE", FS_ERANGE },
};

static int code_of(const char *name)
{
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (!strcmp(codes[i].name, name))
			return codes[i].code;
	fprintf(stderr, "ext2_test: unknown code %s\n", name);
	exit(2);
}

static const char *name_of(int code)
{
	static char other[16];

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (codes[i].code == code)
			return codes[i].name;
	snprintf(other, sizeof(other), "%d", code);
	return other;
}

static uint64_t rng_state = 88172645463325252ull;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* progress() records what the reader reported, to check it. */
static uint64_t progress_last, progress_total;
static int progress_calls, progress_bad;

static void progress(uint64_t done, uint64_t total)
{
	if (done < progress_last || done > total || total != progress_total)
		progress_bad++;
	progress_last = done;
	progress_calls++;
}

/* Read [off, off+len) of f into a buffer of exactly len bytes (so that ASan
 * sees any overrun) and compare it with want.  Returns 0 if equal. */
static int read_compare(struct ext2_file *f, uint64_t off, uint64_t len, const uint8_t *want,
			const char *path)
{
	uint8_t *buf = malloc(len ? len : 1);
	int err;

	memset(buf, 0xA5, len);
	err = ext2_read(fs, f, off, buf, len, NULL);
	if (err || memcmp(buf, want + off, len)) {
		fail("%s: read of %llu bytes at %llu: %s", path, (unsigned long long)len,
		     (unsigned long long)off, err ? name_of(err) : "bytes differ");
		free(buf);
		return -1;
	}
	free(buf);
	return 0;
}

/*
 * Compare the file at path in the image with the host's copy: the size, the
 * whole file in one read (checking progress()), reads that straddle the ends
 * of the direct, single-, double- and triple-indirect ranges, odd offsets
 * and lengths, a read of nothing at the end and one past it.
 */
static int compare_file(const char *path, const char *host)
{
	struct ext2_file f;
	size_t size;
	uint8_t *want = read_host_file(host, &size), *buf;
	int err, bad = 0;

	if (!want) {
		fail("%s: cannot read host file %s", path, host);
		return -1;
	}
	err = ext2_open(fs, path, &f);
	if (err || !FS_IS_REG(&f) || f.size != size) {
		fail("%s: open: %s, size %llu, want a %zu-byte file", path, name_of(err),
		     err ? 0ull : (unsigned long long)f.size, size);
		free(want);
		return -1;
	}

	buf = malloc(size ? size : 1);
	progress_last = progress_calls = progress_bad = 0;
	progress_total = size;
	err = ext2_read(fs, &f, 0, buf, size, progress);
	if (err || memcmp(buf, want, size)) {
		fail("%s: whole-file read: %s", path, err ? name_of(err) : "bytes differ");
		bad = 1;
	} else if (size && (progress_bad || !progress_calls || progress_last != size)) {
		fail("%s: progress: %d calls, %d wrong, last %llu of %zu", path, progress_calls,
		     progress_bad, (unsigned long long)progress_last, size);
		bad = 1;
	}
	free(buf);

	/* Boundaries of the block map for every block size we test, and odd spots. */
	uint64_t spots[32];
	int n = 0;
	for (uint64_t bs = 1024; bs <= 65536; bs *= 2) {
		uint64_t p = bs / 4;
		spots[n++] = 12 * bs;
		spots[n++] = (12 + p) * bs;
		spots[n++] = (12 + p + p * p) * bs;
	}
	spots[n++] = 1;
	spots[n++] = size / 2 + 1;
	for (int i = 0; i < n && !bad; i++) {
		uint64_t at = spots[i] > 7 ? spots[i] - 7 : 0;
		if (at < size)
			bad |= read_compare(&f, at, MIN(size - at, 4111), want, path);
	}
	for (int i = 0; i < 8 && !bad && size; i++) {
		uint64_t off = rng() % size, len = rng() % MIN(size - off + 1, 300000);
		bad |= read_compare(&f, off, len, want, path);
	}
	if (!bad && size)
		bad |= read_compare(&f, size - 1, 1, want, path);
	if (!bad)
		bad |= read_compare(&f, size, 0, want, path);
	if (!bad) {
		uint8_t byte;

		capture_start();
		err = ext2_read(fs, &f, size, &byte, 1, NULL);
		if (err != FS_ERANGE || !strstr(capture_end(), "past the end")) {
			fail("%s: read past the end: got %s", path, name_of(err));
			bad = 1;
		}
	}
	free(want);
	return bad ? -1 : 0;
}

/* ---- Directories ---- */

#define LISTING_MAX 8192
#define BIG_DIR     1000

struct listing {
	int count;
	char names[LISTING_MAX][256];
	uint8_t types[LISTING_MAX];
};

static int collect(const char *name, size_t len, uint8_t type, void *arg)
{
	struct listing *l = arg;

	if (l->count == LISTING_MAX)
		return 1;
	memcpy(l->names[l->count], name, len);
	l->names[l->count][len] = 0;
	l->types[l->count++] = type;
	return 0;
}

/* One listing per level of a walk, allocated once: they are large. */
static struct listing *listings[20];

static struct listing *listing_at(int depth)
{
	if (!listings[depth])
		listings[depth] = malloc(sizeof(struct listing));
	listings[depth]->count = 0;
	return listings[depth];
}

static bool has_filetype;                 /* the image's directory entries carry types */
static int files_ok, dirs_ok;

static uint8_t host_type(mode_t m)
{
	return S_ISREG(m) ? FS_FT_REG : S_ISDIR(m) ? FS_FT_DIR : S_ISLNK(m) ? FS_FT_SYMLINK : 0;
}

/* Compare the directory path (image) with host (the host's copy), recursively. */
static void compare_tree(const char *path, const char *host, int depth)
{
	struct listing *l = listing_at(depth);
	DIR *d = opendir(host);
	struct dirent *e;
	struct stat st;
	char hp[4096], ip[4096];
	int err, bad = 0, files = 0;

	err = ext2_list(fs, path, collect, l);
	if (err || !d) {
		fail("%s: list: %s", path, err ? name_of(err) : "cannot open host directory");
		goto out;
	}
	/* Everything listed is on the host (but the root's lost+found)... */
	for (int i = 0; i < l->count; i++) {
		snprintf(hp, sizeof(hp), "%s/%s", host, l->names[i]);
		if (lstat(hp, &st) && !(depth == 0 && !strcmp(l->names[i], "lost+found"))) {
			fail("%s: lists %s, which the host does not have", path, l->names[i]);
			bad = 1;
		}
	}
	/* ...and everything on the host is listed, with its type, and the same. */
	while ((e = readdir(d))) {
		bool dots = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
		int i;

		snprintf(hp, sizeof(hp), "%s/%s", host, e->d_name);
		snprintf(ip, sizeof(ip), "%s%s%s", path, depth ? "/" : "", e->d_name);
		lstat(hp, &st);
		for (i = 0; i < l->count && strcmp(l->names[i], e->d_name); i++)
			;
		if (i == l->count) {
			fail("%s: %s is missing from the listing", path, e->d_name);
			bad = 1;
			continue;
		}
		if (!dots && l->types[i] != (has_filetype ? host_type(st.st_mode) : FS_FT_UNKNOWN)) {
			fail("%s: type %u, want %u", ip, l->types[i], host_type(st.st_mode));
			bad = 1;
		}
		if (dots)
			continue;
		if (S_ISDIR(st.st_mode) && depth + 1 < (int)ARRAY_SIZE(listings))
			compare_tree(ip, hp, depth + 1);
		else if (S_ISREG(st.st_mode) && (l->count <= BIG_DIR || files++ % 100 == 0) &&
			 compare_file(ip, hp) == 0)
			files_ok++;
	}
	if (!bad)
		dirs_ok++;
out:
	if (d)
		closedir(d);
}

/* ---- Fuzzing ---- */

static int ignore_entry(const char *name, size_t len, uint8_t type, void *arg)
{
	(void)name, (void)len, (void)type, (void)arg;
	return 0;
}

/* Work left in this fuzz round: a corrupted tree (or symlinks to "..") can
 * be as large as it likes, the walk is not. */
static int fuzz_budget;

/* Visit what a corrupted image offers: list, open, read a little. */
static void fuzz_walk(const char *path, int depth)
{
	struct listing *l = listing_at(depth);

	if (ext2_list(fs, path, collect, l) >= 0 && depth < 6) {
		for (int i = 0; i < l->count && fuzz_budget > 0; i++) {
			char ip[4096];
			struct ext2_file f;

			if (!strcmp(l->names[i], ".") || !strcmp(l->names[i], ".."))
				continue;
			fuzz_budget--;
			snprintf(ip, sizeof(ip), "%s/%s", depth ? path : "", l->names[i]);
			if (ext2_open(fs, ip, &f) < 0)
				continue;
			if (FS_IS_DIR(&f)) {
				fuzz_walk(ip, depth + 1);
			} else {
				uint64_t n = MIN(f.size, 65536);
				uint8_t *buf = malloc(n ? n : 1);

				ext2_read(fs, &f, 0, buf, n, NULL);
				ext2_read(fs, &f, f.size - n, buf, n, NULL);
				free(buf);
			}
		}
	}
}

static void fuzz(int count, uint64_t seed, const char *tree_root)
{
	uint64_t (*log)[2] = calloc(4096, sizeof(*log));
	int mounted = 0;

	/* Learn where the metadata is: the small reads of a clean walk. */
	ext2_unmount(fs);
	mdev.log = log;
	mdev.log_max = 4096;
	mdev.log_limit = 8;
	mdev.logged = 0;
	capture_start();
	fuzz_budget = 1000;
	if (ext2_mount(&fs, &mdev.dev) == 0)
		fuzz_walk(tree_root, 0);
	ext2_unmount(fs);
	capture_end();
	mdev.log = NULL;
	if (!mdev.logged) {
		fail("fuzz: no metadata reads seen");
		free(log);
		return;
	}

	rng_state = seed;
	for (int it = 0; it < count; it++) {
		uint64_t where[6];
		uint8_t old[6][4];
		int k = 1 + rng() % 6;

		for (int j = 0; j < k; j++) {
			int r = rng() % mdev.logged;
			uint64_t at = log[r][0] + rng() % (log[r][1] - 3);
			uint32_t v = rng();

			where[j] = at;
			memcpy(old[j], mdev.image + at, 4);
			switch (rng() % 4) {
			case 0: mdev.image[at] = v; break;                 /* a random byte */
			case 1: mdev.image[at] ^= 1 << (v & 7); break;     /* a flipped bit */
			case 2: memcpy(mdev.image + at, &v, 4); break;     /* a random word */
			case 3: memset(mdev.image + at, v & 1 ? 0xff : 0, 2); break;
			}
		}
		capture_start();
		fuzz_budget = 100;
		if (ext2_mount(&fs, &mdev.dev) == 0) {
			mounted++;
			fuzz_walk(tree_root, 0);
			ext2_unmount(fs);
		}
		fs = NULL;
		capture_end();
		for (int j = k - 1; j >= 0; j--)     /* undo, last first */
			memcpy(mdev.image + where[j], old[j], 4);
	}
	free(log);
	if (ext2_mount(&fs, &mdev.dev)) {
		fail("fuzz: the image does not mount after being restored");
		return;
	}
	if (mdev.out_of_range)
		fail("fuzz: the reader read outside the image %ld times", mdev.out_of_range);
	else
		pass("fuzz: %d corrupted images (%d mounted): no crash, no hang, no stray read",
		     count, mounted);
}

/* ---- Fault injection ---- */

/* Mount, open path, read its first and last 256 KiB (the ends of the block
 * map) and list / with the k-th device read failing; return the first error
 * (or 0). */
static int run_with_fault(const char *path, long k)
{
	struct ext2_fs *f2;
	struct ext2_file f;
	uint8_t *buf;
	int err;

	mdev.calls = 0;
	mdev.fail_at = k;
	err = ext2_mount(&f2, &mdev.dev);
	if (!err) {
		err = ext2_open(f2, path, &f);
		if (!err) {
			uint64_t n = MIN(f.size, 256 << 10);

			buf = malloc(n ? n : 1);
			err = ext2_read(f2, &f, 0, buf, n, NULL);
			if (!err)
				err = ext2_read(f2, &f, f.size - n, buf, n, NULL);
			free(buf);
		}
		if (!err)
			err = ext2_list(f2, "/", ignore_entry, NULL);
		ext2_unmount(f2);
	}
	mdev.fail_at = -1;
	return err;
}

/* ---- The script ---- */

static void ensure_mounted(void)
{
	if (fs)
		return;
	if (ext2_mount(&fs, &mdev.dev)) {
		fail("mount");
		exit(1);
	}
}

/* "interface UUID LABEL PATH": the filesystem interface (fs.h, fs.c) over
 * the same image, against what mke2fs was told (-U, -L) and against the
 * reader's own functions. */
static void check_interface(const char *uuid, const char *label, const char *path)
{
	struct listing *l1 = calloc(1, sizeof(*l1)), *l2 = calloc(1, sizeof(*l2));
	struct fs *v;
	struct fs_file f;
	struct ext2_file e;
	char id[40];
	uint8_t *b1 = NULL, *b2 = NULL;
	int err = fs_mount(&v, &mdev.dev), n = 0;

	if (err) {
		fail("interface: fs_mount: %s", name_of(err));
		goto out;
	}
	for (int i = 0; i < 16; i++)
		n += sprintf(id + n, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", v->uuid[i]);
	if (strcmp(id, uuid) || strcmp(v->label, label) || strncmp(v->type, "ext", 3) ||
	    v->ops != &ext2_fs_ops)
		fail("interface: type %s, UUID %s, label '%s'; want ext*, %s, '%s'", v->type, id,
		     v->label, uuid, label);
	else if ((err = fs_open(v, path, &f)) || (err = ext2_open(fs, path, &e)))
		fail("interface: open %s: %s", path, name_of(err));
	else if (f.size != e.size || f.mode != e.mode)
		fail("interface: %s: size %llu, mode 0%o; ext2_open says %llu, 0%o", path,
		     (unsigned long long)f.size, f.mode, (unsigned long long)e.size, e.mode);
	else if (!(b1 = malloc(f.size + 1)) || !(b2 = malloc(f.size + 1)) ||
		 fs_read(v, &f, 0, b1, f.size, NULL) || ext2_read(fs, &e, 0, b2, e.size, NULL) ||
		 memcmp(b1, b2, f.size))
		fail("interface: %s reads differently through fs_read", path);
	else if (fs_list(v, "/", collect, l1) < 0 || ext2_list(fs, "/", collect, l2) < 0 ||
		 l1->count != l2->count || memcmp(l1->names, l2->names, sizeof(l1->names)))
		fail("interface: fs_list / gives %d entries, ext2_list %d", l1->count, l2->count);
	else
		pass("interface: fs_mount finds %s, UUID %s, label '%s'; %s and / read the same "
		     "through fs.h", v->type, id, v->label, path);
	fs_unmount(v);
out:
	free(b1);
	free(b2);
	free(l1);
	free(l2);
}

/* The first line of what the reader printed, for a PASS/FAIL line. */
static const char *first_line(void)
{
	char *nl = strchr(captured, '\n');

	if (nl)
		*nl = 0;
	return captured;
}

/* Words w[i..n-1] joined by single spaces, in place. */
static const char *words_from(char **w, int i, int n)
{
	if (i >= n)
		return "";
	for (int j = i + 1; j < n; j++)
		w[j][-1] = ' ';
	return w[i];
}

int main(int argc, char **argv)
{
	char line[4096];
	size_t size;

	if (argc != 3) {
		fprintf(stderr, "usage: ext2_test LABEL IMAGE < SCRIPT\n");
		return 2;
	}
	label = argv[1];
	mdev.image = read_host_file(argv[2], &size);
	if (!mdev.image) {
		fail("cannot read %s", argv[2]);
		return 1;
	}
	mdev.size = size;
	/* At an LBA offset, as a partition is: the reader must add start_lba. */
	mdev.dev = (struct blockdev){ .read = memdev_read, .start_lba = 2048,
				      .sectors = mdev.size >> 9, .name = "image" };
	mdev.fail_at = -1;

	while (fgets(line, sizeof(line), stdin)) {
		char *w[64], *cmd, *a, *b;
		int n = 0;

		for (char *t = strtok(line, " \t\n"); t && n < 64; t = strtok(NULL, " \t\n"))
			w[n++] = t;
		if (!n || w[0][0] == '#')
			continue;
		cmd = w[0];
		a = n > 1 ? w[1] : "";
		b = n > 2 ? w[2] : "";
		fprintf(stderr, "== %s %s %s\n", cmd, a, b);

		if (!strcmp(cmd, "mountfails") || !strcmp(cmd, "mountsays")) {
			bool fails = cmd[5] == 'f';
			const char *want = words_from(w, fails ? 2 : 1, n);
			int err;

			ext2_unmount(fs);
			fs = NULL;
			capture_start();
			err = ext2_mount(&fs, &mdev.dev);
			capture_end();
			/* "mountsays" with no text: the mount works and prints
			 * nothing at all (strstr(x, "") would match anything). */
			if (fails ? err == code_of(a) && !fs : err == 0)
				if (*want ? strstr(captured, want) != NULL : captured[0] == '\0') {
					pass("mount %s: \"%s\"", fails ? "fails" : "works", first_line());
					continue;
				}
			fail("mount: got %s, printed \"%s\"; want %s, \"%s\"", name_of(err),
			     first_line(), fails ? a : "OK", want);
			continue;
		}
		if (!strcmp(cmd, "crc32c")) {
			/* The table against the polynomial, bit by bit; the
			 * check value of CRC-32C (RFC 3720: "123456789"). */
			uint32_t bits = ~0u, mine = crc32c(~0u, "123456789", 9);
			uint8_t data[1000];

			for (size_t i = 0; i < sizeof(data); i++)
				data[i] = rng();
			for (size_t i = 0; i < sizeof(data); i++) {
				bits ^= data[i];
				for (int k = 0; k < 8; k++)
					bits = bits >> 1 ^ (bits & 1 ? 0x82F63B78 : 0);
			}
			if (~mine == 0xE3069283 && crc32c(~0u, data, sizeof(data)) == bits)
				pass("crc32c: the check value 0xE3069283, and bit by bit on 1000 bytes");
			else
				fail("crc32c: check value 0x%08x, want 0xE3069283", ~mine);
			continue;
		}
		ensure_mounted();
		if (!strcmp(cmd, "tree")) {
			struct listing *l = calloc(1, sizeof(*l));
			int before = failures;

			/* A revision-0 image has no entry types: "." tells. */
			ext2_list(fs, "/", collect, l);
			has_filetype = l->count && l->types[0] == FS_FT_DIR;
			free(l);
			files_ok = dirs_ok = 0;
			compare_tree("/", a, 0);
			if (failures == before)
				pass("tree: %d files and %d directories read back the same%s",
				     files_ok, dirs_ok, has_filetype ? "" : " (no entry types)");
		} else if (!strcmp(cmd, "file")) {
			if (compare_file(a, b) == 0)
				pass("%s matches the original, whole and in parts", a);
		} else if (!strcmp(cmd, "same")) {
			struct ext2_file f1, f2;
			int e1 = ext2_open(fs, a, &f1), e2 = ext2_open(fs, b, &f2);

			if (!e1 && !e2 && f1.ino == f2.ino)
				pass("%s leads to %s (inode %u)", a, b, f1.ino);
			else
				fail("%s -> %s: %s / %s, inodes %u / %u", a, b, name_of(e1), name_of(e2),
				     e1 ? 0 : f1.ino, e2 ? 0 : f2.ino);
		} else if (!strcmp(cmd, "fails") || !strcmp(cmd, "listfails") ||
			   !strcmp(cmd, "readfails")) {
			const char *want = words_from(w, 3, n);
			struct listing *l = calloc(1, sizeof(*l));
			struct ext2_file f;
			int err;

			capture_start();
			if (cmd[0] == 'l') {
				err = ext2_list(fs, a, collect, l);
			} else {
				err = ext2_open(fs, a, &f);
				if (cmd[0] == 'r' && !err) {
					uint8_t *buf = malloc(f.size ? f.size : 1);

					err = ext2_read(fs, &f, 0, buf, f.size, NULL);
					free(buf);
				}
			}
			capture_end();
			free(l);
			if (err == code_of(b) && strstr(captured, want))
				pass("%s %s: %s, \"%s\"", cmd, a, b, first_line());
			else
				fail("%s %s: got %s, printed \"%s\"; want %s, \"%s\"", cmd, a,
				     name_of(err), first_line(), b, want);
		} else if (!strcmp(cmd, "reads")) {
			struct ext2_file f;
			uint8_t *buf;
			int err = ext2_open(fs, a, &f);
			long max = atol(b);

			buf = malloc(err || !f.size ? 1 : f.size);
			mdev.calls = 0;
			if (!err)
				err = ext2_read(fs, &f, 0, buf, f.size, NULL);
			free(buf);
			if (!err && mdev.calls <= max)
				pass("%s: %llu bytes in %ld device reads (at most %ld)", a,
				     (unsigned long long)f.size, mdev.calls, max);
			else
				fail("%s: %s, %ld device reads (want at most %ld)", a, name_of(err),
				     mdev.calls, max);
		} else if (!strcmp(cmd, "faults")) {
			long total, k, wrong = 0;
			int err;

			capture_start();
			err = run_with_fault(a, -1);
			total = mdev.calls;
			for (k = 0; k < total && !err; k++)
				if (run_with_fault(a, k) != FS_EIO)
					wrong++;
			capture_end();
			if (err || wrong)
				fail("faults %s: %s, %ld of %ld failed reads not reported as EIO", a,
				     name_of(err), wrong, total);
			else
				pass("faults %s: each of the %ld device reads failing gives EIO", a, total);
		} else if (!strcmp(cmd, "interface")) {
			check_interface(a, b, n > 3 ? w[3] : "/big");
		} else if (!strcmp(cmd, "fuzz")) {
			fuzz(atoi(a), strtoull(b, NULL, 0), "/");
		} else {
			fprintf(stderr, "ext2_test: unknown command %s\n", cmd);
			return 2;
		}
	}
	if (mdev.out_of_range)
		fail("the reader read outside the image %ld times", mdev.out_of_range);
	ext2_unmount(fs);
	free(mdev.image);
	return failures ? 1 : 0;
}
