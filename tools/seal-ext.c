/*
 * tools/seal-ext.c - finish stage 2's extension (stage2/ext/ext.h).
 *
 *   seal-ext STAGE2 IN OUT
 *
 * IN is the extension as linked (objcopy -O binary): its header has the
 * magic, the sizes and the table.  OUT is IN with the header's stage2_crc
 * set to STAGE2's payload_crc (the packed build/stage2-entry*.bin it was
 * linked against: stage 2 refuses an extension made for another build) and
 * its crc to the CRC-32C of everything after the header.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "entry/stub.h"
#include "entry/unpack.h"
#include "ext/ext.h"

#define PROG "seal-ext"
#define FILE_MAX (EXT_LIMIT - EXT_BASE)

static void die(const char *what, const char *why)
{
	fprintf(stderr, PROG ": %s: %s\n", what, why);
	exit(1);
}

/* The whole file, at most FILE_MAX bytes (more is not an extension). */
static size_t read_file(const char *path, uint8_t *buf)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		die(path, strerror(errno));
	n = fread(buf, 1, FILE_MAX + 1, f);
	if (ferror(f))
		die(path, strerror(errno));
	fclose(f);
	if (n > FILE_MAX)
		die(path, "larger than EXT_LIMIT - EXT_BASE (layout.h)");
	return n;
}

int main(int argc, char **argv)
{
	static uint8_t stage2[FILE_MAX + 1], ext[FILE_MAX + 1];
	struct stage2_header s;
	struct ext_header h;
	size_t n;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: " PROG " STAGE2 IN OUT\n");
		return 2;
	}
	if (read_file(argv[1], stage2) < sizeof(s))
		die(argv[1], "shorter than stage 2's header");
	memcpy(&s, stage2, sizeof(s));
	if (memcmp(s.magic, STAGE2_MAGIC, 4))
		die(argv[1], "no \"" STAGE2_MAGIC "\": not a packed stage 2");
	n = read_file(argv[2], ext);
	if (n < sizeof(h))
		die(argv[2], "shorter than an extension's header");
	memcpy(&h, ext, sizeof(h));
	if (memcmp(h.magic, EXT_MAGIC, 4) || h.size != n)
		die(argv[2], "no \"" EXT_MAGIC "\", or a size that is not the file's");
	h.stage2_crc = s.payload_crc;
	h.crc = unpack_crc32c(0, ext + sizeof(h), n - sizeof(h));
	memcpy(ext, &h, sizeof(h));
	f = fopen(argv[3], "wb");
	if (!f || fwrite(ext, 1, n, f) != n || fclose(f) != 0) {
		remove(argv[3]);
		die(argv[3], strerror(errno));
	}
	return 0;
}
