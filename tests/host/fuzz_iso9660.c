/*
 * fuzz_iso9660.c - a libFuzzer target for the ISO 9660 reader
 * (stage2/fs/iso9660.c, unchanged, built with clang and the address and
 * undefined-behaviour sanitizers by mk/fuzz-iso.mk).
 *
 * The input is a whole image (the committed seeds in tests/fuzz/fuzz-iso9660/
 * are small xorriso images: Rock Ridge with long names in continuation
 * areas, plain ISO names, deep directories, a multi-extent file).  Each run
 * mounts it with 2048-byte sectors (a CD) or, when bit 0 of byte 0 is set
 * (the system area, which ISO 9660 does not use), 512-byte ones (a disk),
 * walks every directory it can list, opens every name and reads the start
 * and end of every file.  Any crash, sanitizer report, leak or time-out is
 * a bug: the reader must answer a hostile image with an error.
 *
 * The mutator overwrites a few small windows in place, mostly from block 16
 * on (the descriptors and directories): shifting an image by a byte makes
 * every structure unrecognisable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/fs.h"
#include "fs/iso9660.h"

#include "memdev.h"

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);

#define WALK_BUDGET 40           /* names opened per run: a corrupt tree may be endless */
#define NAMES       8            /* names opened per directory (all are listed) */
#define READ_MAX    (16 << 10)   /* bytes read from each end of a file */

static struct iso_fs *fs;
static int budget;

struct names {
	int count;
	char name[NAMES][256];
};

static int collect(const char *name, size_t len, uint8_t type, void *arg)
{
	struct names *n = arg;

	(void)type;
	if (len == 0 || len > 255)
		abort();         /* the interface promises 1..255 bytes */
	if (n->count == NAMES)
		return 0;
	memcpy(n->name[n->count], name, len);
	n->name[n->count++][len] = 0;
	return 0;
}

static void read_ends(struct iso_file *f)
{
	uint64_t n = f->size < READ_MAX ? f->size : READ_MAX;
	uint8_t *buf = malloc(n ? n : 1);

	iso9660_read(fs, f, 0, buf, n, NULL);
	iso9660_read(fs, f, f->size - n, buf, n, NULL);
	free(buf);
}

static void walk(const char *path, int depth)
{
	struct names *n = calloc(1, sizeof(*n));

	if (iso9660_list(fs, path, collect, n) >= 0) {
		for (int i = 0; i < n->count && budget > 0; i++) {
			char p[4096];
			struct iso_file f;

			if (!strcmp(n->name[i], ".") || !strcmp(n->name[i], ".."))
				continue;
			budget--;
			snprintf(p, sizeof(p), "%s/%s", depth ? path : "", n->name[i]);
			if (iso9660_open(fs, p, &f) < 0)
				continue;
			if (FS_IS_DIR(&f) && depth < 12)
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
	if (!getenv("FUZZ_VERBOSE") && !freopen("/dev/null", "w", stdout))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t ss = size && (data[0] & 1) ? 512 : 2048;
	struct memdev m = { .dev = { .read = memdev_read, .sectors = size / ss, .name = "image",
				     .sector_size = ss },
			    .image = data };
	struct iso_file f;

	if (iso9660_mount(&fs, &m.dev))
		return 0;
	iso9660_describe(fs);
	budget = WALK_BUDGET;
	walk("/", 0);
	if (iso9660_open(fs, "/boot/bzImage", &f) == 0 && !FS_IS_DIR(&f))
		read_ends(&f);
	iso9660_unmount(fs);
	fs = NULL;
	return 0;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	uint64_t r = seed * 0x9E3779B97F4A7C15ull + 1;
	int windows;

	if (size < 17 * 2048)
		return LLVMFuzzerMutate(data, size, max_size);
	r ^= r >> 29;
	windows = 1 + r % 4;
	for (int i = 0; i < windows; i++) {
		uint8_t tmp[16];
		size_t off, w, n;

		r ^= r << 13, r ^= r >> 7, r ^= r << 17;     /* xorshift64 */
		/* Seven times in eight from block 16 on: the metadata is there. */
		off = (r & 7) ? 16 * 2048 + (r >> 3) % (size - 16 * 2048) : (r >> 3) % size;
		w = size - off < sizeof(tmp) ? size - off : sizeof(tmp);
		memcpy(tmp, data + off, w);
		n = LLVMFuzzerMutate(tmp, w, w);
		memcpy(data + off, tmp, n);
	}
	return size;
}
