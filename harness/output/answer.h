/* answer.h — the end-of-run answer, hyperfine style: per workload, which
 * model is best at each worker count and by how much, with its interval.
 *
 *   countdown — fixed work (time, lower is better)
 *     1 worker   threads      ran 1.01 ± 0.02 times faster than sequential
 *     2 workers  processes    ran 1.92 ± 0.04 times faster than sequential
 *   echo — work per worker (round-trips/s, higher is better)
 *     4 workers  coroutines   41,200 round-trips/s, 2.3 ± 0.1 times as many as threads
 *
 * Fixed-work workloads compare time against the baseline model; work-per-
 * worker workloads compare their headline metric against the runner-up at
 * the same worker count, in its better direction ("850 ns, 1.8 ± 0.1
 * times less than threads" for a time). Every line fits 100 columns (a
 * longer one is broken at a space, never cut). The renderer reads only
 * answer_row structs: the caller fills them from the typed results. */
#pragma once
#include <stddef.h>
#include <stdio.h>
#include "text_wrap.h"

#define ANSWER_WIDTH TEXT_WIDTH

enum answer_work { ANSWER_FIXED_WORK, ANSWER_WORK_PER_WORKER };

/* One measured cell, as the answer needs it. */
struct answer_row {
	const char *workload;
	enum answer_work work;
	const char *model;     /* the variant's label: "gil (modern)" */
	int workers;
	int baseline;          /* the baseline model (sequential) */
	double time_s;         /* median time */
	/* fixed work: the ratio median(baseline, 1 worker) / median(this), with
	 * its interval (lo = hi = 0 when there is none) */
	double speedup, speedup_lo, speedup_hi;
	/* work per worker: the headline metric (higher is better) and its
	 * interval (lo = hi = 0 when there is none) */
	const char *metric;    /* "round-trips/s", "ns per switch" */
	double rate, rate_lo, rate_hi;
	const char *unit;      /* of rate, when not the metric's name: "ns" (NULL: metric) */
	int lower_is_better;   /* work per worker: the metric is a time (ns per switch) */
	int reps;              /* timed repetitions (a ratio needs 2 or more) */
};

/* The answer piece by piece: a workload's line (workload_line set, the
 * rest NULL), then per worker count "2 workers", the best model and what it
 * did ("ran 1.92 ± 0.04 times faster than sequential"). */
typedef void (*answer_emit_fn)(void *arg, const char *workload_line, const char *workers,
			       const char *model, const char *text);
void answer_each(const struct answer_row *rows, size_t n, answer_emit_fn emit, void *arg);

/* Print the answer of n rows (in run order: workloads keep their order). */
void answer_print(FILE *f, const struct answer_row *rows, size_t n);

/* "41,200", "1.23M", "0.98": a number for people, at most 3 significant
 * figures past the thousands. */
void answer_number(char *buf, size_t len, double v);
