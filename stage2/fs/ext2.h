/*
 * ext2.h - the ext2 on-disk format (also the parts ext3 and ext4 share).
 *
 * Source: the kernel's Documentation/filesystems/ext4/ (super.rst,
 * group_descr.rst, inodes.rst, blockmap.rst, ifork.rst, directory.rst,
 * attributes.rst, inlinedata.rst, checksums.rst).  Every field is
 * little-endian; smartboot runs on x86 only, so they are used as they are.
 * The comments give each field's byte offset; the static asserts at the end
 * check the layout, for -m32 and for the host.
 */
#ifndef EXT2_H
#define EXT2_H

#include "klib.h"

/* ---- Superblock: 1024 bytes at byte 1024 of the filesystem ---- */

#define EXT2_SUPER_OFFSET     1024
#define EXT2_SUPER_MAGIC      0xEF53
#define EXT2_MIN_BLOCK_LOG    10      /* block size = 1024 << s_log_block_size */
#define EXT2_MAX_BLOCK_LOG    16      /* 64 KiB */
#define EXT2_GOOD_OLD_REV     0       /* revision 0: fixed inode size and first inode */
#define EXT2_DYNAMIC_REV      1       /* revision 1: s_first_ino, s_inode_size, features */
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_GOOD_OLD_FIRST_INO  11

