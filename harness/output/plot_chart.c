/* plot_chart.c — write a chart's data file in the layouts its script reads. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "plot_chart.h"

static void append_word(char *list, size_t len, const char *word, int quote)
{
	size_t n = strlen(list);
	snprintf(list + n, len - n, quote ? "%s\"%s\"" : "%s%s", n ? " " : "", word);
}

void chart_add_series(struct chart *ch, const struct plot_cell *c)
{
	append_word(ch->series, sizeof ch->series, c->series, 0);
	append_word(ch->models, sizeof ch->models, c->model, 0);
	append_word(ch->labels, sizeof ch->labels, c->label, 1);
	ch->nseries++;
}

static void note_x(struct chart *ch, int x)
{
	char word[16];
	snprintf(word, sizeof word, "%d", x);
	if (!ch->points || x < ch->xmin)
		ch->xmin = x;
	if (!ch->points || x > ch->xmax)
		ch->xmax = x;
	/* xtics is a set: look for " x " in " list ". */
	char padded[sizeof ch->xtics + 2], key[20];
	snprintf(padded, sizeof padded, " %s ", ch->xtics);
	snprintf(key, sizeof key, " %s ", word);
	if (!strstr(padded, key))
		append_word(ch->xtics, sizeof ch->xtics, word, 0);
}

static int in_chart(const struct chart *ch, const struct plot_cell *c)
{
	return !ch->workload || !strcmp(c->workload, ch->workload);
}

void chart_write_lines(struct chart *ch, const struct plot_cells *cs, cell_value_fn value)
{
	for (size_t i = 0; i < cs->n;) {
		size_t end = i;
		while (end < cs->n && !strcmp(cs->v[end].workload, cs->v[i].workload) &&
		       !strcmp(cs->v[end].series, cs->v[i].series))
			end++;
		if (in_chart(ch, &cs->v[i])) {
			int started = 0;
			for (size_t j = i; j < end; j++) {
				const struct plot_cell *c = &cs->v[j];
				double v, lo = NAN, hi = NAN;
				if (!c->entry || !value(c, &v, &lo, &hi) || !isfinite(v))
					continue;
				if (!started) {
					fprintf(ch->data, "%s# %s\n", ch->nseries ? "\n\n" : "",
						c->label);
					chart_add_series(ch, c);
					started = 1;
				}
				note_x(ch, c->workers);
				fprintf(ch->data, "%d %.6g %.6g %.6g\n", c->workers, v,
					isfinite(lo) ? lo : v, isfinite(hi) ? hi : v);
				ch->points++;
			}
		}
		i = end;
	}
}

const struct plot_cell *chart_find_cell(const struct chart *ch, const struct plot_cells *cs,
				   const struct plot_cell *series, int workers)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (in_chart(ch, c) && c->entry && c->workers == workers &&
		    !strcmp(c->series, series->series))
			return c;
	}
	return NULL;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void chart_write_bars(struct chart *ch, const struct plot_cells *cs, cell_value_fn value)
{
	/* The series that have at least one point, in table order. */
	const struct plot_cell *series[64];
	int workers[256];
	size_t nseries = 0, nworkers = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		double v, lo, hi;
		if (!in_chart(ch, c) || !c->entry || !value(c, &v, &lo, &hi) || !isfinite(v))
			continue;
		size_t s = 0;
		while (s < nseries && strcmp(series[s]->series, c->series))
			s++;
		if (s == nseries && nseries < sizeof series / sizeof series[0]) {
			series[nseries++] = c;
			chart_add_series(ch, c);
		}
		size_t w = 0;
		while (w < nworkers && workers[w] != c->workers)
			w++;
		if (w == nworkers && nworkers < sizeof workers / sizeof workers[0])
			workers[nworkers++] = c->workers;
	}
	qsort(workers, nworkers, sizeof workers[0], cmp_int);
	fprintf(ch->data, "# workers, then median low high of:");
	for (size_t s = 0; s < nseries; s++)
		fprintf(ch->data, " [%s]", series[s]->label);
	fputc('\n', ch->data);
	for (size_t w = 0; w < nworkers; w++) {
		fprintf(ch->data, "%d", workers[w]);
		note_x(ch, workers[w]);
		for (size_t s = 0; s < nseries; s++) {
			double v = NAN, lo = NAN, hi = NAN;
			const struct plot_cell *c = chart_find_cell(ch, cs, series[s], workers[w]);
			if (c && value(c, &v, &lo, &hi) && isfinite(v))
				ch->points++;
			else
				v = lo = hi = NAN;
			for (int k = 0; k < 2; k++) {
				double x = k ? lo : v;
				if (isfinite(x) && x > 0 && (ch->low_positive == 0 || x < ch->low_positive))
					ch->low_positive = x;
			}
			fprintf(ch->data, " %.6g %.6g %.6g", v, isfinite(lo) ? lo : v,
				isfinite(hi) ? hi : v);
		}
		fputc('\n', ch->data);
	}
}

static struct gp_var *new_var(struct chart *ch, const char *name)
{
	if (ch->nvars == CHART_VARS_MAX)
		return NULL;
	struct gp_var *v = &ch->vars[ch->nvars];
	v->name = name;
	v->value = ch->var_text[ch->nvars++];
	return v;
}

void chart_set_number(struct chart *ch, const char *name, double value)
{
	struct gp_var *v = new_var(ch, name);
	if (v) {
		snprintf(ch->var_text[ch->nvars - 1], sizeof ch->var_text[0], "%.6g",
			 isfinite(value) ? value : 0.0);
		v->is_number = 1;
	}
}

void chart_set_text(struct chart *ch, const char *name, const char *text)
{
	struct gp_var *v = new_var(ch, name);
	if (v) {
		snprintf(ch->var_text[ch->nvars - 1], sizeof ch->var_text[0], "%s", text);
		v->is_number = 0;
	}
}
