/* plot_extract_scaling.c — how the models scale: speedup, efficiency, time per
 * cell, and the overview of every workload. */
#include <math.h>
#include <string.h>
#include "plot_extract.h"
#include "results_context.h"

void chart_set_workers_axis(struct chart *ch)
{
	chart_set_number(ch, "xmin", ch->xmin);
	chart_set_number(ch, "xmax", ch->xmax);
	chart_set_text(ch, "xtics_list", ch->xtics);
}

static int speedup_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	*v = c->speedup;
	*lo = c->speedup_lo;
	*hi = c->speedup_hi;
	return isfinite(c->speedup);
}

static int efficiency_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	if (!speedup_of(c, v, lo, hi) || c->workers < 1)
		return 0;
	*v *= 100.0 / c->workers;
	*lo *= 100.0 / c->workers;
	*hi *= 100.0 / c->workers;
	return 1;
}

static int time_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	*v = c->time_ms;
	*lo = c->time_min_ms;
	*hi = c->time_max_ms;
	return isfinite(c->time_ms);
}

/* Whiskers from the confidence interval of the median, when the file has it. */
static int time_ci_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	*v = c->time_ms;
	*lo = c->time_ci_lo;
	*hi = c->time_ci_hi;
	return isfinite(c->time_ms);
}

/* The smallest lower end of the error bars written (the value if none). */
static double lowest(const struct plot_cells *cs, const char *workload, cell_value_fn value)
{
	double bottom = INFINITY;
	for (size_t i = 0; i < cs->n; i++) {
		double v, lo = NAN, hi = NAN;
		const struct plot_cell *c = &cs->v[i];
		if (!c->entry || (workload && strcmp(c->workload, workload)) || !value(c, &v, &lo, &hi))
			continue;
		bottom = fmin(bottom, fmin(v, isfinite(lo) ? lo : v));
	}
	return bottom;
}

/* The top of the y axis for the values written: room for every value, and
 * for error bars up to half as high again as the highest value; a longer
 * bar (a very wide interval from a noisy run) runs off the top rather than
 * flattening every curve. */
static double axis_top(const struct plot_cells *cs, const char *workload, cell_value_fn value)
{
	double top_value = 0, top_bar = 0;
	for (size_t i = 0; i < cs->n; i++) {
		double v, lo = NAN, hi = NAN;
		const struct plot_cell *c = &cs->v[i];
		if (!c->entry || (workload && strcmp(c->workload, workload)) || !value(c, &v, &lo, &hi))
			continue;
		top_value = fmax(top_value, v);
		top_bar = fmax(top_bar, isfinite(hi) ? hi : v);
	}
	return fmax(top_value, fmin(top_bar, 1.5 * top_value));
}

void extract_speedup(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	chart_write_lines(ch, cs, speedup_of);
	const char *what;
	int cores = context_cores(ctx, &what);
	chart_set_workers_axis(ch);
	chart_set_number(ch, "cores", cores);
	chart_set_text(ch, "cores_what", what);
	/* Room for the data and for the ideal line up to the core count, but no
	 * more: an ideal line up to 64 workers would flatten every real curve. */
	double reach = fmin(ch->xmax, cores > 0 ? cores : ch->xmax);
	chart_set_number(ch, "ymax", 1.15 * fmax(1.0, fmax(axis_top(cs, ch->workload, speedup_of), reach)));
	double bottom = lowest(cs, ch->workload, speedup_of);
	chart_set_number(ch, "ymin", bottom > 0 ? fmin(0.8, 0.8 * bottom) : 0.1);
}

void extract_efficiency(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	chart_write_lines(ch, cs, efficiency_of);
	chart_set_workers_axis(ch);
	chart_set_number(ch, "ymax", fmax(115.0, 1.1 * axis_top(cs, ch->workload, efficiency_of)));
}

