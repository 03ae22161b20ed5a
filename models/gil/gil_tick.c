/* gil_tick.c — emulated interpreter work: what one tick of CPython costs.
 *
 * A C loop iteration costs a fraction of a nanosecond, a CPython bytecode
 * tens; without this cost a GIL emulation would switch a hundred times too
 * often per unit of real work. The work is a busy loop (never a sleep: the
 * holder must keep its CPU, as the interpreter does), calibrated once per
 * process in loop iterations per nanosecond. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include "gil.h"

static double calibrated_loops_per_ns;
static pthread_once_t calibrate_once = PTHREAD_ONCE_INIT;

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void calibrate(void)
{
	/* The median rate of 21 short runs, each timed on this thread's CPU
	 * time: a run the scheduler preempted did not cost more loops, so
	 * wall time would undercount the rate, and on a VM whose speed moves
	 * from moment to moment (a busy hyperthread sibling on the host) the
	 * fastest run overcounts it: here the fastest of 9 wall-time runs was
	 * 7 % above the rate a 300 ms loop then kept, the median 0-2 %. */
	enum { RUNS = 21 };
	const uint64_t loops = 2000000;
	double rate[RUNS];
	gil_tick_spin(loops); /* warm the frequency and the branch predictor */
	for (int i = 0; i < RUNS; i++) {
		int64_t t0 = thread_cpu_ns();
		gil_tick_spin(loops);
		int64_t dt = thread_cpu_ns() - t0;
		rate[i] = (double)loops / (double)(dt > 0 ? dt : 1);
	}
	qsort(rate, RUNS, sizeof rate[0], by_value);
	calibrated_loops_per_ns = rate[RUNS / 2];
}

double gil_tick_loops_per_ns(void)
{
	pthread_once(&calibrate_once, calibrate);
	return calibrated_loops_per_ns;
}

void gil_tick_init(struct gil_tick *k, int64_t ns_per_unit)
{
	k->loops_per_ns = ns_per_unit > 0 ? gil_tick_loops_per_ns() : 0;
	k->loops_per_unit = k->loops_per_ns * (double)ns_per_unit;
	k->carry = 0;
}