struct ext2_super_block {
	/* 0x00 */ uint32_t s_inodes_count;
	/* 0x04 */ uint32_t s_blocks_count;        /* _lo: ext4 adds s_blocks_count_hi */
	/* 0x08 */ uint32_t s_r_blocks_count;
	/* 0x0C */ uint32_t s_free_blocks_count;
	/* 0x10 */ uint32_t s_free_inodes_count;
	/* 0x14 */ uint32_t s_first_data_block;    /* 1 with 1 KiB blocks, else 0 */
	/* 0x18 */ uint32_t s_log_block_size;      /* block size = 1024 << this */
	/* 0x1C */ uint32_t s_log_cluster_size;
	/* 0x20 */ uint32_t s_blocks_per_group;
	/* 0x24 */ uint32_t s_clusters_per_group;
	/* 0x28 */ uint32_t s_inodes_per_group;
	/* 0x2C */ uint32_t s_mtime;
	/* 0x30 */ uint32_t s_wtime;
	/* 0x34 */ uint16_t s_mnt_count;
	/* 0x36 */ int16_t  s_max_mnt_count;
	/* 0x38 */ uint16_t s_magic;               /* EXT2_SUPER_MAGIC */
	/* 0x3A */ uint16_t s_state;
	/* 0x3C */ uint16_t s_errors;
	/* 0x3E */ uint16_t s_minor_rev_level;
	/* 0x40 */ uint32_t s_lastcheck;
	/* 0x44 */ uint32_t s_checkinterval;
	/* 0x48 */ uint32_t s_creator_os;
	/* 0x4C */ uint32_t s_rev_level;           /* EXT2_GOOD_OLD_REV or EXT2_DYNAMIC_REV */
	/* 0x50 */ uint16_t s_def_resuid;
	/* 0x52 */ uint16_t s_def_resgid;
	/* The rest is valid in revision 1 only. */
	/* 0x54 */ uint32_t s_first_ino;
	/* 0x58 */ uint16_t s_inode_size;
	/* 0x5A */ uint16_t s_block_group_nr;
	/* 0x5C */ uint32_t s_feature_compat;
	/* 0x60 */ uint32_t s_feature_incompat;
	/* 0x64 */ uint32_t s_feature_ro_compat;
	/* 0x68 */ uint8_t  s_uuid[16];
	/* 0x78 */ char     s_volume_name[16];
	/* 0x88 */ char     s_last_mounted[64];
	/* 0xC8 */ uint32_t s_algorithm_usage_bitmap;
	/* 0xCC */ uint8_t  s_prealloc_blocks;
	/* 0xCD */ uint8_t  s_prealloc_dir_blocks;
	/* 0xCE */ uint16_t s_reserved_gdt_blocks;
	/* ext3: the journal */
	/* 0xD0 */ uint8_t  s_journal_uuid[16];
	/* 0xE0 */ uint32_t s_journal_inum;
	/* 0xE4 */ uint32_t s_journal_dev;
	/* 0xE8 */ uint32_t s_last_orphan;
	/* 0xEC */ uint32_t s_hash_seed[4];
	/* 0xFC */ uint8_t  s_def_hash_version;
	/* 0xFD */ uint8_t  s_jnl_backup_type;
	/* 0xFE */ uint16_t s_desc_size;           /* with INCOMPAT_64BIT only */
	/* 0x100 */ uint32_t s_default_mount_opts;
	/* 0x104 */ uint32_t s_first_meta_bg;
	/* 0x108 */ uint32_t s_mkfs_time;
	/* 0x10C */ uint32_t s_jnl_blocks[17];
	/* ext4 */
	/* 0x150 */ uint32_t s_blocks_count_hi;
	/* 0x154 */ uint32_t s_r_blocks_count_hi;
	/* 0x158 */ uint32_t s_free_blocks_count_hi;
	/* 0x15C */ uint16_t s_min_extra_isize;
	/* 0x15E */ uint16_t s_want_extra_isize;
	/* 0x160 */ uint32_t s_flags;
	/* 0x164 */ uint16_t s_raid_stride;
	/* 0x166 */ uint16_t s_mmp_interval;
	/* 0x168 */ uint64_t s_mmp_block;
	/* 0x170 */ uint32_t s_raid_stripe_width;
	/* 0x174 */ uint8_t  s_log_groups_per_flex;
	/* 0x175 */ uint8_t  s_checksum_type;
	/* 0x176 */ uint16_t s_reserved_pad;
	/* 0x178 */ uint64_t s_kbytes_written;
	/* 0x180 */ uint32_t s_snapshot_inum;
	/* 0x184 */ uint32_t s_snapshot_id;
	/* 0x188 */ uint64_t s_snapshot_r_blocks_count;
	/* 0x190 */ uint32_t s_snapshot_list;
	/* 0x194 */ uint32_t s_error_count;
	/* 0x198 */ uint32_t s_first_error_time;
	/* 0x19C */ uint32_t s_first_error_ino;
	/* 0x1A0 */ uint64_t s_first_error_block;
	/* 0x1A8 */ uint8_t  s_first_error_func[32];
	/* 0x1C8 */ uint32_t s_first_error_line;
	/* 0x1CC */ uint32_t s_last_error_time;
	/* 0x1D0 */ uint32_t s_last_error_ino;
	/* 0x1D4 */ uint32_t s_last_error_line;
	/* 0x1D8 */ uint64_t s_last_error_block;
	/* 0x1E0 */ uint8_t  s_last_error_func[32];
	/* 0x200 */ uint8_t  s_mount_opts[64];
	/* 0x240 */ uint32_t s_usr_quota_inum;
	/* 0x244 */ uint32_t s_grp_quota_inum;
	/* 0x248 */ uint32_t s_overhead_blocks;
	/* 0x24C */ uint32_t s_backup_bgs[2];
	/* 0x254 */ uint8_t  s_encrypt_algos[4];
	/* 0x258 */ uint8_t  s_encrypt_pw_salt[16];
	/* 0x268 */ uint32_t s_lpf_ino;
	/* 0x26C */ uint32_t s_prj_quota_inum;
	/* 0x270 */ uint32_t s_checksum_seed;
	/* 0x274 */ uint8_t  s_time_hi[6];         /* wtime, mtime, mkfs_time, lastcheck, error times */
	/* 0x27A */ uint8_t  s_pad[2];
	/* 0x27C */ uint16_t s_encoding;
	/* 0x27E */ uint16_t s_encoding_flags;
	/* 0x280 */ uint32_t s_orphan_file_inum;
	/* 0x284 */ uint32_t s_reserved[94];
	/* 0x3FC */ uint32_t s_checksum;
};

