/*
 * iso9660.c - a small read-only reader of ISO 9660 (a CD image, or a hybrid
 * image written to a disk) with Rock Ridge names: mount, find a file by
 * path, read it, list a directory.
 *
 * Layout of this file, bottom-up:
 *   get_block()     the device, in 2048-byte blocks (one block cached)
 *   parse_record()  one directory record, checked, with its SUSP entries
 *                   (a Rock Ridge name and mode, continuation areas)
 *   dir_walk()      every record of a directory, bounded by its size
 *   iso9660_mount() the volume descriptors, to the terminator
 *   iso9660_open()  path -> file (its extents counted, 4 GiB refused)
 *   iso9660_read()  file bytes -> memory, one device read per run
 *
 * Nothing on the disc is trusted: every both-endian number is checked
 * against its big-endian half, every extent against the volume's size,
 * every record against its block and its directory's size, and the SUSP
 * continuation areas followed at most SUSP_CE_MAX times per record.
 * The device may have 512-byte sectors (a hybrid image on a disk) or
 * 2048-byte ones (a CD read through INT 13h); blocks are 2048 bytes either
 * way.  Format reference: iso9660.h.
 */
#include "fs/fs.h"
#include "fs/iso9660.h"

#define READ_CHUNK (1u << 20)   /* most bytes per device read: progress steps */
#define MODE_DIR   0x4000
#define MODE_REG   0x8000
#define MODE_LINK  0xA000
#define MODE_TYPE  0xF000

struct iso_fs {
	struct blockdev *dev;
	uint32_t sec_shift;            /* device sectors per block, log2: 2 (512 bytes) or 0 (2048) */
	uint32_t volume_blocks;        /* the primary descriptor's volume space size */
	uint32_t root_block, root_size;
	bool susp;                     /* the root's "." record starts with SP: read SUSP entries */
	uint8_t skip;                  /* SP's bytes to skip in each system use area */
	char label[33];                /* volume identifier, trailing spaces removed */
	uint32_t cached;               /* block in buf; ~0: none */
	uint32_t ce_cached;            /* block in ce; ~0: none */
	uint8_t buf[ISO_BLOCK_SIZE];   /* descriptors, directory blocks, partial data blocks */
	uint8_t ce[ISO_BLOCK_SIZE];    /* a SUSP continuation area's block */
};

/* One directory record, checked, as the rest of the reader uses it. */
struct rec {
	uint32_t len;                  /* of the record on the disc */
	uint32_t block, size;          /* its extent: first data block and bytes */
	uint8_t flags;                 /* ISO_DIR_* */
	uint16_t mode;                 /* MODE_DIR/REG, or Rock Ridge's PX type */
	bool rr_name;                  /* name is Rock Ridge's (compared exactly) */
	bool cont;                     /* the previous record had ISO_DIR_MULTI: same file */
	uint32_t name_len;
	char name[ISO_NAME_MAX + 1];
};

static int corrupt(const char *what, uint32_t block);

/* ---- The device ---- */

static int read_blocks(struct iso_fs *fs, uint32_t block, uint32_t count, void *dst)
{
	struct blockdev *dev = fs->dev;

	if ((uint64_t)block + count > fs->volume_blocks)
		return corrupt("read past the volume's end", block);
	if (dev->read(dev, dev->start_lba + ((uint64_t)block << fs->sec_shift), count << fs->sec_shift,
		      dst) < 0)
		return FS_EIO;
	return 0;
}

/* One block through the cache; NULL after a message. */
static const uint8_t *get_block(struct iso_fs *fs, uint32_t block, int *err)
{
	if (fs->cached != block) {
		fs->cached = ~0u;          /* stays empty if the read fails */
		*err = read_blocks(fs, block, 1, fs->buf);
		if (*err)
			return NULL;
		fs->cached = block;
	}
	return fs->buf;
}

