/* trace.c - the teaching trace's state and time stamps. */
#include "trace.h"

bool verbose;
static uint64_t tsc_start;

void trace_phase(const char *phase)
{
	uint64_t now = rdtsc();

	if (!tsc_start)
		tsc_start = now;
	TRACE("[tsc +%llu] %s\n", (unsigned long long)(now - tsc_start), phase);
}