/*
 * Features.  A reader must refuse a filesystem with an incompatible feature
 * it does not know; it may ignore compatible and read-only-compatible ones
 * (they only constrain writers).  What smartboot does with each one, and
 * why: docs/ext4.md and incompat_names[] in ext2.c.
 */
#define EXT2_FEATURE_COMPAT_HAS_JOURNAL      0x0004   /* ext3: a journal inode */
#define EXT2_FEATURE_COMPAT_DIR_INDEX        0x0020   /* htree directories */
#define EXT4_FEATURE_COMPAT_SPARSE_SUPER2    0x0200   /* backups in s_backup_bgs[] only */

#define EXT2_FEATURE_RO_COMPAT_SPARSE_SUPER  0x0001   /* backups in groups 0, 1, 3^n, 5^n, 7^n */
#define EXT2_FEATURE_RO_COMPAT_LARGE_FILE    0x0002   /* i_size_high is used */
#define EXT2_FEATURE_RO_COMPAT_BTREE_DIR     0x0004   /* never used */
#define EXT4_FEATURE_RO_COMPAT_HUGE_FILE     0x0008   /* i_blocks_high, EXT4_HUGE_FILE_FL */
#define EXT4_FEATURE_RO_COMPAT_GDT_CSUM      0x0010   /* "uninit_bg": bg_flags, bg_itable_unused */
#define EXT4_FEATURE_RO_COMPAT_BIGALLOC      0x0200   /* clusters: s_first_data_block is 0 */
#define EXT4_FEATURE_RO_COMPAT_METADATA_CSUM 0x0400   /* crc32c of every metadata block */

#define EXT2_FEATURE_INCOMPAT_COMPRESSION    0x0001
#define EXT2_FEATURE_INCOMPAT_FILETYPE       0x0002   /* dir entries carry a type */
#define EXT2_FEATURE_INCOMPAT_RECOVER        0x0004   /* ext3 journal needs replay */
#define EXT2_FEATURE_INCOMPAT_JOURNAL_DEV    0x0008   /* this is a journal, not a fs */
#define EXT2_FEATURE_INCOMPAT_META_BG        0x0010   /* descriptors spread over meta groups */
#define EXT2_FEATURE_INCOMPAT_EXTENTS        0x0040   /* ext4 */
#define EXT2_FEATURE_INCOMPAT_64BIT          0x0080   /* ext4: s_desc_size descriptors */
#define EXT2_FEATURE_INCOMPAT_MMP            0x0100
#define EXT2_FEATURE_INCOMPAT_FLEX_BG        0x0200
#define EXT2_FEATURE_INCOMPAT_EA_INODE       0x0400
#define EXT2_FEATURE_INCOMPAT_DIRDATA        0x1000
#define EXT2_FEATURE_INCOMPAT_CSUM_SEED      0x2000   /* s_checksum_seed, not the UUID */
#define EXT2_FEATURE_INCOMPAT_LARGEDIR       0x4000
#define EXT2_FEATURE_INCOMPAT_INLINE_DATA    0x8000
#define EXT2_FEATURE_INCOMPAT_ENCRYPT        0x10000
#define EXT2_FEATURE_INCOMPAT_CASEFOLD       0x20000

/* s_checksum_type with METADATA_CSUM: the only one there is. */
#define EXT4_CRC32C_CHKSUM    1

/* ---- Block group descriptor ---- */

/*
 * The descriptor table starts in the block after the superblock's
 * (block s_first_data_block + 1).  ext2 descriptors are 32 bytes; with
 * INCOMPAT_64BIT they are s_desc_size (>= 64) bytes and the _hi halves
 * follow at 0x20.
 */
