/*
 * part.c - the DOS partition table: the MBR's four primary entries and the
 * chain of EBRs holding the logical partitions; the choice of the partition
 * to boot; the listing for the teaching trace.  A protective MBR (type 0xEE)
 * hands over to gpt.c.  Read part.h first.
 *
 * Linux's numbering, which every message and the kernel's root=/dev/sdaN
 * use: primaries are 1-4 by their slot, empty slots leaving gaps; logicals
 * are 5, 6, ... in the order of the EBR chain.
 */
#include "part/part.h"

/* One sector of table: the MBR, then each EBR in turn.  Static, not on the
 * stack: stage 2's stack is small. */
static uint8_t sector[BLOCKDEV_SECTOR_SIZE];

int part_error(struct part_table *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->message, sizeof(t->message), fmt, ap);
	va_end(ap);
	return -1;
}

static const struct mbr_table *table_of(const uint8_t *s)
{
	return (const struct mbr_table *)(s + MBR_DISK_SIGNATURE);
}

static bool has_signature(const struct mbr_table *m)
{
	return m->boot_signature[0] == MBR_BOOT_SIGNATURE_0 && m->boot_signature[1] == MBR_BOOT_SIGNATURE_1;
}

static bool is_extended(uint8_t type)
{
	return type == PART_TYPE_EXTENDED || type == PART_TYPE_EXTENDED_LBA ||
	       type == PART_TYPE_EXTENDED_LINUX;
}

static struct part_info *add(struct part_table *t, int number, const struct mbr_partition *e,
			     uint64_t start, uint64_t table_lba)
{
	struct part_info *p = &t->part[t->count++];

	memset(p, 0, sizeof(*p));
	p->number = number;
	p->start = start;
	p->sectors = get_le32(e->sectors);
	p->mbr_type = e->type;
	p->attributes = e->status;
	p->bootable = e->status == PART_ACTIVE;
	p->table_lba = table_lba;
	return p;
}

/*
 * The logical partitions in the extended partition at ext_start: a chain of
 * EBRs, the first at ext_start.  In each, the data entry's start counts from
 * the EBR itself, the link's from ext_start (as Linux and fdisk read them;
 * any slot may hold either, the first link wins).  Bounded: an EBR read
 * twice is a loop, and everything must stay inside the extended partition.
 */
static int read_logicals(struct blockdev *disk, struct part_table *t, uint64_t ext_start,
			 uint64_t ext_sectors, int *number)
{
	static uint64_t seen[PART_MAX];
	uint64_t ebr = ext_start, ext_end = ext_start + ext_sectors;
	int nseen = 0;

	while (ebr) {
		const struct mbr_table *m = table_of(sector);
		uint64_t next = 0;

		for (int i = 0; i < nseen; i++)
			if (seen[i] == ebr)
				return part_error(t, "the EBR at LBA %llu links to LBA %llu, an EBR already read: "
						  "the chain of logical partitions is a loop",
						  (unsigned long long)seen[nseen - 1], (unsigned long long)ebr);
		if (nseen == PART_MAX)
			return part_error(t, "more than %d EBRs in the extended partition at LBA %llu",
					  PART_MAX, (unsigned long long)ext_start);
		seen[nseen++] = ebr;
		if (disk->read(disk, ebr, 1, sector) < 0)
			return part_error(t, "cannot read the EBR at LBA %llu", (unsigned long long)ebr);
		if (!has_signature(m))
			return part_error(t, "the EBR at LBA %llu does not end in 0x55AA (found 0x%02X%02X)",
					  (unsigned long long)ebr, m->boot_signature[0], m->boot_signature[1]);
		for (int i = 0; i < MBR_PARTITION_COUNT; i++) {
			const struct mbr_partition *e = &m->part[i];
			uint64_t rel = get_le32(e->lba_first), size = get_le32(e->sectors);

			if (e->type == PART_TYPE_EMPTY || !size)
				continue;             /* Linux skips these too */
			if (is_extended(e->type)) {
				if (next)
					continue;
				next = ext_start + rel;       /* rel 0: the first EBR, a loop */
				if (next >= ext_end)
					return part_error(t, "the EBR at LBA %llu links to LBA %llu, outside the "
							  "extended partition (LBA %llu..%llu)",
							  (unsigned long long)ebr, (unsigned long long)next,
							  (unsigned long long)ext_start,
							  (unsigned long long)(ext_end - 1));
				continue;
			}
			if (!rel)
				return part_error(t, "logical partition %d starts on its own EBR (LBA %llu)",
						  *number, (unsigned long long)ebr);
			if (ebr + rel + size > ext_end)
				return part_error(t, "logical partition %d (LBA %llu..%llu, in the EBR at LBA %llu) "
						  "is outside the extended partition (LBA %llu..%llu)", *number,
						  (unsigned long long)(ebr + rel),
						  (unsigned long long)(ebr + rel + size - 1), (unsigned long long)ebr,
						  (unsigned long long)ext_start, (unsigned long long)(ext_end - 1));
			if (t->count == PART_MAX)
				return part_error(t, "more than %d partitions: smartboot lists at most %d",
						  PART_MAX, PART_MAX);
			add(t, (*number)++, e, ebr + rel, ebr)->logical = true;
		}
		ebr = next;
	}
	return 0;
}

