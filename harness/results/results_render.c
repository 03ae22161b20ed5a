/* results_render.c — the results document (docs/RESULTS.md) rendered from
 * the typed cells: per cell one entry per repetition, the aggregates (mean,
 * median, stddev, cv, min, max) when there are two or more, or one error
 * entry; in Google Benchmark's JSON shape. */
#include <stdio.h>
#include <string.h>
#include "results.h"

static json_t *base_entry(const struct cell_identity *id, const char *name, const char *run_type,
			  int reps)
{
	json_t *e = json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:s, s:b}",
			      "name", name, "run_name", id->name, "run_type", run_type, "repetitions",
			      reps, "threads", id->workers, "iterations", 1, "time_unit", RESULTS_TIME_UNIT,
			      "workload", id->workload, "model", id->model, "workers", id->workers,
			      "tasks", id->ntasks, "workload_params",
			      named_values_json(&id->workload_params), "model_params",
			      named_values_json(&id->model_params), "pin", id->pin, "baseline",
			      id->baseline);
	/* what the cell is judged by, so that compare and report of a file know it */
	json_object_set_new(e, "work_scaling", json_string(id->per_worker ? "per_worker" : "fixed_total"));
	json_object_set_new(e, "headline_metric", json_string(id->headline.name));
	json_object_set_new(e, "headline_label", json_string(id->headline.label));
	json_object_set_new(e, "headline_unit", json_string(id->headline.unit));
	json_object_set_new(e, "headline_direction",
			    json_string(metric_direction_name(id->headline.kind)));
	return e;
}

static json_t *warnings_json(const struct cell_result *c)
{
	json_t *w = json_array();
	for (size_t i = 0; i < c->n_warnings; i++)
		json_array_append_new(w, json_string(c->warnings[i]));
	return w;
}

static json_t *iteration_entry(const struct cell_result *c, size_t index)
{
	const struct rep_sample *s = &c->outcome.samples[index];
	json_t *e = base_entry(&c->id, c->id.name, "iteration", (int)c->outcome.n_samples);
	json_object_set_new(e, "repetition_index", json_integer((json_int_t)index));
	json_object_set_new(e, "real_time", json_real(s->real_ns / RESULTS_NS_PER_UNIT));
	json_object_set_new(e, "cpu_time", json_real(s->cpu_ns / RESULTS_NS_PER_UNIT));
	json_object_set_new(e, "user_time", json_real(s->user_ns / RESULTS_NS_PER_UNIT));
	json_object_set_new(e, "system_time", json_real(s->sys_ns / RESULTS_NS_PER_UNIT));
	json_object_set_new(e, "max_rss_kb", json_integer(s->max_rss_kb));
	json_object_set_new(e, "voluntary_cs", json_integer(s->vol_cs));
	json_object_set_new(e, "involuntary_cs", json_integer(s->invol_cs));
	json_object_set_new(e, "verified", json_true());
	/* counted apart (reps.h): only the repetitions that counted have counts */
	if (!c->outcome.counter_reps || index < (size_t)c->outcome.counter_reps) {
		json_object_set_new(e, "counters", named_values_json(&s->counters));
		json_object_set_new(e, "counters_unsupported",
				    named_values_json(&s->counters_unsupported));
	}
	json_object_set_new(e, "model_stats", named_values_json(&s->model_stats));
	json_object_set_new(e, "workload_stats", named_values_json(&s->workload_stats));
	if (s->binding)
		json_object_set(e, "binding", s->binding);
	json_object_set_new(e, "warnings", warnings_json(c));
	double h[1];
	struct cell_result one = *c; /* this repetition alone */
	one.outcome.samples = (struct rep_sample *)s;
	one.outcome.n_samples = 1;
	if (cell_headline_values(&one, h) == 1)
		json_object_set_new(e, "headline_value", json_real(h[0]));
	if (c->outcome.n_samples == 1 && c->floor.set) /* it stands for the cell */
		json_object_set_new(e, "floor", cell_floor_json(&c->floor));
	return e;
}

