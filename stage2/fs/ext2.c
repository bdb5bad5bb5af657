/*
 * ext2.c - a small read-only reader of ext2, ext3 and ext4: mount, find a
 * file by path, read it.  (ext3 is ext2 with a journal, an inode nobody
 * here looks at; ext4 adds the extent tree, 64-bit descriptors, inline data
 * and checksums.  docs/ext4.md says which features are read, which ignored
 * and which refused, and why.)
 *
 * Layout of this file, bottom-up:
 *   read_bytes()   the device, in bytes (partial sectors through a cache)
 *   check_super()  what the superblock must say for us to go on
 *   load_file()    inode number -> struct ext2_file (group descriptor and
 *                  inode read, checked, checksums verified)
 *   map_run()      file block -> run of disk blocks through the block map
 *   map_extents()  the same through an ext4 extent tree
 *   ext2_read()    file bytes -> memory, one device read per run of blocks
 *   dir_scan()     walk a directory's entries, checking each one
 *   ext2_open()    path -> file, following symbolic links
 *
 * Nothing on disk is trusted: every block number, inode number, extent and
 * directory entry is checked against the filesystem before it is used (a
 * block number before any cache is asked for it), every loop is bounded by
 * a size the superblock or the inode vouches for, and with metadata_csum
 * every piece of metadata read is checksummed.  A cache holds only what
 * was read whole and passed its checks; a failure empties the slot first.
 * Block numbers are 32 bits: an MBR partition (the only kind smartboot
 * boots) has at most 2^32 sectors, so a block number above 2^32 is corrupt.
 * Format reference: ext2.h.
 */
#include "fs/crc32c.h"
#include "fs/ext2.h"
#include "fs/fs.h"

#define SECTOR       BLOCKDEV_SECTOR_SIZE
#define SECTOR_SHIFT BLOCKDEV_SECTOR_SHIFT
#define PTRS_PER_SECTOR (SECTOR / 4)    /* block numbers in a sector of an indirect block */
#define IND_WINDOW   8                  /* sectors of an indirect block read at once */
#define READ_CHUNK   (1u << 20)         /* most bytes per device read: progress steps */
#define SECTOR_CACHE 4                  /* sectors kept from partial reads (a power of 2) */
/* The block holding the superblock (at byte 1024): 1 with 1 KiB blocks. */
#define SUPER_BLOCK(fs) ((fs)->block_log == EXT2_MIN_BLOCK_LOG)

/*
 * Indirect blocks are read a window of up to IND_WINDOW sectors at a time
 * (4 KiB, 1024 block numbers: a whole block with 4 KiB blocks), not always
 * a whole block: a block can be 64 KiB.  One cached window per level of the
 * tree means a sequential read fetches each pointer once.  (A window of one
 * sector cost a BIOS call per 512 KiB of a large file: a tenth of the calls
 * for a 64 MiB initrd, docs/performance.md.)
 */
struct ind_cache {
	uint64_t sector;                 /* filesystem-relative; NO_SECTOR = empty */
	uint32_t ptr[IND_WINDOW * PTRS_PER_SECTOR];
};

/* No sector: an empty slot of a sector cache.  (Sectors of a filesystem of
 * fewer than 2^32 blocks of at most 64 KiB are below 2^39.) */
#define NO_SECTOR (~(uint64_t)0)

/*
 * An extent tree node below the inode, per depth: read whole (its checksum
 * covers the block) and checked once.  The checksum is seeded with the
 * inode, so a node verified for one inode is no node of another: the slot
 * remembers whose it is.  `valid` is set only after the read and the
 * checksum both passed, and cleared before the slot is refilled.
 */
struct ext_cache {
	bool valid;
	uint32_t block, ino;
	uint8_t *data;                   /* block_size bytes, allocated when first needed */
};

struct ext2_fs {
	struct blockdev *dev;
	struct ext2_super_block sb;      /* as read, checked by check_super() */
	const char *name;                /* "ext2", "ext3" or "ext4": every message starts so */
	uint32_t block_size;
	uint32_t block_log;              /* block_size == 1 << block_log */
	uint32_t inode_log;              /* inode size == 1 << inode_log */
	uint32_t desc_log;               /* group descriptor size == 1 << desc_log */
	uint32_t compat, incompat, ro_compat;   /* feature flags (0 in revision 0) */
	bool csum;                       /* metadata_csum: verify what we read */
	uint32_t csum_seed;              /* crc32c(~0, uuid), or s_checksum_seed */
	uint8_t *scratch;                /* the inode (or descriptor) last read, whole */
	struct ind_cache ind[3];         /* [depth - 1] */
	struct ext_cache ext[EXT4_EXT_MAX_DEPTH];   /* [depth]: nodes read from disk */
	struct {
		uint64_t sector;         /* NO_SECTOR = empty */
		uint8_t data[SECTOR];
	} cache[SECTOR_CACHE];           /* descriptors, inodes: round robin */
	uint32_t cache_next;
};

/* ---- The device ---- */

/* Read count sectors at sector `sec` of the filesystem.  The device prints
 * its own message on failure. */
static int read_sectors(struct ext2_fs *fs, uint64_t sec, uint32_t count, void *buf)
{
	struct blockdev *dev = fs->dev;

	return dev->read(dev, dev->start_lba + sec, count, buf) < 0 ? FS_EIO : 0;
}

/*
 * Read n bytes at byte pos of the filesystem: whole sectors straight into
 * dst, a partial first or last sector through a small cache.  The cache
 * saves a re-read of the sector of group descriptors (or of inodes) that
 * every inode lookup of a path visits again.
 */
