/*
 * ext2.c - a small read-only ext2 reader: mount, find a file by path, read
 * it.  Also reads ext3 (the journal is just an inode nobody looks at).
 *
 * Layout of this file, bottom-up:
 *   read_bytes()   the device, in bytes (partial sectors through a bounce)
 *   check_super()  what the superblock must say for us to go on
 *   read_entry()   entry N of an on-disk table (group descriptors, inodes)
 *   load_file()    inode number -> struct ext2_file
 *   map_run()      file block -> run of disk blocks: THE place that knows
 *                  the block map (ext4's extent tree would be a second one)
 *   ext2_read()    file bytes -> memory, one device read per run of blocks
 *   dir_scan()     walk a directory's entries, checking each one
 *   ext2_open()    path -> file, following symbolic links
 *
 * Nothing on disk is trusted: every block number, inode number and
 * directory entry is checked against the filesystem before it is used, and
 * every loop is bounded by a size the superblock or the inode vouches for.
 * Format reference: ext2.h.
 */
#include "ext2.h"
#include "fs.h"

#define SECTOR       BLOCKDEV_SECTOR_SIZE
#define SECTOR_SHIFT BLOCKDEV_SECTOR_SHIFT
#define PTRS_PER_SECTOR (SECTOR / 4)    /* block numbers in a sector of an indirect block */
#define READ_CHUNK   (1u << 20)         /* most bytes per device read: progress steps */

/*
 * Indirect blocks are read a sector at a time, not a block at a time: a
 * block can be 64 KiB, and a sector holds 128 consecutive block numbers,
 * enough to find runs.  One cached sector per level of the tree means a
 * sequential read fetches each sector of pointers once.
 */
struct ind_cache {
	uint64_t sector;                 /* filesystem-relative; ~0 = empty */
	uint32_t ptr[PTRS_PER_SECTOR];
};

struct ext2_fs {
	struct blockdev *dev;
	struct ext2_super_block sb;      /* as read, checked by check_super() */
	uint32_t block_size;
	uint32_t block_log;              /* block_size == 1 << block_log */
	uint32_t inode_log;              /* inode size == 1 << inode_log */
	uint32_t desc_log;               /* group descriptor size == 1 << desc_log */
	uint32_t incompat;               /* feature flags in use (0 in revision 0) */
	struct ind_cache ind[3];         /* [depth - 1] */
	uint8_t sector[SECTOR];          /* bounce for partial sectors */
};

/* ---- The device ---- */

/* Read count sectors at sector `sec` of the filesystem.  The device prints
 * its own message on failure. */
static int read_sectors(struct ext2_fs *fs, uint64_t sec, uint32_t count, void *buf)
{
	struct blockdev *dev = fs->dev;

	return dev->read(dev, dev->start_lba + sec, count, buf) < 0 ? FS_EIO : 0;
}

/* Read n bytes at byte pos of the filesystem: whole sectors straight into
 * dst, a partial first or last sector through fs->sector. */
static int read_bytes(struct ext2_fs *fs, uint64_t pos, uint32_t n, void *dst)
{
	uint8_t *d = dst;

	while (n) {
		uint32_t skip = pos & (SECTOR - 1), chunk;

		if (skip || n < SECTOR) {
			if (read_sectors(fs, pos >> SECTOR_SHIFT, 1, fs->sector))
				return FS_EIO;
			chunk = MIN(SECTOR - skip, n);
			memcpy(d, fs->sector + skip, chunk);
		} else {
			chunk = n & ~(SECTOR - 1);
			if (read_sectors(fs, pos >> SECTOR_SHIFT, chunk >> SECTOR_SHIFT, d))
				return FS_EIO;
		}
		pos += chunk;
		d += chunk;
		n -= chunk;
	}
	return 0;
}

/* ---- Superblock ---- */

/* Incompatible features by bit number, for the refusal message. */
static const char *const incompat_names[] = {
	"compression", "filetype", "needs_recovery", "journal_dev", "meta_bg", "?",
	"extents", "64bit", "mmp", "flex_bg", "ea_inode", "?", "dirdata",
	"metadata_csum_seed", "large_dir", "inline_data", "encrypt", "casefold",
};

