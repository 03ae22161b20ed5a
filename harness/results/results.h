/* results.h — the results document (docs/RESULTS.md): rendered from the
 * typed cells of a run (cell_result.h), written atomically after each cell
 * so nothing measured is lost, and read back by resume, plot, report and
 * compare. */
#pragma once
#include <jansson.h>
#include "cell_result.h"
#include "err.h"

#define RESULTS_FORMAT 1

/* An empty document around `context` (takes the reference). */
json_t *results_new(json_t *context);

/* Renderers (results_render.c): the entries of one cell (its repetitions and
 * aggregates, or one error entry), and the whole document. New references. */
json_t *results_cell_entries(const struct cell_result *c);
json_t *results_document(const struct run_results *r);

/* Read a document's cells back into r (results_decode.c); returns how many. */
int results_decode(json_t *doc, struct run_results *r);
/* Whether an entry of a file is a baseline cell: its `baseline` field, or
 * for older files its model being sequential. */
int results_entry_is_baseline(const json_t *e);

/* Temporary file, fsync, rename. */
int results_write(const char *path, json_t *doc, struct err *e);
int results_write_csv(const char *path, json_t *doc, struct err *e);
/* Read and check a results file: JSON, a `context`, a `benchmarks` array, a
 * format this version understands. NULL with e set otherwise. */
json_t *results_load(const char *path, struct err *e);
