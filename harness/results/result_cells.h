/* result_cells.h — load a results file (docs/RESULTS.md) and group its
 * entries into cells, for tools that read results: compare, plot, report.
 *
 * Accepts Google Benchmark JSON as well: entries without `run_type` count
 * as repetitions and entries without `run_name` are named by `name`. The
 * document stays owned here; cells point into it. */
#pragma once
#include <jansson.h>
#include <stddef.h>
#include "err.h"

/* One cell: every entry that shares a run_name. */
struct result_cell {
	const char *run_name;
	json_t **reps;   /* the repetitions ("run_type": "iteration"), in file order */
	size_t n_reps;
	json_t *median;  /* the "median" aggregate, or NULL */
	json_t *failure; /* an entry with "error_occurred" (or "skipped"): true, or NULL */
	int baseline;    /* its model is the baseline of speedups (results_entry_is_baseline) */
	int per_worker;  /* its work grows with workers (results_entry_is_per_worker) */
};

struct result_cells {
	char path[256];
	json_t *root;
	json_t *context;
	struct result_cell *cells;
	size_t n_cells;
};

/* Read the file with results_load() (which checks it) and group its
 * entries. On failure e says what and where. */
int result_cells_load(const char *path, struct result_cells *r, struct err *e);
void result_cells_free(struct result_cells *r);

/* The cell named run_name, or NULL. */
const struct result_cell *result_cells_find(const struct result_cells *r, const char *run_name);

/* A context field as text ("" when absent); numbers are formatted. */
const char *result_cells_context_text(const struct result_cells *r, const char *key, char *buf, size_t len);

/* A numeric field of an entry, converted to double; 0 when present, -1 if
 * absent or not a number. */
int result_number(const json_t *obj, const char *key, double *out);

/* The factor that turns an entry's times into milliseconds, from its
 * time_unit (ns/us/ms/s; a missing unit is Google Benchmark's default ns);
 * 0 for a unit it does not know. */
double result_time_unit_to_ms(const json_t *entry);
