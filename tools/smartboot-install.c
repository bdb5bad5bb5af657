/*
 * tools/smartboot-install.c - put smartboot on a disk, or take it off again.
 *
 *   smartboot-install [--dry-run] [--force] [--stage1 FILE] [--stage2 FILE]
 *                     [--backup FILE] [--active-pmbr] DISK
 *   smartboot-install [--dry-run] [--force] --restore BACKUP DISK
 *
 * DISK is an image file or a block device: we never assume which, and only
 * pread()/pwrite() it.  install() and restore() read as the table of
 * contents; docs/installer.md explains each choice, docs/layout.md the
 * layout, mbr.h the structures and backup.h the backup file.
 *
 * The one promise above all others: bytes 440..511 of sector 0 (disk
 * signature, partition table, 0x55AA) are never written, by install or
 * restore (--active-pmbr, asked for by name, writes the one status byte of a
 * GPT's protective entry).  We pwrite() exactly bytes 0..439, so even a partition table
 * changed by someone else after we read it is not overwritten by our copy.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <linux/fs.h>		/* BLKGETSIZE64, BLKSSZGET */
#include <linux/magic.h>	/* TMPFS_MAGIC, RAMFS_MAGIC */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>		/* statfs() */
#include <sys/sysmacros.h>	/* major(), minor() */
#include <unistd.h>

#include "backup.h"
#include "fsdetect.h"
#include "mbr.h"
#include "part/part.h"		/* stage 2's partition table reader */

/* Exit codes: --help and docs/installer.md list the same. */
enum exit_code {
	EXIT_OK		= 0,	/* done, or nothing to do */
	EXIT_USAGE	= 1,	/* bad command line */
	EXIT_IO		= 2,	/* open/read/write/fsync failed */
	EXIT_UNSAFE	= 3,	/* refused: writing this disk looks unsafe */
	EXIT_NOFIT	= 4,	/* refused: stage 2 does not fit the gap */
	EXIT_BADFILE	= 5,	/* refused: a stage file is malformed */
	EXIT_BACKUP	= 6,	/* refused: backup file problem */
	EXIT_VERIFY	= 7,	/* the disk does not read back what we wrote */
};

#define PROG			"smartboot-install"
#define BACKUP_SUFFIX		".smartboot-backup"
#define PRE_RESTORE_SUFFIX	".pre-restore"	/* BACKUP.pre-restore, .pre-restore.2, ... */
#define PRE_RESTORE_MAX		99
#define STAGE_FILE_MAX		(1 << 20)	/* reading more is certainly wrong */

static const char usage_text[] =
"usage: " PROG " [--dry-run] [--force] [--stage1 FILE] [--stage2 FILE]\n"
"                         [--backup FILE] [--active-pmbr] DISK\n"
"       " PROG " [--dry-run] [--force] --restore BACKUP DISK\n"
"\n"
"Install smartboot on DISK (an image file or a block device): stage 2 into the\n"
"sectors after the MBR (LBA 1..N) of a DOS disk, or into the BIOS boot partition\n"
"(type EF02) of a GPT disk; stage 1 into MBR bytes 0-439.  The disk signature,\n"
"partition table and 0x55AA (bytes 440-511) are never written (but for\n"
"--active-pmbr).\n"
"\n"
"  --stage1 FILE     stage 1, 512 bytes ending in 0x55AA\n"
"                    (default: mbr.bin in this program's directory, else in\n"
"                    ../lib/smartboot/ from it: an installed copy)\n"
"  --stage2 FILE     stage 2, \"SBT2\" at offset 4, at most 62 sectors\n"
"                    (default: stage2.bin, found the same way)\n"
"  --backup FILE     save the sectors about to be overwritten here first\n"
"                    (default: DISK" BACKUP_SUFFIX "; required for a block device)\n"
"  --restore BACKUP  write the sectors saved in BACKUP back to DISK, keeping\n"
"                    DISK's current bytes 440-511 (partition table); what it\n"
"                    overwrites is saved first in BACKUP" PRE_RESTORE_SUFFIX "\n"
"  --active-pmbr     GPT: also mark the protective MBR entry active (byte 446 +\n"
"                    16 x slot), for BIOSes that boot only a disk with an active\n"
"                    entry (some Lenovo and HP machines in legacy mode)\n"
"  --dry-run         do every check and say what would be written; write nothing\n"
"  --force           install over data that is neither zeros nor smartboot in\n"
"                    the stage 2 sectors, or on a disk without partitions;\n"
"                    restore onto a disk whose signature, size, partitions or\n"
"                    sectors no longer match the backup.  Never into a\n"
"                    filesystem made on the whole disk.\n"
"  -h, --help        this text\n"
"\n"
"exit status:\n"
"  0  done (or nothing to do)\n"
"  1  usage error (also: a block device without --backup)\n"
"  2  I/O error (open, read, write, fsync)\n"
"  3  refused, unsafe disk: a filesystem on the whole disk, no 0x55AA, no\n"
"     partitions, a damaged partition table, a hybrid MBR, a GPT read from its\n"
"     backup, foreign data where stage 2 would go, a partition instead of a\n"
"     disk, sectors other than 512 bytes, or (restore) a saved sector now\n"
"     inside a partition or over foreign data\n"
"     partition\n"
"  4  refused, does not fit: stage 2 is larger than the gap before the first\n"
"     partition, or a GPT disk has no (or too small a) BIOS boot partition\n"
"  5  refused, bad stage file: wrong size, no 0x55AA, no SBT2 magic, over budget\n"
"  6  refused, backup: the existing backup file is not ours to overwrite, a\n"
"     file we would create exists or is a symbolic link, or (restore) the\n"
"     backup is damaged or from another disk\n"
"  7  verify failed: the disk does not read back what was written\n";

struct options {
	int dry_run;
	int force;
	int active_pmbr;	/* GPT: mark the protective MBR entry active */
	const char *stage1;	/* install: stage 1 file */
	const char *stage2;	/* install: stage 2 file */
	const char *backup;	/* install: where to save; restore: what to put back */
	int restore;		/* --restore given */
	const char *disk;
};

/* The disk, open read-only until we are about to write. */
struct disk {
	const char *path;
	int fd;
	int excl_fd;		/* block device: open with O_EXCL while we work, or -1 */
	struct stat st;		/* to check a reopen finds the same disk */
	uint64_t bytes;		/* its size; 0 = unknown (a device that says 0) */
	uint64_t sectors;	/* whole sectors; 0 = unknown */
};

/* What an install writes. */
struct stages {
	uint8_t stage1[SECTOR_SIZE];	/* the stage 1 file */
	uint8_t *stage2;		/* the stage 2 file, zero-padded to n sectors */
	size_t stage2_bytes;		/* its size before padding */
	unsigned n;			/* sectors of stage 2 */
	uint16_t checksum;		/* 16-bit sum of its little-endian words */
};

/* ---- messages ---------------------------------------------------------- */

static void die(enum exit_code code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void die(enum exit_code code, const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(code);
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		die(EXIT_IO, "out of memory (%zu bytes)", n);
	return p;
}

/* A new string: a followed by b. */
static char *concat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *out = xmalloc(la + lb + 1);

	memcpy(out, a, la);
	memcpy(out + la, b, lb + 1);
	return out;
}

/* "LBA 1..41" or "LBA 0, 1..41, 45": the sorted LBAs of a backup. */
static const char *lba_ranges(const struct backup *b)
{
	static char out[256];
	size_t len = 0;

	len += (size_t)snprintf(out, sizeof out, "LBA ");
	for (uint32_t i = 0; i < b->count && len < sizeof out; ) {
		uint32_t j = i;

		while (j + 1 < b->count && b->lba[j + 1] == b->lba[j] + 1)
			j++;
		if (j == i)
			len += (size_t)snprintf(out + len, sizeof out - len, "%s%" PRIu64, i ? ", " : "", b->lba[i]);
		else
			len += (size_t)snprintf(out + len, sizeof out - len, "%s%" PRIu64 "..%" PRIu64,
						i ? ", " : "", b->lba[i], b->lba[j]);
		i = j + 1;
	}
	return out;
}

/* ---- files and the disk ------------------------------------------------ */

/* pread()/pwrite() all len bytes at off, through short transfers and EINTR.
 * Returns 0, or -1 with errno set; errno 0 means the file ended first. */
static int transfer(int fd, void *buf, size_t len, uint64_t off, int write)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t r = write ? pwrite(fd, p, len, (off_t)off) : pread(fd, p, len, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = 0;
			return -1;
		}
		p += r;
		off += (uint64_t)r;
		len -= (size_t)r;
	}
	return 0;
}

