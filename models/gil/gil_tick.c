/* gil_tick.c — emulated interpreter work: what one tick of CPython costs.
 *
 * A C loop iteration costs a fraction of a nanosecond, a CPython bytecode
 * tens; without this cost a GIL emulation would switch a hundred times too
 * often per unit of real work. The work is a busy loop (never a sleep: the
 * holder must keep its CPU, as the interpreter does), calibrated once per
 * process (and working set) in loop iterations per nanosecond, on the
 * fastest CPU the process may use, so that units are sized for a fast CPU
 * rather than for one the host happened to slow. On a vCPU whose core the
 * host shares with another tenant a unit slows about as the interpreter
 * does there (docs/GIL.md, "Round twenty-two"), which is why it is a loop
 * of one add and one taken branch per turn.
 *
 * An interpreter also keeps memory of its own in the cache while it runs:
 * with a working set the loop reads and writes it, so the lock's own lines
 * compete with it as with CPython's. That decides how CPython 2's lock
 * races on two CPUs: two threads apart blocked 3,000-27,000 times in 10M
 * units and took 2.9-3.8 times one thread's time without a working set,
 * 48,000-91,000 and 5.1-6.8 over 32 KiB, where python2.7 blocked
 * 9,000-66,000 times at 2.9-5.5 (docs/GIL.md, "Round ten"). */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "gil.h"
#include "host_speed.h"

uint64_t gil_tick_spin(uint64_t loops, uint64_t chain, uint64_t *ws, uint64_t ws_mask)
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
	uint64_t start = chain;
	for (uint64_t i = 0; i < loops; i++) {
		chain++;
		__asm__ volatile("" : "+r"(chain)); /* keeps the loop, one dependent add per turn */
	}
	/* With a working set, one word of it read and written back per eight
	 * turns, picked by a multiplicative hash (over many spins, every line).
	 * They follow the chain rather than feed it. On a vCPU whose core the
	 * host shares (5 Dec 2026, medians of two series, docs/GIL.md "Round
	 * twenty-two") python2.7 slowed 1.60x and 1.71x, this add chain with a
	 * taken branch per turn 1.78x and 1.77x, a chain through the set's
	 * words (each load waiting on the last store) 1.02x and 1.03x, and an
	 * unrolled chain, one branch in eight adds, 1.07-1.10x: what slows is
	 * a busy front end, which an interpreter's dispatch keeps as busy. */
	for (uint64_t i = start; ws && i < start + loops / 8; i++)
		ws[(i * 0x9E3779B97F4A7C15ull >> 32) & ws_mask] += i;
	return chain;
}

/* One rate per working set a run uses (a sweep may use several). */
enum { RATES = 16 };
struct rate {
	int64_t working_set;
	double loops_per_ns;
	int cpus; /* CPUs it was timed on: the rate is the fastest of them */
};
static struct rate rates[RATES];
static int nrates;
static pthread_mutex_t rates_mutex = PTHREAD_MUTEX_INITIALIZER;

static uint64_t *ws_alloc(int64_t bytes)
{
	uint64_t *ws = aligned_alloc(64, (size_t)bytes);
	if (ws)
		memset(ws, 0, (size_t)bytes); /* touched now, not on the first units */
	return ws;
}

double gil_tick_measure_loops_per_ns(int64_t working_set)
{
	/* The fastest of several short runs: on a shared machine a slower run
	 * was preempted, it did not cost more loops. On a quiet VM the fastest
	 * is a few per cent above the rate a long loop keeps (7 % here, 2 Dec
	 * 2026), so units run that much long; the median of 21 runs on thread
	 * CPU time had no such bias but fell to half the rate when the host
	 * slowed the calibration itself (CI, TSan: 10 ms of units in 4.7 ms),
	 * and a unit that runs long is the safer error. */
	const uint64_t loops = 2000000;
	uint64_t *ws = working_set > 0 ? ws_alloc(working_set) : NULL;
	uint64_t mask = ws ? (uint64_t)working_set / 8 - 1 : 0;
	int64_t best = INT64_MAX;
	uint64_t chain = gil_tick_spin(loops, 0, ws, mask); /* warm the frequency, the predictor, the set */
	for (int i = 0; i < 9; i++) {
		int64_t t0 = clock_now_ns();
		chain = gil_tick_spin(loops, chain, ws, mask);
		int64_t dt = clock_now_ns() - t0;
		if (dt > 0 && dt < best)
			best = dt;
	}
	free(ws);
	return (double)loops / (double)(best > 0 ? best : 1);
}