void extract_time(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	int have_ci = 0;
	for (size_t i = 0; i < cs->n; i++)
		have_ci |= !strcmp(cs->v[i].workload, ch->workload) && isfinite(cs->v[i].time_ci_lo);
	chart_write_bars(ch, cs, have_ci ? time_ci_of : time_of);
	/* Cells 50 times apart (an emulated GIL beside native threads) would
	 * flatten the fast ones on a linear axis. */
	double top = axis_top(cs, ch->workload, time_of), bottom = lowest(cs, ch->workload, time_of);
	chart_set_number(ch, "ylog", bottom > 0 && top / bottom > 50);
	chart_set_text(ch, "whiskers", have_ci ? "confidence interval of the median"
					       : "fastest..slowest repetition");
}

/* The cell of a series with the most workers in a workload, or NULL. */
static const struct plot_cell *widest(const struct plot_cells *cs, const char *workload, const char *series)
{
	const struct plot_cell *best = NULL;
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (c->entry && isfinite(c->speedup) && !strcmp(c->workload, workload) &&
		    !strcmp(c->series, series) && (!best || c->workers > best->workers))
			best = c;
	}
	return best;
}

void extract_overview(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	/* Every variant but the baseline itself, in table order. */
	const struct plot_cell *series[64];
	size_t nseries = 0;
	for (size_t i = 0; i < cs->n && nseries < sizeof series / sizeof series[0]; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (!c->entry || !isfinite(c->speedup) || c->baseline)
			continue;
		size_t s = 0;
		while (s < nseries && strcmp(series[s]->series, c->series))
			s++;
		if (s == nseries) {
			series[nseries++] = c;
			chart_add_series(ch, c);
		}
	}
	fprintf(ch->data, "# workload, then speedup low high at the most workers of each series\n");
	/* Name the worker count once in the axis label when every workload
	 * reached the same, else beside each workload. */
	int common_most = -1;
	for (size_t w = 0; w < cs->nworkloads; w++)
		for (size_t s = 0; s < nseries; s++) {
			const struct plot_cell *c = widest(cs, cs->workloads[w], series[s]->series);
			if (c)
				common_most = common_most == -1 || common_most == c->workers ? c->workers : 0;
		}
	char ylabel[96];
	if (common_most > 0)
		snprintf(ylabel, sizeof ylabel, "speedup vs sequential at %d workers", common_most);
	else
		snprintf(ylabel, sizeof ylabel, "speedup vs sequential at the most workers run");
	chart_set_text(ch, "ylabel_text", ylabel);

	double top_value = 0, top_bar = 0; /* as axis_top(), over the bars drawn */
	for (size_t w = 0; w < cs->nworkloads; w++) {
		const char *wl = cs->workloads[w];
		int most = 0;
		for (size_t s = 0; s < nseries; s++) {
			const struct plot_cell *c = widest(cs, wl, series[s]->series);
			most = c && c->workers > most ? c->workers : most;
		}
		if (!most)
			continue;
		if (common_most > 0)
			fprintf(ch->data, "\"%s\"", wl);
		else
			fprintf(ch->data, "\"%s (%d)\"", wl, most);
		for (size_t s = 0; s < nseries; s++) {
			const struct plot_cell *c = widest(cs, wl, series[s]->series);
			double v = c ? c->speedup : NAN, lo = c ? c->speedup_lo : NAN,
			       hi = c ? c->speedup_hi : NAN;
			fprintf(ch->data, " %.6g %.6g %.6g", v, isfinite(lo) ? lo : v,
				isfinite(hi) ? hi : v);
			ch->points += c != NULL;
			if (c) {
				top_value = fmax(top_value, v);
				top_bar = fmax(top_bar, isfinite(hi) ? hi : v);
			}
		}
		fputc('\n', ch->data);
	}
	chart_set_number(ch, "ymax", 1.1 * fmax(1.0, fmax(top_value, fmin(top_bar, 1.5 * top_value))));
}