enum agg { AGG_MEAN, AGG_MEDIAN, AGG_STDDEV, AGG_CV, AGG_MIN, AGG_MAX, AGG_COUNT };
static const char *const agg_names[AGG_COUNT] = {"mean", "median", "stddev", "cv", "min", "max"};

static double pick(const struct summary *s, enum agg a)
{
	switch (a) {
	case AGG_MEAN: return s->mean;
	case AGG_MEDIAN: return s->median;
	case AGG_STDDEV: return s->stddev;
	case AGG_CV: return s->cv;
	case AGG_MIN: return s->min;
	default: return s->max;
	}
}

/* The aggregate of a list of figures: numbers summarised; a text, an
 * unknown or a value kept whole (a table, a true/false) keeps the first
 * repetition's value; a figure that is a number in some repetitions only is
 * unknown. */
static json_t *values_aggregate(const struct named_values *first, const struct value_summary *vs,
				enum agg a)
{
	json_t *o = json_object();
	for (size_t k = 0; k < first->n; k++) {
		const struct named_value *v = &first->v[k];
		json_t *x = vs && vs[k].numeric ? json_real(pick(&vs[k].s, a))
			    : v->kind == VALUE_INT || v->kind == VALUE_REAL ? json_null()
									    : named_value_json(v);
		json_object_set_new(o, v->name, x);
	}
	return o;
}

static json_t *pair(double lo, double hi) { return json_pack("[f, f]", lo, hi); }

static void set_ratio(json_t *e, const char *key, const struct ratio *r)
{
	if (!r->set)
		return;
	char k[96];
	json_object_set_new(e, key, json_real(r->value));
	if (r->ci.level > 0) {
		snprintf(k, sizeof k, "%s_ci", key);
		json_object_set_new(e, k, pair(r->ci.lo, r->ci.hi));
		snprintf(k, sizeof k, "%s_ci_level", key);
		json_object_set_new(e, k, json_real(r->ci.level));
	}
}

static json_t *aggregate_entry(const struct cell_result *c, enum agg a)
{
	const struct rep_sample *first = &c->outcome.samples[0], *last = &c->outcome.samples[c->outcome.n_samples - 1];
	char name[600];
	snprintf(name, sizeof name, "%s_%s", c->id.name, agg_names[a]);
	json_t *e = base_entry(&c->id, name, "aggregate", (int)c->outcome.n_samples);
	json_object_set_new(e, "aggregate_name", json_string(agg_names[a]));
	if (a == AGG_CV)
		json_object_set_new(e, "aggregate_unit", json_string("percentage"));
	json_object_set_new(e, "verified", json_true());
	if (last->binding)
		json_object_set(e, "binding", last->binding);
	/* times in RESULTS_TIME_UNIT; the cv of a time is a ratio, left as is */
	double ms = a == AGG_CV ? 1 : 1 / RESULTS_NS_PER_UNIT;
	json_object_set_new(e, "real_time", json_real(pick(&c->real, a) * ms));
	json_object_set_new(e, "cpu_time", json_real(pick(&c->cpu, a) * ms));
	json_object_set_new(e, "user_time", json_real(pick(&c->user, a) * ms));
	json_object_set_new(e, "system_time", json_real(pick(&c->sys, a) * ms));
	json_object_set_new(e, "max_rss_kb", json_real(pick(&c->rss, a)));
	json_object_set_new(e, "voluntary_cs", json_real(pick(&c->vol_cs, a)));
	json_object_set_new(e, "involuntary_cs", json_real(pick(&c->invol_cs, a)));
	json_object_set_new(e, "model_stats", values_aggregate(&first->model_stats, c->model_stats, a));
	json_object_set_new(e, "workload_stats",
			    values_aggregate(&first->workload_stats, c->workload_stats, a));
	json_object_set_new(e, "counters", values_aggregate(&first->counters, c->counters, a));
	json_object_set_new(e, "counters_unsupported",
			    values_aggregate(&first->counters_unsupported, NULL, a));
	json_object_set_new(e, "warnings", warnings_json(c));
	if (c->outcome.has_load)
		json_object_set_new(e, "load", load_report_json(&c->outcome.load));
	if (c->headline.numeric)
		json_object_set_new(e, "headline_value", json_real(pick(&c->headline.s, a)));
	/* why the repetitions stopped (harness/run/adaptive.h); how many counted */
	if (c->outcome.reps_stop[0])
		json_object_set_new(e, "reps_stop", json_string(c->outcome.reps_stop));
	if (c->outcome.counter_reps)
		json_object_set_new(e, "counter_repetitions", json_integer(c->outcome.counter_reps));
	if (a == AGG_MEDIAN) {
		json_object_set_new(e, "median_ci", pair(c->median_ci.lo / RESULTS_NS_PER_UNIT,
							 c->median_ci.hi / RESULTS_NS_PER_UNIT));
		json_object_set_new(e, "median_ci_level", json_real(c->median_ci.level));
		if (c->floor.set)
			json_object_set_new(e, "floor", cell_floor_json(&c->floor));
		if (c->id.per_worker) {
			set_ratio(e, "scaling_vs_1worker", &c->vs_1worker);
		} else {
			set_ratio(e, "speedup_vs_sequential", &c->vs_baseline);
			set_ratio(e, "speedup_vs_1worker", &c->vs_1worker);
		}
	}
	return e;
}

