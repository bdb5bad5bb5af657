/*
 * crc32c_bench.c - what the checksum costs: stage 2's CRC-32C
 * (stage2/fs/crc32c.c, 16-entry table, built here at -Os)
 * against the two other ways to write it, bit by bit (no table) and byte by
 * byte (a 1 KiB table), on 64 MiB of data.  `make crc32c-bench`;
 * docs/ext4.md has the figures and what they mean for a boot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "fs/crc32c.h"

#define POLY 0x82F63B78u

static uint32_t bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc >> 1 ^ (crc & 1 ? POLY : 0);
	}
	return crc;
}

static uint32_t table[256];

static uint32_t bytewise(uint32_t crc, const uint8_t *p, size_t n)
{
	while (n--)
		crc = crc >> 8 ^ table[(crc ^ *p++) & 255];
	return crc;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
	size_t n = 64 << 20;
	uint8_t *buf = malloc(n);
	const char *names[] = { "bit by bit (no table)", "nibble (64-byte table, stage 2)",
				"byte (1 KiB table)" };
	uint32_t results[3];

	for (size_t i = 0; i < n; i++)
		buf[i] = i * 2654435761u >> 24;
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = c >> 1 ^ (c & 1 ? POLY : 0);
		table[i] = c;
	}
	for (int v = 0; v < 3; v++) {
		double t = now();

		results[v] = v == 0 ? bitwise(~0u, buf, n) : v == 1 ? crc32c(~0u, buf, n) :
			     bytewise(~0u, buf, n);
		t = now() - t;
		printf("%-32s %7.1f MB/s  %5.2f ns/byte\n", names[v], n / t / 1e6, t * 1e9 / n);
	}
	if (results[0] != results[1] || results[1] != results[2]) {
		printf("the three disagree!\n");
		return 1;
	}
	free(buf);
	return 0;
}
