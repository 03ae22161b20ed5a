/* answer_results.c — the answer's rows from typed results (answer_results.h). */
#include <stdlib.h>
#include <string.h>
#include "answer_results.h"

/* The rows' texts (labels, metrics), owned by the rows. */
struct texts {
	char label[128], metric[64], unit[32];
};

/* A model parameter names the variant when it is the model's own
 * (gil=legacy: "gil (legacy)") or differs between cells of the same
 * workload and model; the pin policy likewise. */
static int varies(const struct run_results *r, const struct cell_result *c, const char *key,
		  const char *value)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *o = r->cells[i];
		if (o == c || strcmp(o->id.workload, c->id.workload) || strcmp(o->id.model, c->id.model))
			continue;
		const char *ov = o->id.pin;
		if (key) {
			const struct named_value *v = named_values_find(&o->id.model_params, key);
			ov = v && v->kind == VALUE_TEXT ? v->text : NULL;
		}
		if (!ov || strcmp(ov, value))
			return 1;
	}
	return 0;
}

static void label_of(const struct run_results *r, const struct cell_result *c, char *out, size_t len)
{
	char extra[100] = "";
	size_t n = 0;
	for (size_t i = 0; i < c->id.model_params.n; i++) {
		const struct named_value *v = &c->id.model_params.v[i];
		if (v->kind != VALUE_TEXT)
			continue;
		int own = !strcmp(v->name, c->id.model);
		if (!own && !varies(r, c, v->name, v->text))
			continue;
		n += (size_t)snprintf(extra + n, n < sizeof extra ? sizeof extra - n : 0,
				      own ? "%s%s" : "%s%s=%s", n ? ", " : "", own ? v->text : v->name,
				      v->text);
		if (n >= sizeof extra)
			n = sizeof extra - 1;
	}
	if (varies(r, c, NULL, c->id.pin))
		n += (size_t)snprintf(extra + n, n < sizeof extra ? sizeof extra - n : 0, "%spin=%.40s",
				      n ? ", " : "", c->id.pin);
	snprintf(out, len, extra[0] ? "%s (%s)" : "%s", c->id.model, extra);
}

static double or0(double x) { return x > 0 ? x : 0; }

struct answer_rows *answer_rows_from_results(const struct run_results *r)
{
	struct answer_rows *a = calloc(1, sizeof *a);
	struct texts *t = calloc(r->n ? r->n : 1, sizeof *t);
	if (!a || !t)
		abort();
	a->v = calloc(r->n ? r->n : 1, sizeof *a->v);
	a->owned = t;
	if (!a->v)
		abort();
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *c = r->cells[i];
		if (c->outcome.status != CELL_OK || c->outcome.n_samples == 0)
			continue;
		struct answer_row *row = &a->v[a->n];
		struct texts *tx = &t[a->n];
		memset(row, 0, sizeof *row);
		label_of(r, c, tx->label, sizeof tx->label);
		row->workload = c->id.workload;
		row->model = tx->label;
		row->workers = c->id.workers;
		row->baseline = c->id.baseline;
		row->reps = (int)c->outcome.n_samples;
		row->time_s = c->real.median / 1e9; /* of one repetition too */
		if (c->id.per_worker) {
			if (!c->headline.numeric)
				continue; /* some repetition lacks it: nothing to compare */
			row->work = ANSWER_WORK_PER_WORKER;
			snprintf(tx->metric, sizeof tx->metric, "%s", c->id.headline.label);
			snprintf(tx->unit, sizeof tx->unit, "%s", c->id.headline.unit);
			row->metric = tx->metric;
			row->unit = tx->unit;
			row->lower_is_better = metric_direction(c->id.headline.kind) < 0;
			row->rate = or0(c->headline.s.median);
			/* the median's 95% interval from 6 repetitions on */
			size_t n = c->outcome.n_samples;
			double *x = malloc(n * sizeof *x);
			if (!x)
				abort();
			if (n >= 6 && cell_headline_values(c, x) == (int)n) {
				struct interval ci = stats_median_ci(x, n, RESULTS_CI_LEVEL);
				row->rate_lo = or0(ci.lo);
				row->rate_hi = or0(ci.hi);
			}
			free(x);
		} else {
			row->work = ANSWER_FIXED_WORK;
			if (c->vs_baseline.set)
				row->speedup = or0(c->vs_baseline.value);
			if (c->vs_baseline.ci.level > 0) {
				row->speedup_lo = or0(c->vs_baseline.ci.lo);
				row->speedup_hi = or0(c->vs_baseline.ci.hi);
			}
		}
		a->n++;
	}
	return a;
}