/* Read a whole (small) file.  what names it in messages ("stage 1 file"). */
static uint8_t *read_file(const char *path, const char *what, size_t *len)
{
	uint8_t *buf = xmalloc(STAGE_FILE_MAX + 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r;

	if (fd < 0)
		die(EXIT_IO, "%s %s: cannot open: %s", what, path, strerror(errno));
	*len = 0;
	while (*len <= STAGE_FILE_MAX) {
		r = read(fd, buf + *len, STAGE_FILE_MAX + 1 - *len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die(EXIT_IO, "%s %s: read error: %s", what, path, strerror(errno));
		if (r == 0)
			break;
		*len += (size_t)r;
	}
	close(fd);
	return buf;
}

static void die_symlink(const char *path, const char *what) __attribute__((noreturn));
static void die_symlink(const char *path, const char *what)
{
	die(EXIT_BACKUP, "%s %s: is a symbolic link: refusing to follow it (a link planted there could "
	    "make us read or overwrite any file); give the file itself", what, path);
}

/*
 * Create path, new, for writing: the only way the installer creates a file.
 * O_EXCL makes open() fail on anything already at that name, a symbolic
 * link included, even a dangling one (O_CREAT alone would follow it and
 * create, or truncate, whatever it names: as root, any file or a disk);
 * O_NOFOLLOW adds the same for the last component's link on its own.
 * Mode 0600: the file holds raw disk sectors.  what names it ("backup").
 */
static int create_new(const char *path, const char *what)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct stat st;

	if (fd >= 0)
		return fd;
	if ((errno == EEXIST || errno == ELOOP) && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		die_symlink(path, what);
	if (errno == EEXIST)
		die(EXIT_BACKUP, "%s %s: already exists (left by an interrupted run?): refusing to "
		    "overwrite it; look at it, remove it and run again", what, path);
	die(EXIT_IO, "%s %s: cannot create: %s", what, path, strerror(errno));
}

/* The directory that holds path, as a new string. */
static char *directory_of(const char *path)
{
	char *dir = concat(path, ""), *slash = strrchr(dir, '/');

	if (slash)
		slash[1] = '\0';		/* "/img" -> "/", "a/img" -> "a/" */
	else
		strcpy(dir, ".");		/* fits: path is at least one byte */
	return dir;
}

/* After a rename or a new file: fsync the directory that holds path, so its
 * name is on disk too. */
static void fsync_directory_of(const char *path, const char *what)
{
	char *dir = directory_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) < 0)
		die(EXIT_IO, "%s %s: cannot fsync its directory %s: %s (the disk was not touched)",
		    what, path, dir, strerror(errno));
	close(fd);
	free(dir);
}

/*
 * A partition such as /dev/sda1 is a block device too, but its sector 0 is a
 * filesystem's boot sector; a FAT one even ends in 0x55AA.  Installing there
 * would overwrite filesystem data, so refuse: sysfs gives every partition a
 * "partition" attribute.
 */
static void refuse_partition_device(const struct disk *d)
{
	char attr[80];

	snprintf(attr, sizeof attr, "/sys/dev/block/%u:%u/partition",
		 major(d->st.st_rdev), minor(d->st.st_rdev));
	if (access(attr, F_OK) == 0)
		die(EXIT_UNSAFE, "%s: is a partition, not a whole disk: give the disk that holds it", d->path);
}

/*
 * A disk in use must not be written under someone's feet.  What Linux lets
 * us see, and what we check:
 *  - a block device that is mounted, or held by the kernel (RAID, LVM,
 *    swap), cannot be opened with O_EXCL (EBUSY); we keep that exclusive
 *    open until we exit, so nobody mounts it meanwhile.  A mounted
 *    partition of the disk does not block O_EXCL on the whole disk, so the
 *    mount table is searched for the disk's partitions too;
 *  - an image file a running QEMU uses carries QEMU's byte-range locks
 *    (open file description locks): F_OFD_GETLK finds them, and we take a
 *    write lock of our own before writing (so no VM starts on it meanwhile);
 *  - an image file attached to a loop device (mounted through it, perhaps):
 *    /sys/block/loopN/loop/backing_file names it.
 * A program that opens the disk without locking stays invisible
 * (docs/installer.md, "Limits").
 */
static void refuse_busy_block_device(struct disk *d)
{
	char dir[64], line[512];
	unsigned parts[64], nparts = 0, maj, min;
	struct dirent *e;
	DIR *sys;
	FILE *f;

	d->excl_fd = open(d->path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (d->excl_fd < 0 && errno == EBUSY)
		die(EXIT_UNSAFE, "%s: is in use: mounted, or held by another program (EBUSY); "
		    "unmount it first", d->path);
	/* The partitions: /sys/dev/block/MAJ:MIN/NAME/dev for each NAME that
	 * has a "partition" file. */
	snprintf(dir, sizeof dir, "/sys/dev/block/%u:%u", major(d->st.st_rdev), minor(d->st.st_rdev));
	sys = opendir(dir);
	while (sys && (e = readdir(sys)) && nparts < 64) {
		char path[PATH_MAX];

		snprintf(path, sizeof path, "%s/%s/dev", dir, e->d_name);
		f = fopen(path, "r");
		if (f && fscanf(f, "%u:%u", &maj, &min) == 2)
			parts[nparts++] = (unsigned)makedev(maj, min);
		if (f)
			fclose(f);
	}
	if (sys)
		closedir(sys);
	/* mountinfo's third field is the mounted device's MAJ:MIN. */
	f = fopen("/proc/self/mountinfo", "r");
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "%*u %*u %u:%u", &maj, &min) == 2)
			for (unsigned i = 0; i < nparts; i++)
				if (parts[i] == (unsigned)makedev(maj, min))
					die(EXIT_UNSAFE, "%s: is in use: partition %u:%u is mounted; "
					    "unmount it first", d->path, maj, min);
	if (f)
		fclose(f);
}

static void die_locked(const struct disk *d) __attribute__((noreturn));
static void die_locked(const struct disk *d)
{
	die(EXIT_UNSAFE, "%s: is in use: another program (a running VM?) holds a lock on it", d->path);
}

static void refuse_busy_image(const struct disk *d)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
	char path[PATH_MAX], backing[PATH_MAX];
	struct dirent *e;
	struct stat st;
	DIR *sys;

	if (fcntl(d->fd, F_OFD_GETLK, &fl) == 0 && fl.l_type != F_UNLCK)
		die_locked(d);
	sys = opendir("/sys/block");
	while (sys && (e = readdir(sys))) {
		FILE *f;
		char *end;

		if (strncmp(e->d_name, "loop", 4))
			continue;
		snprintf(path, sizeof path, "/sys/block/%s/loop/backing_file", e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(backing, sizeof backing, f)) {
			backing[strcspn(backing, "\n")] = '\0';
			end = strstr(backing, " (deleted)");
			if (end)
				*end = '\0';
			if (stat(backing, &st) == 0 && st.st_dev == d->st.st_dev && st.st_ino == d->st.st_ino)
				die(EXIT_UNSAFE, "%s: is attached to /dev/%s; detach it first (losetup -d /dev/%s)",
				    d->path, e->d_name, e->d_name);
		}
		fclose(f);
	}
	if (sys)
		closedir(sys);
}

/*
 * Stage 1, the stage 2 sectors and the backup format all count 512-byte
 * sectors; on a disk with 4096-byte logical sectors (some USB and NVMe
 * disks, `losetup --sector-size 4096`) LBA 1 is byte 4096, and a BIOS
 * reading it would find nothing where stage 1 looks.  Refuse rather than
 * write a disk that cannot boot.
 */
static void refuse_large_sectors(const struct disk *d)
{
	int size;

	if (ioctl(d->fd, BLKSSZGET, &size) < 0)
		die(EXIT_IO, "%s: cannot get the device's sector size: %s", d->path, strerror(errno));
	if (size != SECTOR_SIZE)
		die(EXIT_UNSAFE, "%s: has %d-byte logical sectors; smartboot (stage 1, the installer, the "
		    "backup) works with %d-byte sectors only", d->path, size, SECTOR_SIZE);
}

/*
 * The disk is what its name gives: an image file or a block device, found
 * through links (/dev/disk/by-id/... are links).  A link is said aloud, as
 * one planted at an image's name could send a root install to a real disk.
 * O_NONBLOCK so a FIFO at that name cannot hang us before it is refused.
 */
static void disk_open(struct disk *d, const char *path)
{
	struct stat link;
	char target[PATH_MAX];
	ssize_t len;

	d->path = path;
	d->excl_fd = -1;
	d->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (d->fd < 0)
		die(EXIT_IO, "%s: cannot open: %s", path, strerror(errno));
	if (fstat(d->fd, &d->st) < 0)
		die(EXIT_IO, "%s: cannot stat: %s", path, strerror(errno));
	if (lstat(path, &link) == 0 && S_ISLNK(link.st_mode) &&
	    (len = readlink(path, target, sizeof target - 1)) > 0) {
		target[len] = '\0';
		warn("%s: is a symbolic link to %s", path, target);
	}
	d->bytes = 0;
	if (S_ISDIR(d->st.st_mode)) {
		die(EXIT_USAGE, "%s: is a directory, not a disk", path);
	} else if (S_ISREG(d->st.st_mode)) {
		d->bytes = (uint64_t)d->st.st_size;
		refuse_busy_image(d);
	} else if (S_ISBLK(d->st.st_mode)) {
		if (ioctl(d->fd, BLKGETSIZE64, &d->bytes) < 0)
			die(EXIT_IO, "%s: cannot get the device's size: %s", path, strerror(errno));
		refuse_partition_device(d);
		refuse_large_sectors(d);
		refuse_busy_block_device(d);
	} else {
		die(EXIT_USAGE, "%s: is neither an image file nor a block device", path);
	}
	/* A partial last sector of an image file is not a sector. */
	d->sectors = d->bytes / SECTOR_SIZE;
	if (S_ISREG(d->st.st_mode) && d->sectors == 0)
		die(EXIT_UNSAFE, "%s: is %" PRIu64 " bytes, less than one sector: not a disk", path, d->bytes);
}

