/* host_speed.h — how fast a CPU runs right now, timed with a reference
 * loop. Under a VM the host can slow a vCPU for seconds or minutes at a
 * time (another guest on its core, a lower clock) and the guest sees no
 * steal time for it: on 5 Dec 2026 this 2-vCPU guest ran the loop at 2.2-2.8
 * turns per ns on one vCPU while the other ran it at 3.67, steal reading
 * 0, and a minute later both at 3.7. A cell timed at another speed than the
 * run's other cells is not comparable with them; noise.c warns. */
#pragma once

/* Turns per ns of a dependent add chain (one turn per cycle on most cores)
 * on the CPU this thread runs on: the fastest of nine short runs after
 * about a millisecond of warm-up, so that a preemption or an interrupt does
 * not read as a slow host (~1.2 ms in all at 3.5 GHz). *cpu (if not NULL):
 * the CPU it ran on, or -1 when the thread moved meanwhile. 0 when the
 * clock cannot be read. */
double host_speed_now(int *cpu);

/* Each CPU's speed at one moment (the run's start), by CPU number. */
struct host_speeds {
	int n;           /* entries in by_cpu: the highest CPU number + 1 */
	double *by_cpu;  /* 0 where not measured (a CPU this process may not use) */
};

/* Measure every CPU this thread may run on, one after the other (pinned to
 * each in turn, then unpinned as before): ~1.2 ms per CPU. 0, or -1 (nothing
 * measured) when the affinity cannot be read or changed or out of memory. */
int host_speeds_measure(struct host_speeds *s);
/* The speed of `cpu` in s, or 0 when unknown. */
double host_speeds_of(const struct host_speeds *s, int cpu);
void host_speeds_free(struct host_speeds *s);
