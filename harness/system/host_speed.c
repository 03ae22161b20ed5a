/* host_speed.c — a CPU's speed now, by a reference loop (host_speed.h). */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include "clock.h"
#include "host_speed.h"

static uint64_t spin(uint64_t turns, uint64_t chain)
{
	for (uint64_t i = 0; i < turns; i++) {
		chain++;
		__asm__ volatile("" : "+r"(chain)); /* one dependent add per turn, kept */
	}
	return chain;
}

double host_speed_now(int *cpu)
{
	int before = sched_getcpu();
	/* Warm-up, ~1 ms at 3 GHz: a core that was idle (a sleep workload)
	 * may need that long to raise its clock, and its first turns are not
	 * the host's speed. By turns, not by time: a fixed count of
	 * instructions, which tests/test_yield_instructions.sh's difference
	 * of two runs under valgrind cancels (by time, it did not). */
	uint64_t chain = spin(3000000, 0);
	const uint64_t turns = 50000; /* ~15 µs at 3.5 GHz: rarely cut by a tick or a preemption */
	int64_t best = INT64_MAX;
	for (int i = 0; i < 9; i++) {
		int64_t t0 = clock_now_ns();
		chain = spin(turns, chain);
		int64_t dt = clock_now_ns() - t0;
		if (dt > 0 && dt < best)
			best = dt;
	}
	__asm__ volatile("" ::"r"(chain));
	int after = sched_getcpu();
	if (cpu)
		*cpu = before >= 0 && before == after ? before : -1;
	return best == INT64_MAX ? 0 : (double)turns / (double)best;
}

int host_speeds_measure(struct host_speeds *s)
{
	*s = (struct host_speeds){0};
	cpu_set_t allowed;
	if (sched_getaffinity(0, sizeof allowed, &allowed) < 0)
		return -1;
	int n = 0;
	for (int c = 0; c < CPU_SETSIZE; c++)
		if (CPU_ISSET(c, &allowed))
			n = c + 1;
	if (n == 0 || !(s->by_cpu = calloc((size_t)n, sizeof *s->by_cpu)))
		return -1;
	s->n = n;
	for (int c = 0; c < n; c++) {
		if (!CPU_ISSET(c, &allowed))
			continue;
		cpu_set_t one;
		CPU_ZERO(&one);
		CPU_SET(c, &one);
		int on = -1;
		if (sched_setaffinity(0, sizeof one, &one) == 0) {
			double v = host_speed_now(&on);
			if (on == c)
				s->by_cpu[c] = v;
		}
	}
	if (sched_setaffinity(0, sizeof allowed, &allowed) < 0) {
		host_speeds_free(s);
		return -1;
	}
	return 0;
}

double host_speeds_of(const struct host_speeds *s, int cpu)
{
	return s && cpu >= 0 && cpu < s->n ? s->by_cpu[cpu] : 0;
}

void host_speeds_free(struct host_speeds *s)
{
	free(s->by_cpu);
	*s = (struct host_speeds){0};
}
