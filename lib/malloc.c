/*
 * malloc.c - a first-fit heap for stage 2.
 *
 * The heap is one region given to heap_init(): main() passes
 * STAGE2_HEAP_START..STAGE2_HEAP_END (stage2/layout.h, docs/layout.md).  Each block starts with a header holding its size and
 * whether it is free; free() merges a block with the free block after it.
 * Small and slow, which is fine: stage 2 allocates a few dozen buffers.
 */
#include "klib.h"

struct block {
	size_t size; /* bytes after this header */
	bool free;
	struct block *next;
};

#define GRAIN 16u /* sizes are rounded up to this, so splits leave usable blocks */

static struct block *heap;

void heap_init(void *start, size_t size)
{
	heap = start;
	heap->size = size - sizeof(struct block);
	heap->free = true;
	heap->next = NULL;
}

void *malloc(size_t size)
{
	size = (size + GRAIN - 1) & ~(size_t)(GRAIN - 1);
	for (struct block *b = heap; b; b = b->next) {
		if (!b->free || b->size < size)
			continue;
		/* Split when the rest can hold a header and some bytes. */
		if (b->size >= size + sizeof(struct block) + GRAIN) {
			struct block *rest = (struct block *)((char *)(b + 1) + size);

			rest->size = b->size - size - sizeof(struct block);
			rest->free = true;
			rest->next = b->next;
			b->size = size;
			b->next = rest;
		}
		b->free = false;
		return b + 1;
	}
	printf("smartboot: out of memory (wanted %u bytes)\n", (unsigned)size);
	return NULL;
}

void free(void *p)
{
	if (!p)
		return;
	struct block *b = (struct block *)p - 1;

	b->free = true;
	/* Merge with every free block that follows, then with the one before
	 * (found by a walk: the list is short). */
	while (b->next && b->next->free) {
		b->size += sizeof(struct block) + b->next->size;
		b->next = b->next->next;
	}
	for (struct block *prev = heap; prev && prev->next; prev = prev->next)
		if (prev->next == b && prev->free) {
			prev->size += sizeof(struct block) + b->size;
			prev->next = b->next;
			break;
		}
}