static int read_bytes(struct ext2_fs *fs, uint64_t pos, uint32_t n, void *dst)
{
	uint8_t *d = dst;

	while (n) {
		uint32_t skip = pos & (SECTOR - 1), chunk, i;
		uint64_t sec = pos >> SECTOR_SHIFT;

		if (skip || n < SECTOR) {
			for (i = 0; i < SECTOR_CACHE && fs->cache[i].sector != sec; i++)
				;
			if (i == SECTOR_CACHE) {
				i = fs->cache_next++ & (SECTOR_CACHE - 1);
				fs->cache[i].sector = NO_SECTOR;        /* stays empty if the read fails */
				if (read_sectors(fs, sec, 1, fs->cache[i].data))
					return FS_EIO;
				fs->cache[i].sector = sec;
			}
			chunk = MIN(SECTOR - skip, n);
			memcpy(d, fs->cache[i].data + skip, chunk);
		} else {
			chunk = n & ~(SECTOR - 1);
			if (read_sectors(fs, sec, chunk >> SECTOR_SHIFT, d))
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
	"compression", "filetype", "needs_recovery", "journal_dev", "meta_bg", NULL,
	"extents", "64bit", "mmp", "flex_bg", "ea_inode", NULL, "dirdata",
	"metadata_csum_seed", "large_dir", "inline_data", "encrypt", "casefold",
};

/*
 * The incompatible features we read (docs/ext4.md has the table):
 *   understood: filetype, meta_bg, extents, 64bit, flex_bg (it only moves
 *     bitmaps and inode tables, found through the descriptors anyway),
 *     metadata_csum_seed, inline_data;
 *   ignored, with the reason:
 *     needs_recovery: the kernel replays the journal when it mounts; we
 *       read the filesystem as it is, after a warning;
 *     mmp: multi-mount protection keeps two writers apart; we never write;
 *     ea_inode: attribute values in inodes of their own; the one attribute
 *       we read (inline data's system.data) never lives there;
 *     large_dir: allows 3-level htrees and directories over 2 GiB; we read
 *       directories linearly, whatever their index, and sizes are 64-bit;
 *     casefold: names are stored as written; we compare them byte for
 *       byte, so a path must be spelled as the file was named.
 * Refused: compression, journal_dev (an external journal, not a
 * filesystem), dirdata (entries carry data after the name), encrypt
 * (names and data are ciphertext), and any bit we do not know.
 * Compatible and read-only-compatible features only bind writers (that is
 * what the two classes mean), so none is refused; the ones that matter to a
 * reader are used: sparse_super, sparse_super2 (where meta_bg descriptors
 * are), large_file, huge_file, dir_nlink, extra_isize, gdt_csum (unused
 * inode tables), metadata_csum.
 */
#define INCOMPAT_OK (EXT2_FEATURE_INCOMPAT_FILETYPE | EXT2_FEATURE_INCOMPAT_RECOVER | \
		     EXT2_FEATURE_INCOMPAT_META_BG | EXT2_FEATURE_INCOMPAT_EXTENTS | \
		     EXT2_FEATURE_INCOMPAT_64BIT | EXT2_FEATURE_INCOMPAT_MMP | \
		     EXT2_FEATURE_INCOMPAT_FLEX_BG | EXT2_FEATURE_INCOMPAT_EA_INODE | \
		     EXT2_FEATURE_INCOMPAT_CSUM_SEED | EXT2_FEATURE_INCOMPAT_LARGEDIR | \
		     EXT2_FEATURE_INCOMPAT_INLINE_DATA | EXT2_FEATURE_INCOMPAT_CASEFOLD)

/* What ext3 has; anything more makes the filesystem ext4 (blkid's rule),
 * which only decides what the messages call it. */
#define EXT3_INCOMPAT  (EXT2_FEATURE_INCOMPAT_FILETYPE | EXT2_FEATURE_INCOMPAT_RECOVER | \
			EXT2_FEATURE_INCOMPAT_META_BG)
#define EXT3_RO_COMPAT (EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER | EXT2_FEATURE_RO_COMPAT_LARGE_FILE | \
			EXT2_FEATURE_RO_COMPAT_BTREE_DIR)

/* Say which checksum did not match; fail what needed it. */
static int csum_error(const struct ext2_fs *fs, const char *what, uint32_t n)
{
	printf("%s: %s %u checksum mismatch\n", fs->name, what, n);
	return FS_ECORRUPT;
}

static int check_super(struct ext2_fs *fs)
{
	const struct ext2_super_block *sb = &fs->sb;
	uint32_t bs, groups, desc_blocks, bad, bit, inode_size, desc_size = EXT2_DESC_SIZE;

	fs->name = "ext2";
	if (sb->s_magic != EXT2_SUPER_MAGIC) {
		printf("ext2: bad superblock magic 0x%04x (want 0xEF53)\n", sb->s_magic);
		return FS_ECORRUPT;
	}
	if (sb->s_rev_level > EXT2_DYNAMIC_REV) {
		printf("ext2: unsupported revision %u\n", sb->s_rev_level);
		return FS_EUNSUPPORTED;
	}
	inode_size = EXT2_GOOD_OLD_INODE_SIZE;
	if (sb->s_rev_level == EXT2_DYNAMIC_REV) {   /* revision 0 has no feature fields */
		inode_size = sb->s_inode_size;
		fs->compat = sb->s_feature_compat;
		fs->incompat = sb->s_feature_incompat;
		fs->ro_compat = sb->s_feature_ro_compat;
	}
	if (fs->compat & EXT2_FEATURE_COMPAT_HAS_JOURNAL)
		fs->name = "ext3";
	if ((fs->incompat & ~EXT3_INCOMPAT) || (fs->ro_compat & ~EXT3_RO_COMPAT))
		fs->name = "ext4";

	/* Features first: an unknown one may change what the rest means. */
	bad = fs->incompat & ~INCOMPAT_OK;
	if (bad) {
		bit = __builtin_ctz(bad);
		printf("%s: unsupported incompatible feature '%s' (0x%x)\n", fs->name,
		       bit < ARRAY_SIZE(incompat_names) && incompat_names[bit] ?
		       incompat_names[bit] : "unknown", 1u << bit);
		return FS_EUNSUPPORTED;
	}
	if (fs->ro_compat & EXT4_FEATURE_RO_COMPAT_METADATA_CSUM) {
		if (sb->s_checksum_type != EXT4_CRC32C_CHKSUM) {
			printf("%s: unknown checksum type %u\n", fs->name, sb->s_checksum_type);
			return FS_EUNSUPPORTED;
		}
		if (crc32c(~0u, sb, offsetof(struct ext2_super_block, s_checksum)) != sb->s_checksum)
			return csum_error(fs, "superblock", 0);
		fs->csum = true;
		fs->csum_seed = fs->incompat & EXT2_FEATURE_INCOMPAT_CSUM_SEED ? sb->s_checksum_seed :
				crc32c(~0u, sb->s_uuid, sizeof(sb->s_uuid));
	}
	if (fs->incompat & EXT2_FEATURE_INCOMPAT_RECOVER)
		printf("%s: warning: the journal needs recovery; files may be stale until the "
		       "kernel replays it\n", fs->name);

	if (sb->s_log_block_size > EXT2_MAX_BLOCK_LOG - EXT2_MIN_BLOCK_LOG) {
		printf("%s: bad block size (s_log_block_size %u)\n", fs->name, sb->s_log_block_size);
		return FS_ECORRUPT;
	}
	fs->block_log = EXT2_MIN_BLOCK_LOG + sb->s_log_block_size;
	bs = fs->block_size = 1u << fs->block_log;
	if (fs->incompat & EXT2_FEATURE_INCOMPAT_64BIT)
		desc_size = sb->s_desc_size;
	if ((inode_size & (inode_size - 1)) || inode_size < EXT2_GOOD_OLD_INODE_SIZE || inode_size > bs ||
	    (desc_size & (desc_size - 1)) || desc_size < EXT2_DESC_SIZE || desc_size > bs) {
		printf("%s: bad inode size %u or descriptor size %u\n", fs->name, inode_size, desc_size);
		return FS_ECORRUPT;
	}
	fs->inode_log = __builtin_ctz(inode_size);
	fs->desc_log = __builtin_ctz(desc_size);
	/* The superblock is in block 1 with 1 KiB blocks, else in block 0;
	 * the first group starts there (with bigalloc: at block 0). */
	if (sb->s_first_data_block !=
	    (bs == 1024 && !(fs->ro_compat & EXT4_FEATURE_RO_COMPAT_BIGALLOC))) {
		printf("%s: bad first data block %u for %u-byte blocks\n", fs->name,
		       sb->s_first_data_block, bs);
		return FS_ECORRUPT;
	}
	/* An MBR partition holds at most 2^32 sectors: fewer than 2^32 blocks. */
	if ((fs->incompat & EXT2_FEATURE_INCOMPAT_64BIT) && sb->s_blocks_count_hi) {
		printf("%s: more than 2^32 blocks\n", fs->name);
		return FS_EUNSUPPORTED;
	}
	/* An inode bitmap is one block: at most 8 * bs inodes a group. */
	if (!sb->s_blocks_per_group || !sb->s_inodes_per_group || sb->s_inodes_per_group > 8 * bs ||
	    sb->s_blocks_count <= SUPER_BLOCK(fs) + 1) {
		printf("%s: bad geometry: %u blocks, %u blocks and %u inodes per group\n", fs->name,
		       sb->s_blocks_count, sb->s_blocks_per_group, sb->s_inodes_per_group);
		return FS_ECORRUPT;
	}
	groups = (sb->s_blocks_count - sb->s_first_data_block - 1) / sb->s_blocks_per_group + 1;
	if ((uint64_t)groups * sb->s_inodes_per_group != sb->s_inodes_count) {
		printf("%s: %u inodes, but %u groups of %u inodes\n", fs->name, sb->s_inodes_count,
		       groups, sb->s_inodes_per_group);
		return FS_ECORRUPT;
	}
	/* The descriptor table starts in the block after the superblock's;
	 * with meta_bg only its first s_first_meta_bg blocks are there. */
	desc_blocks = ((groups - 1) >> (fs->block_log - fs->desc_log)) + 1;
	if (fs->incompat & EXT2_FEATURE_INCOMPAT_META_BG)
		desc_blocks = MIN(desc_blocks, sb->s_first_meta_bg);
	if (SUPER_BLOCK(fs) + 1 + desc_blocks > sb->s_blocks_count) {
		printf("%s: the group descriptors of %u groups do not fit\n", fs->name, groups);
		return FS_ECORRUPT;
	}
	if (fs->dev->sectors && (fs->dev->sectors >> (fs->block_log - SECTOR_SHIFT)) < sb->s_blocks_count) {
		printf("%s: the filesystem (%u blocks of %u bytes) is larger than the %s\n", fs->name,
		       sb->s_blocks_count, bs, fs->dev->name);
		return FS_ECORRUPT;
	}
	return 0;
}

