/*
 * ext.c - read stage 2's extension (ext.h) from the disk, check that it is
 * whole and made for this very stage 2, and call it.
 *
 * It is read once, on the first entry that needs it, to EXT_BASE (the 32
 * KiB below the kernel's real-mode area, layout.h), and stays there: no
 * kernel, module or buffer goes below 1 MiB but the Linux real-mode part,
 * above EXT_LIMIT.  Every check comes before the first call into it: a file
 * from another build would call stage 2's functions at wrong addresses.
 */
#include "bios/console.h"
#include "entry/stub.h"
#include "entry/unpack.h"
#include "config/config.h"
#include "ext/ext.h"
#include "layout.h"
#include "proto/load.h"
#include "trace.h"

#define WHO "extension"

extern const struct stage2_header _start;       /* entry.asm: stage 2's own header */

struct fs *ext_home;
static const struct ext_header *loaded;

static const struct ext_header *ext_load(void)
{
	struct ext_header *x = (struct ext_header *)EXT_BASE;
	struct fs_file f;
	uint32_t crc;
	int err;

	if (loaded)
		return loaded;
	err = ext_home ? load_open(WHO, ext_home, EXT_PATH, &f) : FS_ENOENT;
	if (err == FS_ENOENT)
		printf(WHO ": %s is not there: this entry needs smartboot's extension, "
		       "installed with stage 2 (docs/extension.md)\n", EXT_PATH);
	if (err < 0)
		return NULL;
	if (f.size < sizeof(*x) || f.size > EXT_LIMIT - EXT_BASE) {
		printf(WHO ": %s: %llu bytes, not a smartboot extension (at most %u)\n",
		       EXT_PATH, (unsigned long long)f.size, EXT_LIMIT - EXT_BASE);
		return NULL;
	}
	if (load_read(WHO, ext_home, &f, EXT_PATH, 0, x, f.size) < 0)
		return NULL;
	if (memcmp(x->magic, EXT_MAGIC, 4) || x->size != f.size ||
	    x->bss_size > EXT_LIMIT - EXT_BASE - x->size ||
	    x->multiboot < EXT_BASE + sizeof(*x) || x->multiboot >= EXT_BASE + x->size) {
		printf(WHO ": %s is not a smartboot extension (magic, sizes, table)\n", EXT_PATH);
		return NULL;
	}
	if (x->stage2_crc != _start.payload_crc) {
		printf(WHO ": %s was made for another build of stage 2 (0x%08x, this one 0x%08x): "
		       "install both from one build\n", EXT_PATH, x->stage2_crc, _start.payload_crc);
		return NULL;
	}
	crc = unpack_crc32c(0, x + 1, x->size - sizeof(*x));
	if (crc != x->crc) {
		printf(WHO ": %s is damaged (CRC-32C 0x%08x, its header says 0x%08x)\n",
		       EXT_PATH, crc, x->crc);
		return NULL;
	}
	memset((uint8_t *)x + x->size, 0, x->bss_size);
	TRACE(WHO ": %s, %u bytes at 0x%x (and %u of .bss), made for this stage 2 (0x%08x)\n",
	      EXT_PATH, x->size, EXT_BASE, x->bss_size, x->stage2_crc);
	return loaded = x;
}

int ext_multiboot(struct fs *fs, const struct memory_map *mm, const struct boot_entry *e,
		  int default_handoff)
{
	const struct ext_header *x = ext_load();
	int (*boot)(struct fs *, const struct memory_map *, const struct boot_entry *, int);

	if (!x)
		return -1;
	boot = (void *)(uintptr_t)x->multiboot;
	return boot(fs, mm, e, default_handoff);
}