#define EXT2_DESC_SIZE        32
#define EXT4_DESC_SIZE_64BIT  64

struct ext2_group_desc {
	/* 0x00 */ uint32_t bg_block_bitmap;
	/* 0x04 */ uint32_t bg_inode_bitmap;
	/* 0x08 */ uint32_t bg_inode_table;        /* first block of this group's inodes */
	/* 0x0C */ uint16_t bg_free_blocks_count;
	/* 0x0E */ uint16_t bg_free_inodes_count;
	/* 0x10 */ uint16_t bg_used_dirs_count;
	/* 0x12 */ uint16_t bg_flags;
	/* 0x14 */ uint32_t bg_exclude_bitmap;
	/* 0x18 */ uint16_t bg_block_bitmap_csum;
	/* 0x1A */ uint16_t bg_inode_bitmap_csum;
	/* 0x1C */ uint16_t bg_itable_unused;
	/* 0x1E */ uint16_t bg_checksum;        /* GDT_CSUM: crc16; METADATA_CSUM: crc32c & 0xFFFF */
};

/* bg_flags */
#define EXT4_BG_INODE_UNINIT  0x0001      /* (GDT_CSUM) the inode table was never written */

/* With INCOMPAT_64BIT (s_desc_size >= 64): the upper halves. */
struct ext4_group_desc {
	/* 0x00 */ struct ext2_group_desc lo;
	/* 0x20 */ uint32_t bg_block_bitmap_hi;
	/* 0x24 */ uint32_t bg_inode_bitmap_hi;
	/* 0x28 */ uint32_t bg_inode_table_hi;
	/* 0x2C */ uint16_t bg_free_blocks_count_hi;
	/* 0x2E */ uint16_t bg_free_inodes_count_hi;
	/* 0x30 */ uint16_t bg_used_dirs_count_hi;
	/* 0x32 */ uint16_t bg_itable_unused_hi;
	/* 0x34 */ uint32_t bg_exclude_bitmap_hi;
	/* 0x38 */ uint16_t bg_block_bitmap_csum_hi;
	/* 0x3A */ uint16_t bg_inode_bitmap_csum_hi;
	/* 0x3C */ uint32_t bg_reserved;
};

/* ---- Inode ---- */

#define EXT2_ROOT_INO         2
#define EXT2_NDIR_BLOCKS      12      /* i_block[0..11]: direct */
#define EXT2_IND_BLOCK        12      /* single indirect */
#define EXT2_DIND_BLOCK       13      /* double indirect */
#define EXT2_TIND_BLOCK       14      /* triple indirect */
#define EXT2_N_BLOCKS         15

/* i_mode: the file type is the top four bits. */
#define EXT2_S_IFMT           0xF000
#define EXT2_S_IFLNK          0xA000
#define EXT2_S_IFREG          0x8000
#define EXT2_S_IFDIR          0x4000

/* i_flags that change how i_block (or i_blocks) is read. */
#define EXT4_INDEX_FL         0x00001000   /* an htree directory */
#define EXT4_HUGE_FILE_FL     0x00040000   /* i_blocks counts blocks, not sectors */
#define EXT4_EXTENTS_FL       0x00080000   /* i_block holds an extent tree */
#define EXT4_INLINE_DATA_FL   0x10000000   /* the data is in the inode */

/* A fast symlink keeps its target (< 60 bytes) in i_block. */
#define EXT2_FAST_SYMLINK_MAX 60

/* The 128 bytes every revision has.  Larger inodes (s_inode_size) add
 * ext4's extra fields at 0x80: timestamps' high bits, i_crtime, ... which a
 * boot loader does not need. */
