/*
 * iso9660.h - the ISO 9660 on-disc format (ECMA-119) with the parts of the
 * System Use Sharing Protocol (SUSP, IEEE P1281) and Rock Ridge (RRIP,
 * IEEE P1282) that the reader uses, and the reader's own entry points
 * (iso9660.c; fs.c reaches it through struct fs_ops).
 *
 * Sources: ECMA-119 4th edition (sections 8.4 volume descriptors, 9.1
 * directory records), SUSP 1.12 (5.1 CE, 5.3 SP, 5.4 ST), RRIP 1.12
 * (4.1.1 PX, 4.1.4 NM).  Numbers of two bytes or four are stored
 * "both-endian" (ECMA-119 7.2.3, 7.3.3): little-endian, then the same value
 * big-endian; the reader uses the little-endian half and checks it against
 * the other.  Offsets are in the comments; the static asserts check them.
 */
#ifndef ISO9660_H
#define ISO9660_H

#include "blockdev.h"

#define ISO_BLOCK_SHIFT   11
#define ISO_BLOCK_SIZE    (1u << ISO_BLOCK_SHIFT)   /* the logical block size we accept */
#define ISO_VD_FIRST      16      /* the volume descriptors start at block 16 (after the system area) */
#define ISO_VD_MAX        32      /* descriptors read before giving up on a terminator */
#define ISO_ID            "CD001" /* standard identifier of every volume descriptor */

enum { ISO_VD_BOOT = 0, ISO_VD_PRIMARY = 1, ISO_VD_SUPPLEMENTARY = 2, ISO_VD_PARTITION = 3,
       ISO_VD_TERMINATOR = 255 };

struct iso_both16 { uint16_t le, be; } __attribute__((packed));
struct iso_both32 { uint32_t le, be; } __attribute__((packed));

/* A directory record (ECMA-119 9.1): a 33-byte header, the name, a pad byte
 * when the name's length is even, then the system use area (SUSP). */
struct iso_dirent {
	/*  0 */ uint8_t  len;            /* of the whole record; 0: the rest of the block is padding */
	/*  1 */ uint8_t  ext_attr_len;   /* blocks of extended attributes before the data */
	/*  2 */ struct iso_both32 extent;   /* first block of the data */
	/* 10 */ struct iso_both32 size;     /* bytes of this extent */
	/* 18 */ uint8_t  date[7];
	/* 25 */ uint8_t  flags;          /* ISO_DIR_* */
	/* 26 */ uint8_t  unit_size;      /* interleaved files: not 0 */
	/* 27 */ uint8_t  gap_size;
	/* 28 */ struct iso_both16 volume_seq;
	/* 32 */ uint8_t  name_len;
	/* 33 */ char     name[];         /* "\0" is ".", "\1" is ".."; "NAME.EXT;1" */
} __attribute__((packed));

#define ISO_DIRENT_MIN     33     /* header bytes before the name */
#define ISO_DIR_HIDDEN     0x01
#define ISO_DIR_DIRECTORY  0x02
#define ISO_DIR_MULTI      0x80   /* not the last extent: the next record continues the file */

/* A volume descriptor: 2048 bytes, of which the primary's fields below. */
struct iso_pvd {
	/*   0 */ uint8_t  type;          /* ISO_VD_* */
	/*   1 */ char     id[5];         /* ISO_ID */
	/*   6 */ uint8_t  version;       /* 1 */
	/*   7 */ uint8_t  unused1;
	/*   8 */ char     system_id[32];
	/*  40 */ char     volume_id[32]; /* the label, padded with spaces */
	/*  72 */ uint8_t  unused2[8];
	/*  80 */ struct iso_both32 volume_blocks;
	/*  88 */ uint8_t  unused3[32];
	/* 120 */ struct iso_both16 set_size;
	/* 124 */ struct iso_both16 seq_number;
	/* 128 */ struct iso_both16 block_size;   /* logical block size: 2048 */
	/* 132 */ struct iso_both32 path_table_size;
	/* 140 */ uint32_t path_tables[4];
	/* 156 */ uint8_t  root[34];      /* the root directory's record */
} __attribute__((packed));

/* A SUSP entry in a system use area: signature, length, version, data. */
struct susp_entry {
	/* 0 */ char    sig[2];
	/* 2 */ uint8_t len;              /* of the whole entry, >= 4 */
	/* 3 */ uint8_t version;
	/* 4 */ uint8_t data[];
} __attribute__((packed));

#define SUSP_HEADER     4
#define SUSP_SP_LEN     7      /* "SP": 0xBE 0xEF, then the bytes to skip in every record */
#define SUSP_CE_LEN     28     /* "CE": block, offset and length of a continuation area */
#define SUSP_CE_MAX     8      /* continuation areas followed per record (a loop ends here) */
#define RRIP_NM_CONTINUE 0x01  /* NM: the name goes on in the next NM entry */
#define RRIP_NM_CURRENT  0x02  /* NM: "." */
#define RRIP_NM_PARENT   0x04  /* NM: ".." */
#define ISO_NAME_MAX    255    /* bytes of a name (Rock Ridge's, like Unix's) */

_Static_assert(sizeof(struct iso_dirent) == 33, "ECMA-119 9.1: the record's fixed part");
_Static_assert(__builtin_offsetof(struct iso_dirent, flags) == 25, "ECMA-119 9.1.6");
_Static_assert(__builtin_offsetof(struct iso_pvd, volume_blocks) == 80, "ECMA-119 8.4.8");
_Static_assert(__builtin_offsetof(struct iso_pvd, block_size) == 128, "ECMA-119 8.4.12");
_Static_assert(__builtin_offsetof(struct iso_pvd, root) == 156, "ECMA-119 8.4.18");

/* ---- The reader (iso9660.c) ---- */

struct iso_fs;                     /* a mounted volume (opaque) */

/* An open file.  Where its first directory record is: a multi-extent
 * file's data is found again by walking its records from there. */
struct iso_file {
	uint64_t size;                 /* bytes, all extents */
	uint16_t mode;                 /* 0x4000 directory, 0x8000 file, 0xA000 symlink (Rock Ridge) */
	uint32_t dir_block;            /* the directory holding the record (block number), */
	uint32_t dir_size;             /* its size in bytes, */
	uint32_t rec;                  /* and the record's byte offset in it */
	uint32_t extent;               /* the first extent's first block */
	bool multi;                    /* more extents: walk the records from rec */
};

typedef int (*iso_list_fn)(const char *name, size_t len, uint8_t type, void *arg);
typedef void (*iso_progress_fn)(uint64_t done, uint64_t total);

/* Mount dev if it holds ISO 9660; says nothing (returns FS_EUNSUPPORTED) if
 * block 16 is not a volume descriptor, so that another filesystem can look. */
int iso9660_mount(struct iso_fs **out, struct blockdev *dev);
void iso9660_unmount(struct iso_fs *fs);
void iso9660_describe(const struct iso_fs *fs);
const char *iso9660_label(const struct iso_fs *fs);   /* "" if none */
int iso9660_open(struct iso_fs *fs, const char *path, struct iso_file *f);
int iso9660_read(struct iso_fs *fs, const struct iso_file *f, uint64_t offset, void *buf,
		 uint64_t len, iso_progress_fn progress);
int iso9660_list(struct iso_fs *fs, const char *path, iso_list_fn cb, void *arg);

#endif
