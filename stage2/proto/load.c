/*
 * load.c - reading a boot protocol's files into memory (load.h): the
 * messages and the progress bar are the same whatever is being booted.
 */
#include "bios/console.h"
#include "proto/load.h"
#include "trace.h"

/* "1.96 MiB" without floating point, in buf (16 bytes): two decimals, so
 * that a memory shortfall of a few KiB shows in the figures. */
const char *load_mib(char *buf, uint64_t bytes)
{
	uint32_t hundredths = (uint32_t)((bytes * 100) >> 20);

	snprintf(buf, 16, "%u.%02u MiB", hundredths / 100, hundredths % 100);
	return buf;
}

/*
 * The reader has said what went wrong; for a read error or a damaged
 * structure its message names an LBA or an inode, so we add the file that
 * was being looked up.
 */
int load_open(const char *who, struct fs *fs, const char *path, struct fs_file *f)
{
	int err = fs_open(fs, path, f);

	if (err < 0 && err >= FS_EUNSUPPORTED)
		printf("%s: could not read %s\n", who, path);
	if (!err && !FS_IS_REG(f)) {
		printf("%s: %s: not a regular file\n", who, path);
		err = -1;
	}
	return err;
}

/* On failure add which file it was (the disk layer has named the LBA and
 * the BIOS status). */
static int read_to(const char *who, struct fs *fs, struct fs_file *f, const char *path,
		   uint64_t offset, void *buf, uint64_t len, fs_progress_fn show)
{
	int err = fs_read(fs, f, offset, buf, len, show);

	console_midline = false;
	if (err < 0)
		printf("%s: could not read %s\n", who, path);
	return err;
}

int load_read(const char *who, struct fs *fs, struct fs_file *f, const char *path,
	      uint64_t offset, void *buf, uint64_t len)
{
	return read_to(who, fs, f, path, offset, buf, len, NULL);
}

/* A fingerprint of what was loaded, for the trace: the tests compare it
 * between a boot through INT 13h and one through a native driver. */
static uint32_t fingerprint(const uint8_t *p, uint32_t n)
{
	uint32_t h = 2166136261u;                /* FNV-1a */

	while (n--)
		h = (h ^ *p++) * 16777619u;
	return h;
}

int load_file(const char *who, struct fs *fs, struct fs_file *f, const char *path,
	      uint64_t offset, uint32_t addr, uint64_t len)
{
	char size[16];
	int err;

	printf("loading %s %s", path, load_mib(size, len));
	serial_write(":", 1);
	TRACE(" to 0x%x", addr);
	console_progress_start(path);
	err = read_to(who, fs, f, path, offset, (void *)(uintptr_t)addr, len, console_progress);
	if (!err)
		printf(" ok\n");
	TRACE("%s: fnv1a 0x%08x\n", path, err < 0 ? 0 : fingerprint((void *)(uintptr_t)addr, (uint32_t)len));
	return err;
}

uint64_t load_usable_end(const struct memory_map *mm, uint64_t addr)
{
	for (int i = 0; i < mm->count; i++)
		if (mm->map[i].type == E820_USABLE && addr >= mm->map[i].addr &&
		    addr < mm->map[i].addr + mm->map[i].size)
			return mm->map[i].addr + mm->map[i].size;
	return 0;
}
