/* compare_samples.h — the per-repetition values of one metric in one cell.
 *
 * real_time, cpu_time: each repetition's time in ms.
 * speedup_vs_sequential, speedup_vs_1worker: the file records these only as
 *   a ratio of medians (reference median ÷ this cell's median, both from the
 *   same run). The reference median is recovered as speedup × this cell's
 *   median real_time, and repetition i contributes reference ÷ real_time_i.
 *   The reference is one number per run, so whatever slowed the whole run
 *   down (a busy neighbour, a slower CI host) cancels in the ratio.
 * anything else: a perf counter (`counters`), then a model or workload
 *   statistic (`model_stats`, `workload_stats`), then a top-level number
 *   (Google Benchmark user counters such as items_per_second). */
#pragma once
#include <stddef.h>
#include "result_cells.h"

/* Fill *values (malloc'd, n entries) or return -1 with why[] explaining
 * what the cell lacks. */
int compare_samples(const struct result_cell *c, const char *metric, double **values,
		    size_t *n, char *why, size_t why_len);

/* 1 when bigger values are better: speedups and rates (…per_second, …_per_s, …/s). */
int compare_bigger_is_better(const char *metric);
/* The same for a cell: the metric "headline" (each repetition's
 * headline_value) is better in the direction the cell's file records
 * (headline_direction). */
int compare_cell_bigger_is_better(const struct result_cell *c, const char *metric);

/* 1 when the cell is the reference of this speedup (its ratio is 1 by
 * definition, so there is nothing to compare). */
int compare_is_own_reference(const struct result_cell *c, const char *metric);