/*
 * Incompatible features we can read through.  FILETYPE only adds a type
 * byte to directory entries; FLEX_BG only moves bitmaps and inode tables,
 * which we find through the group descriptors anyway.  Read-only-compatible
 * features (sparse_super, large_file, huge_file, dir_nlink, metadata_csum,
 * ...) only bind writers, so a reader may ignore them; compatible ones
 * (has_journal, dir_index, ext_attr, resize_inode) too: an htree directory
 * still reads as a linear one.
 */
#define INCOMPAT_OK (EXT2_FEATURE_INCOMPAT_FILETYPE | EXT2_FEATURE_INCOMPAT_RECOVER | \
		     EXT2_FEATURE_INCOMPAT_FLEX_BG)

static int check_super(struct ext2_fs *fs)
{
	const struct ext2_super_block *sb = &fs->sb;
	uint32_t bs, groups, desc_blocks, bad, bit, inode_size;

	if (sb->s_magic != EXT2_SUPER_MAGIC) {
		printf("ext2: bad superblock magic 0x%04x (want 0xEF53)\n", sb->s_magic);
		return FS_ECORRUPT;
	}
	if (sb->s_rev_level > EXT2_DYNAMIC_REV) {
		printf("ext2: unsupported revision %u\n", sb->s_rev_level);
		return FS_EUNSUPPORTED;
	}
	if (sb->s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG) {
		printf("ext2: bad block size (s_log_block_size %u)\n", sb->s_log_block_size);
		return FS_ECORRUPT;
	}
	fs->block_log = EXT2_MIN_BLOCK_LOG + sb->s_log_block_size;
	bs = fs->block_size = 1u << fs->block_log;

	inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	if (sb->s_rev_level == EXT2_DYNAMIC_REV) {   /* revision 0 has no feature fields */
		inode_size = sb->s_inode_size;
		fs->incompat = sb->s_feature_incompat;
	}
	/* Features first: an unknown one may change what the rest means. */
	bad = fs->incompat & ~INCOMPAT_OK;
	if (bad) {
		bit = __builtin_ctz(bad);
		printf("ext2: unsupported incompatible feature '%s' (0x%x)\n",
		       bit < ARRAY_SIZE(incompat_names) ? incompat_names[bit] : "?", 1u << bit);
		return FS_EUNSUPPORTED;
	}
	if (fs->incompat & EXT2_FEATURE_INCOMPAT_RECOVER)
		printf("ext2: warning: the journal needs recovery; reading the filesystem as it is\n");
	if ((inode_size & (inode_size - 1)) || inode_size < EXT2_GOOD_OLD_INODE_SIZE || inode_size > bs) {
		printf("ext2: bad inode size %u\n", inode_size);
		return FS_ECORRUPT;
	}
	fs->inode_log = __builtin_ctz(inode_size);
	/* The superblock is in block 1 with 1 KiB blocks, else in block 0. */
	if (sb->s_first_data_block != (bs == 1024)) {
		printf("ext2: bad first data block %u for %u-byte blocks\n", sb->s_first_data_block, bs);
		return FS_ECORRUPT;
	}
	if (!sb->s_blocks_per_group || !sb->s_inodes_per_group ||
	    sb->s_blocks_count <= sb->s_first_data_block + 1) {
		printf("ext2: bad geometry: %u blocks, %u blocks and %u inodes per group\n",
		       sb->s_blocks_count, sb->s_blocks_per_group, sb->s_inodes_per_group);
		return FS_ECORRUPT;
	}
	groups = (sb->s_blocks_count - sb->s_first_data_block - 1) / sb->s_blocks_per_group + 1;
	if ((uint64_t)groups * sb->s_inodes_per_group != sb->s_inodes_count) {
		printf("ext2: %u inodes, but %u groups of %u inodes\n", sb->s_inodes_count,
		       groups, sb->s_inodes_per_group);
		return FS_ECORRUPT;
	}
	/* The descriptor table starts in the block after the superblock's.
	 * (ext4's 64BIT feature will take desc_log from s_desc_size.) */
	fs->desc_log = __builtin_ctz(EXT2_DESC_SIZE);
	desc_blocks = ((groups - 1) >> (fs->block_log - fs->desc_log)) + 1;
	if (sb->s_first_data_block + 1 + desc_blocks > sb->s_blocks_count) {
		printf("ext2: the group descriptors of %u groups do not fit\n", groups);
		return FS_ECORRUPT;
	}
	if (fs->dev->sectors && (fs->dev->sectors >> (fs->block_log - SECTOR_SHIFT)) < sb->s_blocks_count) {
		printf("ext2: the filesystem (%u blocks of %u bytes) is larger than the %s\n",
		       sb->s_blocks_count, bs, fs->dev->name);
		return FS_ECORRUPT;
	}
	return 0;
}

