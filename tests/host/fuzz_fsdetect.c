/*
 * fuzz_fsdetect.c - a libFuzzer target for the installer's whole-disk
 * filesystem recognition (tools/fsdetect.c), built unchanged with clang and
 * the address and undefined-behaviour sanitizers by mk/fuzz-installer.mk.
 *
 * The input is the disk's first bytes, any length: fsdetect() must never
 * read past it (the copy into a buffer of exactly that size lets ASan see
 * one byte too far).  A run fails (abort) when a promise of fsdetect.h is
 * broken: a format found without a name, or with its signature at or past
 * the end of the input.
 */
#include <stdlib.h>
#include <string.h>

#include "fsdetect.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t len)
{
	unsigned char *copy = malloc(len ? len : 1);
	struct fs_found found;
	int hit;

	memcpy(copy, data, len);
	for (int mbr = 0; mbr <= 1; mbr++) {
		hit = fsdetect(copy, len, mbr, &found);
		if (hit && (!found.name || !found.name[0] || found.offset >= len))
			abort();
	}
	free(copy);
	return 0;
}
