/*
 * fuzz_ext2.c - a libFuzzer target for the filesystem reader (stage2/fs/ext2.c,
 * unchanged, built with clang and the address and undefined-behaviour
 * sanitizers by mk/fuzz.mk).
 *
 * The input is a whole filesystem image (the seeds: small ext2, ext4 and
 * ext4 inline_data images that scripts/fuzz-seeds.sh makes).  Each run
 * mounts it, walks every directory it can list, opens every name and reads
 * the start and end of every file, and tries a few paths that go through
 * symbolic links.  Any crash, sanitizer report, leak or time-out is a bug:
 * the reader must answer a hostile image with an error.
 *
 * The mutator overwrites a few small windows in place (through libFuzzer's
 * own byte mutations) instead of inserting or erasing bytes: shifting a
 * filesystem image by a byte makes every structure unrecognisable, so such
 * mutants would only ever test the superblock check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs.h"

#include "memdev.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#define WALK_BUDGET 40           /* names opened per run: a corrupt tree may be endless */
#define NAMES       8            /* names opened per directory (all are listed) */
#define READ_MAX    (16 << 10)   /* bytes read from each end of a file */

static struct ext2_fs *fs;
static int budget;

struct names {
	int count;
	char name[NAMES][256];
};

static int collect(const char *name, size_t len, uint8_t type, void *arg)
{
	struct names *n = arg;

	(void)type;
	if (n->count == NAMES)
		return 0;
	memcpy(n->name[n->count], name, len);
	n->name[n->count++][len] = 0;
	return 0;
}

static void read_ends(struct ext2_file *f)
{
	uint64_t n = f->size < READ_MAX ? f->size : READ_MAX;
	uint8_t *buf = malloc(n ? n : 1);

	ext2_read(fs, f, 0, buf, n, NULL);
	ext2_read(fs, f, f->size - n, buf, n, NULL);
	free(buf);
}

static void walk(const char *path, int depth)
{
	struct names *n = calloc(1, sizeof(*n));

	if (ext2_list(fs, path, collect, n) >= 0) {
		for (int i = 0; i < n->count && budget > 0; i++) {
			char p[4096];
			struct ext2_file f;

			if (!strcmp(n->name[i], ".") || !strcmp(n->name[i], ".."))
				continue;
			budget--;
			snprintf(p, sizeof(p), "%s/%s", depth ? path : "", n->name[i]);
			if (ext2_open(fs, p, &f) < 0)
				continue;
			if (FS_IS_DIR(&f) && depth < 6)
				walk(p, depth + 1);
			else
				read_ends(&f);
		}
	}
	free(n);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	/* The reader's messages are printf()s: thousands a second. */
	if (!getenv("FUZZ_VERBOSE") && !freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const paths[] = {
		"/links/slow/x", "/links/loop1", "/a/../a/./b/f", "/boot/bzImage",
	};
	struct memdev m = { .dev = { .read = memdev_read, .sectors = size >> 9, .name = "image",
				     .sector_size = 512 },
			    .image = data };
	struct ext2_file f;

	if (ext2_mount(&fs, &m.dev))
		return 0;
	budget = WALK_BUDGET;
	walk("/", 0);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (ext2_open(fs, paths[i], &f) == 0 && !FS_IS_DIR(&f))
			read_ends(&f);
	ext2_unmount(fs);
	fs = NULL;
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t r = seed * 0x9E3779B97F4A7C15ull + 1;
	int windows;

	if (size < 4096)
		return LLVMFuzzerMutate(data, size, max_size);
	r ^= r >> 29;
	windows = 1 + r % 4;
	for (int i = 0; i < windows; i++) {
		uint8_t tmp[16];
		size_t off, w, n;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;     /* xorshift64 */
		off = r % size;
		w = size - off < sizeof(tmp) ? size - off : sizeof(tmp);
		memcpy(tmp, data + off, w);
		n = LLVMFuzzerMutate(tmp, w, w);
		memcpy(data + off, tmp, n);
	}
	return size;
}