struct ext2_inode {
	/* 0x00 */ uint16_t i_mode;
	/* 0x02 */ uint16_t i_uid;
	/* 0x04 */ uint32_t i_size;                /* _lo */
	/* 0x08 */ uint32_t i_atime;
	/* 0x0C */ uint32_t i_ctime;
	/* 0x10 */ uint32_t i_mtime;
	/* 0x14 */ uint32_t i_dtime;
	/* 0x18 */ uint16_t i_gid;
	/* 0x1A */ uint16_t i_links_count;
	/* 0x1C */ uint32_t i_blocks;              /* in 512-byte units (without HUGE_FILE) */
	/* 0x20 */ uint32_t i_flags;
	/* 0x24 */ uint32_t i_osd1;
	/* 0x28 */ uint32_t i_block[EXT2_N_BLOCKS]; /* block map, or a fast symlink's target */
	/* 0x64 */ uint32_t i_generation;
	/* 0x68 */ uint32_t i_file_acl;            /* extended-attribute block */
	/* 0x6C */ uint32_t i_size_high;           /* regular files, with RO_COMPAT_LARGE_FILE
	                                              (was i_dir_acl) */
	/* 0x70 */ uint32_t i_faddr;
	/* 0x74 */ uint16_t i_blocks_high;         /* osd2, as Linux uses it */
	/* 0x76 */ uint16_t i_file_acl_high;
	/* 0x78 */ uint16_t i_uid_high;
	/* 0x7A */ uint16_t i_gid_high;
	/* 0x7C */ uint16_t i_checksum_lo;       /* METADATA_CSUM: crc32c & 0xFFFF */
	/* 0x7E */ uint16_t i_reserved;
};

/* Inodes larger than 128 bytes: i_extra_isize bytes of ext4 fields follow
 * (the first two are all a reader needs), then in-inode extended
 * attributes up to the end of the inode. */
#define EXT4_INODE_EXTRA      0x80
struct ext4_inode_extra {
	/* 0x80 */ uint16_t i_extra_isize;       /* bytes from 0x80, this field included */
	/* 0x82 */ uint16_t i_checksum_hi;       /* if i_extra_isize >= 4 */
};

/* ---- Directory entry ---- */

/*
 * A directory is a file of blocks, each a chain of entries that exactly
 * covers it: rec_len (a multiple of 4) leads to the next entry.  An entry
 * with inode 0 is unused.  Entries never cross a block.  With 64 KiB blocks
 * a rec_len of 65536 is stored as 0 or 65535.  Without INCOMPAT_FILETYPE,
 * name_len is 16 bits (file_type is its high byte and always 0).
 */
#define EXT2_DIR_ENTRY_HEADER 8
#define EXT2_NAME_LEN         255

struct ext2_dir_entry {
	/* 0x00 */ uint32_t inode;
	/* 0x04 */ uint16_t rec_len;
	/* 0x06 */ uint8_t  name_len;
	/* 0x07 */ uint8_t  file_type;            /* EXT2_FT_*, with INCOMPAT_FILETYPE */
	/* 0x08 */ char     name[];               /* not NUL-terminated */
};

#define EXT2_FT_UNKNOWN       0
#define EXT2_FT_REG_FILE      1
#define EXT2_FT_DIR           2
#define EXT2_FT_CHRDEV        3
#define EXT2_FT_BLKDEV        4
#define EXT2_FT_FIFO          5
#define EXT2_FT_SOCK          6
#define EXT2_FT_SYMLINK       7

/*
 * With METADATA_CSUM a leaf block ends in a fake 12-byte entry holding the
 * block's checksum (crc32c of seed, inode, generation, the block before it).
 * htree index blocks (the root, in block 0, behind ".."; interior nodes,
 * behind an empty entry covering the block) end their dx_entry table in a
 * dx_tail instead: the checksum covers the header, the `count` entries in
 * use and the tail's first word.
 */
#define EXT4_DIR_TAIL_SIZE    12
#define EXT4_DIR_TAIL_FT      0xDE

