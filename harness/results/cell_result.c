/* cell_result.c — a run's cells with their statistics (see cell_result.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cell_result.h"
#include "pin.h"

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static void params_of(const struct params *p, struct named_values *out)
{
	*out = (struct named_values){0};
	for (int i = 0; i < p->n; i++)
		named_values_add_text(out, p->v[i].spec->name, p->v[i].text);
}

void cell_identity_of(const struct cell *c, struct cell_identity *id)
{
	memset(id, 0, sizeof *id);
	snprintf(id->name, sizeof id->name, "%s", c->name);
	snprintf(id->workload, sizeof id->workload, "%s", c->bench->name);
	snprintf(id->model, sizeof id->model, "%s", c->model->name);
	id->workers = c->workers;
	id->ntasks = c->ntasks;
	snprintf(id->pin, sizeof id->pin, "%s", c->binding ? binding_policy(c->binding)->text : "none");
	id->baseline = (c->model->flags & MODEL_BASELINE) != 0;
	params_of(&c->bench_params, &id->workload_params);
	params_of(&c->model_params, &id->model_params);
	cell_identity_set_metric(id, c->bench);
}

void cell_identity_set_metric(struct cell_identity *id, const struct bench *b)
{
	const struct metric *h = b ? &b->headline : NULL;
	id->per_worker = b && b->scaling == WORK_PER_WORKER;
	snprintf(id->headline.name, sizeof id->headline.name, "%s", h && h->name ? h->name : "real_time");
	snprintf(id->headline.label, sizeof id->headline.label, "%s", h && h->label ? h->label : "time");
	snprintf(id->headline.unit, sizeof id->headline.unit, "%s", h && h->unit ? h->unit : "ms");
	id->headline.kind = h && h->name ? h->kind : METRIC_TIME;
}

int metric_direction(enum metric_kind kind)
{
	return kind == METRIC_TIME ? -1 : kind == METRIC_RATE ? 1 : 0;
}

const char *metric_direction_name(enum metric_kind kind)
{
	int d = metric_direction(kind);
	return d < 0 ? "lower_is_better" : d > 0 ? "higher_is_better" : "none";
}

int cell_headline_values(const struct cell_result *c, double *out)
{
	const struct cell_outcome *o = &c->outcome;
	for (size_t i = 0; i < o->n_samples; i++) {
		if (!strcmp(c->id.headline.name, "real_time")) {
			out[i] = o->samples[i].real_ns / 1e6;
			continue;
		}
		const struct named_value *v = named_values_find(&o->samples[i].workload_stats,
								c->id.headline.name);
		if (!v || (v->kind != VALUE_INT && v->kind != VALUE_REAL))
			return 0;
		out[i] = v->num;
	}
	return (int)o->n_samples;
}

void cell_identity_free(struct cell_identity *id)
{
	named_values_free(&id->workload_params);
	named_values_free(&id->model_params);
}

static void identity_copy(struct cell_identity *out, const struct cell_identity *in)
{
	*out = *in;
	named_values_copy(&out->workload_params, &in->workload_params);
	named_values_copy(&out->model_params, &in->model_params);
}

static int same_texts(const struct named_values *a, const struct named_values *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct named_value *x = named_values_find(b, a->v[i].name);
		if (!x || x->kind != a->v[i].kind ||
		    (x->kind == VALUE_TEXT   ? strcmp(x->text, a->v[i].text) != 0
		     : x->kind == VALUE_JSON ? !json_equal(x->json, a->v[i].json)
					     : x->num != a->v[i].num))
			return 0;
	}
	return 1;
}

/* ---- aggregates ---- */

static double real_of(const struct rep_sample *s) { return s->real_ns; }
static double cpu_of(const struct rep_sample *s) { return s->cpu_ns; }
static double user_of(const struct rep_sample *s) { return s->user_ns; }
static double sys_of(const struct rep_sample *s) { return s->sys_ns; }
static double rss_of(const struct rep_sample *s) { return (double)s->max_rss_kb; }
static double vol_of(const struct rep_sample *s) { return (double)s->vol_cs; }
static double invol_of(const struct rep_sample *s) { return (double)s->invol_cs; }

static void summarise(const struct cell_outcome *o, double (*field)(const struct rep_sample *),
		      struct summary *out)
{
	double *x = xcalloc(o->n_samples, sizeof *x);
	for (size_t i = 0; i < o->n_samples; i++)
		x[i] = field(&o->samples[i]);
	stats_summarise(x, o->n_samples, out);
	free(x);
}

/* Each figure of the first repetition's list, summarised over the
 * repetitions that have the list (perf counters counted apart are on the
 * first few only, harness/run/reps.h) when all of those have it as a number. */