/* As Google Benchmark writes a run that failed (error_occurred) or was
 * skipped (skipped, skip_message): with real_time and cpu_time, which its
 * tools read from every entry. Nothing was measured: both are 0. */
static json_t *unmeasured_entry(const struct cell_result *c)
{
	const struct cell_outcome *o = &c->outcome;
	json_t *e = base_entry(&c->id, c->id.name, "iteration", (int)o->n_samples);
	json_object_set_new(e, "repetition_index", json_integer(0));
	if (o->status == CELL_SKIPPED) {
		json_object_set_new(e, "skipped", json_true());
		json_object_set_new(e, "skip_message", json_string(o->message));
	} else {
		json_object_set_new(e, "error_occurred", json_true());
		json_object_set_new(e, "error_message", json_string(o->message));
	}
	json_object_set_new(e, "real_time", json_real(0));
	json_object_set_new(e, "cpu_time", json_real(0));
	json_object_set_new(e, "verified", json_false());
	json_object_set_new(e, "timed_out", json_boolean(o->timed_out));
	if (o->timed_out)
		json_object_set_new(e, "ran_s", json_real(o->ran_s));
	return e;
}

json_t *results_cell_entries(const struct cell_result *c, int aggregates_only)
{
	json_t *list = json_array();
	if (c->outcome.status != CELL_OK) {
		json_array_append_new(list, unmeasured_entry(c));
		return list;
	}
	size_t n = c->outcome.n_samples;
	/* a cell of one repetition has no aggregates: its repetition stands for it */
	for (size_t i = 0; i < n && (!aggregates_only || n == 1); i++)
		json_array_append_new(list, iteration_entry(c, i));
	for (int a = 0; n >= 2 && a < AGG_COUNT; a++)
		json_array_append_new(list, aggregate_entry(c, (enum agg)a));
	return list;
}

json_t *results_document(const struct run_results *r, int aggregates_only)
{
	json_t *context = json_deep_copy(r->context);
	json_object_set_new(context, "cmbench_format", json_integer(RESULTS_FORMAT));
	json_t *list = json_array();
	for (size_t i = 0; i < r->n; i++) {
		json_t *entries = results_cell_entries(r->cells[i], aggregates_only);
		json_array_extend(list, entries);
		json_decref(entries);
	}
	return json_pack("{s:o, s:o}", "context", context, "benchmarks", list);
}