struct ext4_dir_entry_tail {
	/* 0x00 */ uint32_t det_reserved_zero1;  /* 0: an unused entry */
	/* 0x04 */ uint16_t det_rec_len;         /* 12 */
	/* 0x06 */ uint8_t  det_reserved_zero2;  /* name_len 0 */
	/* 0x07 */ uint8_t  det_reserved_ft;     /* EXT4_DIR_TAIL_FT */
	/* 0x08 */ uint32_t det_checksum;
};

#define EXT4_DX_ROOT_INFO     0x18        /* dx_root_info, after "." and ".." */
#define EXT4_DX_NODE_COUNT    0x08        /* dx_countlimit, after the empty entry */

struct ext4_dx_root_info {
	/* 0x18 */ uint32_t reserved_zero;
	/* 0x1C */ uint8_t  hash_version;
	/* 0x1D */ uint8_t  info_length;         /* 8: dx_countlimit follows at 0x20 */
	/* 0x1E */ uint8_t  indirect_levels;
	/* 0x1F */ uint8_t  unused_flags;
};

struct ext4_dx_countlimit {
	uint16_t limit;                        /* dx_entry slots, the header's included */
	uint16_t count;                        /* of them in use */
	/* then count - 1 struct dx_entry { uint32_t hash, block; } */
};
#define EXT4_DX_ENTRY_SIZE    8

struct ext4_dx_tail {
	uint32_t dt_reserved;
	uint32_t dt_checksum;
};

/* ---- Extent tree (ext4, EXT4_EXTENTS_FL) ---- */

/*
 * i_block holds a header and up to 4 entries; deeper nodes are blocks of a
 * header, eh_max entries and (with METADATA_CSUM) a tail with the crc32c of
 * seed, inode, generation and the block up to the tail.  Index entries
 * (eh_depth > 0) lead to the node covering file blocks from ei_block on;
 * leaf entries map ee_len blocks from ee_block to ee_start.
 */
#define EXT4_EXT_MAGIC        0xF30A
#define EXT4_EXT_MAX_DEPTH    5
#define EXT4_EXT_INIT_MAX_LEN 32768       /* a longer ee_len: uninitialised, ee_len - 32768 */

struct ext4_extent_header {
	/* 0x00 */ uint16_t eh_magic;
	/* 0x02 */ uint16_t eh_entries;          /* in use */
	/* 0x04 */ uint16_t eh_max;              /* room for */
	/* 0x06 */ uint16_t eh_depth;            /* 0: leaf */
	/* 0x08 */ uint32_t eh_generation;
};

struct ext4_extent_idx {
	/* 0x00 */ uint32_t ei_block;            /* first file block below */
	/* 0x04 */ uint32_t ei_leaf_lo;          /* the node's block */
	/* 0x08 */ uint16_t ei_leaf_hi;
	/* 0x0A */ uint16_t ei_unused;
};

struct ext4_extent {
	/* 0x00 */ uint32_t ee_block;            /* first file block */
	/* 0x04 */ uint16_t ee_len;
	/* 0x06 */ uint16_t ee_start_hi;
	/* 0x08 */ uint32_t ee_start_lo;         /* first disk block */
};

/* ---- In-inode extended attributes (inline data) ---- */

/*
 * After 128 + i_extra_isize bytes: a magic word, then entries (each padded
 * to 4 bytes) until a zero word; a value lies e_value_offs bytes after the
 * first entry.  Inline data: i_block holds a file's first 60 bytes, the
 * attribute "system.data" the rest.  An inline directory's i_block is the
 * parent's inode number and 56 bytes of entries, "system.data" more entries;
 * "." and ".." are not stored.
 */
#define EXT4_XATTR_MAGIC      0xEA020000
#define EXT4_XATTR_INDEX_SYSTEM 7         /* "system." */
#define EXT4_INLINE_DOTDOT_SIZE 4

