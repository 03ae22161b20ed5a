/* cell.h — one cell of the matrix (workload × model × workers × params) and
 * how it is measured: set up once, warm-ups, then repetitions, each
 * verified; all in a child process so a crash or hang costs one cell. */
#pragma once
#include <jansson.h>
#include "adaptive.h"
#include "bench.h"
#include "model.h"
#include "params.h"

struct cell {
	const struct bench *bench;
	const struct model *model;
	int workers, ntasks;
	struct params bench_params, model_params;
	struct binding *binding; /* where each worker runs (harness/system/pin.h); NULL: unpinned */
	char name[512]; /* WORKLOAD/MODEL/workers:N[/pin:P][/KEY=VALUE...] */
};

struct run_opts {
	enum profile profile;
	int reps, warmup;
	double timeout_s;      /* per cell */
	char cache_dir[4096];
	int live;              /* progress on a terminal: rewrite one line */
	unsigned counters;     /* perf events to count (harness/system/counters.h mask) */
	int counters_separate; /* 1: counted in repetitions of their own, after the timed ones */
	struct rep_policy policy; /* how many timed repetitions (adaptive.h) */
	double min_time_s;     /* --min-time: add repetitions until this much was measured */
};

/* --min-time never makes a cell run more repetitions than this. */
#define REPS_MAX 10000
/* Repetitions that count perf events when they are counted apart. */
#define COUNTER_REPS 3

/* Measure the cell in this process. Returns an object:
 *   {"samples": [{"real_ns", "cpu_ns", "user_ns", "sys_ns", "max_rss_kb",
 *                 "vol_cs", "invol_cs", "model_stats", "workload_stats"}...],
 *    "setup_ns": N, "error": "why" (only on failure)}
 * or, when the model cannot run the workload (contract_check in
 * harness/contract/model.h: a capability the workload needs and the model
 * lacks, or a supports() hook said no), nothing is set up or measured:
 *   {"samples": [], "skipped": "why"}
 * A skipped cell is neither a failure nor a data point: Google Benchmark's
 * SkipWithMessage ("skipped": true, "skip_message": why). */
json_t *cell_measure(const struct cell *c, const struct run_opts *o);

/* The same, in a child process with o->timeout_s; a crash, a hang or a
 * garbled report becomes "error". Returns NULL only if interrupted by the
 * user (SIGINT/SIGTERM, see cell_interrupted). */
json_t *cell_run_isolated(const struct cell *c, const struct run_opts *o);

/* Reap every child the cell processes left behind (needs PR_SET_CHILD_SUBREAPER). */
void cell_reap_orphans(void);

/* The signal that interrupted the run (0 if none). */
int cell_interrupted(void);
void cell_install_signal_handlers(void);
