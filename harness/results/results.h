/* results.h — the results document (docs/RESULTS.md): built cell by cell,
 * written atomically after each cell so nothing measured is lost, and read
 * back by plot, report and compare. */
#pragma once
#include <jansson.h>
#include "cell.h"
#include "err.h"

#define RESULTS_FORMAT 1

json_t *results_new(json_t *context);
/* Append the entries of one measured cell (iterations, aggregates or one error entry). */
void results_add_cell(json_t *doc, const struct cell *c, json_t *outcome);
/* Fill speedup_vs_sequential and speedup_vs_1worker on median aggregates. */
void results_compute_speedups(json_t *doc);
/* Confidence intervals (harness/results/results_ci.c), at RESULTS_CI_LEVEL: on a
 * median aggregate, `median_ci` [lo, hi] ms with `median_ci_level` (the
 * coverage achieved: lower with fewer than 6 repetitions); and `key` (e.g.
 * "speedup_vs_sequential_ci") [lo, hi] of median(base) / median(entry), with
 * `key_level` (see stats_ratio_ci). */
#define RESULTS_CI_LEVEL 0.95
void results_set_median_ci(json_t *median_entry, const double *times_ms, size_t n);
void results_set_speedup_ci(json_t *list, json_t *median_entry, json_t *base_median,
			    const char *key);

/* Temporary file, fsync, rename. */
/* path "-" (results_is_stdout): the text goes to standard output, once
 * (the caller writes it there only when the run is complete). */
int results_write(const char *path, json_t *doc, struct err *e);
int results_write_csv(const char *path, json_t *doc, struct err *e);
int results_is_stdout(const char *path);
/* Read and check a results file: JSON, a `context`, a `benchmarks` array, a
 * format this version understands. NULL with e set otherwise. */
json_t *results_load(const char *path, struct err *e);

/* Aggregate iteration entries: NULL-terminated list of the numeric leaves
 * of an entry that are measurements (real_time, cpu_time, ...). */
extern const char *const results_measure_keys[];
