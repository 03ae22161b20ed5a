/* plot_cells.h — a results file seen as the table that charts and reports
 * draw from: one row per cell (workload × model variant × workers) with the
 * figures they show. Built on result_cells.h (which loads, checks and groups
 * the file); a row's figures come from its median aggregate (or its only
 * repetition), its error bars from the min/max aggregates. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include "err.h"
#include "result_cells.h"

struct plot_cell {
	const char *workload, *model, *run_name; /* borrowed from the results */
	char series[64]; /* the model variant as an identifier, the palette key: "gil_legacy" */
	char label[96];  /* the model variant for people: "gil (legacy)" */
	int workers, tasks, reps;
	double time_ms;                 /* median over repetitions (or the only one) */
	double time_min_ms, time_max_ms;
	double cv;                      /* fraction; NAN with fewer than 2 repetitions */
	double speedup, speedup_lo, speedup_hi; /* vs sequential with its CI; NAN if unknown */
	double speedup_ci_level;        /* that CI's confidence (0.95), NAN if not given */
	double time_ci_lo, time_ci_hi;  /* CI of the median time (ms), NAN if not given */
	double speedup_1w;              /* vs the same model with 1 worker; NAN if unknown */
	double max_rss_kb;              /* NAN if unknown */
	double extra_rss_kb;            /* max_rss_kb minus sequential's with as many workers */
	int verified;
	int baseline;                   /* the model is the baseline of speedups */
	int per_worker;                 /* work grows with workers: no speedup (speedup NAN) */
	const char *error;              /* why the cell failed, else NULL */
	json_t *entry;                  /* median aggregate or only repetition (NULL if failed) */
	json_t *min_entry, *max_entry;  /* min/max aggregates, NULL without them */
};

struct plot_cells {
	struct plot_cell *v;
	size_t n;
	const char **workloads; /* in order of first appearance */
	size_t nworkloads;
};

/* Build the table from a loaded results file; it points into r, which must
 * outlive it. Rows are sorted by workload (first appearance), model
 * (palette order), variant, workers. 0, or -1 with e set. */
int plot_cells_build(const struct result_cells *r, struct plot_cells *out, struct err *e);
void plot_cells_free(struct plot_cells *c);

/* A number from an object of an entry (`model_stats`, `workload_stats`,
 * `counters`), NAN when absent or not a number. entry may be NULL. */
double entry_stat(json_t *entry, const char *object, const char *key);

/* A number field of the entry itself (voluntary_cs ...), NAN when absent. */
double entry_stat_top(json_t *entry, const char *key);

/* The first key of entry.object for which match(key) is true, or NULL: for
 * figures whose exact name varies ("syscalls:sys_enter_futex" or "futex"). */
const char *entry_find_key(json_t *entry, const char *object, int (*match)(const char *key));
