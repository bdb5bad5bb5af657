/*
 * gpt.c - the GUID partition table (UEFI 2.10, section 5.3): the primary
 * header at LBA 1 and its entry array, each checked by its CRC32; when
 * either is damaged, the backup copy at the disk's last LBA.  Called by
 * part_read() when sector 0 is a protective MBR.  Read part.h first.
 *
 * Linux's numbering: entry N of the array (from 1) is sdaN, unused entries
 * leaving gaps.
 */
#include "part/part.h"

#define CRC32_POLY_REFLECTED	0xEDB88320u	/* IEEE 802.3, bit-reversed */

/*
 * CRC32 as UEFI (and zlib, Ethernet) defines it: reflected, initial value
 * and final XOR all ones.  Bit by bit, without a table: a GPT's 16 KiB of
 * entries take well under a millisecond, and the table would cost 1 KiB.
 */
uint32_t gpt_crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xffffffffu;

	while (len--) {
		crc ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (CRC32_POLY_REFLECTED & (0u - (crc & 1)));
	}
	return ~crc;
}

/* Why a header (or its entries) cannot be used: finishes the sentence
 * "the primary header (LBA 1) ...".  Returns -1. */
static char why[PART_MESSAGE_MAX / 2];

static int gpt_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int gpt_why(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static void copy_name(char *out, const uint8_t *utf16)
{
	int i;

	/* UTF-16LE to ASCII: anything else (or a control character) as '?'. */
	for (i = 0; i < GPT_NAME_CHARS; i++) {
		uint16_t c = get_le16(utf16 + 2 * i);

		if (!c)
			break;
		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[i] = '\0';
}

/* The entries in use, from the array (CRC already checked). */
static int list_entries(struct part_table *t, const uint8_t *array)
{
	static const uint8_t unused[16];

	for (uint32_t i = 0; i < t->gpt_entry_count; i++) {
		const struct gpt_entry *e = (const void *)(array + i * t->gpt_entry_size);
		uint64_t first = get_le64(e->first_lba), last = get_le64(e->last_lba);
		struct part_info *p;

		if (part_guid_equal(e->type_guid, unused))
			continue;
		if (first > last || first < t->first_usable || last > t->last_usable)
			return gpt_why("has entry %u at LBA %llu..%llu, outside the usable LBA %llu..%llu",
				       i + 1, (unsigned long long)first, (unsigned long long)last,
				       (unsigned long long)t->first_usable, (unsigned long long)t->last_usable);
		if (t->count == PART_MAX)
			return gpt_why("has more than %d partitions in use: smartboot lists at most %d",
				       PART_MAX, PART_MAX);
		p = &t->part[t->count++];
		memset(p, 0, sizeof(*p));
		p->number = (int)i + 1;
		p->start = first;
		p->sectors = last - first + 1;
		p->attributes = get_le64(e->attributes);
		p->bootable = p->attributes & GPT_ATTR_LEGACY_BOOT;
		p->table_lba = t->gpt_entries_lba + ((i * t->gpt_entry_size) >> BLOCKDEV_SECTOR_SHIFT);
		memcpy(p->type_guid, e->type_guid, 16);
		memcpy(p->uuid, e->unique_guid, 16);
		copy_name(p->label, e->name);
	}
	return 0;
}

/* The header at `lba` and its entries, into *t; or -1 and `why`. */
static int read_copy(struct blockdev *disk, struct part_table *t, uint64_t lba)
{
	static uint8_t sector[BLOCKDEV_SECTOR_SIZE];
	struct gpt_header *h = (void *)sector;
	uint32_t size, crc, want, bytes, sectors;
	uint8_t *array;
	int r;

	t->count = 0;
	if (disk->read(disk, lba, 1, sector) < 0)
		return gpt_why("cannot be read");
	if (memcmp(h->signature, GPT_SIGNATURE, GPT_SIGNATURE_LEN))
		return gpt_why("has no \"EFI PART\" signature");
	size = get_le32(h->header_size);
	if (size < GPT_HEADER_MIN || size > BLOCKDEV_SECTOR_SIZE)
		return gpt_why("has a header size of %u bytes (want %d..%d)", size, GPT_HEADER_MIN,
			       BLOCKDEV_SECTOR_SIZE);
	want = get_le32(h->header_crc);
	put_le32(h->header_crc, 0);               /* the CRC covers itself as 0 */
	crc = gpt_crc32(sector, size);
	if (crc != want)
		return gpt_why("has a bad header CRC32 0x%08x (computed 0x%08x)", want, crc);
	if (get_le64(h->my_lba) != lba)
		return gpt_why("says it is at LBA %llu", (unsigned long long)get_le64(h->my_lba));

	t->gpt_header_lba = lba;
	t->gpt_entries_lba = get_le64(h->entries_lba);
	t->gpt_entry_count = get_le32(h->entry_count);
	t->gpt_entry_size = get_le32(h->entry_size);
	t->first_usable = get_le64(h->first_usable);
	t->last_usable = get_le64(h->last_usable);
	memcpy(t->disk_guid, h->disk_guid, 16);
	if (t->gpt_entry_size < GPT_ENTRY_MIN || t->gpt_entry_size % 8)
		return gpt_why("has entries of %u bytes (want a multiple of 8, at least %d)",
			       t->gpt_entry_size, GPT_ENTRY_MIN);
	if (t->gpt_entry_count > GPT_MAX_ENTRIES ||
	    (uint64_t)t->gpt_entry_count * t->gpt_entry_size > GPT_MAX_ARRAY_BYTES)
		return gpt_why("declares %u entries of %u bytes, more than smartboot reads (%d entries, %d KiB)",
			       t->gpt_entry_count, t->gpt_entry_size, GPT_MAX_ENTRIES, GPT_MAX_ARRAY_BYTES / 1024);
	if (t->first_usable > t->last_usable)
		return gpt_why("has no usable LBAs (%llu..%llu)", (unsigned long long)t->first_usable,
			       (unsigned long long)t->last_usable);
	if (t->gpt_entries_lba < GPT_PRIMARY_LBA + 1 || (disk->sectors && t->gpt_entries_lba >= disk->sectors))
		return gpt_why("puts its entries at LBA %llu, outside the disk", (unsigned long long)t->gpt_entries_lba);

	bytes = t->gpt_entry_count * t->gpt_entry_size;
	if (!bytes)
		return 0;                             /* an empty table is a table */
	sectors = (bytes + BLOCKDEV_SECTOR_SIZE - 1) >> BLOCKDEV_SECTOR_SHIFT;
	array = malloc(sectors << BLOCKDEV_SECTOR_SHIFT);
	if (!array)
		return gpt_why("cannot be read: no memory for %u bytes of entries", bytes);
	r = disk->read(disk, t->gpt_entries_lba, sectors, array);
	if (r < 0) {
		r = gpt_why("has entries at LBA %llu that cannot be read", (unsigned long long)t->gpt_entries_lba);
	} else if ((crc = gpt_crc32(array, bytes)) != get_le32(h->entries_crc)) {
		r = gpt_why("has entries at LBA %llu with a bad CRC32 0x%08x (computed 0x%08x)",
			    (unsigned long long)t->gpt_entries_lba, get_le32(h->entries_crc), crc);
	} else {
		r = list_entries(t, array);
	}
	free(array);
	return r;
}

int gpt_read(struct blockdev *disk, struct part_table *t, uint64_t protective_end)
{
	char primary_why[sizeof(why)];
	uint64_t backup;

	if (read_copy(disk, t, GPT_PRIMARY_LBA) == 0)
		return 0;
	memcpy(primary_why, why, sizeof(why));
	/* The backup header is in the disk's last sector; when the BIOS does
	 * not tell the size, the protective entry's end says where that is. */
	backup = disk->sectors ? disk->sectors - 1 : protective_end ? protective_end - 1 : 0;
	if (backup <= GPT_PRIMARY_LBA)
		return part_error(t, "GPT: the primary header (LBA 1) %s, and the disk's size is unknown: "
				  "no backup header to read", primary_why);
	if (read_copy(disk, t, backup) < 0)
		return part_error(t, "GPT: the primary header (LBA 1) %s, and the backup (LBA %llu) %s",
				  primary_why, (unsigned long long)backup, why);
	t->from_backup = true;
	part_error(t, "GPT: the primary header (LBA 1) %s; using the backup header at LBA %llu",
		   primary_why, (unsigned long long)backup);
	return 0;
}
