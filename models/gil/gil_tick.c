/* gil_tick.c — emulated interpreter work: what one tick of CPython costs.
 *
 * A C loop iteration costs a fraction of a nanosecond, a CPython bytecode
 * tens; without this cost a GIL emulation would switch a hundred times too
 * often per unit of real work. The work is a busy loop (never a sleep: the
 * holder must keep its CPU, as the interpreter does), calibrated once per
 * process in loop iterations per nanosecond. */
#include <pthread.h>
#include "clock.h"
#include "gil.h"

uint64_t gil_tick_spin(uint64_t loops, uint64_t chain)
{
	/* Nor may a spin overlap the step before it: the chain passes through
	 * memory between two units, and where the heap put it decided a
	 * unit's cost (19.5 or 22.5 ns, rep after rep); behind a barrier 26.5
	 * ns, within 1 %, and scripts/gil-calibrate sizes the tick with it. */
#if defined(__x86_64__) || defined(__i386__)
	__asm__ volatile("lfence" ::: "memory");
#elif defined(__aarch64__)
	__asm__ volatile("isb" ::: "memory");
#endif
	for (uint64_t i = 0; i < loops; i++) {
		chain++;
		__asm__ volatile("" : "+r"(chain)); /* keeps the loop, one dependent add per turn */
	}
	return chain;
}

static double calibrated_loops_per_ns;
static pthread_once_t calibrate_once = PTHREAD_ONCE_INIT;

static void calibrate(void)
{
	/* The fastest of several short runs: on a shared machine a slower run
	 * was preempted, it did not cost more loops. On a quiet VM the fastest
	 * is a few per cent above the rate a long loop keeps (7 % here, 2 Dec
	 * 2026), so units run that much long; the median of 21 runs on thread
	 * CPU time had no such bias but fell to half the rate when the host
	 * slowed the calibration itself (CI, TSan: 10 ms of units in 4.7 ms),
	 * and a unit that runs long is the safer error. */
	const uint64_t loops = 2000000;
	int64_t best = INT64_MAX;
	uint64_t chain = gil_tick_spin(loops, 0); /* warm the frequency and the branch predictor */
	for (int i = 0; i < 9; i++) {
		int64_t t0 = clock_now_ns();
		chain = gil_tick_spin(loops, chain);
		int64_t dt = clock_now_ns() - t0;
		if (dt > 0 && dt < best)
			best = dt;
	}
	calibrated_loops_per_ns = (double)loops / (double)(best > 0 ? best : 1);
}

double gil_tick_loops_per_ns(void)
{
	pthread_once(&calibrate_once, calibrate);
	return calibrated_loops_per_ns;
}

void gil_tick_init(struct gil_tick *k, int64_t ns_per_unit)
{
	k->loops_per_ns = ns_per_unit > 0 ? gil_tick_loops_per_ns() : 0;
	k->loops_per_unit = (uint64_t)(k->loops_per_ns * (double)ns_per_unit + 0.5);
	k->chain = 0;
}
