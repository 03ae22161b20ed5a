/* noise.h — is a cell's measurement trustworthy? Load from other processes
 * (from /proc/stat and /proc/loadavg) and the spread of the repetitions,
 * turned into warnings that tell the user what to do about them. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "stats.h"

/* A cell is called noisy above these; chosen so that a quiet machine stays
 * silent and a build running beside the benchmark does not. */
#define NOISE_CV_MAX 0.05          /* coefficient of variation of the times */
#define NOISE_OTHER_CPUS_MAX 0.25  /* CPUs kept busy by other processes, on average */
#define NOISE_STEAL_MAX 0.05       /* share of CPU time the hypervisor took */
#define NOISE_LOADAVG_BEFORE_MAX 0.5 /* 1-minute load average before a run */
#define NOISE_MIN_WINDOW_S 0.2     /* /proc/stat counts in 10 ms ticks: shorter says nothing */
/* A cell's CPU speed (host_speed.h) below this share of the run's, or above
 * its inverse: a quiet machine stays within a few per cent, a turbo clock
 * within ~15 %; this guest's host moved it by up to 2.5 times. */
#define NOISE_SPEED_MIN 0.75

/* A snapshot of the machine's CPU time and of ours. */
struct load_sample {
	int64_t wall_ns;
	double loadavg1;
	uint64_t busy_ticks;   /* user+nice+system+irq+softirq over all CPUs, in USER_HZ */
	uint64_t steal_ticks;
	uint64_t total_ticks;  /* every field of the cpu line */
	int64_t own_cpu_ns;    /* this process and its reaped children (getrusage) */
	double cpu_speed;      /* host_speed_now(), turns per ns; 0 unknown */
	int cpu;               /* the CPU it was measured on; -1 unknown */
};

struct load_report {
	double seconds;        /* wall time between the samples */
	double other_cpus;     /* busy CPUs not explained by us, averaged; < 0 when unknown */
	double steal_fraction; /* steal / total over the window; < 0 when unknown */
	double loadavg_start, loadavg_end;
	/* The CPU's speed at the cell's start and end, each as a share of the
	 * same CPU's at the run's start (0 when unknown), and those CPUs (-1). */
	double cpu_speed_start, cpu_speed_end;
	int cpu_start, cpu_end;
};

/* A snapshot now, the CPU's speed included (~1.2 ms: host_speed.h). */
void load_sample_take(struct load_sample *s);
/* `run`: each CPU's speed at the run's start (NULL: unknown), which the
 * cell's start and end speeds are shares of. */
struct host_speeds;
void load_compare(const struct load_sample *start, const struct load_sample *end,
		  const struct host_speeds *run, struct load_report *r);
/* {"seconds", "other_cpus", "steal_fraction", "loadavg_start", "loadavg_end",
 * "cpu_speed_start", "cpu_speed_end", "cpu_speed_cpus": [start, end]};
 * unknown figures are null. And back (absent fields read as unknown). */
json_t *load_report_json(const struct load_report *r);
void load_report_from_json(json_t *o, struct load_report *r);
/* The 1-minute load average now (or -1). */
double load_average_1min(void);

/* Whether a cell's CPU speeds at its start and end (shares of the run's;
 * 0 unknown) moved past NOISE_SPEED_MIN either way: 0 when either is
 * unknown. noise_warnings warns on it, `cmbench compare` notes it. */
int noise_speed_moved(double start, double end);

/* Append to `warnings` (a JSON array) one string per reason to doubt the
 * cell: CV above NOISE_CV_MAX, IQR outliers, other processes, steal, a CPU
 * speed away from the run's (NOISE_SPEED_MIN). `times`
 * are the repetitions' seconds. `load` may be NULL. Returns how many. */
int noise_warnings(const double *times, size_t n, const struct summary *s,
		   const struct load_report *load, json_t *warnings);