/* ---- Inodes ---- */


/* The byte offset of a block (one bad_block() has passed). */
static uint64_t block_pos(const struct ext2_fs *fs, uint32_t block)
{
	return (uint64_t)block << fs->block_log;
}

/*
 * Blocks [block, block + count) must be inside the filesystem, and after
 * the superblock (block 0 is no data block: a block map's 0 is a hole),
 * without wrap-around (count <= total - block).  Every block number read
 * from disk passes here before it is read or looked up in a cache.
 */
static int bad_block(const struct ext2_fs *fs, uint32_t ino, uint64_t block, uint32_t count)
{
	uint32_t total = fs->sb.s_blocks_count;

	if (block > SUPER_BLOCK(fs) && block < total && count <= total - block)
		return 0;
	printf("%s: inode %u: block %llu outside the filesystem (%u blocks)\n", fs->name, ino,
	       (unsigned long long)(block > SUPER_BLOCK(fs) && block < total ? block + count - 1 : block),
	       total);
	return FS_ECORRUPT;
}

/*
 * Read entry `index` of an on-disk table of (1 << entry_log)-byte entries
 * starting at block `table` into fs->scratch: a group descriptor, an inode.  (For inode ino, for the message.)
 */
static int read_entry(struct ext2_fs *fs, uint32_t ino, uint64_t table, uint32_t index,
		      uint32_t entry_log)
{
	uint32_t per_block_log = fs->block_log - entry_log, nth = index >> per_block_log;
	uint64_t block = table + nth;
	/* The table from its start to the block read: a table near 2^64 must
	 * not wrap around to a small block number. */
	int err = bad_block(fs, ino, table, nth + 1);

	if (!err)
		err = read_bytes(fs, block_pos(fs, block) +
				 ((index & ((1u << per_block_log) - 1)) << entry_log),
				 1u << entry_log, fs->scratch);
	return err;
}

/* Does group g hold a backup of the superblock (and so, with meta_bg, put
 * its descriptor block after it)? */
static uint32_t has_super(const struct ext2_fs *fs, uint32_t g)
{
	if (fs->compat & EXT4_FEATURE_COMPAT_SPARSE_SUPER2)
		return !g || g == fs->sb.s_backup_bgs[0] || g == fs->sb.s_backup_bgs[1];
	if (!(fs->ro_compat & EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER) || g <= 1)
		return 1;
	for (uint32_t base = 3; base <= 7; base += 2) {      /* 0, 1 and powers of 3, 5, 7 */
		uint32_t p = base;

		while (p < g && p <= 0xFFFFFFFFu / base)     /* (32 bits: no overflow) */
			p *= base;
		if (p == g)
			return 1;
	}
	return 0;
}

/*
 * Read group g's descriptor into fs->scratch (verifying its checksum) and
 * return where the group's inode table starts, its flags and unused inodes.
 * The descriptors fill the blocks after the superblock's; with meta_bg, block
 * d of them (d >= s_first_meta_bg) is instead the first block of meta group
 * d (the groups it describes), after a superblock backup if there is one.
 */