/* ---- Inodes ---- */

/* The byte offset of a block. */
static uint64_t block_pos(const struct ext2_fs *fs, uint32_t block)
{
	return (uint64_t)block << fs->block_log;
}

/* Blocks [block, block + count) must be inside the filesystem. */
static int bad_block(const struct ext2_fs *fs, uint32_t ino, uint32_t block, uint32_t count)
{
	uint64_t last = (uint64_t)block + count - 1;

	if (last < fs->sb.s_blocks_count)
		return 0;
	printf("ext2: inode %u: block %llu outside the filesystem (%u blocks)\n", ino,
	       (unsigned long long)last, fs->sb.s_blocks_count);
	return FS_ECORRUPT;
}

/*
 * Read the first size bytes of entry `index` of an on-disk table of
 * (1 << entry_log)-byte entries starting at block `table`: the group
 * descriptors, an inode table.  (For inode ino, for the message.)
 */
static int read_entry(struct ext2_fs *fs, uint32_t ino, uint32_t table, uint32_t index,
		      uint32_t entry_log, void *buf, uint32_t size)
{
	uint32_t per_block_log = fs->block_log - entry_log;
	uint32_t block = table + (index >> per_block_log);
	int err = bad_block(fs, ino, block, 1);

	if (!err)
		err = read_bytes(fs, block_pos(fs, block) +
				 ((index & ((1u << per_block_log) - 1)) << entry_log), size, buf);
	return err;
}

/* Read inode ino into *in and the fields a reader needs into *f. */
static int load_file(struct ext2_fs *fs, uint32_t ino, struct ext2_file *f, struct ext2_inode *in)
{
	struct ext2_group_desc gd;
	uint32_t ipg = fs->sb.s_inodes_per_group;
	int err;

	if (ino < 1 || ino > fs->sb.s_inodes_count) {
		printf("ext2: inode %u out of range (1..%u)\n", ino, fs->sb.s_inodes_count);
		return FS_ECORRUPT;
	}
	err = read_entry(fs, ino, fs->sb.s_first_data_block + 1, (ino - 1) / ipg, fs->desc_log,
			 &gd, sizeof(gd));
	if (!err)
		err = read_entry(fs, ino, gd.bg_inode_table, (ino - 1) % ipg, fs->inode_log,
				 in, sizeof(*in));
	if (err)
		return err;
	if (!in->i_links_count) {
		printf("ext2: inode %u is not in use\n", ino);
		return FS_ECORRUPT;
	}
	if (in->i_flags & (EXT4_EXTENTS_FL | EXT4_INLINE_DATA_FL)) {
		printf("ext2: inode %u: %s not supported\n", ino,
		       in->i_flags & EXT4_EXTENTS_FL ? "extents" : "inline data");
		return FS_EUNSUPPORTED;
	}
	f->ino = ino;
	f->mode = in->i_mode;
	f->flags = in->i_flags;
	f->size = in->i_size;
	if ((in->i_mode & EXT2_S_IFMT) == EXT2_S_IFREG)  /* elsewhere it was i_dir_acl */
		f->size |= (uint64_t)in->i_size_high << 32;
	if ((f->size >> fs->block_log) >> 32) {      /* block numbers in files are 32 bits */
		printf("ext2: inode %u: size %llu is too large\n", ino, (unsigned long long)f->size);
		return FS_EUNSUPPORTED;
	}
	memcpy(f->block, in->i_block, sizeof(f->block));
	return 0;
}

/* ---- The block map ---- */

/* The sector of pointers at byte pos, through the cache of tree level `level`. */
static const uint32_t *pointer_sector(struct ext2_fs *fs, int level, uint64_t pos)
{
	struct ind_cache *c = &fs->ind[level];
	uint64_t sec = pos >> SECTOR_SHIFT;

	if (c->sector != sec) {
		c->sector = ~(uint64_t)0;        /* stays empty if the read fails */
		if (read_sectors(fs, sec, 1, c->ptr))
			return NULL;
		c->sector = sec;
	}
	return c->ptr;
}

