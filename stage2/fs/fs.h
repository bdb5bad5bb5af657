/*
 * fs.h - the read-only ext2/ext3/ext4 reader (ext2.c): mount, find a file,
 * read it.
 *
 * Plain C with no BIOS calls: stage 2 reads through the disk layer, the host
 * tests (tests/host/ext2_test.c, fsread.c, fuzz_ext2.c) through an image
 * file.  Every failure prints one line saying what and where ("ext4:
 * /boot/x: no such file", "ext4: inode 12 checksum mismatch"), starting
 * with what the filesystem is, and returns one of the negative codes below.
 */
#ifndef FS_H
#define FS_H

#include "blockdev.h"

enum fs_error {
	FS_OK = 0,
	FS_EIO = -1,            /* the device's read() failed */
	FS_ECORRUPT = -2,       /* a structure on disk makes no sense */
	FS_EUNSUPPORTED = -3,   /* a feature this reader does not know */
	FS_ENOENT = -4,         /* no such file or directory */
	FS_ENOTDIR = -5,        /* a path component is not a directory */
	FS_ELOOP = -6,          /* too many symbolic links */
	FS_ENAMETOOLONG = -7,   /* a path (after following links) is too long */
	FS_ENOMEM = -8,         /* malloc() failed */
	FS_ERANGE = -9,         /* a read past the end of the file */
};

#define FS_MAX_SYMLINKS 8      /* links followed while resolving one path */
#define FS_PATH_MAX     4096   /* bytes, with the NUL, of a path after substitution */

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

#define FS_IS_DIR(f)  (((f)->mode & 0xF000) == 0x4000)
#define FS_IS_REG(f)  (((f)->mode & 0xF000) == 0x8000)

/* Directory entry types passed to an ext2_list() callback; FS_FT_UNKNOWN on
 * filesystems without the "filetype" feature (such as revision 0). */
enum { FS_FT_UNKNOWN, FS_FT_REG, FS_FT_DIR, FS_FT_CHR, FS_FT_BLK, FS_FT_FIFO,
       FS_FT_SOCK, FS_FT_SYMLINK };

/* Check the superblock on dev and mount it (read-only). */
int ext2_mount(struct ext2_fs **out, struct blockdev *dev);
void ext2_unmount(struct ext2_fs *fs);
/* One line about a mounted filesystem, for the verbose trace: its type,
 * geometry and the incompatible features it uses. */
void ext2_describe(const struct ext2_fs *fs);

/* Find a file by absolute path ("/boot/bzImage"; a path without a leading
 * '/' is taken from the root too).  Follows symbolic links, also the last
 * component, at most FS_MAX_SYMLINKS of them. */
int ext2_open(struct ext2_fs *fs, const char *path, struct ext2_file *f);

/*
 * Read len bytes at offset of f into buf; reading past the end of the file
 * is an error (FS_ERANGE).  Holes read as zeros.  Physically consecutive
 * blocks are read with one device request (of at most 1 MiB).  If progress
 * is not NULL it is called after each request with the bytes done so far
 * and len, and once at the end with len, len.
 */
int ext2_read(struct ext2_fs *fs, struct ext2_file *f, uint64_t offset, void *buf,
	      uint64_t len, void (*progress)(uint64_t done, uint64_t total));

/*
 * Call cb for each entry of the directory at path, "." and ".." included, in
 * on-disk order.  name is len (1..255) bytes, not NUL-terminated.  cb
 * returns 0 to go on; anything else (make it positive, to tell it from an
 * error) stops the listing and ext2_list() returns it.
 */
int ext2_list(struct ext2_fs *fs, const char *path,
	      int (*cb)(const char *name, size_t len, uint8_t type, void *arg), void *arg);

#endif