static int load_desc(struct ext2_fs *fs, uint32_t ino, uint32_t g, uint64_t *table,
		     uint16_t *flags, uint32_t *unused)
{
	const struct ext2_super_block *sb = &fs->sb;
	struct ext4_group_desc *gd = (void *)fs->scratch;
	uint32_t per_block_log = fs->block_log - fs->desc_log, d = g >> per_block_log;
	uint32_t block = SUPER_BLOCK(fs) + 1 + d;
	bool wide = fs->desc_log > 5;            /* 64-byte descriptors: the _hi halves */
	int err;

	/* (Meta group 0's block is the first after the superblock anyway.) */
	if ((fs->incompat & EXT2_FEATURE_INCOMPAT_META_BG) && d >= sb->s_first_meta_bg && d) {
		uint32_t first = d << per_block_log;

		block = sb->s_first_data_block + first * sb->s_blocks_per_group + has_super(fs, first);
	}
	err = read_entry(fs, ino, block, g & ((1u << per_block_log) - 1), fs->desc_log);
	if (err)
		return err;
	if (fs->csum) {
		uint16_t want = gd->lo.bg_checksum;

		gd->lo.bg_checksum = 0;
		if ((uint16_t)crc32c(crc32c(fs->csum_seed, &g, 4), gd, 1u << fs->desc_log) != want)
			return csum_error(fs, "group descriptor", g);
	}
	*table = (wide ? (uint64_t)gd->bg_inode_table_hi << 32 : 0) | gd->lo.bg_inode_table;
	*flags = gd->lo.bg_flags;
	*unused = gd->lo.bg_itable_unused | (wide ? (uint32_t)gd->bg_itable_unused_hi << 16 : 0);
	return 0;
}

/*
 * Read inode ino into fs->scratch (the whole inode, checksum verified) and
 * what a reader needs into *f; decide where its data is (f->map).
 */
static int load_file(struct ext2_fs *fs, uint32_t ino, struct ext2_file *f)
{
	const struct ext2_inode *in = (const void *)fs->scratch;
	struct ext4_inode_extra *x = (void *)(fs->scratch + EXT4_INODE_EXTRA);
	uint32_t ipg = fs->sb.s_inodes_per_group, index = (ino - 1) % ipg;
	uint32_t inode_size = 1u << fs->inode_log, extra = 0, unused;
	uint64_t table;
	uint16_t bg_flags;
	int err;

	if (ino < 1 || ino > fs->sb.s_inodes_count) {
		printf("%s: inode %u out of range (1..%u)\n", fs->name, ino, fs->sb.s_inodes_count);
		return FS_ECORRUPT;
	}
	err = load_desc(fs, ino, (ino - 1) / ipg, &table, &bg_flags, &unused);
	if (err)
		return err;
	/* With uninit_bg (or metadata_csum) the tail of an inode table, or all
	 * of it, may never have been written: nothing there is in use. */
	if ((fs->ro_compat & (EXT4_FEATURE_RO_COMPAT_GDT_CSUM | EXT4_FEATURE_RO_COMPAT_METADATA_CSUM)) &&
	    ((bg_flags & EXT4_BG_INODE_UNINIT) || index >= ipg - MIN(unused, ipg)))
		goto unused;
	err = read_entry(fs, ino, table, index, fs->inode_log);
	if (err)
		return err;
	if (inode_size > EXT2_GOOD_OLD_INODE_SIZE) {
		extra = x->i_extra_isize;
		if ((extra & 3) || extra > inode_size - EXT2_GOOD_OLD_INODE_SIZE) {
			printf("%s: inode %u: bad extra size %u\n", fs->name, ino, extra);
			return FS_ECORRUPT;
		}
	}
	f->csum_seed = crc32c(crc32c(fs->csum_seed, &ino, 4), &in->i_generation, 4);
	if (fs->csum) {
		/* crc32c(seed, ino, generation, the inode with its checksum
		 * zeroed); the high half exists if the extra fields reach it. */
		uint32_t want = in->i_checksum_lo, mask = 0xFFFF;

		((struct ext2_inode *)in)->i_checksum_lo = 0;
		if (extra >= 4) {
			want |= (uint32_t)x->i_checksum_hi << 16;
			mask = ~0u;
			x->i_checksum_hi = 0;
		}
		if (((crc32c(f->csum_seed, in, inode_size) ^ want) & mask))
			return csum_error(fs, "inode", ino);
	}
	if (!in->i_links_count)
		goto unused;
	f->ino = ino;
	f->mode = in->i_mode;
	f->flags = in->i_flags;
	f->size = in->i_size;
	/* The high half of the size: regular files (it was i_dir_acl), and
	 * directories where large_dir lets them pass 4 GiB. */
	if ((in->i_mode & EXT2_S_IFMT) == EXT2_S_IFREG ||
	    ((in->i_mode & EXT2_S_IFMT) == EXT2_S_IFDIR && (fs->incompat & EXT2_FEATURE_INCOMPAT_LARGEDIR)))
		f->size |= (uint64_t)in->i_size_high << 32;
	if ((f->size >> fs->block_log) >> 32) {      /* block numbers in files are 32 bits */
		printf("%s: inode %u: size %llu is too large\n", fs->name, ino, (unsigned long long)f->size);
		return FS_EUNSUPPORTED;
	}
	/* A directory has no holes, so its size is at most the space it owns
	 * (i_blocks, in sectors; huge_file's units and high half only matter
	 * past 2 TiB, which no directory reaches) and less than the
	 * filesystem.  That bounds a walk of it by its own blocks: a map
	 * pointing a million times at one block, under a size of a million
	 * blocks, is refused here.  (Inline directories own none.) */
	if ((in->i_mode & EXT2_S_IFMT) == EXT2_S_IFDIR && !(in->i_flags & EXT4_INLINE_DATA_FL) &&
	    ((f->size + SECTOR - 1) >> SECTOR_SHIFT > in->i_blocks ||
	     (f->size >> fs->block_log) >= fs->sb.s_blocks_count)) {
		printf("%s: directory inode %u: size %llu is too large\n", fs->name, ino,
		       (unsigned long long)f->size);
		return FS_ECORRUPT;
	}
	memcpy(f->block, in->i_block, sizeof(f->block));
	f->map = FS_MAP_BLOCKS;
	if (in->i_flags & EXT4_INLINE_DATA_FL) {
		f->map = FS_MAP_INODE;
	} else if (in->i_flags & EXT4_EXTENTS_FL) {
		f->map = FS_MAP_EXTENTS;
	} else if ((in->i_mode & EXT2_S_IFMT) == EXT2_S_IFLNK &&
		   in->i_blocks == (in->i_file_acl ? fs->block_size >> SECTOR_SHIFT : 0)) {
		/* A fast symlink: the target is in i_block, and owns no blocks
		 * (but an extended-attribute block's, if any). */
		if (f->size >= EXT2_FAST_SYMLINK_MAX) {
			printf("%s: symlink inode %u: bad length %llu\n", fs->name, ino,
			       (unsigned long long)f->size);
			return FS_ECORRUPT;
		}
		f->map = FS_MAP_INODE;
	}
	return 0;
unused:
	printf("%s: inode %u is not in use\n", fs->name, ino);
	return FS_ECORRUPT;
}

