/* compare.h — pair the cells of two results files and judge each change.
 *
 * For every cell name and metric: the medians of BASE and NEW, the relative
 * change, a two-sided Mann–Whitney U test over the repetitions, and a
 * verdict. A change is `slower` (or `faster`) only when it is both
 * significant (p < alpha) and at least `threshold` in size; `slower` means
 * worse in the metric's direction (bigger is better for speedups). Where two
 * cells cannot be compared the verdict says so and `note` says why. */
#pragma once
#include <stddef.h>
#include "err.h"
#include "result_cells.h"

enum compare_verdict {
	VERDICT_UNCHANGED,
	VERDICT_FASTER,
	VERDICT_SLOWER,
	VERDICT_NOT_COMPARABLE,
	VERDICT_COUNT
};

#define COMPARE_MAX_METRICS 16

struct compare_options {
	const char *metrics[COMPARE_MAX_METRICS]; /* real_time, cpu_time, speedup_vs_*, counters */
	size_t n_metrics;
	double threshold; /* minimum relative change, e.g. 0.05 */
	double alpha;     /* significance level, e.g. 0.05 */
};

struct compare_row {
	const char *name;   /* the cell's run_name */
	const char *metric;
	int bigger_is_better;
	size_t n_base, n_new; /* repetitions used */
	double base_median, new_median;
	double change;      /* (new - base) / |base|; NAN when not comparable */
	double p;           /* U-test p-value; NAN when not tested */
	enum compare_verdict verdict;
	char note[240];     /* why not comparable, or what qualifies the verdict */
};

struct comparison {
	struct compare_row *rows;
	size_t n_rows;
	size_t count[VERDICT_COUNT];
	char warning[200]; /* whole-file reason nothing is comparable ("" if none) */
	char base_desc[512], new_desc[512]; /* path, date, revision, profile, host */
};

/* Expand one --metric item: "speedup" adds both speedup metrics. Returns -1
 * with e set for an empty name or too many metrics. */
int compare_add_metric(struct compare_options *o, const char *item, struct err *e);

/* Compare; -1 with e set when the files share no cell name. */
int compare_results(const struct result_cells *base, const struct result_cells *next,
		    const struct compare_options *o, struct comparison *out, struct err *e);
void comparison_free(struct comparison *c);

const char *compare_verdict_name(enum compare_verdict v);
int compare_metric_is_time(const char *metric);
