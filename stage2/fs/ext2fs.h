/*
 * ext2fs.h - ext2.c's own entry points, below the filesystem interface.
 *
 * Stage 2 reaches ext2/3/4 through fs.h (fs_mount() finds it in fs.c's
 * table, ext2_fs_ops); only fs.c's table and the host tests that test the
 * reader itself (tests/host/ext2_test.c, fsread.c, fuzz_ext2.c) name these.
 * The on-disk format is ext2.h.
 */
#ifndef EXT2FS_H
#define EXT2FS_H

#include "blockdev.h"

struct ext2_fs;                /* a mounted filesystem (opaque) */

/* Where a file's data is (struct ext2_file's map). */
enum { FS_MAP_BLOCKS, FS_MAP_EXTENTS, FS_MAP_INODE };

/* An open file: a copy of what the reader needs from its inode. */
struct ext2_file {
	uint32_t ino;          /* inode number */
	uint16_t mode;         /* i_mode: type (FS_IS_DIR...) and permissions */
	uint8_t map;           /* FS_MAP_BLOCKS: i_block is a block map (ext2, ext3);
	                          FS_MAP_EXTENTS: an extent tree (ext4);
	                          FS_MAP_INODE: the data itself (a fast symlink,
	                          ext4's inline data) */
	uint32_t flags;        /* i_flags */
	uint32_t csum_seed;    /* metadata_csum: crc32c of the filesystem's seed, the
	                          inode number and generation (starts every checksum
	                          of this file's blocks) */
	uint64_t size;         /* bytes */
	uint32_t block[15];    /* i_block */
};

/* What each does is said once, in fs.h, for the fs_* function of the same
 * name; the return codes are fs.h's FS_E*. */
int ext2_mount(struct ext2_fs **out, struct blockdev *dev);
void ext2_unmount(struct ext2_fs *fs);
void ext2_describe(const struct ext2_fs *fs);
int ext2_open(struct ext2_fs *fs, const char *path, struct ext2_file *f);
int ext2_read(struct ext2_fs *fs, struct ext2_file *f, uint64_t offset, void *buf,
	      uint64_t len, void (*progress)(uint64_t done, uint64_t total));
int ext2_list(struct ext2_fs *fs, const char *path,
	      int (*cb)(const char *name, size_t len, uint8_t type, void *arg), void *arg);

#endif
