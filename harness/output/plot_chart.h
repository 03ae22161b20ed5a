/* plot_chart.h — one chart being extracted: its data file, its series, and
 * the variables its gnuplot script reads. Extractors (plot_extract_*.c) fill
 * it through the two writers below, which know the two data layouts the
 * scripts read: line blocks and bar rows. */
#pragma once
#include <stdio.h>
#include "gnuplot.h"
#include "plot_cells.h"

#define CHART_VARS_MAX 12

struct chart {
	FILE *data;           /* the data file being written */
	const char *workload; /* NULL for charts of the whole run */
	char series[512];     /* word lists, one word per series, in data order */
	char models[512];
	char labels[1024];
	int nseries;
	size_t points;        /* data points written; 0 means no chart */
	double xmin, xmax;    /* of the points written by chart_write_lines/bars */
	double low_positive;  /* chart_write_bars: the smallest value or whisker end > 0 (0: none) */
	char xtics[256];      /* the x values written, as a word list */
	struct gp_var vars[CHART_VARS_MAX];
	char var_text[CHART_VARS_MAX][160];
	int nvars;
};

/* A figure of one cell for a chart: the value and, optionally, its error
 * bar. Return 0 when the cell has no such figure (no point is drawn). */
typedef int (*cell_value_fn)(const struct plot_cell *c, double *value, double *low, double *high);

/* Line charts: one block per series of `workload` (two blank lines apart),
 * rows `x value low high`, x = workers. Series without a point are left out. */
void chart_write_lines(struct chart *ch, const struct plot_cells *cs, cell_value_fn value);

/* Grouped bars: one row per worker count of `workload`, then per series
 * three columns value low high (NaN where there is no point). */
void chart_write_bars(struct chart *ch, const struct plot_cells *cs, cell_value_fn value);

/* The cell of the chart's workload with the variant of `series` and `workers`
 * workers (that has not failed), or NULL. */
const struct plot_cell *chart_find_cell(const struct chart *ch, const struct plot_cells *cs,
				   const struct plot_cell *series, int workers);

/* Add a series (the model variant of c) to the chart's word lists. */
void chart_add_series(struct chart *ch, const struct plot_cell *c);

/* Hand a variable to the chart's script. */
void chart_set_number(struct chart *ch, const char *name, double value);
void chart_set_text(struct chart *ch, const char *name, const char *text);