/*
 * Until now the disk was open read-only, so a refusal or a dry run never
 * opens it for writing: closing a block device that was open for writing
 * makes udev re-probe it, even if nothing was written.  Reopening by name
 * must find the same file or device.
 */
static void disk_reopen_rw(struct disk *d)
{
	struct stat st;
	int fd = open(d->path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die(EXIT_IO, "%s: cannot open for writing: %s", d->path, strerror(errno));
	if (fstat(fd, &st) < 0)
		die(EXIT_IO, "%s: cannot stat: %s", d->path, strerror(errno));
	if (st.st_dev != d->st.st_dev || st.st_ino != d->st.st_ino || st.st_rdev != d->st.st_rdev)
		die(EXIT_IO, "%s: is no longer the file we checked (replaced while we ran?)", d->path);
	/* Our own lock from here to the exit: a VM started now fails to lock
	 * the image instead of reading it half written. */
	if (S_ISREG(st.st_mode)) {
		struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };

		if (fcntl(fd, F_OFD_SETLK, &fl) < 0)
			die_locked(d);
	}
	close(d->fd);
	d->fd = fd;
}

static void disk_read(const struct disk *d, uint64_t lba, unsigned count, void *buf)
{
	if (transfer(d->fd, buf, (size_t)count * SECTOR_SIZE, lba * SECTOR_SIZE, 0) < 0) {
		if (errno == 0)
			die(EXIT_IO, "%s: ends before LBA %" PRIu64 "+%u", d->path, lba, count);
		die(EXIT_IO, "%s: read error at LBA %" PRIu64 ": %s", d->path, lba, strerror(errno));
	}
}

/* Write len bytes at the start of sector lba (len < 512 only for the MBR). */
static void disk_write(const struct disk *d, uint64_t lba, const void *buf, size_t len)
{
	if (transfer(d->fd, (void *)buf, len, lba * SECTOR_SIZE, 1) < 0)
		die(EXIT_IO, "%s: write error at LBA %" PRIu64 ": %s", d->path, lba,
		    errno ? strerror(errno) : "no progress");
}

static void disk_sync(const struct disk *d, const char *what)
{
	if (fsync(d->fd) < 0)
		die(EXIT_IO, "%s: fsync after writing %s: %s", d->path, what, strerror(errno));
}

/*
 * Read back len bytes at sector lba and compare with want.  Our own writes
 * are in the page cache, and reading them from there would verify nothing,
 * so drop the cached pages first (after the fsync, they are clean).  It is
 * advice the kernel may ignore; then we compare against the cache, which is
 * still a check of what the fsync'd writes contained.
 */
static void disk_verify(const struct disk *d, uint64_t lba, const uint8_t *want, size_t len,
			const char *hint)
{
	unsigned count = (unsigned)((len + SECTOR_SIZE - 1) / SECTOR_SIZE);
	uint8_t *got = xmalloc((size_t)count * SECTOR_SIZE);

	(void)posix_fadvise(d->fd, (off_t)(lba * SECTOR_SIZE), (off_t)count * SECTOR_SIZE,
			    POSIX_FADV_DONTNEED);
	disk_read(d, lba, count, got);
	for (size_t i = 0; i < len; i++)
		if (got[i] != want[i])
			die(EXIT_VERIFY, "%s: verify failed: LBA %" PRIu64 " byte %zu reads 0x%02X, "
			    "we wrote 0x%02X; %s", d->path, lba + i / SECTOR_SIZE, i % SECTOR_SIZE,
			    got[i], want[i], hint);
	free(got);
}

static int all_zero(const uint8_t *p, size_t len)
{
	while (len--)
		if (*p++)
			return 0;
	return 1;
}

/* ---- the stage files --------------------------------------------------- */

static void load_stage1(const char *path, struct stages *s)
{
	size_t len;
	uint8_t *buf = read_file(path, "stage 1 file", &len);

	if (len != SECTOR_SIZE)
		die(EXIT_BADFILE, "stage 1 file %s: is %s%zu bytes; stage 1 must be exactly %d",
		    path, len > STAGE_FILE_MAX ? "over " : "", len, SECTOR_SIZE);
	if (buf[510] != MBR_BOOT_SIGNATURE_0 || buf[511] != MBR_BOOT_SIGNATURE_1)
		die(EXIT_BADFILE, "stage 1 file %s: does not end in 0x55AA (found 0x%02X%02X)",
		    path, buf[510], buf[511]);
	memcpy(s->stage1, buf, SECTOR_SIZE);
	free(buf);
}

static void load_stage2(const char *path, struct stages *s)
{
	size_t len;
	uint8_t *buf = read_file(path, "stage 2 file", &len);
	const struct stage2_header *h = (const struct stage2_header *)buf;
	uint16_t sum = 0;

	if (len < offsetof(struct stage2_header, payload_addr) ||
	    memcmp(h->magic, STAGE2_MAGIC, sizeof(h->magic)) != 0)
		die(EXIT_BADFILE, "stage 2 file %s: no \"" STAGE2_MAGIC "\" magic at offset 4: "
		    "not a smartboot stage 2", path);
	if (len > (size_t)STAGE2_MAX_SECTORS * SECTOR_SIZE)
		die(EXIT_BADFILE, "stage 2 file %s: is %s%zu bytes, over the %d bytes (%d sectors) "
		    "stage 1 can load (docs/layout.md)", path, len > STAGE_FILE_MAX ? "over " : "",
		    len, STAGE2_MAX_SECTORS * SECTOR_SIZE, STAGE2_MAX_SECTORS);

	s->n = (unsigned)((len + SECTOR_SIZE - 1) / SECTOR_SIZE);
	s->stage2_bytes = len;
	s->stage2 = xmalloc((size_t)s->n * SECTOR_SIZE);	/* zeroed: the padding */
	memcpy(s->stage2, buf, len);
	free(buf);
	/* Stage 1 adds every word it loaded and compares with this. */
	for (size_t i = 0; i < (size_t)s->n * SECTOR_SIZE; i += 2)
		sum = (uint16_t)(sum + get_le16(s->stage2 + i));
	s->checksum = sum;
}

/* Sector 0 as it will be: the disk's, with stage 1's code and the patch
 * fields in bytes 0..439. */
static void make_mbr(const struct stages *s, const struct mbr *disk_mbr, uint64_t lba, struct mbr *out)
{
	*out = *disk_mbr;
	memcpy(out->code, s->stage1, sizeof out->code);
	put_le32(out->stage2_lba, (uint32_t)lba);	/* check_gpt: below 2^32 */
	put_le16(out->stage2_sectors, (uint16_t)s->n);
	put_le16(out->stage2_checksum, s->checksum);
}

/* ---- the checks -------------------------------------------------------- */

/*
 * The partition table is read by stage 2's own reader (stage2/part/, built
 * in: one parser for both), through this adapter.  A read past the end of
 * the disk fails softly, so the reader can say which table points there;
 * an I/O error stops the installer as any other read does.
 */
struct table_dev {
	struct blockdev dev;
	const struct disk *disk;
};

static int table_read(struct blockdev *dev, uint64_t lba, uint32_t count, void *buf)
{
	const struct disk *d = ((struct table_dev *)dev)->disk;

	if (d->sectors && (lba >= d->sectors || count > d->sectors - lba))
		return -1;
	disk_read(d, lba, count, buf);
	return 0;
}

static void read_table(const struct disk *d, struct part_table *t)
{
	struct table_dev dev = { { table_read, 0, d->sectors, d->path, 512 }, d };

	if (part_read(&dev.dev, t) < 0)
		die(EXIT_UNSAFE, "%s: %s", d->path, t->message);
}

/* Where stage 2 goes: the gap after the MBR of a DOS disk, or the BIOS boot
 * partition of a GPT disk (as GRUB puts its core.img there). */
struct placement {
	uint64_t lba;		/* first sector for stage 2 */
	uint64_t room;		/* sectors there; 0 with first_partition 0: unknown */
	uint64_t first_partition;	/* DOS: the lowest partition start, 0 if none */
	const struct part_info *bios_boot;	/* GPT: the partition, else NULL */
	int pmbr_slot;		/* GPT: the protective entry's slot in the MBR (0-3) */
};

/*
 * Is sector 0 an MBR with a DOS partition table we can trust?  Sets the
 * lowest partition start (0 when there are no partitions).  Type-0 entries
 * are unused and ignored; every other primary entry must have a valid boot
 * flag, start after the MBR, have sectors, lie inside the disk when its size
 * is known, and overlap no other primary; the reader has already checked
 * that the logical partitions lie inside their extended partition.
 */