static struct value_summary *summarise_values(const struct cell_outcome *o, size_t offset)
{
	const struct named_values *first = (const void *)((const char *)&o->samples[0] + offset);
	struct value_summary *out = xcalloc(first->n, sizeof *out);
	double *x = xcalloc(o->n_samples, sizeof *x);
	for (size_t k = 0; k < first->n; k++) {
		int all = 1;
		size_t m = 0;
		for (size_t i = 0; all && i < o->n_samples; i++) {
			const struct named_values *l = (const void *)((const char *)&o->samples[i] + offset);
			if (l->n == 0)
				continue; /* not counted in this repetition */
			const struct named_value *v = named_values_find(l, first->v[k].name);
			all = v && (v->kind == VALUE_INT || v->kind == VALUE_REAL);
			if (all)
				x[m++] = v->num;
		}
		if ((out[k].numeric = all && m > 0))
			stats_summarise(x, m, &out[k].s);
	}
	free(x);
	return out;
}

static void add_warnings(struct cell_result *c)
{
	const struct cell_outcome *o = &c->outcome;
	double *t = cell_outcome_real_times(o, 1e-9);
	struct summary s;
	stats_summarise(t, o->n_samples, &s);
	json_t *w = json_array();
	noise_warnings(t, o->n_samples, &s, o->has_load ? &o->load : NULL, w);
	free(t);
	c->n_warnings = json_array_size(w);
	c->warnings = xcalloc(c->n_warnings, sizeof *c->warnings);
	for (size_t i = 0; i < c->n_warnings; i++)
		c->warnings[i] = strdup(json_string_value(json_array_get(w, i)));
	json_decref(w);
}

static void aggregate(struct cell_result *c)
{
	const struct cell_outcome *o = &c->outcome;
	if (o->status != CELL_OK || o->n_samples == 0)
		return;
	summarise(o, real_of, &c->real);
	summarise(o, cpu_of, &c->cpu);
	summarise(o, user_of, &c->user);
	summarise(o, sys_of, &c->sys);
	summarise(o, rss_of, &c->rss);
	summarise(o, vol_of, &c->vol_cs);
	summarise(o, invol_of, &c->invol_cs);
	c->counters = summarise_values(o, offsetof(struct rep_sample, counters));
	c->model_stats = summarise_values(o, offsetof(struct rep_sample, model_stats));
	c->workload_stats = summarise_values(o, offsetof(struct rep_sample, workload_stats));
	double *t = cell_outcome_real_times(o, 1);
	c->median_ci = stats_median_ci(t, o->n_samples, RESULTS_CI_LEVEL);
	if ((c->headline.numeric = cell_headline_values(c, t) > 0))
		stats_summarise(t, o->n_samples, &c->headline.s);
	free(t);
	add_warnings(c);
}

/* ---- ratios ---- */

/* A cell with a median (two or more repetitions, no error). */
static int has_median(const struct cell_result *c)
{
	return c->outcome.status == CELL_OK && c->outcome.n_samples >= 2;
}

/* The 1-worker baseline cell of c's workload with c's workload params: pinned
 * alike if there is one, else unpinned, else any. */
static const struct cell_result *baseline_of(const struct run_results *r, const struct cell_result *c)
{
	const struct cell_result *alike = NULL, *unpinned = NULL, *any = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *b = r->cells[i];
		if (!has_median(b) || !b->id.baseline || b->id.workers != 1 ||
		    strcmp(b->id.workload, c->id.workload) ||
		    !same_texts(&b->id.workload_params, &c->id.workload_params))
			continue;
		if (!alike && !strcmp(b->id.pin, c->id.pin))
			alike = b;
		if (!unpinned && !strcmp(b->id.pin, "none"))
			unpinned = b;
		if (!any)
			any = b;
	}
	return alike ? alike : unpinned ? unpinned : any;
}

/* The same model, params and pinning with one worker. */
static const struct cell_result *one_worker_of(const struct run_results *r, const struct cell_result *c)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *b = r->cells[i];
		if (has_median(b) && b->id.workers == 1 && !strcmp(b->id.workload, c->id.workload) &&
		    !strcmp(b->id.model, c->id.model) && !strcmp(b->id.pin, c->id.pin) &&
		    same_texts(&b->id.workload_params, &c->id.workload_params) &&
		    same_texts(&b->id.model_params, &c->id.model_params))
			return b;
	}
	return NULL;
}