/* Both-endian numbers (ECMA-119 7.2.3, 7.3.3): the halves must agree. */
static bool both32(const struct iso_both32 *b, uint32_t *v)
{
	*v = b->le;
	return b->le == __builtin_bswap32(b->be);
}

static bool both16(const struct iso_both16 *b, uint16_t *v)
{
	*v = b->le;
	return b->le == __builtin_bswap16(b->be);
}

static int corrupt(const char *what, uint32_t block)
{
	printf("iso9660: %s (block %u)\n", what, block);
	return FS_ECORRUPT;
}

/* ---- Directory records and their SUSP entries ---- */

/* Add n bytes of a Rock Ridge NM entry to the record's name. */
static int add_name(struct rec *r, const uint8_t *s, uint32_t n, uint32_t block)
{
	if (!r->rr_name)
		r->name_len = 0;           /* the first NM replaces the ISO name */
	r->rr_name = true;
	if (r->name_len + n > ISO_NAME_MAX)
		return corrupt("bad Rock Ridge name", block);
	memcpy(r->name + r->name_len, s, n);
	r->name_len += n;
	return 0;
}

/*
 * The SUSP entries of a system use area (n bytes at p) and of the
 * continuation areas it leads to: NM (the name), PX (the file type), CE
 * (go on there), ST (stop).  Others (SP, RR, ER, TF, SL...) are skipped.
 */
static int parse_susp(struct iso_fs *fs, struct rec *r, const uint8_t *p, uint32_t n, uint32_t block)
{
	for (uint32_t areas = 0;; areas++) {
		uint32_t ce_block = 0, ce_off = 0, ce_len = 0;
		int err;

		while (n >= SUSP_HEADER && p[0]) {      /* a 0 byte: the area's padding */
			const struct susp_entry *e = (const void *)p;
			uint32_t v;

			if (e->len < SUSP_HEADER || e->len > n)
				return corrupt("bad SUSP entry", block);
			if (!memcmp(e->sig, "ST", 2))
				break;
			if (!memcmp(e->sig, "CE", 2) && e->len >= SUSP_CE_LEN) {
				if (!both32((const void *)(e->data + 0), &ce_block) ||
				    !both32((const void *)(e->data + 8), &ce_off) ||
				    !both32((const void *)(e->data + 16), &ce_len))
					return corrupt("bad SUSP entry", block);
			} else if (!memcmp(e->sig, "NM", 2) && e->len >= SUSP_HEADER + 1) {
				if (e->data[0] & (RRIP_NM_CURRENT | RRIP_NM_PARENT))
					err = add_name(r, (const uint8_t *)"..",
						       e->data[0] & RRIP_NM_PARENT ? 2 : 1, block);
				else
					err = add_name(r, e->data + 1, e->len - SUSP_HEADER - 1, block);
				if (err)
					return err;
			} else if (!memcmp(e->sig, "PX", 2) && e->len >= SUSP_HEADER + 8) {
				if (!both32((const void *)e->data, &v))
					return corrupt("bad SUSP entry", block);
				if ((v & MODE_TYPE) == MODE_LINK)
					r->mode = MODE_LINK;
			}
			p += e->len;
			n -= e->len;
		}
		if (!ce_len)
			return 0;
		/* A continuation area: one more system use area, within one block
		 * (SUSP 5.1; xorriso and mkisofs never split one). */
		if (areas == SUSP_CE_MAX)
			return corrupt("more than 8 SUSP continuation areas (a loop?)", block);
		if (ce_off >= ISO_BLOCK_SIZE || ce_len > ISO_BLOCK_SIZE - ce_off)
			return corrupt("bad SUSP entry", ce_block);
		if (fs->ce_cached != ce_block) {
			fs->ce_cached = ~0u;
			err = read_blocks(fs, ce_block, 1, fs->ce);
			if (err)
				return err;
			fs->ce_cached = ce_block;
		}
		p = fs->ce + ce_off;
		n = ce_len;
		block = ce_block;
	}
}

