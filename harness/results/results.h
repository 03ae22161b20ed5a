/* results.h — the results document (docs/RESULTS.md): rendered from the
 * typed cells of a run (cell_result.h), written atomically after each cell
 * so nothing measured is lost, and read back by resume, plot, report and
 * compare. */
#pragma once
#include <jansson.h>
#include "cell_result.h"
#include "err.h"

#define RESULTS_FORMAT 1

/* Times in the files: microseconds keep three decimals of a millisecond and
 * print as whole numbers in tools that print no decimals (compare.py). */
#define RESULTS_TIME_UNIT "us"
#define RESULTS_NS_PER_UNIT 1e3

/* An empty document around `context` (takes the reference). */
json_t *results_new(json_t *context);

/* Renderers (results_render.c): the entries of one cell (its repetitions and
 * aggregates, or one error or skipped entry), and the whole document. With
 * aggregates_only, repetitions are left out where there are aggregates (as
 * --benchmark_report_aggregates_only does, for dashboards that compare each
 * name with its first entry). New references. */
json_t *results_cell_entries(const struct cell_result *c, int aggregates_only);
json_t *results_document(const struct run_results *r, int aggregates_only);

/* Read a document's cells back into r (results_decode.c); returns how many. */
int results_decode(json_t *doc, struct run_results *r);
/* Whether an entry's workload does work per worker: its `work_scaling`, or
 * for older files what the workload declares today. */
int results_entry_is_per_worker(const json_t *e);
/* Whether an entry of a file is a baseline cell: its `baseline` field, or
 * for older files its model being sequential. */
int results_entry_is_baseline(const json_t *e);

/* Temporary file, fsync, rename. */
/* path "-" (results_is_stdout): the text goes to standard output, once
 * (the caller writes it there only when the run is complete). */
int results_write(const char *path, json_t *doc, struct err *e);
/* The same document to two files (copy NULL: one), rendered to text once:
 * a run writes its file and results/latest.json after every cell, and the
 * text of a 126-cell document is ~4 MB. `durable` 0: no fsync of the data
 * (the run's journal, fsync'd after every cell, is the durable copy). */
int results_write_copies(const char *path, const char *copy, json_t *doc, int durable,
			 struct err *e);
int results_write_csv(const char *path, json_t *doc, struct err *e);
int results_is_stdout(const char *path);
/* Read and check a results file: JSON, a `context`, a `benchmarks` array, a
 * format this version understands. NULL with e set otherwise. */
json_t *results_load(const char *path, struct err *e);
