/*
 * fs.c - the filesystem interface (fs.h): which filesystems there are, and
 * the calls that pass each request to the one a partition holds.
 *
 * fs/ holds pure C with no BIOS calls: it reads through a struct blockdev
 * (the disk layer in stage 2, an image file on the host) and is tested and
 * fuzzed on the host.  A new filesystem is a new file with a struct fs_ops,
 * added to the table below.
 */
#include "fs/fs.h"

/* Asked in this order.  A filesystem that does not find its own magic
 * number must say nothing and fail, so that the next one can look; with
 * one entry the only filesystem's message is the one the user sees. */
static const struct fs_ops *const filesystems[] = {
#ifdef SMARTBOOT_ISO9660
	/* Only in build/stage2-iso.bin, the stage 2 of build/smartos.iso
	 * (mk/smartos-iso.mk): with Multiboot and ISO 9660 both, stage 2 would not
	 * fit its 31,744 bytes.  First: it says nothing where block 16 (byte
	 * 32768) has no "CD001", while ext2 would complain "bad superblock
	 * magic" on every hybrid image booted as a disk (its byte 1024 is
	 * stage 2, in the system area). */
	&iso9660_fs_ops,
#endif
	&ext2_fs_ops,
};

int fs_mount(struct fs **out, struct blockdev *dev)
{
	struct fs *fs = malloc(sizeof(*fs));
	int err = FS_ENOMEM;

	*out = NULL;
	if (!fs) {
		printf("fs: out of memory\n");
		return err;
	}
	for (size_t i = 0; i < ARRAY_SIZE(filesystems); i++) {
		memset(fs, 0, sizeof(*fs));
		fs->ops = filesystems[i];
		fs->dev = dev;
		err = fs->ops->mount(fs);
		if (!err) {
			*out = fs;
			return 0;
		}
	}
	free(fs);
	return err;
}

const char *fs_names(void)
{
	static char names[32];
	size_t n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(filesystems) && n < sizeof(names); i++)
		n += snprintf(names + n, sizeof(names) - n, "%s%s", i ? "/" : "", filesystems[i]->name);
	return names;
}

void fs_unmount(struct fs *fs)
{
	if (!fs)
		return;
	fs->ops->unmount(fs);
	free(fs);
}

void fs_describe(const struct fs *fs)
{
	fs->ops->describe(fs);
}

int fs_open(struct fs *fs, const char *path, struct fs_file *f)
{
	return fs->ops->open(fs, path, f);
}

int fs_read(struct fs *fs, struct fs_file *f, uint64_t offset, void *buf, uint64_t len,
	    fs_progress_fn progress)
{
	return fs->ops->read(fs, f, offset, buf, len, progress);
}

int fs_list(struct fs *fs, const char *path, fs_list_fn cb, void *arg)
{
	return fs->ops->list(fs, path, cb, arg);
}