static void check_dos(const struct disk *d, const struct part_table *t, struct placement *pl)
{
	uint64_t start[MBR_PARTITION_COUNT], end[MBR_PARTITION_COUNT], lowest = 0;
	int n = 0;

	for (int i = 0; i < t->count && !t->part[i].logical; i++, n++) {
		const struct part_info *p = &t->part[i];

		if (p->attributes != PART_INACTIVE && p->attributes != PART_ACTIVE)
			die(EXIT_UNSAFE, "%s: partition %d: boot flag 0x%02X is neither 0x00 nor 0x80: "
			    "the partition table looks damaged", d->path, p->number, (unsigned)p->attributes);
		start[n] = p->start;
		end[n] = p->start + p->sectors;		/* exclusive; no overflow in 64 bits */
		if (start[n] == 0)
			die(EXIT_UNSAFE, "%s: partition %d starts at LBA 0, on top of the MBR: "
			    "the partition table looks damaged", d->path, p->number);
		if (end[n] == start[n])
			die(EXIT_UNSAFE, "%s: partition %d (type 0x%02X) has 0 sectors: "
			    "the partition table looks damaged", d->path, p->number, p->mbr_type);
		if (d->sectors && end[n] > d->sectors)
			die(EXIT_UNSAFE, "%s: partition %d (LBA %" PRIu64 "..%" PRIu64 ") ends past the end "
			    "of the disk (%" PRIu64 " sectors)", d->path, p->number, start[n], end[n] - 1, d->sectors);
		for (int j = 0; j < n; j++)
			if (start[n] < end[j] && start[j] < end[n])
				die(EXIT_UNSAFE, "%s: partitions %d (LBA %" PRIu64 "..%" PRIu64 ") and %d "
				    "(LBA %" PRIu64 "..%" PRIu64 ") overlap", d->path, t->part[j].number, start[j],
				    end[j] - 1, p->number, start[n], end[n] - 1);
		if (!lowest || start[n] < lowest)
			lowest = start[n];
	}
	/* Stage 2 goes in the gap: LBA 1 up to the first partition (or the end
	 * of a disk without partitions). */
	pl->lba = STAGE2_LBA;
	pl->first_partition = lowest;
	pl->room = lowest ? lowest - STAGE2_LBA : d->sectors ? d->sectors - STAGE2_LBA : 0;
}

/* Where the sgdisk line of the hint puts a BIOS boot partition: the 1 MiB
 * at 1 MiB that Debian's installer and GRUB's manual use. */
#define BIOS_BOOT_HINT_FIRST	2048
#define BIOS_BOOT_HINT_LAST	4095

/* The sgdisk line that makes a BIOS boot partition: the first free number,
 * and LBA BIOS_BOOT_HINT_FIRST..LAST when no partition is there. */
static const char *bios_boot_hint(const struct disk *d, const struct part_table *t)
{
	static char hint[PATH_MAX + 160];
	int number = 1;
	int taken = 0;

	while (part_find(t, number))
		number++;
	for (int i = 0; i < t->count; i++)
		if (t->part[i].start <= BIOS_BOOT_HINT_LAST &&
		    t->part[i].start + t->part[i].sectors > BIOS_BOOT_HINT_FIRST)
			taken = 1;
	if (taken)
		snprintf(hint, sizeof hint, "sgdisk -n %d:START:END -t %d:EF02 %s, with START..END 1 MiB of "
			 "free space (sgdisk -p %s lists the partitions)", number, number, d->path, d->path);
	else
		snprintf(hint, sizeof hint, "sgdisk -n %d:%d:%d -t %d:EF02 %s", number, BIOS_BOOT_HINT_FIRST,
			 BIOS_BOOT_HINT_LAST, number, d->path);
	return hint;
}

/*
 * A GPT disk: stage 2 goes into the BIOS boot partition (type EF02, the
 * first if there are several), which must be there and large enough.  A
 * hybrid MBR is refused: its MBR entries duplicate GPT partitions, and a tool
 * that changes one table and not the other damages the disk; a GPT read
 * from its backup is refused until it is repaired.
 */
static void check_gpt(const struct disk *d, const struct mbr *m, const struct part_table *t,
		      unsigned n, struct placement *pl)
{
	static const uint8_t bios_boot[16] = GPT_TYPE_BIOS_BOOT;

	if (t->hybrid)
		die(EXIT_UNSAFE, "%s: has a hybrid MBR (GPT, and MBR entries for some of its partitions): "
		    "smartboot does not install on it, because a tool that updates one table and not the "
		    "other damages the disk; make it a plain protective MBR first (gdisk %s: x, n, w)",
		    d->path, d->path);
	if (t->from_backup)
		die(EXIT_UNSAFE, "%s: %s: repair the GPT first (gdisk %s: r, b, w)", d->path, t->message, d->path);
	for (int i = 0; i < t->count && !pl->bios_boot; i++)
		if (part_guid_equal(t->part[i].type_guid, bios_boot))
			pl->bios_boot = &t->part[i];
	for (int i = 0; i < MBR_PARTITION_COUNT; i++)
		if (m->part[i].type == PART_TYPE_GPT) {
			pl->pmbr_slot = i;
			break;
		}
	if (!pl->bios_boot)
		die(EXIT_NOFIT, "%s: is a GPT disk without a BIOS boot partition (type EF02) to hold "
		    "stage 2; make one of 1 MiB: %s", d->path, bios_boot_hint(d, t));
	pl->lba = pl->bios_boot->start;
	pl->room = pl->bios_boot->sectors;
	if (pl->room < n)
		die(EXIT_NOFIT, "%s: the BIOS boot partition (partition %d, LBA %" PRIu64 "..%" PRIu64
		    ") has %" PRIu64 " sectors but stage 2 needs %u; make it larger (1 MiB, 2048 "
		    "sectors, is usual)", d->path, pl->bios_boot->number, pl->lba, pl->lba + pl->room - 1,
		    pl->room, n);
	/* Stage 1 keeps stage 2's LBA in 32 bits (mbr.h: stage2_lba). */
	if (pl->lba + n > UINT32_MAX)
		die(EXIT_NOFIT, "%s: the BIOS boot partition (partition %d) starts at LBA %" PRIu64
		    ", past the 2 TiB stage 1 can reach; put it at the start of the disk",
		    d->path, pl->bios_boot->number, pl->lba);
}

/* Read and check the partition table, and decide where stage 2 goes. */
static void check_table(const struct disk *d, const struct mbr *m, struct part_table *t, unsigned n,
			struct placement *pl)
{
	if (m->boot_signature[0] != MBR_BOOT_SIGNATURE_0 || m->boot_signature[1] != MBR_BOOT_SIGNATURE_1)
		die(EXIT_UNSAFE, "%s: sector 0 does not end in 0x55AA (found 0x%02X%02X): "
		    "no MBR partition table here", d->path, m->boot_signature[0], m->boot_signature[1]);
	read_table(d, t);
	memset(pl, 0, sizeof *pl);
	if (t->scheme == PART_SCHEME_GPT)
		check_gpt(d, m, t, n, pl);
	else
		check_dos(d, t, pl);
}

/* Stage 2 fits in the gap after the MBR (a GPT's partition was checked). */
static void check_fit(const struct disk *d, const struct placement *pl, unsigned n)
{
	if (pl->bios_boot)
		return;
	if (!pl->first_partition && !pl->room)
		die(EXIT_UNSAFE, "%s: has no partitions and its size is unknown: cannot tell how "
		    "much room there is for stage 2", d->path);
	if (n > pl->room) {
		if (pl->first_partition)
			die(EXIT_NOFIT, "%s: stage 2 needs %u sectors but the gap before the first "
			    "partition (LBA %" PRIu64 ") has %" PRIu64, d->path, n, pl->first_partition, pl->room);
		die(EXIT_NOFIT, "%s: stage 2 needs %u sectors but the disk has %" PRIu64
		    " after the MBR", d->path, n, pl->room);
	}
}

/*
 * How many sectors from lba (1, or a GPT's BIOS boot partition) hold an
 * earlier smartboot stage 2: none unless its first sector carries the magic; then what the MBR's patch fields say.  A magic
 * without matching patch fields is an install that stopped between writing
 * stage 2 and stage 1 (that is the order we write in), and its length is
 * unknown, so the whole area counts as ours.
 */
static uint64_t earlier_stage2_sectors(const struct mbr *m, const uint8_t *sector1, uint64_t lba)
{
	const struct stage2_header *h = (const struct stage2_header *)sector1;
	unsigned n = get_le16(m->stage2_sectors);

	if (memcmp(h->magic, STAGE2_MAGIC, sizeof(h->magic)) != 0)
		return 0;
	if (get_le32(m->stage2_lba) == lba && n >= 1 && n <= STAGE2_MAX_SECTORS)
		return n;
	return UINT64_MAX;
}

/* The sectors stage 2 will occupy (cur, LBA lba..lba+n-1) must hold zeros or
 * an earlier smartboot stage 2: anything else may be another tool's data
 * (GRUB's core.img in a BIOS boot partition, for one). */