/*
 * Check the record at p (room bytes left in its block and directory) and
 * fill r.  The ISO name loses its ";1" version and a trailing '.'
 * ("README.;1" is "README"); a Rock Ridge NM name replaces it.
 */
static int parse_record(struct iso_fs *fs, const uint8_t *p, uint32_t room, uint32_t block,
			struct rec *r)
{
	const struct iso_dirent *d = (const void *)p;
	uint32_t sua, ear;

	/* The record within its block, a name; both halves agree; the extent
	 * (after any extended attributes) within the volume.  Interleaved
	 * files (unit and gap sizes) are not read. */
	if (room < ISO_DIRENT_MIN || d->len < ISO_DIRENT_MIN + 1 || d->len > room ||
	    d->name_len == 0 || ISO_DIRENT_MIN + d->name_len > d->len ||
	    !both32(&d->extent, &r->block) || !both32(&d->size, &r->size) ||
	    d->unit_size || d->gap_size)
		return corrupt("bad directory record", block);
	ear = d->ext_attr_len;
	r->block += ear;
	if (r->block < ear || r->block > fs->volume_blocks ||
	    (r->size >> ISO_BLOCK_SHIFT) + !!(r->size & (ISO_BLOCK_SIZE - 1)) > fs->volume_blocks - r->block)
		return corrupt("bad directory record", block);
	r->len = d->len;
	r->flags = d->flags;
	r->mode = (d->flags & ISO_DIR_DIRECTORY) ? MODE_DIR : MODE_REG;
	r->rr_name = false;
	if (d->name_len == 1 && (uint8_t)d->name[0] <= 1) {
		r->name_len = d->name[0] + 1u;          /* "\0" is ".", "\1" is ".." */
		memcpy(r->name, "..", 2);
	} else {
		uint32_t n = d->name_len;

		for (uint32_t i = 0; i < n; i++)
			if (d->name[i] == ';')
				n = i;
		if (n > 1 && d->name[n - 1] == '.')
			n--;
		memcpy(r->name, d->name, n);
		r->name_len = n;
	}
	sua = ISO_DIRENT_MIN + d->name_len + !(d->name_len & 1) + fs->skip;
	if (fs->susp && sua < d->len) {
		int err = parse_susp(fs, r, p + sua, d->len - sua, block);

		if (err)
			return err;
	}
	/* ";1" as the ISO name, or an NM entry of no bytes: the filesystem
	 * interface gives names of 1 to 255 bytes (fs.h). */
	if (!r->name_len)
		return corrupt("a directory record with an empty name", block);
	return 0;
}

/* Called for each record; a non-zero return stops the walk and is returned. */
typedef int (*rec_fn)(struct iso_fs *fs, const struct rec *r, uint32_t off, void *arg);

/*
 * Each record of the directory whose extent is size bytes at block, from
 * byte start.  A record never crosses a block: a 0 length byte means the
 * rest of the block is padding (ECMA-119 6.8.1.1).
 */
static int dir_walk(struct iso_fs *fs, uint32_t block, uint32_t size, uint32_t start, rec_fn fn,
		    void *arg)
{
	uint64_t off = start;
	bool multi = false;

	while (off < size) {
		uint32_t in = off & (ISO_BLOCK_SIZE - 1), b = block + (uint32_t)(off >> ISO_BLOCK_SHIFT);
		struct rec r;
		const uint8_t *p;
		int err;

		p = get_block(fs, b, &err);
		if (!p)
			return err;
		if (p[in] == 0) {
			off = (off | (ISO_BLOCK_SIZE - 1)) + 1;
			continue;
		}
		err = parse_record(fs, p + in, (uint32_t)MIN(ISO_BLOCK_SIZE - in, size - off), b, &r);
		if (err)
			return err;
		r.cont = multi;
		multi = r.flags & ISO_DIR_MULTI;
		err = fn(fs, &r, (uint32_t)off, arg);
		if (err)
			return err;
		off += r.len;
	}
	return 0;
}