/*
 * Inline data: find the value of the attribute "system.data" among the
 * attributes in the body of f's inode (read again, into fs->scratch).  No
 * such attribute: an empty value.
 */
static int inline_attr(struct ext2_fs *fs, struct ext2_file *f, const uint8_t **value, uint32_t *len)
{
	uint32_t end = 1u << fs->inode_log, first, e;
	int err = load_file(fs, f->ino, f);

	*len = 0;
	if (err || end == EXT2_GOOD_OLD_INODE_SIZE)
		return err;
	first = EXT4_INODE_EXTRA + ((struct ext4_inode_extra *)(fs->scratch + EXT4_INODE_EXTRA))->i_extra_isize;
	if (first + 4 > end || *(uint32_t *)(fs->scratch + first) != EXT4_XATTR_MAGIC)
		return 0;
	first += 4;              /* values are placed relative to the first entry */
	/* Entries until a zero word (or the end of the inode). */
	for (e = first; e + sizeof(struct ext4_xattr_entry) <= end && *(uint32_t *)(fs->scratch + e);) {
		const struct ext4_xattr_entry *x = (const void *)(fs->scratch + e);

		e += (sizeof(*x) + x->e_name_len + 3) & ~3u;
		if (e > end)
			goto bad;
		if (x->e_name_index != EXT4_XATTR_INDEX_SYSTEM || x->e_name_len != 4 ||
		    memcmp(x->e_name, "data", 4))
			continue;
		if (x->e_value_inum || x->e_value_offs > end - first ||
		    x->e_value_size > end - first - x->e_value_offs)
			goto bad;
		*value = fs->scratch + first + x->e_value_offs;
		*len = x->e_value_size;
		return 0;
	}
	return 0;                /* no system.data: nothing past i_block */
bad:
	printf("%s: inode %u: bad inline data attribute\n", fs->name, f->ino);
	return FS_ECORRUPT;
}

/* ---- The block map ---- */

/* Block numbers per window: IND_WINDOW sectors, or the block if smaller
 * (both powers of 2, so windows never straddle a block). */
static uint32_t ind_window(const struct ext2_fs *fs)
{
	return MIN(IND_WINDOW * PTRS_PER_SECTOR, fs->block_size / 4);
}

/* The window of pointers holding byte pos, through the cache of tree level
 * `level`: entry [(pos / 4) % ind_window(fs)] is the one at pos. */
static const uint32_t *pointer_sector(struct ext2_fs *fs, int level, uint64_t pos)
{
	struct ind_cache *c = &fs->ind[level];
	uint32_t count = ind_window(fs) / PTRS_PER_SECTOR;
	uint64_t sec = (pos >> SECTOR_SHIFT) & ~(uint64_t)(count - 1);

	if (c->sector != sec) {
		c->sector = NO_SECTOR;           /* stays empty if the read fails */
		if (read_sectors(fs, sec, count, c->ptr))
			return NULL;
		c->sector = sec;
	}
	return c->ptr;
}

/*
 * Map file block lblk: return how many blocks (1..max) from it on are
 * consecutive on disk, the first in *pblk, or a negative error.  *pblk == 0
 * means a hole of that many blocks.  This is the block map; map_extents()
 * below does the same through an extent tree.
 *
 * i_block[0..11] map blocks 0..11; i_block[12] points to a block of P block
 * numbers (P = block size / 4), i_block[13] to P such blocks, i_block[14] to
 * P of those.  A run ends where the window of pointers ends; ext2_read()
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
				printf("%s: inode %u: block %u is beyond the block map\n", fs->name,
				       f->ino, lblk);
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
			i &= ind_window(fs) - 1;
			if (depth == 1)
				break;
			blk = ptr[i];
			idx &= (1u << shift) - 1;
		}
		left = ind_window(fs) - i;
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

/* ---- The extent tree ---- */

/*
 * The extent tree node at `block`, depth `depth`, of file f: from the cache,
 * or read whole and (with metadata_csum) checked against the tail that
 * follows its eh_max entries.  NULL with *err set on any failure.  The
 * block number is checked first: an index pointing at block 0, at the
 * superblock or past the end is an error whatever the cache holds.
 */
static const uint8_t *extent_node(struct ext2_fs *fs, const struct ext2_file *f, uint32_t depth,
				  uint64_t block, int *err)
{
	struct ext_cache *c = &fs->ext[depth];
	uint32_t bs = fs->block_size, tail;

	*err = bad_block(fs, f->ino, block, 1);
	if (*err)
		return NULL;
	/* (Checked: from here on block fits in 32 bits.) */
	if (c->valid && c->block == block && c->ino == f->ino)
		return c->data;
	c->valid = false;                        /* stays empty unless all below passes */
	if (!c->data && !(c->data = malloc(bs))) {
		printf("%s: out of memory for a %u-byte block\n", fs->name, bs);
		*err = FS_ENOMEM;
		return NULL;
	}
	*err = read_bytes(fs, block_pos(fs, block), bs, c->data);
	if (*err)
		return NULL;
	if (fs->csum) {
		tail = sizeof(struct ext4_extent_header) +
		       ((struct ext4_extent_header *)c->data)->eh_max * sizeof(struct ext4_extent);
		if (tail > bs - 4 || crc32c(f->csum_seed, c->data, tail) != *(uint32_t *)(c->data + tail)) {
			*err = csum_error(fs, "extent block", (uint32_t)block);
			return NULL;
		}
	}
	c->block = block;
	c->ino = f->ino;
	c->valid = true;
	return c->data;
}

/* Blocks a leaf extent maps, initialised or not. */
static uint32_t extent_len(const struct ext4_extent *x)
{
	return x->ee_len > EXT4_EXT_INIT_MAX_LEN ? x->ee_len - EXT4_EXT_INIT_MAX_LEN : x->ee_len;
}

/* A node's entries must start in increasing file-block order and a leaf's
 * extents must not overlap: the lookup below trusts both, and a tree that
 * maps one file block twice would be read from the wrong blocks without a
 * word.  (Index and leaf entries both start with their first file block.) */
static bool node_in_order(const struct ext4_extent *e, uint32_t n, uint32_t depth)
{
	for (uint32_t i = 1; i < n; i++)
		if (e[i].ee_block < (uint64_t)e[i - 1].ee_block + (depth ? 1 : extent_len(&e[i - 1])))
			return false;
	return true;
}

/*
 * Map file block lblk through f's extent tree, returning a run as map_run()
 * does.  From the root in i_block down, each node's entries are sorted by
 * file block: take the last one starting at or before lblk; the next one
 * bounds the run.  A leaf extent maps ee_len blocks; one marked
 * uninitialised (allocated, never written) reads as zeros, like a hole.
 * Every node is checked before use (its header, the order of its entries),
 * and each level must be one less deep than its parent, so a damaged tree
 * cannot loop.
 */