static void check_free(const struct disk *d, const struct mbr *m, const uint8_t *cur, uint64_t lba,
		       unsigned n, int force)
{
	uint64_t ours = earlier_stage2_sectors(m, cur, lba);
	uint64_t first = 0;
	unsigned foreign = 0;

	for (unsigned i = 0; i < n; i++)
		if (i >= ours && !all_zero(cur + (size_t)i * SECTOR_SIZE, SECTOR_SIZE) && !foreign++)
			first = lba + i;
	if (!foreign)
		return;
	if (!force)
		die(EXIT_UNSAFE, "%s: LBA %" PRIu64 " holds data that is neither zeros nor an earlier "
		    "smartboot stage 2 (%u of the sectors stage 2 would occupy, LBA %" PRIu64 "..%" PRIu64
		    ", do); another boot loader or tool may keep data there. --force overwrites it (after "
		    "saving it in the backup)", d->path, first, foreign, lba, lba + n - 1);
	warn("%s: --force: overwriting %u sectors of foreign data from LBA %" PRIu64
	     " (saved in the backup)", d->path, foreign, first);
}

/*
 * A filesystem or volume made on the whole disk (fsdetect.h) starts at byte
 * 0: the MBR and the gap lie inside it, so nothing may be written, --force
 * or not.  A FAT boot sector even ends in 0x55AA, and its partition entries
 * are boot code, often zeros: without this check it passes for an MBR with
 * no partitions.
 *
 * Where to look: on a disk without a partition table, the first
 * FSDETECT_BYTES.  On a disk with one, only the bytes this run would write
 * (0 .. write_end): a signature there is a filesystem we would damage, live
 * or not (mkfs.ext4 on the whole disk leaves an old MBR in sector 0, and
 * its superblock at 1024 is in the gap); one past them belongs to a
 * filesystem the partition table has replaced (an ISO once written to a
 * USB stick), or to one we do not touch; and sector 0's BIOS parameter
 * block, which boot loaders keep, says nothing (fsdetect.h).  A disk that
 * carries smartboot
 * (LBA 1 has its magic) is skipped: those sectors are ours, and stage 2's
 * bytes must not be taken for a signature.  what: "installing", "restoring".
 */
static void refuse_whole_disk_filesystem(const struct disk *d, const struct mbr *cur0, uint64_t write_end,
					 const char *what)
{
	uint64_t sectors = FSDETECT_BYTES / SECTOR_SIZE;
	int partitioned = 0;
	struct fs_found fs;
	uint8_t *buf;

	/* A look at the table, not a check of it (check_mbr() does that). */
	if (cur0->boot_signature[0] == MBR_BOOT_SIGNATURE_0 && cur0->boot_signature[1] == MBR_BOOT_SIGNATURE_1)
		for (int p = 0; p < MBR_PARTITION_COUNT; p++)
			partitioned |= cur0->part[p].type != PART_TYPE_EMPTY;
	if (partitioned && write_end < (uint64_t)sectors * SECTOR_SIZE)
		sectors = (write_end + SECTOR_SIZE - 1) / SECTOR_SIZE;
	if (d->sectors && d->sectors < sectors)
		sectors = d->sectors;
	buf = xmalloc((size_t)sectors * SECTOR_SIZE);
	disk_read(d, 0, (unsigned)sectors, buf);
	if (!(sectors > STAGE2_LBA && earlier_stage2_sectors(cur0, buf + STAGE2_LBA * SECTOR_SIZE, STAGE2_LBA)) &&
	    fsdetect(buf, (size_t)sectors * SECTOR_SIZE, partitioned, &fs))
		die(EXIT_UNSAFE, "%s: holds a filesystem or volume made on the whole disk: %s (its signature "
		    "at byte %" PRIu64 "); %s would overwrite it, so nothing is written, even with --force",
		    d->path, fs.name, fs.offset, what);
	free(buf);
}

/*
 * 0x55AA and an empty partition table: a freshly labelled disk, or a
 * filesystem on the whole disk that refuse_whole_disk_filesystem() does not
 * know.  smartboot boots from a partition, so there is nothing to gain and
 * maybe a filesystem to lose: only with --force.
 */
static void refuse_unpartitioned(const struct disk *d, uint64_t first_partition, int force)
{
	if (first_partition)
		return;
	if (!force)
		die(EXIT_UNSAFE, "%s: has no partitions: it may hold a filesystem made on the whole disk "
		    "(none that we know was found), which installing would overwrite; smartboot boots "
		    "from a partition: partition the disk first, or --force installs anyway", d->path);
	warn("%s: --force: installing on a disk without partitions", d->path);
}

/* ---- the backup -------------------------------------------------------- */

enum backup_plan {
	BACKUP_NEW,		/* no backup file: write one */
	BACKUP_EXTEND,		/* add sectors to an existing one, keeping its older bytes */
	BACKUP_KEEP,		/* the existing one already holds every sector */
};

/* Read and decode a backup file; *exists = 0 if there is none (then b is
 * left empty). */
static void load_backup(const char *path, struct backup *b, int *exists)
{
	/* O_NOFOLLOW: a link planted at the backup's name must not make us
	 * read (and then extend, and rename over) a file it points to;
	 * O_NONBLOCK: a FIFO there must not hang us before the S_ISREG check. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	uint8_t *buf;
	const char *why;

	memset(b, 0, sizeof *b);
	*exists = fd >= 0 || errno != ENOENT;
	if (!*exists)
		return;
	if (fd < 0 && errno == ELOOP)
		die_symlink(path, "backup");
	if (fd < 0)
		die(EXIT_IO, "backup %s: cannot open: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0)
		die(EXIT_IO, "backup %s: cannot stat: %s", path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		die(EXIT_BACKUP, "backup %s: is not a regular file", path);
	if ((uint64_t)st.st_size > (uint64_t)BACKUP_MAX_SECTORS * (SECTOR_SIZE + 8) + 64)
		die(EXIT_BACKUP, "backup %s: is %lld bytes, too large to be a smartboot backup",
		    path, (long long)st.st_size);
	buf = xmalloc((size_t)st.st_size);
	if (transfer(fd, buf, (size_t)st.st_size, 0, 0) < 0)
		die(EXIT_IO, "backup %s: read error: %s", path, errno ? strerror(errno) : "file shrank");
	close(fd);
	why = backup_decode(buf, (size_t)st.st_size, b);
	if (why)
		die(EXIT_BACKUP, "backup %s: %s", path, why);
	free(buf);
}

/* Does the disk hold exactly what b saved (sector 0: bytes 0..439 only)?
 * Then extending b loses nothing: the disk was restored, or never changed. */
static int disk_matches_backup(const struct disk *d, const struct backup *b)
{
	uint8_t sector[SECTOR_SIZE];

	for (uint32_t i = 0; i < b->count; i++) {
		if (d->sectors && b->lba[i] >= d->sectors)
			return 0;
		disk_read(d, b->lba[i], 1, sector);
		if (memcmp(sector, b->data + (size_t)i * SECTOR_SIZE, b->lba[i] ? SECTOR_SIZE : MBR_OURS))
			return 0;
	}
	return 1;
}

/*
 * The backup this install keeps in b: sector 0 and the n sectors from lba
 * (stage 2's place) as they are now,
 * merged into the existing backup file when it is one we may extend.  Its
 * older bytes win, so after any number of installs it still holds the disk
 * as it was before the first.  We may extend it only when it is a backup of
 * this disk (same disk signature and size) and either the disk carries
 * smartboot (sector 1 has the magic: the backup's bytes are the ones we
 * replaced) or the disk still holds exactly what it saved (it was restored,
 * or never changed).  Anything else may be the only copy of someone's
 * sectors, or belong to another disk: refuse.
 */
static enum backup_plan plan_backup(const struct disk *d, const char *path, const struct mbr *cur0,
				    const uint8_t *cur, uint64_t lba, unsigned n, struct backup *b)
{
	uint32_t signature = get_le32(cur0->disk_signature);
	int exists, added = 0;

	load_backup(path, b, &exists);
	if (exists && (b->disk_signature != signature || b->disk_bytes != d->bytes))
		die(EXIT_BACKUP, "backup %s: exists and is a backup of another disk (signature 0x%08"
		    PRIX32 ", %" PRIu64 " bytes; %s: 0x%08" PRIX32 ", %" PRIu64 " bytes): refusing to "
		    "overwrite it; move it away or choose another file with --backup", path,
		    b->disk_signature, b->disk_bytes, d->path, signature, d->bytes);
	if (exists && !earlier_stage2_sectors(cur0, cur, lba) && !disk_matches_backup(d, b))
		die(EXIT_BACKUP, "backup %s: exists, but %s no longer carries smartboot and differs "
		    "from it: it may be the only copy of the original sectors; restore it "
		    "(--restore) or move it away first", path, d->path);

	b->disk_signature = signature;
	b->disk_bytes = d->bytes;
	for (unsigned i = 0; i <= n; i++) {
		int r = backup_add(b, i ? lba + i - 1 : 0,
				   i ? cur + (size_t)(i - 1) * SECTOR_SIZE : (const uint8_t *)cur0);

		if (r < 0)
			die(EXIT_IO, "out of memory");
		added |= r;
	}
	if (!exists)
		return BACKUP_NEW;
	return added ? BACKUP_EXTEND : BACKUP_KEEP;
}

/* Write the backup beside its final name (created new: create_new()),
 * fsync, rename over it and fsync the directory: the old backup is replaced
 * whole or not at all.  rename() replaces a link at path, never the file it
 * points to. */
static void write_backup(const char *path, const struct backup *b)
{
	size_t len = backup_size(b);
	uint8_t *buf = xmalloc(len);
	char *tmp = concat(path, ".tmp");
	struct stat mine, named;
	int fd;

	backup_encode(b, buf);
	fd = create_new(tmp, "backup");
	if (transfer(fd, buf, len, 0, 1) < 0 || fsync(fd) < 0 || fstat(fd, &mine) < 0 || close(fd) < 0) {
		int e = errno;

		unlink(tmp);
		die(EXIT_IO, "backup %s: write error: %s (the disk was not touched)", tmp, strerror(e));
	}
	/* The name must still be our file: someone who can write the
	 * directory could have renamed another file to it meanwhile. */
	if (lstat(tmp, &named) < 0 || named.st_dev != mine.st_dev || named.st_ino != mine.st_ino)
		die(EXIT_BACKUP, "backup %s: was replaced by another file while we wrote it: refusing "
		    "to use it (the disk was not touched)", tmp);
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		die(EXIT_IO, "backup %s: cannot rename %s to it: %s (the disk was not touched)",
		    path, tmp, strerror(e));
	}
	fsync_directory_of(path, "backup");
	free(buf);
	free(tmp);
}