/* ---- Mount ---- */

/* The root's "." record: if its system use area starts with SUSP's SP
 * entry (0xBE 0xEF), the volume uses SUSP (Rock Ridge) (SUSP 5.3). */
static int find_sp(struct iso_fs *fs)
{
	const struct iso_dirent *d;
	const uint8_t *p;
	uint32_t sua;
	int err;

	p = get_block(fs, fs->root_block, &err);
	if (!p)
		return err;
	d = (const void *)p;
	sua = ISO_DIRENT_MIN + d->name_len + !(d->name_len & 1);
	if (d->len < ISO_DIRENT_MIN + 1 || sua + SUSP_SP_LEN > d->len)
		return 0;
	p += sua;
	if (!memcmp(p, "SP", 2) && p[2] >= SUSP_SP_LEN && p[4] == 0xBE && p[5] == 0xEF) {
		fs->susp = true;
		fs->skip = p[6];
	}
	return 0;
}

static int mount_pvd(struct iso_fs *fs, const struct iso_pvd *pvd, uint32_t block)
{
	struct blockdev *dev = fs->dev;
	uint16_t bs;
	uint32_t blocks;
	struct rec root;
	int err, n;

	/* Both halves agree, 2048-byte logical blocks (ECMA-119 allows 512
	 * and 1024 too; no CD or xorriso image uses them), a volume past its
	 * descriptors, and a device that holds it all. */
	if (!both16(&pvd->block_size, &bs) || !both32(&pvd->volume_blocks, &blocks) ||
	    bs != ISO_BLOCK_SIZE || blocks <= ISO_VD_FIRST)
		return corrupt("bad primary volume descriptor", block);
	if (dev->sectors && blocks > dev->sectors >> fs->sec_shift) {
		printf("iso9660: the volume is %u blocks, the %s only %u: truncated\n", blocks,
		       dev->name, (uint32_t)MIN(dev->sectors >> fs->sec_shift, ~0u));
		return FS_ECORRUPT;
	}
	fs->volume_blocks = blocks;
	err = parse_record(fs, pvd->root, sizeof(pvd->root), block, &root);
	if (err)
		return err;
	if (!(root.flags & ISO_DIR_DIRECTORY) || !root.size)
		return corrupt("bad primary volume descriptor", block);
	fs->root_block = root.block;
	fs->root_size = root.size;
	memcpy(fs->label, pvd->volume_id, sizeof(pvd->volume_id));
	for (n = sizeof(pvd->volume_id); n > 0 && (fs->label[n - 1] == ' ' || !fs->label[n - 1]); n--)
		;
	fs->label[n] = 0;
	return find_sp(fs);
}

