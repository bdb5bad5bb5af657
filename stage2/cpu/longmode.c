/*
 * longmode.c - prepare the 64-bit hand-off.
 *
 * Long mode needs paging, and paging needs tables.  Four levels (PML4 ->
 * PDPT -> page directory -> page), but with 2 MiB pages the page directory
 * entries point at memory directly: 1 PML4 + 1 PDPT + 4 directories of 512
 * entries map 4 x 1 GiB.  6 pages, 24 KiB, from our heap.
 */
#include "cpu/longmode.h"

#define PAGE_SIZE        4096u
#define PTE_PRESENT      0x001u
#define PTE_WRITABLE     0x002u
#define PTE_LARGE        0x080u      /* in a page directory: a 2 MiB page */
#define ENTRIES          512
#define GIB_MAPPED       4
#define CPUID_EXT_MAX    0x80000000u
#define CPUID_EXT_FEATURES 0x80000001u
#define CPUID_EDX_LM     (1u << 29)

static void cpuid(uint32_t leaf, uint32_t *eax, uint32_t *edx)
{
	uint32_t ebx, ecx;

	__asm__ volatile("cpuid" : "=a"(*eax), "=b"(ebx), "=c"(ecx), "=d"(*edx) : "a"(leaf), "c"(0));
}

bool cpu_has_long_mode(void)
{
	uint32_t max, edx;

	/* CPUID itself exists on every CPU since the late 486es; a CPU that
	 * predates it cannot run this 686-compiled code anyway. */
	cpuid(CPUID_EXT_MAX, &max, &edx);
	if (max < CPUID_EXT_FEATURES)
		return false;
	cpuid(CPUID_EXT_FEATURES, &max, &edx);
	return edx & CPUID_EDX_LM;
}

uint32_t identity_map_4g(void)
{
	/* malloc does not align to pages: take one page more and round up. */
	uint8_t *raw = malloc((2 + GIB_MAPPED + 1) * PAGE_SIZE);

	if (!raw)
		return 0;
	uint64_t *pml4 = (uint64_t *)(((uintptr_t)raw + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
	uint64_t *pdpt = pml4 + ENTRIES;
	uint64_t *pd = pdpt + ENTRIES;

	memset(pml4, 0, (2 + GIB_MAPPED) * PAGE_SIZE);
	pml4[0] = (uintptr_t)pdpt | PTE_PRESENT | PTE_WRITABLE;
	for (int g = 0; g < GIB_MAPPED; g++) {
		pdpt[g] = (uintptr_t)(pd + g * ENTRIES) | PTE_PRESENT | PTE_WRITABLE;
		for (int i = 0; i < ENTRIES; i++)
			pd[g * ENTRIES + i] = ((uint64_t)(g * ENTRIES + i) << 21) |
					      PTE_PRESENT | PTE_WRITABLE | PTE_LARGE;
	}
	return (uint32_t)(uintptr_t)pml4;
}
