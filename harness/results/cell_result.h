/* cell_result.h — the typed result model of a run: per cell its identity,
 * its outcome (repetitions as measured, harness/run/cell_outcome.h), its
 * aggregates and statistics (median with CI, cv, spread), its noise
 * warnings and its ratios against the baseline and against one worker.
 *
 * A run's cells live here from the moment the parent receives them; the
 * JSON document (results_render.c), the CSV and the summary render these
 * structs. Statistics are computed once, when a cell is added; a ratio is
 * set when both its cells are present (adding a baseline cell fills the
 * cells that waited for it), never recomputed for the whole run. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include "cell.h"
#include "cell_floor.h"
#include "cell_outcome.h"
#include "err.h"
#include "stats.h"

/* Who a cell is: what the results file says of it, so that a cell read
 * back from a file (resume) is the same struct as one just measured. */
struct cell_identity {
	char name[512];      /* WORKLOAD/MODEL/workers:N[/pin:P][/KEY=VALUE...] */
	char workload[64], model[64];
	int workers, ntasks;
	char pin[256];       /* the --pin policy's text, "none" */
	int baseline;        /* the model is the baseline of speedups (MODEL_BASELINE) */
	struct named_values workload_params, model_params; /* KEY -> VALUE text */
	int per_worker;      /* the work grows with workers (WORK_PER_WORKER): no speedup */
	struct {             /* the workload's headline metric (bench.h) */
		char name[64];   /* "real_time" or a workload_stats key */
		char label[64], unit[32];
		enum metric_kind kind;
	} headline;
};

/* Which way is better for a metric: -1 lower, +1 higher, 0 neither. */
int metric_direction(enum metric_kind kind);
const char *metric_direction_name(enum metric_kind kind); /* "lower_is_better"... */

/* The aggregate of one named figure over the repetitions (numbers only; a
 * text or unknown figure keeps the first repetition's value). */
struct value_summary {
	int numeric;
	struct summary s;
};

/* A ratio of medians (e.g. a speedup) with its interval. */
struct ratio {
	int set;
	double value;
	struct interval ci; /* ci.level 0 when there is none */
};

struct cell_result {
	struct cell_identity id;
	struct cell_outcome outcome;
	/* Aggregates, when outcome.status is CELL_OK (n = outcome.n_samples). */
	struct summary real, cpu, user, sys, rss, vol_cs, invol_cs; /* times in ns */
	struct value_summary *counters, *model_stats, *workload_stats; /* as samples[0]'s lists */
	struct interval median_ci;   /* of real time, ns */
	char **warnings;             /* reasons to doubt the cell (noise) */
	size_t n_warnings;
	struct value_summary headline; /* of the headline metric, in its unit (not numeric:
					* some repetition lacks it, e.g. yield with 1 worker) */
	/* Fixed total work: speedups, median time of the reference / this one's.
	 * Work per worker: vs_baseline unset; vs_1worker is the headline's gain
	 * over the same model with 1 worker in its better direction (throughput
	 * n / throughput 1, latency 1 / latency n). */
	struct ratio vs_baseline;    /* median(baseline, 1 worker) / median(this) */
	struct ratio vs_1worker;
	struct cell_floor floor;     /* against this machine's floor (the context's floors) */
};

struct run_results {
	json_t *context; /* owned */
	struct floors *floors; /* context.floors, read when the first cell is added; NULL: none */
	int floors_read;
	struct cell_result **cells;
	size_t n, cap;
};

/* The identity of a cell of the matrix. */
void cell_identity_of(const struct cell *c, struct cell_identity *id);
/* Its scaling and headline from the workload's descriptor (NULL: fixed
 * work, judged by time). */
void cell_identity_set_metric(struct cell_identity *id, const struct bench *b);
/* The headline metric of each repetition into out (n_samples values):
 * n_samples, or 0 when some repetition lacks it. */
int cell_headline_values(const struct cell_result *c, double *out);
void cell_identity_free(struct cell_identity *id);

/* Start a run's results (takes the reference to context). */
void run_results_init(struct run_results *r, json_t *context);
void run_results_free(struct run_results *r);
/* Add a cell: takes `outcome` (left empty) and copies `id`'s params. Its
 * aggregates, CI, warnings and ratios are computed now; cells waiting for
 * it as their baseline or 1-worker reference get their ratio. */
struct cell_result *run_results_add(struct run_results *r, const struct cell_identity *id,
				    struct cell_outcome *outcome);
const struct cell_result *run_results_find(const struct run_results *r, const char *name);

/* Confidence level of every interval in the results. */
#define RESULTS_CI_LEVEL 0.95
