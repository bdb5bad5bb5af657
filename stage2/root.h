/*
 * root.h - the partition an entry's files are on (its struct root_spec:
 * smartboot.cfg's `root`, grub.cfg's `set root=` and `search`), found when
 * the entry boots.
 */
#ifndef ROOT_H
#define ROOT_H

#include "bios/disk.h"
#include "config/config.h"
#include "fs/fs.h"

/*
 * Mount the filesystem r names.  ROOT_BOOT, or the boot partition itself,
 * is bootfs (number bootnum on boot).  Otherwise the boot disk's partitions
 * are looked at first, then the other BIOS disks (hd0-hd15, as many as the
 * BIOS counted), each mounted, compared and unmounted unless it matches.
 * Says which partition it chose and why; NULL after saying what was not
 * found.  A filesystem returned that is not bootfs is the caller's to
 * fs_unmount() (one at a time: it reads through a static disk).  In
 * build/stage2-iso.bin only ROOT_BOOT is found (root.c says why).
 */
struct fs *root_mount(struct disk *boot, struct fs *bootfs, int bootnum, const struct root_spec *r);

/* Does path (absolute) exist?  1: yes, 0: no, < 0: a directory on the way
 * could not be read (the reader has said why).  Asked by listing each
 * parent directory, so a missing file is not reported as an error. */
int path_exists(struct fs *fs, const char *path);

#endif