/* ---- install and restore ----------------------------------------------- */

/* The reason --backup is required for a block device (default_backup())
 * holds for any RAM filesystem: say so when the backup of a real disk would
 * live on one.  (An image in /tmp shares its backup's fate, so no word.) */
static void warn_backup_in_ram(const struct disk *d, const char *backup)
{
	char *dir = directory_of(backup);
	struct statfs fs;

	if (S_ISBLK(d->st.st_mode) && statfs(dir, &fs) == 0 &&
	    (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC))
		warn("backup %s: is on a RAM filesystem (%s): it will be gone at the next boot, when it "
		     "may be needed; keep a copy on a real disk", backup, dir);
	free(dir);
}

static int install(const struct options *o)
{
	struct stages s;
	struct disk d;
	struct mbr cur0, new0;
	static struct part_table table;
	struct placement pl;
	struct backup b = { 0 };
	enum backup_plan plan;
	uint8_t *cur;
	uint64_t first, last;
	int set_active;
	char hint[PATH_MAX * 3 + 64], where[80];
	static const char *const plan_text[] = {
		[BACKUP_NEW]	= "",
		[BACKUP_EXTEND]	= " (extended; it keeps the bytes from before the first install)",
		[BACKUP_KEEP]	= " (kept; it already holds every sector written)",
	};

	load_stage1(o->stage1, &s);			/* 512 bytes, 0x55AA */
	load_stage2(o->stage2, &s);			/* SBT2, <= 62 sectors; pad, checksum */

	disk_open(&d, o->disk);				/* read-only until we write */
	disk_read(&d, 0, 1, &cur0);
	refuse_whole_disk_filesystem(&d, &cur0, (STAGE2_LBA + s.n) * SECTOR_SIZE, "installing");
	check_table(&d, &cur0, &table, s.n, &pl);	/* 0x55AA, a sane DOS table or GPT */
	refuse_unpartitioned(&d, pl.bios_boot ? pl.lba : pl.first_partition, o->force);
	check_fit(&d, &pl, s.n);			/* stage 2 fits in the gap */
	if (o->active_pmbr && !pl.bios_boot)
		die(EXIT_USAGE, "%s: --active-pmbr is for GPT disks; this one has a DOS partition table", d.path);
	first = pl.lba;
	last = pl.lba + s.n - 1;
	if (pl.bios_boot)
		snprintf(where, sizeof where, "LBA %" PRIu64 "..%" PRIu64 " (BIOS boot partition %d)",
			 first, last, pl.bios_boot->number);
	else
		snprintf(where, sizeof where, "LBA %" PRIu64 "..%" PRIu64, first, last);
	cur = xmalloc((size_t)s.n * SECTOR_SIZE);
	disk_read(&d, pl.lba, s.n, cur);
	check_free(&d, &cur0, cur, pl.lba, s.n, o->force);	/* zeros or an earlier smartboot */
	make_mbr(&s, &cur0, pl.lba, &new0);
	/* --active-pmbr: the only byte of the partition table we ever write. */
	set_active = o->active_pmbr && cur0.part[pl.pmbr_slot].status != PART_ACTIVE;
	if (set_active)
		new0.part[pl.pmbr_slot].status = PART_ACTIVE;

	/* Installing what is already there writes nothing, not even a backup. */
	if (!memcmp(&cur0, &new0, SECTOR_SIZE) && !memcmp(cur, s.stage2, (size_t)s.n * SECTOR_SIZE)) {
		printf(PROG ": %s: already installed (stage 2, %u sectors at %s; stage 1 in "
		       "the MBR): nothing written\n", d.path, s.n, where);
		goto out;
	}

	plan = plan_backup(&d, o->backup, &cur0, cur, pl.lba, s.n, &b);	/* may refuse */
	warn_backup_in_ram(&d, o->backup);
	if (o->dry_run) {
		printf(PROG ": %s: would write stage 2 (%u sectors, checksum 0x%04X) -> %s, "
		       "stage 1 -> MBR bytes 0-439%s; would %s backup %s (%s)\n", d.path, s.n, s.checksum,
		       where, set_active ? ", the active flag on the protective MBR entry" : "",
		       plan == BACKUP_NEW ? "save" : plan == BACKUP_EXTEND ? "extend" : "keep",
		       o->backup, lba_ranges(&b));
		printf(PROG ": dry run: nothing written\n");
		goto out;
	}
	if (plan == BACKUP_NEW && earlier_stage2_sectors(&cur0, cur, pl.lba))
		warn("%s: already carries smartboot; the new backup %s holds that install, not the "
		     "disk from before it", d.path, o->backup);
	if (plan != BACKUP_KEEP)
		write_backup(o->backup, &b);		/* on disk before the disk is touched */

	/* Stage 2 first, so the MBR never points at a stage 2 not yet written. */
	disk_reopen_rw(&d);
	disk_write(&d, pl.lba, s.stage2, (size_t)s.n * SECTOR_SIZE);
	disk_sync(&d, "stage 2");
	disk_write(&d, 0, &new0, MBR_OURS);		/* bytes 0..439, never more */
	disk_sync(&d, "stage 1");
	if (set_active) {
		/* One byte: the status of the protective entry, nothing else. */
		const uint8_t *status = &new0.part[pl.pmbr_slot].status;
		size_t offset = (size_t)(status - (const uint8_t *)&new0);

		if (transfer(d.fd, (void *)status, 1, offset, 1) < 0)
			die(EXIT_IO, "%s: write error at LBA 0 byte %zu: %s", d.path, offset,
			    errno ? strerror(errno) : "no progress");
		disk_sync(&d, "the active flag");
	}

	snprintf(hint, sizeof hint, "the sectors from before are in %s (" PROG " --restore %s %s)",
		 o->backup, o->backup, d.path);
	disk_verify(&d, pl.lba, s.stage2, (size_t)s.n * SECTOR_SIZE, hint);
	disk_verify(&d, 0, (const uint8_t *)&new0, set_active ? SECTOR_SIZE : MBR_OURS, hint);

	printf(PROG ": %s: stage 2 (%u sectors) -> %s, stage 1 -> MBR%s; backup in %s%s; "
	       "verified\n", d.path, s.n, where, set_active ? " (protective entry marked active)" : "",
	       o->backup, plan_text[plan]);
out:
	backup_free(&b);
	free(cur);
	free(s.stage2);
	close(d.fd);
	return EXIT_OK;
}

/* The backup is for this disk: its sectors exist, and (unless --force) the
 * disk signature and size are the ones it recorded. */
static void check_backup_fits_disk(const struct disk *d, const struct mbr *cur0,
				   const struct backup *b, const char *path, int force)
{
	uint32_t signature = get_le32(cur0->disk_signature);

	for (uint32_t i = 0; i < b->count; i++)
		if (d->sectors && b->lba[i] >= d->sectors)
			die(EXIT_BACKUP, "backup %s: holds LBA %" PRIu64 " but %s has only %" PRIu64
			    " sectors: not a backup of this disk", path, b->lba[i], d->path, d->sectors);
	if (b->disk_signature == signature && b->disk_bytes == d->bytes)
		return;
	if (!force)
		die(EXIT_BACKUP, "backup %s: was taken from a disk with signature 0x%08" PRIX32 " and %"
		    PRIu64 " bytes; %s has 0x%08" PRIX32 " and %" PRIu64 " bytes. If it is the same "
		    "disk, --force restores anyway", path, b->disk_signature, b->disk_bytes, d->path,
		    signature, d->bytes);
	warn("%s: --force: restoring a backup taken with signature 0x%08" PRIX32 " and %" PRIu64
	     " bytes", d->path, b->disk_signature, b->disk_bytes);
}

