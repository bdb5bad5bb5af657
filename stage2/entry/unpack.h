/*
 * unpack.h - smartboot's compression format, shared by the packer
 * (tools/pack.c, on the host) and the decompressor (stage2/entry/unpack.c, in
 * stage 2's stub and in the host test).  docs/packing.md tells the story and
 * gives the measurements; this header is the definition.
 *
 * LZ77: the data is a sequence of items, each a literal byte or a copy of
 * earlier data.  Every decision and every number of an item is written as
 * binary decisions, each through an adaptive binary range coder with its own
 * probability:
 *
 *   item     := literal | match | rep
 *   literal  := 0, the byte's 8 bits, high bit first, as a bit tree chosen
 *               by the top 3 bits of the byte before (0 at the start)
 *   match    := 1, 0, number(length - MIN_MATCH), number(distance - 1)
 *   rep      := 1, 1, number(length - MIN_MATCH)     (the last distance)
 *
 * The first two decisions (IS_MATCH, IS_REP) have one probability for each
 * kind of item before (literal, match, rep; literal at the start).  The
 * distance's number() has two sets of probabilities: for copies of
 * MIN_MATCH bytes, and longer; the length's two, for matches and reps.
 *
 * number(v) writes k = floor(log2(v + 1)) in unary ("1" k times, then "0";
 * the "0" is left out when k = NUMBER_K_MAX), then the k bits of v + 1 below
 * its leading 1, high bit first: the first TREE_BITS of them as a bit tree
 * (one per k), the others with a probability per (k, position).
 *
 * A probability is the chance, out of PROB_ONE, that the next bit is a 0.
 * Each starts at one half and moves 1/32 of the way towards every bit it
 * codes.  The stream has no end marker: the decoder is told the unpacked
 * size.  Past the last packed byte it reads zeros (the packer drops the
 * zero bytes at its end).
 *
 * The x86 branch filter: before packing, the rel32 of every call (0xE8),
 * jmp (0xE9) and jcc (0x0F 0x80..0x8F) whose top byte is 0x00 or 0xFF (a
 * target within 16 MiB: real branches, rarely other bytes) becomes the
 * branch's target counted from the start of the data: rel32 + the offset
 * of the instruction's end, kept to 25 bits and sign-extended, so that the
 * top byte is still 0x00 or 0xFF and unpacking makes the same choice.
 * Calls and jumps to one place then look alike and compress better.
 * The scan goes left to right and, after every such opcode, skips its 4
 * bytes of rel32 whether it converted them or not: no conversion then
 * touches a byte another one looks at, so both directions see the same
 * opcodes and top bytes (a 0xE8 that is not a call may be converted too;
 * that is harmless, just not useful).
 */
#ifndef UNPACK_H
#define UNPACK_H

#include <stddef.h>
#include <stdint.h>

#define PROB_BITS      11
#define PROB_ONE       (1u << PROB_BITS)      /* probability 1.0 */
#define PROB_MOVE      5                      /* adapt by 1/32 per bit */
#define RANGE_TOP      (1u << 24)             /* renormalise below this */

#define MIN_MATCH      2                      /* shortest copy */
#define NUMBER_K_MAX   17                     /* number() up to 2^18 - 2 */
#define TREE_BITS      3                      /* high bits in a bit tree */
#define LITERAL_CONTEXT(prev) ((prev) >> 5)   /* the byte before: top 3 bits */
#define LITERAL_CONTEXTS 8

#define X86_CALL       0xE8                   /* call rel32 (0xE9: jmp rel32) */
#define X86_JCC_PREFIX 0x0F                   /* 0x0F 0x80..0x8F: jcc rel32 */
#define X86_JCC        0x80

#define DIST_CONTEXTS 2
#define DIST_CONTEXT(len) ((len) - MIN_MATCH < DIST_CONTEXTS - 1 ? (len) - MIN_MATCH : DIST_CONTEXTS - 1)
enum { KIND_LITERAL, KIND_MATCH, KIND_REP, KINDS };

/* The adaptive probabilities of one kind of number(). */
struct number_model {
	uint16_t k[NUMBER_K_MAX];                             /* unary prefix */
	uint16_t tree[NUMBER_K_MAX + 1][1 << TREE_BITS];
	uint16_t low[NUMBER_K_MAX + 1][NUMBER_K_MAX];         /* [k][position] */
};

/* Every probability of a stream; both sides start with all of them at
 * PROB_ONE / 2 and update them alike. */
struct pack_model {
	uint16_t is_match[KINDS];                             /* [kind before] */
	uint16_t is_rep[KINDS];
	uint16_t literal[LITERAL_CONTEXTS][256];              /* node 1 = root */
	struct number_model length[2];                        /* match, rep */
	struct number_model distance[DIST_CONTEXTS];          /* by length */
};

/*
 * Unpack packed_size bytes at packed into exactly size bytes at out, and
 * undo the x86 call filter.  Writes nothing outside out[0 .. size-1], reads
 * nothing outside packed[0 .. packed_size-1].  Returns 0, or -1 when the
 * stream asks for a copy from before the start or past the end (corrupt;
 * out then holds garbage).  A corrupt stream can also unpack to wrong bytes
 * without an error: check a CRC of the result.  Uses about 7 KiB of stack
 * for its probabilities.
 */
int unpack(uint8_t *out, size_t size, const uint8_t *packed, size_t packed_size);

/* CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, the one ext4 uses):
 * unpack_crc32c(0, "123456789", 9) == 0xE3069283.  (stage2/fs/crc32c.c is
 * ext4's, in the payload: the stub cannot call it.)  Pass an earlier result as crc
 * to continue it over more data. */
uint32_t unpack_crc32c(uint32_t crc, const void *data, size_t n);

#endif