int iso9660_mount(struct iso_fs **out, struct blockdev *dev)
{
	uint32_t shift = 0, ssize = dev->sector_size ? dev->sector_size : BLOCKDEV_SECTOR_SIZE;
	struct iso_fs *fs;
	int err = FS_EUNSUPPORTED;

	*out = NULL;
	while ((ssize << shift) < ISO_BLOCK_SIZE)
		shift++;
	/* 4096-byte sectors are neither a CD nor a hybrid image; a partition
	 * too small for block 16 has no volume descriptor (and reading past
	 * its end would print the disk layer's error for nothing). */
	if ((ssize << shift) != ISO_BLOCK_SIZE ||
	    (dev->sectors && dev->sectors < (uint64_t)(ISO_VD_FIRST + 1) << shift))
		return FS_EUNSUPPORTED;
	fs = malloc(sizeof(*fs));
	if (!fs) {
		printf("fs: out of memory\n");   /* fs.c's words: one string in stage 2 */
		return FS_ENOMEM;
	}
	memset(fs, 0, sizeof(*fs));
	fs->dev = dev;
	fs->sec_shift = shift;
	fs->cached = fs->ce_cached = ~0u;
	fs->volume_blocks = ISO_VD_FIRST + ISO_VD_MAX;   /* until the primary descriptor says */

	/* The volume descriptor set: from block 16 to the terminator
	 * (ECMA-119 6.7.1), the primary one among them. */
	for (uint32_t i = 0; i < ISO_VD_MAX; i++) {
		uint32_t block = ISO_VD_FIRST + i;
		const struct iso_pvd *vd = (const void *)get_block(fs, block, &err);

		if (!vd)
			break;
		if (memcmp(vd->id, ISO_ID, sizeof(vd->id)) || vd->version != 1) {
			/* Not ISO 9660 at all: say nothing, another filesystem may be there. */
			err = i ? corrupt("bad volume descriptor set", block)
				: FS_EUNSUPPORTED;
			break;
		}
		if (vd->type == ISO_VD_TERMINATOR) {
			err = fs->root_size ? 0 : corrupt("bad volume descriptor set", block);
			break;
		}
		if (vd->type == ISO_VD_PRIMARY && !fs->root_size) {
			struct iso_pvd pvd;

			memcpy(&pvd, vd, sizeof(pvd));   /* mount_pvd() reads other blocks */
			err = mount_pvd(fs, &pvd, block);
			if (err)
				break;
		}
		if (i == ISO_VD_MAX - 1)
			err = corrupt("bad volume descriptor set", block);
	}
	if (err) {
		free(fs);
		return err;
	}
	*out = fs;
	return 0;
}

void iso9660_unmount(struct iso_fs *fs)
{
	free(fs);
}

void iso9660_describe(const struct iso_fs *fs)
{
	printf("iso9660: \"%s\", %u blocks on %u-byte sectors%s\n", fs->label,
	       fs->volume_blocks, ISO_BLOCK_SIZE >> fs->sec_shift,
	       fs->susp ? ", Rock Ridge" : ", ISO names");
}

const char *iso9660_label(const struct iso_fs *fs)
{
	return fs->label;
}

/* ---- Paths ---- */

/* Rock Ridge names are compared exactly; ISO names without case (they
 * are upper case on the disc: "BZIMAGE" is /boot/bzImage without -R). */
static bool same_name(const struct rec *r, const char *name, uint32_t len)
{
	if (r->name_len != len)
		return false;
	if (r->rr_name)
		return !memcmp(r->name, name, len);
	for (uint32_t i = 0; i < len; i++) {
		char a = r->name[i], b = name[i];

		if (a >= 'a' && a <= 'z')
			a -= 'a' - 'A';
		if (b >= 'a' && b <= 'z')
			b -= 'a' - 'A';
		if (a != b)
			return false;
	}
	return true;
}

struct lookup {
	const char *name;
	uint32_t len;
	struct rec rec;
	uint32_t off;
};

static int lookup_fn(struct iso_fs *fs, const struct rec *r, uint32_t off, void *arg)
{
	struct lookup *l = arg;

	(void)fs;
	if (r->cont || !same_name(r, l->name, l->len))
		return 0;
	l->rec = *r;
	l->off = off;
	return 1;
}

/* A file's extents, walked from its first record to the one without
 * ISO_DIR_MULTI; each has the same name (ECMA-119 6.5.1).  Sizes are 32
 * bits: a sum that overflows is a file of 4 GiB or more, which we refuse. */
struct extents {
	uint32_t name_len;             /* the first record's name */
	char name[ISO_NAME_MAX + 1];
	uint32_t size;                 /* bytes so far */
	bool big;                      /* 4 GiB or more */
	uint32_t count;
	/* For reads: the bytes wanted [pos, end), and where they go. */
	uint32_t pos, end;
	uint8_t *dst;
	uint32_t done, total;
	iso_progress_fn progress;
};

/*
 * Bytes [from, to) of the extent at block into x->dst, whole blocks
 * straight (at most READ_CHUNK per device request), partial ones through
 * the cache.
 */
