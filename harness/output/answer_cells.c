/* answer_cells.c — the answer's rows from a results file's table
 * (plot_cells.h): what `cmbench report` prints and puts at the top of the
 * report. A workload whose work grows with the workers (work_scaling
 * per_worker) is answered in its headline metric, in its direction; any
 * other by its speedup over the baseline, fixed work. A file without those
 * fields: a workload_stats rate ("..._per_s") means work per worker. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "answer_cells.h"

static int is_rate(const char *key)
{
	size_t n = strlen(key);
	return n > 6 && !strcmp(key + n - 6, "_per_s");
}

/* "round_trips_per_s" -> "round-trips/s" */
static void metric_text(char *out, size_t len, const char *key)
{
	size_t n = strlen(key) - 6, at = 0;
	for (size_t i = 0; i < n && at + 3 < len; i++)
		out[at++] = key[i] == '_' ? '-' : key[i];
	snprintf(out + at, len - at, "/s");
}

static double or0(double x) { return isfinite(x) && x > 0 ? x : 0; }

static const char *text(json_t *e, const char *key)
{
	return json_string_value(json_object_get(e, key));
}

struct answer_rows *answer_rows_from_cells(const struct plot_cells *cs)
{
	struct answer_rows *a = calloc(1, sizeof *a);
	a->v = calloc(cs->n ? cs->n : 1, sizeof *a->v);
	a->metric = calloc(cs->n ? cs->n : 1, sizeof *a->metric);
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (!c->entry)
			continue;
		struct answer_row *r = &a->v[a->n];
		memset(r, 0, sizeof *r);
		r->workload = c->workload;
		r->model = c->label;
		r->workers = c->workers;
		r->baseline = c->baseline;
		r->reps = c->reps;
		r->time_s = c->time_ms / 1e3;
		/* a file that says what its cells are judged by (work_scaling,
		 * headline_*); an older one: a workload_stats rate means work per worker */
		const char *key = NULL;
		if (text(c->entry, "work_scaling")) {
			if (c->per_worker && json_is_number(json_object_get(c->entry, "headline_value")))
				key = text(c->entry, "headline_metric");
		} else {
			key = entry_find_key(c->entry, "workload_stats", is_rate);
		}
		if (key && text(c->entry, "headline_label")) {
			r->work = ANSWER_WORK_PER_WORKER;
			snprintf(a->metric[a->n], sizeof a->metric[0], "%s", text(c->entry, "headline_label"));
			r->metric = a->metric[a->n];
			r->unit = text(c->entry, "headline_unit");
			r->lower_is_better = !strcmp(text(c->entry, "headline_direction") ?: "",
						     "lower_is_better");
			r->rate = or0(entry_stat_top(c->entry, "headline_value"));
			/* [min, max] of the repetitions holds the median's 95% interval
			 * from 6 repetitions on; with fewer it is no such interval */
			if (c->reps >= 6) {
				r->rate_lo = or0(entry_stat_top(c->min_entry, "headline_value"));
				r->rate_hi = or0(entry_stat_top(c->max_entry, "headline_value"));
			}
		} else if (key) {
			r->work = ANSWER_WORK_PER_WORKER;
			metric_text(a->metric[a->n], sizeof a->metric[0], key);
			r->metric = a->metric[a->n];
			r->rate = or0(entry_stat(c->entry, "workload_stats", key));
			if (c->reps >= 6) {
				r->rate_lo = or0(entry_stat(c->min_entry, "workload_stats", key));
				r->rate_hi = or0(entry_stat(c->max_entry, "workload_stats", key));
			}
		} else if (c->per_worker) {
			continue; /* no figure to compare it by */
		} else {
			r->work = ANSWER_FIXED_WORK;
			r->speedup = or0(c->speedup);
			r->speedup_lo = or0(c->speedup_lo);
			r->speedup_hi = or0(c->speedup_hi);
		}
		a->n++;
	}
	/* one workload, one kind of answer: the kind of its first cell */
	for (size_t i = 0; i < a->n; i++)
		for (size_t k = 0; k < i; k++)
			if (!strcmp(a->v[k].workload, a->v[i].workload)) {
				a->v[i].work = a->v[k].work;
				if (!a->v[i].metric)
					a->v[i].metric = a->v[k].metric;
				break;
			}
	return a;
}

void answer_rows_free(struct answer_rows *a)
{
	if (!a)
		return;
	free(a->v);
	free(a->metric);
	free(a->owned);
	free(a);
}