struct ext4_xattr_entry {
	/* 0x00 */ uint8_t  e_name_len;
	/* 0x01 */ uint8_t  e_name_index;
	/* 0x02 */ uint16_t e_value_offs;
	/* 0x04 */ uint32_t e_value_inum;        /* EA_INODE: the value is in that inode */
	/* 0x08 */ uint32_t e_value_size;
	/* 0x0C */ uint32_t e_hash;
	/* 0x10 */ char     e_name[];
};

/* ---- Layout checks ---- */

_Static_assert(sizeof(struct ext2_super_block) == 1024, "superblock is 1024 bytes");
_Static_assert(offsetof(struct ext2_super_block, s_magic) == 0x38, "s_magic");
_Static_assert(offsetof(struct ext2_super_block, s_rev_level) == 0x4C, "s_rev_level");
_Static_assert(offsetof(struct ext2_super_block, s_feature_incompat) == 0x60, "s_feature_incompat");
_Static_assert(offsetof(struct ext2_super_block, s_journal_inum) == 0xE0, "s_journal_inum");
_Static_assert(offsetof(struct ext2_super_block, s_desc_size) == 0xFE, "s_desc_size");
_Static_assert(offsetof(struct ext2_super_block, s_blocks_count_hi) == 0x150, "s_blocks_count_hi");
_Static_assert(offsetof(struct ext2_super_block, s_mmp_block) == 0x168, "s_mmp_block");
_Static_assert(offsetof(struct ext2_super_block, s_mount_opts) == 0x200, "s_mount_opts");
_Static_assert(offsetof(struct ext2_super_block, s_orphan_file_inum) == 0x280, "s_orphan_file_inum");
_Static_assert(offsetof(struct ext2_super_block, s_checksum) == 0x3FC, "s_checksum");
_Static_assert(sizeof(struct ext2_group_desc) == EXT2_DESC_SIZE, "group descriptor is 32 bytes");
_Static_assert(offsetof(struct ext2_group_desc, bg_inode_table) == 0x08, "bg_inode_table");
_Static_assert(sizeof(struct ext2_inode) == EXT2_GOOD_OLD_INODE_SIZE, "inode is 128 bytes");
_Static_assert(offsetof(struct ext2_inode, i_block) == 0x28, "i_block");
_Static_assert(offsetof(struct ext2_inode, i_size_high) == 0x6C, "i_size_high");
_Static_assert(sizeof(struct ext2_dir_entry) == EXT2_DIR_ENTRY_HEADER, "dir entry header is 8 bytes");
_Static_assert(sizeof(struct ext4_group_desc) == EXT4_DESC_SIZE_64BIT, "64-bit descriptor is 64 bytes");
_Static_assert(offsetof(struct ext4_group_desc, bg_inode_table_hi) == 0x28, "bg_inode_table_hi");
_Static_assert(offsetof(struct ext4_group_desc, bg_itable_unused_hi) == 0x32, "bg_itable_unused_hi");
_Static_assert(offsetof(struct ext2_super_block, s_checksum_seed) == 0x270, "s_checksum_seed");
_Static_assert(offsetof(struct ext2_super_block, s_backup_bgs) == 0x24C, "s_backup_bgs");
_Static_assert(offsetof(struct ext2_super_block, s_first_meta_bg) == 0x104, "s_first_meta_bg");
_Static_assert(offsetof(struct ext2_inode, i_checksum_lo) == 0x7C, "i_checksum_lo");
_Static_assert(sizeof(struct ext4_dir_entry_tail) == EXT4_DIR_TAIL_SIZE, "dir tail is 12 bytes");
_Static_assert(sizeof(struct ext4_dx_root_info) == 8, "dx_root_info is 8 bytes");
_Static_assert(sizeof(struct ext4_extent_header) == 12, "extent header is 12 bytes");
_Static_assert(sizeof(struct ext4_extent_idx) == 12, "extent index is 12 bytes");
_Static_assert(sizeof(struct ext4_extent) == 12, "extent is 12 bytes");
_Static_assert(sizeof(struct ext4_xattr_entry) == 16, "xattr entry header is 16 bytes");

#endif
