/*
 * fuzz_part.c - a libFuzzer target for the partition table reader
 * (stage2/part/: MBR, EBR chains, GPT), built unchanged with clang and the
 * address and undefined-behaviour sanitizers by mk/part.mk.
 *
 * The input is the start of a disk: sector 0 is the MBR, and so on.  The
 * disk is DISK_SECTORS long; sectors past the input read as zeros, so a
 * small input can still point at far LBAs (a backup GPT header is at the
 * last one).  Besides any crash, sanitizer report or leak, a run fails
 * (abort) when a successful read breaks what stage 2 and the installer rely
 * on: at most PART_MAX partitions, numbers ascending, primaries 1-4 and
 * logicals from 5 inside the disk, GPT partitions inside the usable LBAs,
 * and a chosen partition that is one of the list.  A failed read must say
 * why.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "part/part.h"

#define DISK_SECTORS	(1u << 16)

static const uint8_t *input;
static size_t input_size;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "fuzz_part: %s\n", what);
		abort();
	}
}

static int fuzz_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	uint8_t *out = buf;

	check(count > 0 && count <= 256, "a read of 0 or more than 256 sectors");
	if (lba >= dev->sectors || count > dev->sectors - lba)
		return -1;
	memset(buf, 0, (size_t)count * BLOCKDEV_SECTOR_SIZE);
	for (uint32_t i = 0; i < count; i++) {
		uint64_t off = (lba + i) * BLOCKDEV_SECTOR_SIZE;

		if (off < input_size)
			memcpy(out + (size_t)i * BLOCKDEV_SECTOR_SIZE, input + off,
			       MIN((size_t)BLOCKDEV_SECTOR_SIZE, input_size - off));
	}
	return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!freopen("/dev/null", "w", stdout))     /* part_describe() prints */
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct part_table t;
	struct blockdev dev = { .read = fuzz_read, .sectors = DISK_SECTORS, .name = "fuzz" };
	const struct part_info *c;
	char buf[64], uuid[37];

	input = data;
	input_size = size;
	/* Half the runs as a BIOS that does not tell the size. */
	if (size && (data[0] & 1))
		dev.sectors = 0;
	if (part_read(&dev, &t) < 0) {
		check(t.message[0] != '\0', "part_read failed without a message");
		check(memchr(t.message, 0, sizeof(t.message)) != NULL, "message not terminated");
		return 0;
	}
	check(t.scheme == PART_SCHEME_MBR || t.scheme == PART_SCHEME_GPT, "no scheme");
	check(t.count >= 0 && t.count <= PART_MAX, "partition count out of range");
	check(!t.from_backup || t.message[0], "backup used without saying why");
	for (int i = 0; i < t.count; i++) {
		const struct part_info *p = &t.part[i];

		check(i == 0 || p->number > t.part[i - 1].number, "numbers not ascending");
		if (t.scheme == PART_SCHEME_MBR) {
			check(p->logical ? p->number >= MBR_FIRST_LOGICAL : p->number >= 1 && p->number <= 4,
			      "a primary outside 1-4 or a logical below 5");
			check(p->mbr_type != PART_TYPE_EMPTY, "an empty entry listed");
		} else {
			check(p->number >= 1 && (uint32_t)p->number <= t.gpt_entry_count, "GPT number out of range");
			check(p->sectors >= 1 && p->start >= t.first_usable &&
			      p->start + p->sectors - 1 <= t.last_usable, "GPT partition outside the usable LBAs");
			check(strlen(p->label) <= GPT_NAME_CHARS, "label too long");
		}
		part_type_name(p, buf, sizeof(buf));
		part_uuid_string(&t, p, uuid);
		check(strlen(uuid) < sizeof(uuid), "uuid too long");
	}
	c = part_choose(&t);
	check(!c || (c >= t.part && c < t.part + t.count), "chosen partition not in the list");
	for (int i = 0; i < t.count; i++)
		check(part_find(&t, t.part[i].number) == &t.part[i], "part_find misses a partition");
	part_describe(&t);
	return 0;
}
