/* cell.h — one cell of the matrix (workload × model × workers × params) and
 * how it is measured: set up once, warm-ups, then repetitions, each
 * verified; all in a child process so a crash or hang costs one cell. */
#pragma once
#include <jansson.h>
#include "adaptive.h"
#include "bench.h"
#include "cell_outcome.h"
#include "host_speed.h"
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
	struct rep_policy policy; /* how many timed repetitions (adaptive.h); max 0: exactly reps */
	double min_time_s;     /* --min-time: add repetitions until this much was measured */
	struct host_speeds cpu_speeds; /* each CPU's, before the run's first cell (host_speed.h) */
};

/* --min-time never makes a cell run more repetitions than this. */
#define REPS_MAX 10000

/* Measure the cell in this process into `out` (cell_outcome_free it). When
 * the model cannot run the workload (contract_check in
 * harness/contract/model.h: a capability the workload needs and the model
 * lacks, or a supports() hook said no), nothing is set up or measured: the
 * outcome is CELL_SKIPPED with the reason. A skipped cell is neither a
 * failure nor a data point: Google Benchmark's SkipWithMessage ("skipped":
 * true, "skip_message": why). */
void cell_measure(const struct cell *c, const struct run_opts *o, struct cell_outcome *out);

/* The same, in a child process with o->timeout_s; a crash, a hang or a
 * garbled report becomes a CELL_ERROR outcome. 0; -1 only if interrupted by
 * the user (SIGINT/SIGTERM, see cell_interrupted; `out` is then empty). */
int cell_run_isolated(const struct cell *c, const struct run_opts *o, struct cell_outcome *out);

/* Reap every child the cell processes left behind (needs PR_SET_CHILD_SUBREAPER). */
void cell_reap_orphans(void);

/* The signal that interrupted the run (0 if none). */
int cell_interrupted(void);
void cell_install_signal_handlers(void);
