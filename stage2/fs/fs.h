/*
 * fs.h - the filesystem interface: mount a partition, find a file, read it,
 * list a directory.  Callers (main.c, the menu, the boot protocols) name
 * only what is here; each filesystem is one file behind a struct fs_ops
 * (ext2.c: ext2, ext3 and ext4; iso9660.c: ISO 9660 with Rock Ridge), and
 * fs.c's table lists them.
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
#include "fs/ext2fs.h"
#include "fs/iso9660.h"

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
#define FS_LABEL_MAX    32     /* characters of a volume label (ISO 9660's is 32, ext2's 16) */

/* A file's type, from its mode (struct fs_file's, or a filesystem's own
 * open-file type): Unix's S_IFDIR and S_IFREG, which ext2 stores as they
 * are and other filesystems make up. */
#define FS_IS_DIR(f)  (((f)->mode & 0xF000) == 0x4000)
#define FS_IS_REG(f)  (((f)->mode & 0xF000) == 0x8000)

/* Directory entry types passed to an fs_list() callback; FS_FT_UNKNOWN where
 * the filesystem does not say (ext2 without the "filetype" feature). */
enum { FS_FT_UNKNOWN, FS_FT_REG, FS_FT_DIR, FS_FT_CHR, FS_FT_BLK, FS_FT_FIFO,
       FS_FT_SOCK, FS_FT_SYMLINK };

/* A listing callback: name is len (1..255) bytes, not NUL-terminated.
 * Returns 0 to go on; anything else (make it positive, to tell it from an
 * error) stops the listing and fs_list() returns it. */
typedef int (*fs_list_fn)(const char *name, size_t len, uint8_t type, void *arg);
/* Called after each device request of a read with the bytes done so far
 * and the total, and once at the end with total, total. */
typedef void (*fs_progress_fn)(uint64_t done, uint64_t total);

/* A mounted filesystem. */
struct fs {
	const struct fs_ops *ops;      /* which filesystem it is */
	struct blockdev *dev;          /* the partition it is on */
	const char *type;              /* "ext2", "ext3", "ext4", "iso9660": what it is */
	uint8_t uuid[16];              /* the volume's UUID (zeros: it has none), */
	char label[FS_LABEL_MAX + 1];  /* and its label (""): for root UUID=/LABEL= */
	void *priv;                    /* the filesystem's own state (struct ext2_fs, iso_fs) */
};

/* An open file.  size and mode are the callers'; the rest is the
 * filesystem's own open-file type. */
struct fs_file {
	uint64_t size;                 /* bytes */
	uint16_t mode;                 /* FS_IS_DIR(), FS_IS_REG() */
	union {
		struct ext2_file ext2;
		struct iso_file iso;
	} u;
};

/* One filesystem.  mount() fills in fs (ops and dev are set) or prints why
 * not and returns an FS_E* code; the others are the fs_* functions below. */
struct fs_ops {
	const char *name;
	int (*mount)(struct fs *fs);
	int (*open)(struct fs *fs, const char *path, struct fs_file *f);
	int (*read)(struct fs *fs, struct fs_file *f, uint64_t offset, void *buf, uint64_t len,
		    fs_progress_fn progress);
	int (*list)(struct fs *fs, const char *path, fs_list_fn cb, void *arg);
	void (*describe)(const struct fs *fs);
	void (*unmount)(struct fs *fs);
};

extern const struct fs_ops ext2_fs_ops;   /* ext2.c */
extern const struct fs_ops iso9660_fs_ops;   /* iso9660.c */

/* Mount dev (read-only), asking each filesystem of fs.c's table in turn.
 * On failure *out is NULL and the filesystems have said why. */
int fs_mount(struct fs **out, struct blockdev *dev);
/* The filesystems fs_mount() knows, for a message: "ext2". */
const char *fs_names(void);
void fs_unmount(struct fs *fs);        /* NULL is fine */
/* One line about a mounted filesystem, for the verbose trace: its type,
 * geometry and the features it uses. */
void fs_describe(const struct fs *fs);

/* Find a file by absolute path ("/boot/bzImage"; a path without a leading
 * '/' is taken from the root too).  Follows symbolic links, also the last
 * component, at most FS_MAX_SYMLINKS of them. */
int fs_open(struct fs *fs, const char *path, struct fs_file *f);

/*
 * Read len bytes at offset of f into buf; reading past the end of the file
 * is an error (FS_ERANGE).  Holes read as zeros.  Physically consecutive
 * blocks are read with one device request (of at most 1 MiB).  progress may
 * be NULL.
 */
int fs_read(struct fs *fs, struct fs_file *f, uint64_t offset, void *buf, uint64_t len,
	    fs_progress_fn progress);

/* Call cb for each entry of the directory at path, "." and ".." included, in
 * on-disk order. */
int fs_list(struct fs *fs, const char *path, fs_list_fn cb, void *arg);

#endif