static int read_extent(struct iso_fs *fs, uint32_t block, uint32_t from, uint32_t to,
		       struct extents *x)
{
	uint8_t *dst = x->dst + x->done;

	while (from < to) {
		uint32_t skip = from & (ISO_BLOCK_SIZE - 1), b = block + (from >> ISO_BLOCK_SHIFT);
		uint32_t chunk = to - from;
		int err;

		if (skip || chunk < ISO_BLOCK_SIZE) {
			const uint8_t *p = get_block(fs, b, &err);

			if (!p)
				return err;
			chunk = MIN(ISO_BLOCK_SIZE - skip, chunk);
			memcpy(dst, p + skip, chunk);
		} else {
			chunk = MIN(chunk, READ_CHUNK) & ~(ISO_BLOCK_SIZE - 1);
			err = read_blocks(fs, b, chunk >> ISO_BLOCK_SHIFT, dst);
			if (err)
				return err;
		}
		from += chunk;
		dst += chunk;
		x->done += chunk;
		if (x->progress)
			x->progress(x->done, x->total);
	}
	return 0;
}

static int extent_fn(struct iso_fs *fs, const struct rec *r, uint32_t off, void *arg)
{
	struct extents *x = arg;
	int err;

	(void)off;
	if (!x->count) {
		x->name_len = r->name_len;
		memcpy(x->name, r->name, r->name_len);
	} else if (!r->cont || r->name_len != x->name_len || memcmp(r->name, x->name, r->name_len)) {
		return corrupt("bad multi-extent file", fs->cached);
	}
	if (r->size > ~x->size)
		x->big = true;
	if (!x->big && x->pos < x->size + r->size && x->end > x->size) {
		err = read_extent(fs, r->block, MAX(x->pos, x->size) - x->size,
				  MIN(x->end, x->size + r->size) - x->size, x);
		if (err)
			return err;
	}
	x->size += r->size;
	x->count++;
	return (r->flags & ISO_DIR_MULTI) ? 0 : 1;
}

/* Walk a file's extents from its first record. */
static int walk_extents(struct iso_fs *fs, const struct iso_file *f, struct extents *x)
{
	int err = dir_walk(fs, f->dir_block, f->dir_size, f->rec, extent_fn, x);

	if (err == 0)
		return corrupt("bad multi-extent file", f->dir_block);
	return err < 0 ? err : 0;
}

static int not_dir(const char *path)
{
	printf("iso9660: %s: not a directory\n", path);
	return FS_ENOTDIR;
}

int iso9660_open(struct iso_fs *fs, const char *path, struct iso_file *f)
{
	const char *p = path;
	struct lookup l = { 0 };
	int err;

	memset(f, 0, sizeof(*f));
	f->mode = MODE_DIR;
	f->extent = fs->root_block;
	f->size = fs->root_size;
	while (*p) {
		const char *end;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		for (end = p; *end && *end != '/'; end++)
			;
		if (f->mode != MODE_DIR)
			return not_dir(path);
		l.name = p;
		l.len = end - p;           /* over 255: no record matches */
		err = dir_walk(fs, f->extent, (uint32_t)f->size, 0, lookup_fn, &l);
		if (err < 0)
			return err;
		if (!err) {
			printf("iso9660: %s: no such file or directory\n", path);
			return FS_ENOENT;
		}
		if (l.rec.mode == MODE_LINK) {
			printf("iso9660: %s: symbolic links are not followed\n", path);
			return FS_EUNSUPPORTED;
		}
		if (l.rec.mode == MODE_DIR && (l.rec.flags & ISO_DIR_MULTI))
			return corrupt("bad directory record", f->extent);
		f->dir_block = f->extent;
		f->dir_size = (uint32_t)f->size;
		f->rec = l.off;
		f->mode = l.rec.mode;
		f->extent = l.rec.block;
		f->size = l.rec.size;
		p = end;
	}
	f->multi = f->dir_size && (l.rec.flags & ISO_DIR_MULTI);
	if (f->multi) {
		struct extents x = { 0 };

		err = walk_extents(fs, f, &x);
		if (err)
			return err;
		if (x.big) {
			printf("iso9660: %s: files of 4 GiB or more are not read\n", path);
			return FS_EUNSUPPORTED;
		}
		f->size = x.size;
	}
	return 0;
}