static int map_extents(struct ext2_fs *fs, const struct ext2_file *f, uint32_t lblk, uint32_t max,
		       uint32_t *pblk)
{
	const uint8_t *node = (const uint8_t *)f->block;
	uint32_t size = sizeof(f->block), level, depth = EXT4_EXT_MAX_DEPTH + 1;
	int err;

	*pblk = 0;
	for (level = 0;; level++) {
		const struct ext4_extent_header *eh = (const void *)node;
		const struct ext4_extent *e = (const void *)(eh + 1), *x;
		const struct ext4_extent_idx *ix;
		uint32_t i, n = eh->eh_entries, len, off;
		uint64_t start;

		if (eh->eh_magic != EXT4_EXT_MAGIC || n > eh->eh_max ||
		    sizeof(*eh) + eh->eh_max * sizeof(*e) > size || eh->eh_depth >= depth ||
		    (level && eh->eh_depth != depth - 1)) {
bad_node:
			printf("%s: inode %u: bad extent tree node at depth %u\n", fs->name, f->ino, level);
			return FS_ECORRUPT;
		}
		depth = eh->eh_depth;
		/* A leaf extent of length 0 (ee_len 0; an uninitialised one is
		 * 32769 and up) maps nothing: the kernel calls the node
		 * corrupt, and so do we, rather than read zeros for data.
		 * (The same message: stage 2's budget.) */
		for (i = 0; !depth && i < n; i++)
			if (!e[i].ee_len)
				goto bad_node;
		if (!node_in_order(e, n, depth)) {
			printf("%s: inode %u: extents out of order or overlapping at depth %u\n",
			       fs->name, f->ino, level);
			return FS_ECORRUPT;
		}
		for (i = 0; i < n && e[i].ee_block <= lblk; i++)
			;
		if (i < n)                       /* the next entry starts later */
			max = MIN(max, e[i].ee_block - lblk);
		if (!i)
			return max;              /* a hole before the first entry */
		x = &e[i - 1];
		if (!depth) {                    /* a leaf: x maps lblk, or a hole follows it */
			len = extent_len(x);
			off = lblk - x->ee_block;
			if (off >= len)
				return max;
			max = MIN(max, len - off);
			if (x->ee_len > EXT4_EXT_INIT_MAX_LEN)
				return max;      /* uninitialised: zeros */
			start = ((uint64_t)x->ee_start_hi << 32 | x->ee_start_lo) + off;
			err = bad_block(fs, f->ino, start, max);
			*pblk = start;
			return err ? err : (int)max;
		}
		ix = (const struct ext4_extent_idx *)x;
		node = extent_node(fs, f, depth - 1, (uint64_t)ix->ei_leaf_hi << 32 | ix->ei_leaf_lo, &err);
		if (!node)
			return err;
		size = fs->block_size;
	}
}

/* ---- Reading files ---- */

/* Data kept in the inode: a fast symlink's target in i_block, or inline
 * data (the first 60 bytes in i_block, the rest in "system.data"). */
static int read_in_inode(struct ext2_fs *fs, struct ext2_file *f, uint32_t offset, uint8_t *dst,
			 uint32_t len)
{
	const uint8_t *more = NULL;
	uint32_t more_len = 0, i;
	int err = 0;

	if (f->flags & EXT4_INLINE_DATA_FL)
		err = inline_attr(fs, f, &more, &more_len);
	if (!err && f->size > sizeof(f->block) + more_len) {
		printf("%s: inode %u: %llu bytes, but %u inline\n", fs->name, f->ino,
		       (unsigned long long)f->size, (uint32_t)sizeof(f->block) + more_len);
		err = FS_ECORRUPT;
	}
	for (i = 0; !err && i < len; i++, offset++)
		dst[i] = offset < sizeof(f->block) ? ((uint8_t *)f->block)[offset] :
			 more[offset - sizeof(f->block)];
	return err;
}

/* Map file block lblk to a run of at most max blocks, whatever the map. */
static int map(struct ext2_fs *fs, const struct ext2_file *f, uint32_t lblk, uint32_t max,
	       uint32_t *pblk)
{
	return f->map == FS_MAP_EXTENTS ? map_extents(fs, f, lblk, max, pblk) :
					  map_run(fs, f, lblk, max, pblk);
}