/* A sector we would restore must not now lie inside a partition: one made
 * after the install (or a GPT's entry array) would be damaged.  The one
 * exception is a GPT's BIOS boot partition: that is where the install put
 * stage 2, and what the backup holds is what was there before. */
static void check_restore_targets(const struct disk *d, const struct mbr *cur0,
				  const struct backup *b, const char *path, int force)
{
	static const uint8_t bios_boot[16] = GPT_TYPE_BIOS_BOOT;
	static struct part_table t;
	struct table_dev dev = { { table_read, 0, d->sectors, d->path, 512 }, d };

	if (cur0->boot_signature[0] != MBR_BOOT_SIGNATURE_0 || cur0->boot_signature[1] != MBR_BOOT_SIGNATURE_1)
		return;		/* no partition table to protect */
	if (part_read(&dev.dev, &t) < 0) {
		if (!force)
			die(EXIT_UNSAFE, "%s: %s: cannot tell whether restoring would damage a partition; "
			    "--force restores anyway", d->path, t.message);
		warn("%s: --force: restoring without a readable partition table", d->path);
		return;
	}
	for (int p = 0; p < t.count; p++) {
		const struct part_info *part = &t.part[p];
		char type[64];

		if (t.scheme == PART_SCHEME_GPT && part_guid_equal(part->type_guid, bios_boot))
			continue;
		if (t.scheme == PART_SCHEME_MBR && part->logical)
			continue;	/* inside its extended partition, checked as a whole */
		for (uint32_t i = 0; i < b->count; i++) {
			if (b->lba[i] == 0 || b->lba[i] < part->start || b->lba[i] - part->start >= part->sectors)
				continue;
			if (!force)
				die(EXIT_UNSAFE, "%s: LBA %" PRIu64 ", which backup %s would restore, is now "
				    "inside partition %d (LBA %" PRIu64 "..%" PRIu64 ", %s): restoring "
				    "would damage it; --force restores anyway", d->path, b->lba[i], path,
				    part->number, part->start, part->start + part->sectors - 1,
				    part_type_name(part, type, sizeof type));
			warn("%s: --force: restoring into partition %d", d->path, part->number);
			break;
		}
	}
	/* A GPT's own sectors (header and entries at LBA 1..33) are in no
	 * partition: a backup of an MBR-era install must not land on them. */
	if (t.scheme == PART_SCHEME_GPT)
		for (uint32_t i = 0; i < b->count; i++)
			if (b->lba[i] && b->lba[i] < t.first_usable) {
				if (!force)
					die(EXIT_UNSAFE, "%s: LBA %" PRIu64 ", which backup %s would restore, now holds "
					    "the GPT (LBA 1..%" PRIu64 "): restoring would damage it; --force "
					    "restores anyway", d->path, b->lba[i], path, t.first_usable - 1);
				warn("%s: --force: restoring over the GPT", d->path);
				break;
			}
}

/*
 * How many sectors from *lba hold the smartboot this disk's MBR boots: the
 * MBR's stage-1 fields (stage2_lba, stage2_sectors = n) and the sectors
 * agree, i.e. stage2_lba (1, or a GPT's BIOS boot partition) has the magic
 * and the 16-bit sum of its n sectors is the MBR's stage2_checksum, the test
 * stage 1 itself makes before it jumps.  0 if not.  (The checksum over every
 * sector says more than any field of stage 2's own header could.)
 */
static unsigned disk_carries_smartboot(const struct disk *d, const struct mbr *m, uint64_t *lba)
{
	unsigned n = get_le16(m->stage2_sectors);
	uint16_t sum = 0;
	uint8_t *s2;
	int ok;

	*lba = get_le32(m->stage2_lba);
	if (*lba < STAGE2_LBA || n < 1 || n > STAGE2_MAX_SECTORS || (d->sectors && *lba + n > d->sectors))
		return 0;
	s2 = xmalloc((size_t)n * SECTOR_SIZE);
	disk_read(d, *lba, n, s2);
	for (size_t i = 0; i < (size_t)n * SECTOR_SIZE; i += 2)
		sum = (uint16_t)(sum + get_le16(s2 + i));
	ok = !memcmp(((const struct stage2_header *)s2)->magic, STAGE2_MAGIC, STAGE2_MAGIC_LEN) &&
	     sum == get_le16(m->stage2_checksum);
	free(s2);
	return ok ? n : 0;
}

/*
 * The signature and size that check_backup_fits_disk() compares are often
 * the same on two disks (a zero signature, the same model), so a backup of
 * disk A could restore onto disk B and destroy B's gap.  So every sector a
 * restore would change must hold zeros or be smartboot's; a sector that
 * already holds the saved bytes is not changed.  smartboot's are:
 *  - sector 0 and the n sectors of the smartboot this disk carries
 *    (disk_carries_smartboot());
 *  - after an install that stopped between its two writes (stage 2 written,
 *    the MBR not yet): the gap, when its first sector (LBA 1, or on GPT the
 *    first sector saved after 0: the BIOS boot partition's) has the magic and
 *    sector 0 still holds what the backup saved (its length is unknown, as in
 *    check_free());
 *  - after a restore that stopped between its two writes (the gap restored,
 *    the MBR not yet): sector 0, when every saved gap sector is back and the
 *    MBR's stage2_lba points at that first sector.
 * So running the same install or restore again finishes either.  Anything
 * else is someone's data: only with --force (and save_before_restore()
 * keeps it).
 */
static void check_restore_overwrites(const struct disk *d, const struct mbr *cur0, const struct backup *b,
				     const char *path, int force)
{
	uint64_t ours_lba, gap = STAGE2_LBA;
	unsigned ours = disk_carries_smartboot(d, cur0, &ours_lba), foreign = 0;
	const uint8_t *saved0 = backup_find(b, 0);
	int gap_ours = 0, mbr_ours = ours != 0, gap_restored = 1;
	uint8_t sector[SECTOR_SIZE];
	uint64_t first = 0;

	for (uint32_t i = b->count; i-- > 0; ) {
		if (!b->lba[i])
			continue;
		gap = b->lba[i];			/* the lowest saved after 0, in the end */
		disk_read(d, b->lba[i], 1, sector);
		gap_restored &= !memcmp(sector, b->data + (size_t)i * SECTOR_SIZE, SECTOR_SIZE);
	}
	if (!ours && (!d->sectors || d->sectors > gap)) {
		disk_read(d, gap, 1, sector);
		gap_ours = saved0 && !memcmp(cur0, saved0, MBR_OURS) &&
			   !memcmp(((const struct stage2_header *)sector)->magic, STAGE2_MAGIC, STAGE2_MAGIC_LEN);
		mbr_ours = gap_restored && get_le32(cur0->stage2_lba) == gap;
	}

	for (uint32_t i = 0; i < b->count; i++) {
		size_t len = b->lba[i] ? SECTOR_SIZE : MBR_OURS;

		disk_read(d, b->lba[i], 1, sector);
		if (!memcmp(sector, b->data + (size_t)i * SECTOR_SIZE, len) || all_zero(sector, len))
			continue;
		if (b->lba[i] == 0 ? mbr_ours :
		    gap_ours || (ours && b->lba[i] >= ours_lba && b->lba[i] - ours_lba < ours))
			continue;
		if (!foreign++)
			first = b->lba[i];
	}
	if (!foreign)
		return;
	if (!force)
		die(EXIT_UNSAFE, "%s: LBA %" PRIu64 " holds data that is neither zeros nor the smartboot "
		    "installed on it (%u of the %" PRIu32 " sectors backup %s would restore do): it may not "
		    "be the disk the backup was taken from. --force restores anyway (after saving those "
		    "sectors in a " PRE_RESTORE_SUFFIX " file beside the backup)", d->path, first, foreign,
		    b->count, path);
	warn("%s: --force: restoring over %u sectors that are neither zeros nor smartboot, from LBA %"
	     PRIu64, d->path, foreign, first);
}

/*
 * Where save_before_restore() puts what a restore overwrites: BACKUP.pre-restore,
 * or .pre-restore.2, .3... when earlier restores left theirs (each one may
 * be the only copy of something).  A link at one of these names is refused,
 * not skipped: someone planted it.
 */
static char *pre_restore_path(const char *backup)
{
	char suffix[32];
	struct stat st;

	for (int i = 1; i <= PRE_RESTORE_MAX; i++) {
		char *path;

		if (i == 1)
			snprintf(suffix, sizeof suffix, PRE_RESTORE_SUFFIX);
		else
			snprintf(suffix, sizeof suffix, PRE_RESTORE_SUFFIX ".%d", i);
		path = concat(backup, suffix);
		if (lstat(path, &st) < 0 && errno == ENOENT)
			return path;
		if (S_ISLNK(st.st_mode))
			die_symlink(path, "pre-restore file");
		free(path);
	}
	die(EXIT_BACKUP, "backup %s: there are already %d " PRE_RESTORE_SUFFIX " files beside it: "
	    "move them away first", backup, PRE_RESTORE_MAX);
}