/* ---- Reading ---- */

int iso9660_read(struct iso_fs *fs, const struct iso_file *f, uint64_t offset, void *buf,
		 uint64_t len, iso_progress_fn progress)
{
	/* The file is under 4 GiB (iso9660_open), so after this check
	 * offset and len are too. */
	struct extents x = { .pos = (uint32_t)offset, .end = (uint32_t)(offset + len), .dst = buf,
			     .total = (uint32_t)len, .progress = progress };
	int err;

	if (offset > f->size || len > f->size - offset) {
		printf("iso9660: a read past the end of a %u-byte file\n", (uint32_t)f->size);
		return FS_ERANGE;
	}
	if (!len)
		return 0;
	if (!f->multi)
		err = read_extent(fs, f->extent, x.pos, x.end, &x);
	else
		err = walk_extents(fs, f, &x);
	if (err)
		return err;
	if (f->multi && x.size != f->size)
		return corrupt("bad multi-extent file", f->dir_block);
	if (progress)
		progress(len, len);
	return 0;
}

/* ---- Listing ---- */

struct list {
	iso_list_fn cb;
	void *arg;
};

static int list_fn(struct iso_fs *fs, const struct rec *r, uint32_t off, void *arg)
{
	struct list *l = arg;

	(void)fs, (void)off;
	if (r->cont)
		return 0;
	return l->cb(r->name, r->name_len,
		     r->mode == MODE_DIR ? FS_FT_DIR : r->mode == MODE_LINK ? FS_FT_SYMLINK : FS_FT_REG,
		     l->arg);
}

int iso9660_list(struct iso_fs *fs, const char *path, iso_list_fn cb, void *arg)
{
	struct iso_file dir;
	struct list l = { cb, arg };
	int err = iso9660_open(fs, path, &dir);

	if (err)
		return err;
	if (dir.mode != MODE_DIR)
		return not_dir(path);
	return dir_walk(fs, dir.extent, (uint32_t)dir.size, 0, list_fn, &l);
}

/* ---- The filesystem interface (fs.h): ISO 9660 as fs.c's table sees it ---- */

static int fs_iso_mount(struct fs *v)
{
	struct iso_fs *fs;
	int err = iso9660_mount(&fs, v->dev);

	if (err)
		return err;
	v->priv = fs;
	v->type = "iso9660";
	memcpy(v->label, fs->label, sizeof(fs->label));   /* ISO 9660 has no UUID: zeros */
	return 0;
}

static int fs_iso_open(struct fs *v, const char *path, struct fs_file *f)
{
	int err = iso9660_open(v->priv, path, &f->u.iso);

	f->size = f->u.iso.size;
	f->mode = f->u.iso.mode;
	return err;
}

static int fs_iso_read(struct fs *v, struct fs_file *f, uint64_t offset, void *buf, uint64_t len,
		       fs_progress_fn progress)
{
	return iso9660_read(v->priv, &f->u.iso, offset, buf, len, progress);
}

static int fs_iso_list(struct fs *v, const char *path, fs_list_fn cb, void *arg)
{
	return iso9660_list(v->priv, path, cb, arg);
}

static void fs_iso_describe(const struct fs *v)
{
	iso9660_describe(v->priv);
}

static void fs_iso_unmount(struct fs *v)
{
	iso9660_unmount(v->priv);
}

const struct fs_ops iso9660_fs_ops = {
	.name = "iso9660",
	.mount = fs_iso_mount,
	.open = fs_iso_open,
	.read = fs_iso_read,
	.list = fs_iso_list,
	.describe = fs_iso_describe,
	.unmount = fs_iso_unmount,
};