/*
 * Map file block lblk: return how many blocks (1..max) from it on are
 * consecutive on disk, the first in *pblk, or a negative error.  *pblk == 0
 * means a hole of that many blocks.  This is the one function that reads the
 * block map; an ext4 extent tree would be a second variant, chosen by
 * EXT4_EXTENTS_FL in f->flags, returning runs the same way.
 *
 * i_block[0..11] map blocks 0..11; i_block[12] points to a block of P block
 * numbers (P = block size / 4), i_block[13] to P such blocks, i_block[14] to
 * P of those.  A run ends where the sector of pointers ends; ext2_read()
 * joins runs that continue on disk.
 */
static int map_run(struct ext2_fs *fs, const struct ext2_file *f, uint32_t lblk, uint32_t max,
		   uint32_t *pblk)
{
	uint32_t bits = fs->block_log - 2;   /* log2(P) */
	const uint32_t *ptr = f->block;
	uint32_t i = lblk, left = EXT2_NDIR_BLOCKS - lblk, first, n;
	int depth, err;

	if (lblk >= EXT2_NDIR_BLOCKS) {
		uint32_t idx = lblk - EXT2_NDIR_BLOCKS, blk;

		/* Which tree (P, P^2 or P^3 blocks), and the index in it. */
		for (depth = 1; idx >> ((depth - 1) * bits) >= (1u << bits); depth++) {
			if (depth == 3) {
				printf("ext2: inode %u: block %u is beyond the block map\n", f->ino, lblk);
				return FS_ECORRUPT;
			}
			idx -= 1u << (depth * bits);
		}
		/* Down the tree: blk's subtree maps 2^span blocks, idx is in it. */
		blk = f->block[EXT2_IND_BLOCK + depth - 1];
		for (;; depth--) {
			uint32_t span = depth * bits, shift = span - bits;

			if (!blk) {                  /* a hole to the end of the subtree */
				*pblk = 0;
				return span >= 32 || (1u << span) - idx > max ? max : (1u << span) - idx;
			}
			err = bad_block(fs, f->ino, blk, 1);
			if (err)
				return err;
			i = idx >> shift;
			ptr = pointer_sector(fs, depth - 1, block_pos(fs, blk) + i * 4);
			if (!ptr)
				return FS_EIO;
			i &= PTRS_PER_SECTOR - 1;
			if (depth == 1)
				break;
			blk = ptr[i];
			idx &= (1u << shift) - 1;
		}
		left = PTRS_PER_SECTOR - i;
	}
	/* Extend the run while the pointers go on consecutively (or stay 0). */
	first = ptr[i];
	for (n = 1; n < max && n < left; n++)
		if (ptr[i + n] != (first ? first + n : 0))
			break;
	*pblk = first;
	if (first && (err = bad_block(fs, f->ino, first, n)))
		return err;
	return n;
}

/* ---- Reading files ---- */

int ext2_read(struct ext2_fs *fs, struct ext2_file *f, uint64_t offset, void *buf,
	      uint64_t len, void (*progress)(uint64_t done, uint64_t total))
{
	uint8_t *dst = buf;
	uint64_t pos = offset, end = offset + len;
	uint64_t run_pos = 0;                /* pending read: disk bytes [run_pos, +run_len) */
	uint32_t run_len = 0;                /*   that go to dst - run_len */
	uint32_t mask = fs->block_size - 1;
	int err;

	if (offset > f->size || len > f->size - offset) {
		printf("ext2: inode %u: read of %llu bytes at %llu is past the end (%llu bytes)\n",
		       f->ino, (unsigned long long)len, (unsigned long long)offset,
		       (unsigned long long)f->size);
		return FS_ERANGE;
	}
	for (;;) {
		uint64_t phys = 0;
		uint32_t bytes = 0, pblk = 0;

		if (pos < end) {
			/* The next piece: at most READ_CHUNK bytes, one run of blocks. */
			uint32_t skip = pos & mask, rest = MIN(end - pos, READ_CHUNK);
			int n = map_run(fs, f, pos >> fs->block_log,
					(rest + skip + mask) >> fs->block_log, &pblk);

			if (n < 0)
				return n;
			bytes = MIN(((uint32_t)n << fs->block_log) - skip, rest);
			phys = block_pos(fs, pblk) + skip;
		}
		/* Issue the pending read unless this piece continues it. */
		if (run_len && (!pblk || phys != run_pos + run_len || run_len + bytes > READ_CHUNK)) {
			err = read_bytes(fs, run_pos, run_len, dst - run_len);
			if (err)
				return err;
			run_len = 0;
			if (progress && pos < end)
				progress(pos - offset, len);
		}
		if (pos == end) {
			if (progress)
				progress(len, len);
			return 0;
		}
		if (pblk) {
			if (!run_len)
				run_pos = phys;
			run_len += bytes;
		} else {
			memset(dst, 0, bytes);       /* a hole */
		}
		pos += bytes;
		dst += bytes;
	}
}

