/* results_decode.c — a results document read back into the typed cells
 * (cell_result.h), for `run --resume`: the cells a file holds become the
 * same structs a run builds, and their statistics are those of a fresh run. */
#include <stdio.h>
#include <string.h>
#include "result_cells.h"
#include "results.h"

static const char *str(json_t *e, const char *k)
{
	const char *s = json_string_value(json_object_get(e, k));
	return s ? s : "";
}

/* Which model is the baseline: the entry says so; files written before the
 * field existed knew one baseline, sequential. */
int results_entry_is_baseline(const json_t *e)
{
	json_t *b = json_object_get(e, "baseline");
	if (json_is_boolean(b))
		return json_is_true(b);
	const char *m = json_string_value(json_object_get(e, "model"));
	return m && !strcmp(m, "sequential");
}

int results_entry_is_per_worker(const json_t *e)
{
	const char *s = json_string_value(json_object_get(e, "work_scaling"));
	if (s)
		return !strcmp(s, "per_worker");
	const char *w = json_string_value(json_object_get(e, "workload"));
	const struct bench *b = w ? bench_find(w) : NULL;
	return b && b->scaling == WORK_PER_WORKER;
}

static void identity_of_entry(json_t *e, const char *run_name, struct cell_identity *id)
{
	memset(id, 0, sizeof *id);
	snprintf(id->name, sizeof id->name, "%s", run_name);
	snprintf(id->workload, sizeof id->workload, "%s", str(e, "workload"));
	snprintf(id->model, sizeof id->model, "%s", str(e, "model"));
	id->workers = (int)json_integer_value(json_object_get(e, "workers"));
	id->ntasks = (int)json_integer_value(json_object_get(e, "tasks"));
	snprintf(id->pin, sizeof id->pin, "%s", json_object_get(e, "pin") ? str(e, "pin") : "none");
	id->baseline = results_entry_is_baseline(e);
	named_values_from_json(&id->workload_params, json_object_get(e, "workload_params"));
	named_values_from_json(&id->model_params, json_object_get(e, "model_params"));
	/* files before headline fields: what the workload declares today */
	cell_identity_set_metric(id, bench_find(id->workload));
	const char *scaling = json_string_value(json_object_get(e, "work_scaling"));
	const char *metric = json_string_value(json_object_get(e, "headline_metric"));
	if (scaling)
		id->per_worker = !strcmp(scaling, "per_worker");
	if (metric) {
		const char *dir = str(e, "headline_direction");
		snprintf(id->headline.name, sizeof id->headline.name, "%s", metric);
		snprintf(id->headline.label, sizeof id->headline.label, "%s", str(e, "headline_label"));
		snprintf(id->headline.unit, sizeof id->headline.unit, "%s", str(e, "headline_unit"));
		id->headline.kind = !strcmp(dir, "lower_is_better")    ? METRIC_TIME
				    : !strcmp(dir, "higher_is_better") ? METRIC_RATE
								       : METRIC_COUNT;
	}
}

static void sample_of_entry(json_t *e, struct rep_sample *s)
{
	double to_ns = result_time_unit_to_ms(e) * 1e6, v;
	s->real_ns = result_number(e, "real_time", &v) == 0 ? v * to_ns : 0;
	s->cpu_ns = result_number(e, "cpu_time", &v) == 0 ? v * to_ns : 0;
	s->user_ns = result_number(e, "user_time", &v) == 0 ? v * to_ns : 0;
	s->sys_ns = result_number(e, "system_time", &v) == 0 ? v * to_ns : 0;
	s->max_rss_kb = (long long)json_number_value(json_object_get(e, "max_rss_kb"));
	s->vol_cs = (long long)json_number_value(json_object_get(e, "voluntary_cs"));
	s->invol_cs = (long long)json_number_value(json_object_get(e, "involuntary_cs"));
	named_values_from_json(&s->counters, json_object_get(e, "counters"));
	named_values_from_json(&s->counters_unsupported, json_object_get(e, "counters_unsupported"));
	named_values_from_json(&s->model_stats, json_object_get(e, "model_stats"));
	named_values_from_json(&s->workload_stats, json_object_get(e, "workload_stats"));
	json_t *b = json_object_get(e, "binding");
	s->binding = json_is_object(b) ? json_incref(b) : NULL;
}

int results_decode(json_t *doc, struct run_results *r)
{
	json_t *list = json_object_get(doc, "benchmarks"), *e;
	size_t i;
	int kept = 0;
	/* every run_name once, in file order */
	json_array_foreach(list, i, e) {
		const char *run = json_string_value(json_object_get(e, "run_name"));
		if (!run || run_results_find(r, run))
			continue;
		struct cell_identity id;
		struct cell_outcome o = {0};
		json_t *x, *first = NULL;
		size_t k;
		json_array_foreach(list, k, x) {
			if (strcmp(str(x, "run_name"), run))
				continue;
			if (json_is_true(json_object_get(x, "error_occurred"))) {
				o.status = CELL_ERROR;
				snprintf(o.message, sizeof o.message, "%s", str(x, "error_message"));
				o.timed_out = json_is_true(json_object_get(x, "timed_out"));
				o.ran_s = json_number_value(json_object_get(x, "ran_s"));
			} else if (json_is_true(json_object_get(x, "skipped"))) {
				o.status = CELL_SKIPPED;
				snprintf(o.message, sizeof o.message, "%s", str(x, "skip_message"));
			} else if (!strcmp(str(x, "run_type"), "aggregate")) {
				json_t *load = json_object_get(x, "load");
				if (!o.has_load && json_is_object(load)) {
					load_report_from_json(load, &o.load);
					o.has_load = 1;
				}
			} else {
				sample_of_entry(x, cell_outcome_add_sample(&o));
			}
			if (!first)
				first = x;
		}
		identity_of_entry(first, run, &id);
		run_results_add(r, &id, &o);
		cell_identity_free(&id);
		kept++;
	}
	return kept;
}