/*
 * Save every sector the restore will write, as it is now, in a new backup
 * file (the same format: --force --restore PATH DISK undoes the restore).
 * Created with create_new(), fsync'd with its directory, before the disk is
 * opened for writing.
 */
static void save_before_restore(const struct disk *d, const struct mbr *cur0, const struct backup *b,
				const char *path)
{
	struct backup now = { .disk_bytes = d->bytes, .disk_signature = get_le32(cur0->disk_signature) };
	uint8_t sector[SECTOR_SIZE];
	size_t len;
	uint8_t *buf;
	int fd;

	for (uint32_t i = 0; i < b->count; i++) {
		disk_read(d, b->lba[i], 1, sector);
		if (backup_add(&now, b->lba[i], sector) < 0)
			die(EXIT_IO, "out of memory");
	}
	len = backup_size(&now);
	buf = xmalloc(len);
	backup_encode(&now, buf);
	fd = create_new(path, "pre-restore file");
	if (transfer(fd, buf, len, 0, 1) < 0 || fsync(fd) < 0 || close(fd) < 0) {
		int e = errno;

		unlink(path);
		die(EXIT_IO, "pre-restore file %s: write error: %s (the disk was not touched)", path, strerror(e));
	}
	fsync_directory_of(path, "pre-restore file");
	backup_free(&now);
	free(buf);
}

static int restore(const struct options *o)
{
	struct backup b;
	struct disk d;
	struct mbr cur0;
	uint8_t sector[SECTOR_SIZE];
	int exists, same = 1;
	char hint[PATH_MAX + 64];
	char *saved;

	load_backup(o->backup, &b, &exists);
	if (!exists)
		die(EXIT_IO, "backup %s: cannot open: %s", o->backup, strerror(ENOENT));
	disk_open(&d, o->disk);
	disk_read(&d, 0, 1, &cur0);
	check_backup_fits_disk(&d, &cur0, &b, o->backup, o->force);
	check_restore_targets(&d, &cur0, &b, o->backup, o->force);

	for (uint32_t i = 0; i < b.count && same; i++) {
		disk_read(&d, b.lba[i], 1, sector);
		same = !memcmp(sector, b.data + (size_t)i * SECTOR_SIZE, b.lba[i] ? SECTOR_SIZE : MBR_OURS);
	}
	if (same) {
		printf(PROG ": %s: already holds what %s saved (%s): nothing written\n",
		       d.path, o->backup, lba_ranges(&b));
		return EXIT_OK;
	}
	refuse_whole_disk_filesystem(&d, &cur0, (b.lba[b.count - 1] + 1) * SECTOR_SIZE, "restoring");
	check_restore_overwrites(&d, &cur0, &b, o->backup, o->force);	/* zeros or this smartboot */
	saved = pre_restore_path(o->backup);
	if (o->dry_run) {
		printf(PROG ": %s: would restore %s from %s (LBA 0: bytes 0-439 only); would save what "
		       "it overwrites in %s\n", d.path, lba_ranges(&b), o->backup, saved);
		printf(PROG ": dry run: nothing written\n");
		return EXIT_OK;
	}
	save_before_restore(&d, &cur0, &b, saved);		/* on disk before the disk is touched */

	/* The gap first, fsync, then the MBR: until the MBR is written the
	 * disk boots smartboot's stage 1, which checks stage 2's checksum and
	 * stops cleanly on a half-restored gap.  The other order would leave
	 * a restored foreign boot sector (GRUB's boot.img, say), which checks
	 * nothing, jumping into a half-written gap. */
	disk_reopen_rw(&d);
	for (uint32_t i = 0; i < b.count; i++)
		if (b.lba[i])
			disk_write(&d, b.lba[i], b.data + (size_t)i * SECTOR_SIZE, SECTOR_SIZE);
	disk_sync(&d, "the restored gap");
	for (uint32_t i = 0; i < b.count; i++)
		if (!b.lba[i])
			disk_write(&d, 0, b.data + (size_t)i * SECTOR_SIZE, MBR_OURS);
	disk_sync(&d, "the restored MBR");

	snprintf(hint, sizeof hint, "%s is unchanged; try again", o->backup);
	for (uint32_t i = 0; i < b.count; i++)
		disk_verify(&d, b.lba[i], b.data + (size_t)i * SECTOR_SIZE,
			    b.lba[i] ? SECTOR_SIZE : MBR_OURS, hint);
	printf(PROG ": %s: restored %s from %s (LBA 0: bytes 0-439; the partition table is "
	       "left as it is); verified; what it overwrote is in %s\n", d.path, lba_ranges(&b),
	       o->backup, saved);
	free(saved);
	backup_free(&b);
	close(d.fd);
	return EXIT_OK;
}

/* ---- the command line -------------------------------------------------- */

static void usage_error(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(" PROG " --help for usage)\n", stderr);
	exit(EXIT_USAGE);
}

/*
 * The backup's default name, DISK.smartboot-backup, suits an image file: it
 * lies beside it.  For a block device it would be /dev/sdb.smartboot-backup,
 * and /dev is a devtmpfs, in memory: the only copy of the overwritten
 * sectors would be gone at the next boot, when it is needed.  So a block
 * device needs --backup.  Asked before the disk is opened, so the answer
 * does not depend on whether the device is busy.
 */
static char *default_backup(const char *disk)
{
	struct stat st;

	if (stat(disk, &st) == 0 && S_ISBLK(st.st_mode))
		usage_error("%s: is a block device: give --backup FILE, on a disk that keeps it (the "
			    "default, %s" BACKUP_SUFFIX ", would be in memory and gone at the next boot)",
			    disk, disk);
	return concat(disk, BACKUP_SUFFIX);
}

/* Where an installed copy keeps its stages, from the program's directory:
 * `make install` puts the program in PREFIX/sbin and the stages in
 * PREFIX/lib/smartboot (docs/installer.md). */
#define INSTALLED_STAGES	"../lib/smartboot/"

/* The default stage file `name`: DIR/name, where DIR is the directory of
 * this executable (build/mbr.bin for build/smartboot-install, wherever it is
 * run from), else DIR/../lib/smartboot/name (an installed copy: relative, so
 * a DESTDIR or a moved prefix works too).  Neither there: DIR/name, and
 * opening it reports the error. */
static char *beside_me(const char *name)
{
	char self[PATH_MAX], *slash, *path, *dir, *installed;
	ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);

	if (len < 0)
		die(EXIT_IO, "cannot find my own directory (/proc/self/exe: %s): give --stage1 and --stage2",
		    strerror(errno));
	self[len] = '\0';
	slash = strrchr(self, '/');
	if (slash)
		slash[1] = '\0';		/* keep the '/' */
	path = concat(self, name);
	if (access(path, F_OK) == 0)
		return path;
	dir = concat(self, INSTALLED_STAGES);
	installed = concat(dir, name);
	free(dir);
	if (access(installed, F_OK) == 0) {
		free(path);
		return installed;
	}
	free(installed);
	return path;
}

static void parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_DRY_RUN = 256, OPT_FORCE, OPT_STAGE1, OPT_STAGE2, OPT_BACKUP, OPT_RESTORE, OPT_ACTIVE_PMBR };
	static const struct option longopts[] = {
		{ "dry-run", no_argument,       NULL, OPT_DRY_RUN },
		{ "force",   no_argument,       NULL, OPT_FORCE },
		{ "stage1",  required_argument, NULL, OPT_STAGE1 },
		{ "stage2",  required_argument, NULL, OPT_STAGE2 },
		{ "backup",  required_argument, NULL, OPT_BACKUP },
		{ "restore", required_argument, NULL, OPT_RESTORE },
		{ "active-pmbr", no_argument,   NULL, OPT_ACTIVE_PMBR },
		{ "help",    no_argument,       NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *backup = NULL, *restore = NULL;
	int c;

	memset(o, 0, sizeof *o);
	opterr = 0;		/* our own message, with the usage hint */
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DRY_RUN: o->dry_run = 1; break;
		case OPT_FORCE:   o->force = 1; break;
		case OPT_STAGE1:  o->stage1 = optarg; break;
		case OPT_STAGE2:  o->stage2 = optarg; break;
		case OPT_BACKUP:  backup = optarg; break;
		case OPT_RESTORE: restore = optarg; break;
		case OPT_ACTIVE_PMBR: o->active_pmbr = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			exit(EXIT_OK);
		default:
			usage_error("unknown option or missing argument: %s", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		usage_error(optind == argc ? "no DISK given" : "more than one DISK given");
	o->disk = argv[optind];
	if (restore) {
		if (o->stage1 || o->stage2 || backup || o->active_pmbr)
			usage_error("--restore takes no --stage1, --stage2, --backup or --active-pmbr");
		o->restore = 1;
		o->backup = restore;
		return;
	}
	if (!o->stage1)
		o->stage1 = beside_me("mbr.bin");
	if (!o->stage2)
		o->stage2 = beside_me("stage2.bin");
	o->backup = backup ? backup : default_backup(o->disk);
}

int main(int argc, char **argv)
{
	struct options o;

	parse_args(argc, argv, &o);
	return o.restore ? restore(&o) : install(&o);
}