/* ---- Directories ---- */

typedef int (*dirent_fn)(const struct ext2_dir_entry *de, uint32_t name_len, uint8_t type,
			 void *arg);

/* Call fn for each used entry of dir until it returns nonzero; return that,
 * 0 at the end, or a negative error. */
static int dir_scan(struct ext2_fs *fs, struct ext2_file *dir, dirent_fn fn, void *arg)
{
	uint32_t bs = fs->block_size;
	uint8_t *blk = malloc(bs);
	int ret = 0;

	if (!blk) {
		printf("ext2: out of memory for a %u-byte block\n", bs);
		return FS_ENOMEM;
	}
	for (uint64_t pos = 0; pos < dir->size && !ret; pos += bs) {
		uint32_t n = MIN(bs, dir->size - pos), off, rec_len, name_len;

		ret = ext2_read(fs, dir, pos, blk, n, NULL);
		for (off = 0; !ret && off < n; off += rec_len) {
			const struct ext2_dir_entry *de = (const void *)(blk + off);

			rec_len = name_len = 0;
			if (n - off >= EXT2_DIR_ENTRY_HEADER) {
				rec_len = de->rec_len;
				if (rec_len == 0 || rec_len == 0xFFFF)
					rec_len = 0x10000;   /* 64 KiB blocks */
				name_len = de->name_len;
				if (!(fs->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
					name_len |= de->file_type << 8;
			}
			if (rec_len < EXT2_DIR_ENTRY_HEADER + name_len || (rec_len & 3) ||
			    rec_len > n - off || name_len > EXT2_NAME_LEN ||
			    de->inode > fs->sb.s_inodes_count || (de->inode && !name_len)) {
				printf("ext2: directory inode %u: bad entry at byte %llu "
				       "(rec_len %u, name_len %u)\n", dir->ino,
				       (unsigned long long)(pos + off), rec_len, name_len);
				ret = FS_ECORRUPT;
			} else if (de->inode) {
				ret = fn(de, name_len, fs->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE ?
					 de->file_type : FS_FT_UNKNOWN, arg);
			}
		}
	}
	free(blk);
	return ret;
}

struct lookup {
	const char *name;
	uint32_t len;
	uint32_t ino;
};

static int match(const struct ext2_dir_entry *de, uint32_t name_len, uint8_t type, void *arg)
{
	struct lookup *l = arg;

	(void)type;
	if (name_len != l->len || memcmp(de->name, l->name, name_len))
		return 0;
	l->ino = de->inode;
	return 1;
}

/* ---- Paths ---- */

/*
 * The path is resolved in a buffer of FS_PATH_MAX bytes: p walks it
 * component by component, f is the directory reached so far.  A symbolic
 * link is replaced in place by its target ("a/link/b" -> "TARGET/b"), and
 * the walk goes on from the root (absolute target) or from f (relative).
 */
int ext2_open(struct ext2_fs *fs, const char *path, struct ext2_file *f)
{
	struct ext2_inode in;
	struct ext2_file next;
	struct lookup l;
	size_t n = strlen(path);
	int links = 0, err = 0;
	bool from_root = true;
	char *buf, *p;

	if (n >= FS_PATH_MAX) {
		printf("ext2: path too long (%u bytes)\n", (unsigned)n);
		return FS_ENAMETOOLONG;
	}
	p = buf = malloc(FS_PATH_MAX);
	if (!buf) {
		printf("ext2: %s: out of memory\n", path);
		return FS_ENOMEM;
	}
	memcpy(buf, path, n + 1);
	while (!err) {
		if (from_root) {                 /* the start, or an absolute link */
			from_root = false;
			err = load_file(fs, EXT2_ROOT_INO, f, &in);
			continue;
		}
		while (*p == '/')
			p++;
		if (!*p)
			break;                   /* f is the answer */
		l.name = p;
		while (*p && *p != '/')
			p++;
		l.len = p - l.name;
		err = dir_scan(fs, f, match, &l);
		if (!err) {
			*p = 0;                  /* for the message; buf is ours */
			printf("ext2: %s: no such file ('%s' not found)\n", path, l.name);
			err = FS_ENOENT;
		}
		if (err >= 0)
			err = load_file(fs, l.ino, &next, &in);
		if (err < 0)
			break;
		if ((next.mode & EXT2_S_IFMT) == EXT2_S_IFLNK) {
			uint32_t rest = strlen(p), len = next.size;
			/* Fast symlinks keep the target in i_block and own no blocks
			 * (but an extended-attribute block's, if any). */
			bool fast = in.i_blocks == (in.i_file_acl ? fs->block_size >> SECTOR_SHIFT : 0);

			if (++links > FS_MAX_SYMLINKS) {
				printf("ext2: too many symlinks resolving %s\n", path);
				err = FS_ELOOP;
			} else if (next.size >= FS_PATH_MAX - rest) {
				printf("ext2: %s: path too long after following links\n", path);
				err = FS_ENAMETOOLONG;
			} else if (!len || (fast && len >= sizeof(next.block))) {
				printf("ext2: symlink inode %u: bad length %u\n", next.ino, len);
				err = FS_ECORRUPT;
			} else {
				memmove(buf + len, p, rest + 1);
				if (fast)
					memcpy(buf, next.block, len);
				else
					err = ext2_read(fs, &next, 0, buf, len, NULL);
				p = buf;
				from_root = *p == '/';
			}
		} else if (*p && (next.mode & EXT2_S_IFMT) != EXT2_S_IFDIR) {
			*p = 0;
			printf("ext2: %s: %s is not a directory\n", path, l.name);
			err = FS_ENOTDIR;
		} else {
			*f = next;
		}
	}
	free(buf);
	return err;
}

/* ---- Listing ---- */

struct list_arg {
	int (*cb)(const char *name, size_t len, uint8_t type, void *arg);
	void *arg;
};

static int list_one(const struct ext2_dir_entry *de, uint32_t name_len, uint8_t type, void *arg)
{
	struct list_arg *la = arg;

	return la->cb(de->name, name_len, type, la->arg);
}

int ext2_list(struct ext2_fs *fs, const char *path,
	      int (*cb)(const char *name, size_t len, uint8_t type, void *arg), void *arg)
{
	struct list_arg la = { cb, arg };
	struct ext2_file dir;
	int err = ext2_open(fs, path, &dir);

	if (err)
		return err;
	if (!FS_IS_DIR(&dir)) {
		printf("ext2: %s: not a directory\n", path);
		return FS_ENOTDIR;
	}
	return dir_scan(fs, &dir, list_one, &la);
}

/* ---- Mounting ---- */

int ext2_mount(struct ext2_fs **out, struct blockdev *dev)
{
	struct ext2_fs *fs = malloc(sizeof(*fs));
	struct ext2_inode in;
	struct ext2_file root;
	int err;

	*out = NULL;
	if (!fs) {
		printf("ext2: out of memory\n");
		return FS_ENOMEM;
	}
	memset(fs, 0, sizeof(*fs));
	memset(fs->ind, 0xff, sizeof(fs->ind));  /* caches empty */
	fs->dev = dev;
	err = read_sectors(fs, EXT2_SUPER_OFFSET >> SECTOR_SHIFT, sizeof(fs->sb) >> SECTOR_SHIFT, &fs->sb);
	if (!err)
		err = check_super(fs);
	if (!err)
		err = load_file(fs, EXT2_ROOT_INO, &root, &in);
	if (!err && !FS_IS_DIR(&root)) {
		printf("ext2: the root inode is not a directory\n");
		err = FS_ECORRUPT;
	}
	if (err) {
		free(fs);
		return err;
	}
	*out = fs;
	return 0;
}

void ext2_unmount(struct ext2_fs *fs)
{
	free(fs);
}
