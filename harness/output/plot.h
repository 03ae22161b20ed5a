/* plot.h — draw every chart a results file has data for: extract a data file
 * per chart (plot_extract_*.c), then run its script in plots/ through
 * gnuplot for each requested format. */
#pragma once
#include <jansson.h>
#include <stdio.h>
#include "err.h"
#include "plot_cells.h"

struct plot_options {
	const char *outdir; /* created if missing */
	int png, svg;       /* formats to draw */
	int width, height;  /* pixels (SVG: user units) */
	FILE *diag;         /* where gnuplot's errors and warnings are told */
};

struct plot_made {
	char name[128];       /* file name without extension: "speedup-countdown" */
	const char *kind;     /* chart kind: "speedup" */
	const char *workload; /* NULL for charts of the whole run */
	char title[160];
};

struct plot_set {
	struct plot_made *v;
	size_t n;
};

struct chart;

/* Every chart kind, in the order a reader should see them. */
struct chart_kind {
	const char *name;   /* also the output file's prefix */
	const char *script; /* in plots/ */
	void (*extract)(struct chart *ch, const struct plot_cells *cs, json_t *ctx);
	const char *title;  /* ": WORKLOAD" is appended for per-workload charts */
	int per_workload;
	const char *caption; /* how to read it, for reports */
};
extern const struct chart_kind chart_kinds[];

/* Draw the charts of `results` (its cells in cs) into o->outdir. Charts with
 * no data are skipped. 0 with the charts drawn in out (free with
 * plot_set_free), or -1 with e set: gnuplot missing, the output directory
 * not writable, or a script that failed (each failure told on o->diag with
 * the script's name and gnuplot's message). */
int plot_results(json_t *results, const struct plot_cells *cs, const struct plot_options *o,
		 struct plot_set *out, struct err *e);
void plot_set_free(struct plot_set *s);

/* mkdir -p. 0, or -1 with e set. */
int make_dirs(const char *path, struct err *e);
