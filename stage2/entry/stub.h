/*
 * stub.h - the header at the start of stage 2.
 *
 * stage2/entry/entry.asm writes it (the first 24 bytes of build/stage2.bin), the
 * linker fills in where the payload goes, tools/pack.c the packed size and
 * the CRC, and stub.c reads it.  Stage 1 and the installer look only at
 * the magic.  docs/layout.md has the table.
 */
#ifndef STUB_H
#define STUB_H

#include <stddef.h>
#include <stdint.h>

#define STAGE2_MAGIC "SBT2"

struct stage2_header {
	uint8_t  jump[4];        /* 0x00 jmp near real_entry; nop */
	char     magic[4];       /* 0x04 "SBT2" */
	uint32_t payload_addr;   /* 0x08 where the payload runs: the stub's end */
	uint32_t payload_size;   /* 0x0C bytes of the payload, unpacked */
	uint32_t packed_size;    /* 0x10 bytes of the payload, packed (tools/pack.c) */
	uint32_t payload_crc;    /* 0x14 CRC-32C of the unpacked payload (tools/pack.c) */
};

/* entry.asm lays these out by hand: keep them in step. */
_Static_assert(offsetof(struct stage2_header, magic) == 0x04, "magic at 4");
_Static_assert(offsetof(struct stage2_header, payload_addr) == 0x08, "payload_addr at 8");
_Static_assert(offsetof(struct stage2_header, packed_size) == 0x10, "packed_size at 0x10");
_Static_assert(offsetof(struct stage2_header, payload_crc) == 0x14, "payload_crc at 0x14");
_Static_assert(sizeof(struct stage2_header) == 0x18, "24 bytes");

#endif
