/* report_gil.c — "GIL policies side by side": for a results file with gil
 * cells of the convoy and count-down workloads (for instance
 * `-w convoy,countdown -m gil -n 1,2,3,4 --param gil=legacy,modern,io-priority,bfs,free-threaded`),
 * one row per model variant with what docs/GIL.md compares: the convoy's
 * round-trips/s beside 1 and 2 CPU-bound threads and its median latency
 * beside one, and count-down's time with 2 and 4 threads over 1. Nothing is
 * computed that the cells do not hold: a missing cell is a dash. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "plot_cells.h"
#include "report.h"

static const struct plot_cell *find_cell(const struct plot_cells *cs, const char *workload,
					 const char *label, int workers)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (c->entry && !strcmp(c->model, "gil") && !strcmp(c->workload, workload) &&
		    !strcmp(c->label, label) && c->workers == workers)
			return c;
	}
	return NULL;
}

static double convoy_stat(const struct plot_cells *cs, const char *label, int workers, const char *key)
{
	const struct plot_cell *c = find_cell(cs, "convoy", label, workers);
	return c ? entry_stat(c->entry, "workload_stats", key) : NAN;
}

static double countdown_ratio(const struct plot_cells *cs, const char *label, int workers)
{
	const struct plot_cell *one = find_cell(cs, "countdown", label, 1);
	const struct plot_cell *n = find_cell(cs, "countdown", label, workers);
	return one && n && one->time_ms > 0 ? n->time_ms / one->time_ms : NAN;
}

void report_gil_policies(struct doc *d, const struct plot_cells *cs)
{
	const char *labels[32];
	size_t nlabels = 0;
	for (size_t i = 0; i < cs->n && nlabels < 32; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (strcmp(c->model, "gil") || (strcmp(c->workload, "convoy") && strcmp(c->workload, "countdown")))
			continue;
		size_t k = 0;
		while (k < nlabels && strcmp(labels[k], c->label))
			k++;
		if (k == nlabels)
			labels[nlabels++] = c->label;
	}
	if (!nlabels)
		return;
	d->ops->heading(d, 1, "GIL policies side by side");
	d->ops->paragraph(d, "Each row is one variant of the gil model (docs/GIL.md). Convoy: the I/O "
			     "task's round-trips/s beside 1 and 2 CPU-bound threads (2 and 3 workers) and "
			     "its median round-trip beside one; count-down: the time with 2 and 4 threads "
			     "over the time with 1 (1.0: no gain, no loss; 0.5: twice as fast). Compare "
			     "with CPython's measured rows in docs/GIL.md.");
	static const char *const headers[] = {"gil variant", "convoy rt/s, 1 CPU", "convoy rt/s, 2 CPU",
					      "p50 ms, 1 CPU", "count-down 2÷1", "count-down 4÷1"};
	d->ops->table_begin(d, 6, headers, "lrrrrr");
	for (size_t k = 0; k < nlabels; k++) {
		double v[5] = {convoy_stat(cs, labels[k], 2, "round_trips_per_s"),
			       convoy_stat(cs, labels[k], 3, "round_trips_per_s"),
			       convoy_stat(cs, labels[k], 2, "latency_p50_us") / 1e3,
			       countdown_ratio(cs, labels[k], 2), countdown_ratio(cs, labels[k], 4)};
		char col[6][48];
		const char *row[6];
		snprintf(col[0], sizeof col[0], "%.47s", labels[k]);
		for (int j = 0; j < 5; j++) {
			if (isnan(v[j]))
				snprintf(col[j + 1], sizeof col[j + 1], "-");
			else
				report_number(col[j + 1], sizeof col[j + 1], v[j]);
		}
		for (int j = 0; j < 6; j++)
			row[j] = col[j];
		d->ops->table_row(d, row);
	}
	d->ops->table_end(d);
}
