/* report.h — the content of `cmbench report`: context, warnings, summary
 * tables and every chart of a results file, written through a doc backend
 * (doc.h) so that the HTML page and its Markdown twin say the same thing. */
#pragma once
#include <jansson.h>
#include "doc.h"
#include "plot.h"
#include "plot_cells.h"

struct report_input {
	json_t *results;
	const struct plot_cells *cells;
	const struct plot_set *charts; /* drawn by plot_results into the report's directory */
	const char *results_path;
};

void report_write(struct doc *d, const struct report_input *in);

/* report_tables.c: the tables of one workload. */
void report_summary_table(struct doc *d, const struct plot_cells *cs, const char *workload);
/* A table of the numbers in each cell's `object` (model_stats, workload_stats,
 * counters): one column per key met. Nothing when no cell has any. */
void report_object_table(struct doc *d, const struct plot_cells *cs, const char *workload,
			 const char *object, const char *heading);
/* "1,234", "12.3", "0.123": few digits, thousands grouped. "–" for NAN. */
void report_number(char *buf, size_t len, double v);
/* "GIL policies side by side" (report_gil.c): nothing without gil cells of
 * convoy or count-down. */
void report_gil_policies(struct doc *d, const struct plot_cells *cs);
/* This machine's floors and every cell's ratio to its own (report_floors.c). */
void report_floors(struct doc *d, json_t *context, const struct plot_cells *cs);

/* report_warnings.c: every warning of the run, deduplicated, one per call of
 * emit: the statistics' warnings, failed or unverified cells, counters that
 * could not be counted. Returns how many. */
size_t report_warnings(json_t *results, const struct plot_cells *cs,
		       void (*emit)(void *arg, const char *text), void *arg);