int part_read(struct blockdev *disk, struct part_table *t)
{
	const struct mbr_table *m = table_of(sector);
	uint64_t protective_end = 0;
	bool protective = false;
	int others = 0, logical = MBR_FIRST_LOGICAL;

	memset(t, 0, sizeof(*t));
	if (disk->read(disk, 0, 1, sector) < 0)
		return part_error(t, "cannot read the partition table (LBA 0)");
	if (!has_signature(m))
		return part_error(t, "no partition table (MBR signature 0x%04x, want 0xaa55)",
				  get_le16(m->boot_signature));
	t->disk_signature = get_le32(m->disk_signature);

	for (int i = 0; i < MBR_PARTITION_COUNT; i++) {
		const struct mbr_partition *e = &m->part[i];

		if (e->type == PART_TYPE_GPT && !protective) {
			protective = true;
			/* The protective entry covers LBA 1 to the disk's end, unless
			 * the disk is too large for 32 bits (then 0xFFFFFFFF). */
			if (get_le32(e->sectors) != 0xffffffffu)
				protective_end = (uint64_t)get_le32(e->lba_first) + get_le32(e->sectors);
		} else if (e->type != PART_TYPE_EMPTY) {
			others++;
		}
	}
	if (protective) {
		t->scheme = PART_SCHEME_GPT;
		t->hybrid = others > 0;
		return gpt_read(disk, t, protective_end);
	}

	t->scheme = PART_SCHEME_MBR;
	for (int i = 0; i < MBR_PARTITION_COUNT; i++)
		if (m->part[i].type != PART_TYPE_EMPTY)
			add(t, i + 1, &m->part[i], get_le32(m->part[i].lba_first), 0);
	/* Then the logicals (this reuses `sector`: the primaries are copied). */
	for (int i = 0, n = t->count; i < n; i++)
		if (is_extended(t->part[i].mbr_type) && t->part[i].sectors &&
		    read_logicals(disk, t, t->part[i].start, t->part[i].sectors, &logical) < 0)
			return -1;
	return 0;
}

const struct part_info *part_find(const struct part_table *t, int number)
{
	for (int i = 0; i < t->count; i++)
		if (t->part[i].number == number)
			return &t->part[i];
	return NULL;
}

bool part_guid_equal(const uint8_t a[16], const uint8_t b[16])
{
	return !memcmp(a, b, 16);
}

static const uint8_t guid_bios_boot[16] = GPT_TYPE_BIOS_BOOT;
static const uint8_t guid_linux_data[16] = GPT_TYPE_LINUX_DATA;
static const uint8_t guid_linux_root[16] = GPT_TYPE_LINUX_ROOT_X86_64;

static bool is_linux(const struct part_table *t, const struct part_info *p)
{
	if (t->scheme == PART_SCHEME_GPT)
		return part_guid_equal(p->type_guid, guid_linux_data) ||
		       part_guid_equal(p->type_guid, guid_linux_root);
	return p->mbr_type == PART_TYPE_LINUX && p->sectors;
}

const struct part_info *part_choose(const struct part_table *t)
{
	/* First pass: the one marked for booting (and, on DOS, Linux's). */
	for (int i = 0; i < t->count; i++)
		if (t->part[i].bootable && (t->scheme == PART_SCHEME_GPT || is_linux(t, &t->part[i])))
			return &t->part[i];
	for (int i = 0; i < t->count; i++)
		if (is_linux(t, &t->part[i]))
			return &t->part[i];
	return NULL;
}

void part_guid_string(const uint8_t g[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 g[3], g[2], g[1], g[0], g[5], g[4], g[7], g[6], g[8], g[9],
		 g[10], g[11], g[12], g[13], g[14], g[15]);
}

void part_uuid_string(const struct part_table *t, const struct part_info *p, char out[37])
{
	if (t->scheme == PART_SCHEME_GPT)
		part_guid_string(p->uuid, out);
	else
		snprintf(out, 37, "%08x-%02x", t->disk_signature, p->number);
}

const char *part_type_name(const struct part_info *p, char *buf, size_t size)
{
	char guid[37];
	const char *name = "";

	if (p->mbr_type) {
		snprintf(buf, size, "type 0x%02x%s", p->mbr_type,
			 is_extended(p->mbr_type) ? " (extended)" : p->mbr_type == PART_TYPE_LINUX ? " (Linux)" : "");
		return buf;
	}
	if (part_guid_equal(p->type_guid, guid_bios_boot))
		name = " (BIOS boot)";
	else if (part_guid_equal(p->type_guid, guid_linux_data))
		name = " (Linux filesystem)";
	else if (part_guid_equal(p->type_guid, guid_linux_root))
		name = " (Linux x86-64 root)";
	part_guid_string(p->type_guid, guid);
	snprintf(buf, size, "type %s%s", guid, name);
	return buf;
}

void part_describe(const struct part_table *t)
{
	char type[64], uuid[37];

	if (t->scheme == PART_SCHEME_GPT) {
		part_guid_string(t->disk_guid, uuid);
		printf("part: GPT%s, header at LBA %llu, %u entries of %u bytes at LBA %llu, usable LBA %llu..%llu,"
		       " disk GUID %s\n", t->hybrid ? " (hybrid MBR)" : "", (unsigned long long)t->gpt_header_lba,
		       t->gpt_entry_count, t->gpt_entry_size, (unsigned long long)t->gpt_entries_lba,
		       (unsigned long long)t->first_usable, (unsigned long long)t->last_usable, uuid);
	} else {
		printf("part: DOS partition table, disk signature 0x%08x\n", t->disk_signature);
	}
	for (int i = 0; i < t->count; i++) {
		const struct part_info *p = &t->part[i];

		part_uuid_string(t, p, uuid);
		printf("part:   sda%-3d LBA %llu+%llu, %s%s%s, PARTUUID %s", p->number,
		       (unsigned long long)p->start, (unsigned long long)p->sectors,
		       part_type_name(p, type, sizeof(type)), p->bootable ? ", bootable" : "",
		       p->logical ? ", logical" : "", uuid);
		if (p->label[0])
			printf(", name \"%s\"", p->label);
		printf("\n");
	}
}
