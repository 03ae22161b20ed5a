/* measure.h — what the harness measures around one repetition. */
#pragma once
#include <stdint.h>
#include <sys/resource.h>
#include "region.h"

struct counters;

struct rep_measure {
	double real_ns;   /* wall time of the region */
	double cpu_ns;    /* user + system time of the process and its reaped children */
	double user_ns, sys_ns;
	long max_rss_kb;  /* peak RSS of the cell process (+ children's sum, for forking models) */
	long vol_cs, invol_cs; /* voluntary / involuntary context switches (getrusage) */
};

struct region {
	int64_t start_ns, stop_ns;   /* CLOCK_MONOTONIC at region_start / region_stop */
	struct rusage self0, kids0;  /* rusage at region_start */
	/* This process's rusage at region_stop: what the model does after the
	 * region (the gil model times its tick's loop again, 6-70 ms) is not
	 * the workload's CPU time. Children are read at region_finish, once
	 * reaped: rusage counts a child only then. */
	struct rusage self1;
	int started, stopped;
	struct counters *counters;   /* perf events to enable over the region, or NULL */
	int external;                /* region_report_external was called: */
	struct rep_measure measured; /* what the model measured elsewhere */
};

void region_init(struct region *r);
/* After the model has returned (threads joined, children reaped): fill m. */
void region_finish(const struct region *r, long children_rss_kb, struct rep_measure *m);
