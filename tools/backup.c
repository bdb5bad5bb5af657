/*
 * tools/backup.c - encode and decode the installer's backup file
 * (format in backup.h and docs/installer.md).
 */
#include <stdlib.h>
#include <string.h>
#include "backup.h"

#define LBA_BYTES	8		/* each LBA is a u64 */
#define CRC_BYTES	4

/* CRC-32 with the reflected polynomial 0xEDB88320 (the one zlib, gzip and
 * `python3 -c 'import zlib'` use), bit by bit: a few hundred sectors do not
 * need a table. */
uint32_t crc32_ieee(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xFFFFFFFFu;

	while (len--) {
		crc ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
	}
	return ~crc;
}

size_t backup_size(const struct backup *b)
{
	return sizeof(struct backup_header) + (size_t)b->count * (LBA_BYTES + SECTOR_SIZE) + CRC_BYTES;
}

void backup_encode(const struct backup *b, uint8_t *out)
{
	struct backup_header h;
	uint8_t *p = out;

	memcpy(h.magic, BACKUP_MAGIC, BACKUP_MAGIC_LEN);
	put_le32(h.version, BACKUP_VERSION);
	put_le32(h.sector_size, SECTOR_SIZE);
	put_le64(h.disk_bytes, b->disk_bytes);
	put_le32(h.disk_signature, b->disk_signature);
	put_le32(h.count, b->count);
	memcpy(p, &h, sizeof h);
	p += sizeof h;
	for (uint32_t i = 0; i < b->count; i++, p += LBA_BYTES)
		put_le64(p, b->lba[i]);
	memcpy(p, b->data, (size_t)b->count * SECTOR_SIZE);
	p += (size_t)b->count * SECTOR_SIZE;
	put_le32(p, crc32_ieee(out, (size_t)(p - out)));
}

const char *backup_decode(const uint8_t *buf, size_t len, struct backup *b)
{
	struct backup_header h;
	const uint8_t *lbas;

	memset(b, 0, sizeof *b);
	if (len < sizeof h || memcmp(buf, BACKUP_MAGIC, BACKUP_MAGIC_LEN) != 0)
		return "not a smartboot backup (no " BACKUP_MAGIC " header)";
	memcpy(&h, buf, sizeof h);
	if (get_le32(h.version) != BACKUP_VERSION)
		return "unknown backup format version";
	if (get_le32(h.sector_size) != SECTOR_SIZE)
		return "sector size is not 512";
	b->count = get_le32(h.count);
	if (b->count == 0 || b->count > BACKUP_MAX_SECTORS)
		return "impossible sector count";
	if (len != backup_size(b))
		return "wrong length for its sector count (truncated?)";
	if (crc32_ieee(buf, len - CRC_BYTES) != get_le32(buf + len - CRC_BYTES))
		return "CRC-32 mismatch (damaged)";

	lbas = buf + sizeof h;
	for (uint32_t i = 1; i < b->count; i++)
		if (get_le64(lbas + i * LBA_BYTES) <= get_le64(lbas + (i - 1) * LBA_BYTES))
			return "LBA list not strictly increasing";

	b->disk_bytes = get_le64(h.disk_bytes);
	b->disk_signature = get_le32(h.disk_signature);
	b->lba = malloc(b->count * sizeof *b->lba);
	b->data = malloc((size_t)b->count * SECTOR_SIZE);
	if (!b->lba || !b->data) {
		backup_free(b);
		return "out of memory";
	}
	for (uint32_t i = 0; i < b->count; i++)
		b->lba[i] = get_le64(lbas + i * LBA_BYTES);
	memcpy(b->data, lbas + (size_t)b->count * LBA_BYTES, (size_t)b->count * SECTOR_SIZE);
	return NULL;
}

const uint8_t *backup_find(const struct backup *b, uint64_t lba)
{
	for (uint32_t i = 0; i < b->count; i++)
		if (b->lba[i] == lba)
			return b->data + (size_t)i * SECTOR_SIZE;
	return NULL;
}

int backup_add(struct backup *b, uint64_t lba, const uint8_t *sector)
{
	uint32_t i;
	uint64_t *lba_new;
	uint8_t *data_new;

	if (backup_find(b, lba))
		return 0;
	lba_new = realloc(b->lba, (b->count + 1) * sizeof *b->lba);
	if (lba_new)
		b->lba = lba_new;
	data_new = realloc(b->data, (size_t)(b->count + 1) * SECTOR_SIZE);
	if (data_new)
		b->data = data_new;
	if (!lba_new || !data_new)
		return -1;
	/* Keep the list sorted: shift the larger LBAs up by one. */
	for (i = b->count; i > 0 && b->lba[i - 1] > lba; i--) {
		b->lba[i] = b->lba[i - 1];
		memcpy(b->data + (size_t)i * SECTOR_SIZE, b->data + (size_t)(i - 1) * SECTOR_SIZE, SECTOR_SIZE);
	}
	b->lba[i] = lba;
	memcpy(b->data + (size_t)i * SECTOR_SIZE, sector, SECTOR_SIZE);
	b->count++;
	return 1;
}

void backup_free(struct backup *b)
{
	free(b->lba);
	free(b->data);
	memset(b, 0, sizeof *b);
}
