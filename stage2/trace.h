/*
 * trace.h - the teaching trace: with `verbose on` in the configuration (or
 * Shift held when stage 2 starts) stage 2 prints each decision it makes.
 */
#ifndef TRACE_H
#define TRACE_H

#include "klib.h"

extern bool verbose;

#define TRACE(...) do { if (verbose) printf(__VA_ARGS__); } while (0)

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* "[tsc +12345678] phase": cycles since stage 2 started. */
void trace_phase(const char *phase);

#endif