/* The rate on the fastest CPU this thread may use; the thread's affinity is
 * then restored. Under a VM the host slows one vCPU for minutes at a time,
 * unseen by the guest: on 5 Dec 2026, timed wherever the runner happened to
 * run, the rate came from the slowed vCPU, and a worker on the other vCPU
 * ran units a third too cheap (docs/GIL.md, "Round twenty-one"). The
 * harness's reference loop finds the fastest CPU (host_speeds_measure, ~1.2
 * ms a CPU), and the tick's own loop is timed there only (~6 ms, up to ~70
 * ms over a working set), so that a 256-CPU machine calibrates in a second.
 * *cpus: the CPUs compared. 0 when the affinity cannot be put back (nothing
 * may run where the caller did not allow). */
static double fastest_loops_per_ns(int64_t working_set, int *cpus)
{
	cpu_set_t allowed, one;
	struct host_speeds s;
	*cpus = 1;
	if (sched_getaffinity(0, sizeof allowed, &allowed) < 0)
		return gil_tick_measure_loops_per_ns(working_set); /* where it runs, then */
	int fastest = -1, timed = 0;
	if (host_speeds_measure(&s) == 0) {
		for (int c = 0; c < s.n; c++) {
			double v = host_speeds_of(&s, c);
			if (v <= 0)
				continue; /* not allowed, or the probe was moved off it */
			timed++;
			if (fastest < 0 || v > host_speeds_of(&s, fastest))
				fastest = c;
		}
		host_speeds_free(&s);
	}
	CPU_ZERO(&one);
	if (fastest >= 0)
		CPU_SET(fastest, &one);
	double r = fastest >= 0 && sched_setaffinity(0, sizeof one, &one) == 0
			   ? gil_tick_measure_loops_per_ns(working_set) : 0;
	if (sched_setaffinity(0, sizeof allowed, &allowed) < 0)
		return 0;
	if (r == 0)
		return gil_tick_measure_loops_per_ns(working_set);
	*cpus = timed;
	return r;
}

double gil_tick_loops_per_ns(int64_t working_set, int *cpus)
{
	pthread_mutex_lock(&rates_mutex);
	double r = 0;
	int n = 0;
	for (int i = 0; i < nrates && r == 0; i++)
		if (rates[i].working_set == working_set) {
			r = rates[i].loops_per_ns;
			n = rates[i].cpus;
		}
	if (r == 0) {
		r = fastest_loops_per_ns(working_set, &n);
		if (r > 0 && nrates < RATES)
			rates[nrates++] = (struct rate){working_set, r, n};
	}
	pthread_mutex_unlock(&rates_mutex);
	if (cpus)
		*cpus = n;
	return r;
}

int gil_tick_init(struct gil_tick *k, double ns_per_unit, int64_t working_set, int64_t loops_per_us)
{
	*k = (struct gil_tick){0};
	if (ns_per_unit <= 0)
		return 0;
	if (working_set > 0) {
		if (!(k->ws = ws_alloc(working_set)))
			return -1;
		k->ws_mask = (uint64_t)working_set / 8 - 1;
	}
	k->loops_per_ns = gil_tick_loops_per_ns(working_set, &k->calibration_cpus);
	if (k->loops_per_ns <= 0) {
		gil_tick_fini(k);
		errno = EPERM;
		return -1;
	}
	/* The rate is timed even with a profile's: it is reported beside the
	 * rate after each repetition, the host's speed then and there. */
	double rate = loops_per_us > 0 ? (double)loops_per_us / 1000.0 : k->loops_per_ns;
	k->loops_per_unit = (uint64_t)(rate * ns_per_unit + 0.5);
	return 0;
}

void gil_tick_fini(struct gil_tick *k)
{
	free(k->ws);
	k->ws = NULL;
}