/* median(base) / median(c) with the interval from both cells' repetitions. */
static void set_ratio(struct ratio *out, const struct cell_result *base, const struct cell_result *c)
{
	*out = (struct ratio){0};
	if (!base || !(c->real.median > 0))
		return;
	out->set = 1;
	out->value = base->real.median / c->real.median;
	if (base == c) { /* a cell against itself: exactly 1 */
		out->ci = (struct interval){1, 1, 1};
		return;
	}
	double *bt = cell_outcome_real_times(&base->outcome, 1e-6);
	double *ct = cell_outcome_real_times(&c->outcome, 1e-6);
	struct interval ci = stats_ratio_ci(bt, base->outcome.n_samples, ct, c->outcome.n_samples,
					    RESULTS_CI_LEVEL);
	free(bt);
	free(ct);
	if (ci.lo > 0)
		out->ci = ci;
}

/* The headline's gain of c over one (its 1-worker cell), in the better
 * direction, with the interval from both cells' repetitions. */
static void set_gain(struct ratio *out, const struct cell_result *one, const struct cell_result *c)
{
	*out = (struct ratio){0};
	int dir = metric_direction(c->id.headline.kind);
	if (!one || !dir || !c->headline.numeric || !one->headline.numeric ||
	    !(c->headline.s.median > 0) || !(one->headline.s.median > 0))
		return;
	const struct cell_result *num = dir > 0 ? c : one, *den = dir > 0 ? one : c;
	out->set = 1;
	out->value = num->headline.s.median / den->headline.s.median;
	if (one == c) {
		out->ci = (struct interval){1, 1, 1};
		return;
	}
	double *a = malloc((num->outcome.n_samples + 1) * sizeof *a);
	double *b = malloc((den->outcome.n_samples + 1) * sizeof *b);
	if (!a || !b)
		abort();
	size_t na = (size_t)cell_headline_values(num, a), nb = (size_t)cell_headline_values(den, b);
	struct interval ci = stats_ratio_ci(a, na, b, nb, RESULTS_CI_LEVEL);
	free(a);
	free(b);
	if (ci.lo > 0)
		out->ci = ci;
}

static void set_ratios(const struct run_results *r, struct cell_result *c)
{
	if (!has_median(c))
		return;
	if (c->id.per_worker) { /* each worker adds work: no speedup */
		set_gain(&c->vs_1worker, one_worker_of(r, c), c);
		return;
	}
	set_ratio(&c->vs_baseline, baseline_of(r, c), c);
	set_ratio(&c->vs_1worker, one_worker_of(r, c), c);
}

/* ---- the run ---- */

void run_results_init(struct run_results *r, json_t *context)
{
	memset(r, 0, sizeof *r);
	r->context = context;
}

static void cell_result_free(struct cell_result *c)
{
	cell_identity_free(&c->id);
	cell_outcome_free(&c->outcome);
	free(c->counters);
	free(c->model_stats);
	free(c->workload_stats);
	for (size_t i = 0; i < c->n_warnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	free(c);
}

void run_results_free(struct run_results *r)
{
	for (size_t i = 0; i < r->n; i++)
		cell_result_free(r->cells[i]);
	free(r->cells);
	free(r->floors);
	json_decref(r->context);
	memset(r, 0, sizeof *r);
}

/* The floors the run was measured against, from its context (a run adds
 * them to the context before its first cell; a file read back has them). */
static const struct floors *run_floors(struct run_results *r)
{
	if (r->floors_read)
		return r->floors;
	r->floors_read = 1;
	json_t *j = r->context ? json_object_get(r->context, "floors") : NULL;
	struct err e;
	if (!j || !(r->floors = malloc(sizeof *r->floors)))
		return NULL;
	if (floors_from_json(j, r->floors, &e) != 0) {
		free(r->floors);
		r->floors = NULL;
	}
	return r->floors;
}

struct cell_result *run_results_add(struct run_results *r, const struct cell_identity *id,
				    struct cell_outcome *outcome)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->cells = realloc(r->cells, r->cap * sizeof *r->cells);
		if (!r->cells)
			abort();
	}
	struct cell_result *c = xcalloc(1, sizeof *c);
	identity_copy(&c->id, id);
	c->outcome = *outcome;
	memset(outcome, 0, sizeof *outcome);
	aggregate(c);
	cell_floor_of(c, run_floors(r), &c->floor);
	r->cells[r->n++] = c;
	set_ratios(r, c);
	/* Cells measured before their reference (e.g. -m threads,sequential)
	 * get their ratio now; only those whose reference this cell can be. */
	if (has_median(c) && c->id.workers == 1)
		for (size_t i = 0; i + 1 < r->n; i++) {
			struct cell_result *o = r->cells[i];
			if (!strcmp(o->id.workload, c->id.workload) &&
			    (c->id.baseline || !strcmp(o->id.model, c->id.model)))
				set_ratios(r, o);
		}
	return c;
}

const struct cell_result *run_results_find(const struct run_results *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->cells[i]->id.name, name))
			return r->cells[i];
	return NULL;
}