int ext2_read(struct ext2_fs *fs, struct ext2_file *f, uint64_t offset, void *buf,
	      uint64_t len, void (*progress)(uint64_t done, uint64_t total))
{
	uint8_t *dst = buf;
	uint64_t pos = offset, end = offset + len;
	uint64_t run_pos = 0;                /* pending read: disk bytes [run_pos, +run_len) */
	uint32_t run_len = 0;                /*   that go to dst - run_len */
	uint32_t mask = fs->block_size - 1;
	int err = 0;

	if (offset > f->size || len > f->size - offset) {
		printf("%s: inode %u: read of %llu bytes at %llu is past the end (%llu bytes)\n",
		       fs->name, f->ino, (unsigned long long)len, (unsigned long long)offset,
		       (unsigned long long)f->size);
		return FS_ERANGE;
	}
	if (f->map == FS_MAP_INODE) {            /* no blocks: copied, and done */
		err = read_in_inode(fs, f, offset, buf, len);
		pos = end;               /* (the loop below ends at once, with progress) */
	}
	for (;;) {
		uint64_t phys = 0;
		uint32_t bytes = 0, pblk = 0;

		if (pos < end) {
			/* The next piece: at most READ_CHUNK bytes, one run of blocks. */
			uint32_t skip = pos & mask, rest = MIN(end - pos, READ_CHUNK);
			int n = map(fs, f, pos >> fs->block_log, (rest + skip + mask) >> fs->block_log, &pblk);

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
			if (progress && !err)
				progress(len, len);
			return err;
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

/*
 * With metadata_csum, check directory block lblk of dir (in blk): a leaf
 * ends in a tail entry with the checksum of what precedes it; an htree
 * node (the root in block 0, an interior node elsewhere) has a dx_tail
 * after its `limit` dx_entries, checksumming the `count` in use.
 */
static int check_dir_block(struct ext2_fs *fs, const struct ext2_file *dir, uint32_t lblk,
			   const uint8_t *blk)
{
	uint32_t bs = fs->block_size, crc, want, off;
	const struct ext4_dir_entry_tail *t = (const void *)(blk + bs - EXT4_DIR_TAIL_SIZE);
	static const uint32_t zero;

	if (!fs->csum)
		return 0;
	if (!t->det_reserved_zero1 && t->det_rec_len == EXT4_DIR_TAIL_SIZE &&
	    !t->det_reserved_zero2 && t->det_reserved_ft == EXT4_DIR_TAIL_FT) {
		crc = crc32c(dir->csum_seed, blk, bs - EXT4_DIR_TAIL_SIZE);
		want = t->det_checksum;
	} else {
		const struct ext4_dx_countlimit *cl;
		const struct ext4_dx_tail *dt;

		off = lblk ? EXT4_DX_NODE_COUNT :
		      EXT4_DX_ROOT_INFO + ((const struct ext4_dx_root_info *)(blk + EXT4_DX_ROOT_INFO))->info_length;
		cl = (const void *)(blk + off);
		if ((off & 3) || off + sizeof(*cl) > bs || cl->count > cl->limit ||
		    off + (cl->limit + 1u) * EXT4_DX_ENTRY_SIZE > bs) {
			printf("%s: directory inode %u: block %u has no checksum\n", fs->name,
			       dir->ino, lblk);
			return FS_ECORRUPT;
		}
		dt = (const void *)(blk + off + cl->limit * EXT4_DX_ENTRY_SIZE);
		crc = crc32c(dir->csum_seed, blk, off + cl->count * EXT4_DX_ENTRY_SIZE);
		crc = crc32c(crc32c(crc, &dt->dt_reserved, 4), &zero, 4);
		want = dt->dt_checksum;
	}
	return crc == want ? 0 : csum_error(fs, "directory block", lblk);
}

/*
 * Call fn for each used entry in the n bytes of directory data at blk
 * (byte pos of dir, for messages) until it returns nonzero; return that, 0
 * at the end, or a negative error.  Entries must exactly cover the n bytes.
 */
static int scan_entries(struct ext2_fs *fs, const struct ext2_file *dir, const uint8_t *blk,
			uint32_t n, uint64_t pos, dirent_fn fn, void *arg)
{
	uint32_t off, rec_len, name_len;
	int ret = 0;

	for (off = 0; !ret && off < n; off += rec_len) {
		const struct ext2_dir_entry *de = (const void *)(blk + off);

		rec_len = name_len = 0;
		if (n - off >= EXT2_DIR_ENTRY_HEADER) {
			rec_len = de->rec_len;
			/* 65536 does not fit in 16 bits: with 64 KiB blocks it
			 * is stored as 0 or 65535.  With smaller blocks 0 is
			 * just wrong (and would never move on). */
			if ((rec_len == 0 || rec_len == 0xFFFF) && fs->block_log == EXT2_MAX_BLOCK_LOG)
				rec_len = 1u << EXT2_MAX_BLOCK_LOG;
			name_len = de->name_len;
			if (!(fs->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE))
				name_len |= de->file_type << 8;
		}
		if (rec_len < EXT2_DIR_ENTRY_HEADER + name_len || (rec_len & 3) ||
		    rec_len > n - off || name_len > EXT2_NAME_LEN ||
		    de->inode > fs->sb.s_inodes_count || (de->inode && !name_len)) {
			printf("%s: directory inode %u: bad entry at byte %llu "
			       "(rec_len %u, name_len %u)\n", fs->name, dir->ino,
			       (unsigned long long)(pos + off), rec_len, name_len);
			ret = FS_ECORRUPT;
		} else if (de->inode) {
			ret = fn(de, name_len, fs->incompat & EXT2_FEATURE_INCOMPAT_FILETYPE ?
				 de->file_type : FS_FT_UNKNOWN, arg);
		}
	}
	return ret;
}

/*
 * An inline directory: "." and ".." are not stored (i_block starts with
 * the parent's inode number), then come two runs of entries, the rest of
 * i_block and the value of system.data.  Both go through blk, a copy: the
 * callbacks may read other inodes, which reuses fs->scratch.
 */
static int scan_inline_dir(struct ext2_fs *fs, struct ext2_file *dir, uint8_t *blk, dirent_fn fn,
			   void *arg)
{
	/* Two entries as they would be on disk: inode; rec_len 12, name_len,
	 * type; the name. */
	uint32_t dots[2][3] = {
		{ dir->ino, 12 | 1 << 16 | EXT2_FT_DIR << 24, '.' },
		{ dir->block[0], 12 | 2 << 16 | EXT2_FT_DIR << 24, '.' | '.' << 8 },
	};
	const uint8_t *value;
	uint32_t len = 0;
	int ret = 0;

	if (!dir->block[0] || dir->block[0] > fs->sb.s_inodes_count) {
		printf("%s: directory inode %u: bad parent %u\n", fs->name, dir->ino, dir->block[0]);
		return FS_ECORRUPT;
	}
	for (int i = 0; i < 2 && !ret; i++)
		ret = fn((const struct ext2_dir_entry *)dots[i], i + 1, EXT2_FT_DIR, arg);
	if (!ret) {
		len = sizeof(dir->block) - EXT4_INLINE_DOTDOT_SIZE;
		memcpy(blk, (uint8_t *)dir->block + EXT4_INLINE_DOTDOT_SIZE, len);
		ret = scan_entries(fs, dir, blk, len, EXT4_INLINE_DOTDOT_SIZE, fn, arg);
	}
	if (!ret)
		ret = inline_attr(fs, dir, &value, &len);
	if (!ret && len) {
		memcpy(blk, value, len);             /* len < inode size <= block size */
		ret = scan_entries(fs, dir, blk, len, sizeof(dir->block), fn, arg);
	}
	return ret;
}

/* Call fn for each used entry of dir until it returns nonzero; return that,
 * 0 at the end, or a negative error. */
static int dir_scan(struct ext2_fs *fs, struct ext2_file *dir, dirent_fn fn, void *arg)
{
	uint32_t bs = fs->block_size, prev = 0;
	uint8_t *blk = malloc(bs);
	int ret = 0;

	if (!blk) {
		printf("%s: out of memory for a %u-byte block\n", fs->name, bs);
		return FS_ENOMEM;
	}
	if (dir->map == FS_MAP_INODE) {
		ret = scan_inline_dir(fs, dir, blk, fn, arg);
		goto out;
	}
	/* pos < size: the walk is bounded by the directory's own size, which
	 * load_file() held to the blocks the directory owns. */
	for (uint64_t pos = 0; pos < dir->size && !ret; pos += bs) {
		uint32_t lblk = pos >> fs->block_log, pblk;

		/* No holes; and two blocks of a directory are never one disk
		 * block: a damaged map repeating one block is refused at the
		 * first repeat, even where its i_blocks lies too.  (prev 0:
		 * block 0 can only be a hole.) */
		ret = map(fs, dir, lblk, 1, &pblk);
		if (ret >= 0 && (!pblk || pblk == prev)) {
			printf("%s: directory inode %u: block %u is a hole or the one before again\n",
			       fs->name, dir->ino, lblk);
			ret = FS_ECORRUPT;
		}
		prev = pblk;
		if (ret >= 0)
			ret = read_bytes(fs, block_pos(fs, pblk), bs, blk);
		if (!ret)
			ret = check_dir_block(fs, dir, lblk, blk);
		if (!ret)
			ret = scan_entries(fs, dir, blk, MIN(bs, dir->size - pos), pos, fn, arg);
	}
out:
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
	struct ext2_file next;
	struct lookup l;
	size_t n = strlen(path);
	int links = 0, err = 0;
	bool from_root = true;
	char *buf, *p;

	if (n >= FS_PATH_MAX) {
		printf("%s: path too long (%u bytes)\n", fs->name, (unsigned)n);
		return FS_ENAMETOOLONG;
	}
	p = buf = malloc(FS_PATH_MAX);
	if (!buf) {
		printf("%s: %s: out of memory\n", fs->name, path);
		return FS_ENOMEM;
	}
	memcpy(buf, path, n + 1);
	while (!err) {
		if (from_root) {                 /* the start, or an absolute link */
			from_root = false;
			err = load_file(fs, EXT2_ROOT_INO, f);
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
			printf("%s: %s: no such file ('%s' not found)\n", fs->name, path, l.name);
			err = FS_ENOENT;
		}
		if (err >= 0)
			err = load_file(fs, l.ino, &next);
		if (err < 0)
			break;
		if ((next.mode & EXT2_S_IFMT) == EXT2_S_IFLNK) {
			uint32_t rest = strlen(p), len = next.size;

			if (++links > FS_MAX_SYMLINKS) {
				printf("%s: too many symlinks resolving %s\n", fs->name, path);
				err = FS_ELOOP;
			} else if (next.size >= FS_PATH_MAX - rest) {
				printf("%s: %s: path too long after following links\n", fs->name, path);
				err = FS_ENAMETOOLONG;
			} else if (!len) {
				printf("%s: symlink inode %u: bad length 0\n", fs->name, next.ino);
				err = FS_ECORRUPT;
			} else {
				memmove(buf + len, p, rest + 1);
				err = ext2_read(fs, &next, 0, buf, len, NULL);
				p = buf;
				from_root = *p == '/';
			}
		} else if (*p && (next.mode & EXT2_S_IFMT) != EXT2_S_IFDIR) {
			*p = 0;
			printf("%s: %s: %s is not a directory\n", fs->name, path, l.name);
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
		printf("%s: %s: not a directory\n", fs->name, path);
		return FS_ENOTDIR;
	}
	return dir_scan(fs, &dir, list_one, &la);
}

/* ---- Mounting ---- */

int ext2_mount(struct ext2_fs **out, struct blockdev *dev)
{
	struct ext2_fs *fs;
	struct ext2_file root;
	int err;

	*out = NULL;
	/* 512-byte sectors only (read_bytes() and the caches count in them):
	 * a CD's 2048-byte ones hold ISO 9660, not ext2.  Quietly, so that the
	 * next filesystem of fs.c's table can look. */
	if (dev->sector_size && dev->sector_size != SECTOR)
		return FS_EUNSUPPORTED;
	fs = malloc(sizeof(*fs));
	if (!fs) {
		printf("ext2: out of memory\n");
		return FS_ENOMEM;
	}
	memset(fs, 0, sizeof(*fs));
	memset(fs->ind, 0xff, sizeof(fs->ind));  /* caches empty */
	memset(fs->cache, 0xff, sizeof(fs->cache));
	fs->dev = dev;
	err = read_sectors(fs, EXT2_SUPER_OFFSET >> SECTOR_SHIFT, sizeof(fs->sb) >> SECTOR_SHIFT, &fs->sb);
	if (!err)
		err = check_super(fs);
	if (!err && !(fs->scratch = malloc(1u << MAX(fs->inode_log, fs->desc_log)))) {
		printf("%s: out of memory\n", fs->name);
		err = FS_ENOMEM;
	}
	if (!err)
		err = load_file(fs, EXT2_ROOT_INO, &root);
	if (!err && !FS_IS_DIR(&root)) {
		printf("%s: the root inode is not a directory\n", fs->name);
		err = FS_ECORRUPT;
	}
	if (err) {
		ext2_unmount(fs);
		return err;
	}
	*out = fs;
	return 0;
}

void ext2_describe(const struct ext2_fs *fs)
{
	const struct ext2_super_block *sb = &fs->sb;

	printf("%s: %u-byte blocks, %u blocks, %u per group, %u-byte inodes, features:", fs->name,
	       fs->block_size, sb->s_blocks_count, sb->s_blocks_per_group, 1u << fs->inode_log);
	for (uint32_t bit = 0; bit < ARRAY_SIZE(incompat_names); bit++)
		if ((fs->incompat & (1u << bit)) && incompat_names[bit])
			printf(" %s", incompat_names[bit]);
	printf("%s\n", fs->csum ? " metadata_csum (checked)" : "");
}

void ext2_unmount(struct ext2_fs *fs)
{
	if (!fs)
		return;
	for (int i = 0; i < EXT4_EXT_MAX_DEPTH; i++)
		free(fs->ext[i].data);
	free(fs->scratch);
	free(fs);
}

/* ---- The filesystem interface (fs.h): ext2 as fs.c's table sees it ---- */

static int fs_ext2_mount(struct fs *v)
{
	struct ext2_fs *fs;
	int err = ext2_mount(&fs, v->dev);

	if (err)
		return err;
	v->priv = fs;
	v->type = fs->name;
	memcpy(v->uuid, fs->sb.s_uuid, sizeof(fs->sb.s_uuid));
	memcpy(v->label, fs->sb.s_volume_name, sizeof(fs->sb.s_volume_name));  /* NUL after it */
	return 0;
}

static int fs_ext2_open(struct fs *v, const char *path, struct fs_file *f)
{
	int err = ext2_open(v->priv, path, &f->u.ext2);

	f->size = f->u.ext2.size;
	f->mode = f->u.ext2.mode;
	return err;
}

static int fs_ext2_read(struct fs *v, struct fs_file *f, uint64_t offset, void *buf, uint64_t len,
			fs_progress_fn progress)
{
	return ext2_read(v->priv, &f->u.ext2, offset, buf, len, progress);
}

static int fs_ext2_list(struct fs *v, const char *path, fs_list_fn cb, void *arg)
{
	return ext2_list(v->priv, path, cb, arg);
}

static void fs_ext2_describe(const struct fs *v)
{
	ext2_describe(v->priv);
}

static void fs_ext2_unmount(struct fs *v)
{
	ext2_unmount(v->priv);
}

const struct fs_ops ext2_fs_ops = {
	.name = "ext2",
	.mount = fs_ext2_mount,
	.open = fs_ext2_open,
	.read = fs_ext2_read,
	.list = fs_ext2_list,
	.describe = fs_ext2_describe,
	.unmount = fs_ext2_unmount,
};
