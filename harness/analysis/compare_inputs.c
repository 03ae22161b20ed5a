/* compare_inputs.c — refusing inputs that would make a comparison lie. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "compare_inputs.h"

/* 0 if entry's `key` is acceptable: absent (only when optional), else a
 * finite number above (or, with zero_ok, at) 0. */
static int time_ok(const json_t *entry, const char *key, int optional, int zero_ok, char *got,
		   size_t len)
{
	const json_t *v = json_object_get(entry, key);
	if (!v) {
		snprintf(got, len, "no %s", key);
		return optional ? 0 : -1;
	}
	double x = json_number_value(v);
	if (json_is_number(v) && isfinite(x) && (x > 0 || (zero_ok && x == 0)))
		return 0;
	if (json_is_string(v))
		snprintf(got, len, "%s \"%.40s\"", key, json_string_value(v));
	else if (json_is_number(v))
		snprintf(got, len, "%s %g", key, x);
	else
		snprintf(got, len, "%s that is not a number", key);
	return -1;
}

static int entry_ok(const struct result_cells *r, const struct result_cell *c, const json_t *x,
		    const char *which, struct err *e)
{
	char got[120];
	if (time_ok(x, "real_time", 0, 0, got, sizeof got) < 0 ||
	    time_ok(x, "cpu_time", 1, 1, got, sizeof got) < 0)
		return err_set(e, "%s: cell %s, %s has %s (allowed: real_time a number > 0, cpu_time "
				  "a number >= 0)", r->path, c->run_name, which, got);
	return 0;
}

int compare_check_times(const struct result_cells *r, struct err *e)
{
	for (size_t i = 0; i < r->n_cells; i++) {
		const struct result_cell *c = &r->cells[i];
		char which[40];
		for (size_t k = 0; k < c->n_reps; k++) {
			snprintf(which, sizeof which, "repetition %zu", k);
			if (entry_ok(r, c, c->reps[k], which, e) < 0)
				return -1;
		}
		if (c->median && entry_ok(r, c, c->median, "the median", e) < 0)
			return -1;
	}
	return 0;
}

static int has_metric(const struct result_cells *r, const char *metric)
{
	static const char *const groups[] = {"counters", "counters_unsupported", "model_stats",
					     "workload_stats", NULL};
	for (size_t i = 0; i < r->n_cells; i++)
		for (size_t k = 0; k < r->cells[i].n_reps; k++) {
			const json_t *rep = r->cells[i].reps[k];
			if (json_object_get(rep, metric))
				return 1;
			for (const char *const *g = groups; *g; g++)
				if (json_object_get(json_object_get(rep, *g), metric))
					return 1;
		}
	return 0;
}

/* Some names the files do hold, for the error message. */
static void some_metrics(const struct result_cells *r, char *buf, size_t len)
{
	buf[0] = 0;
	const json_t *rep = r->n_cells && r->cells[0].n_reps ? r->cells[0].reps[0] : NULL;
	const char *groups[] = {"counters", "model_stats", "workload_stats"};
	int n = 0;
	for (int g = 0; g < 3 && rep; g++) {
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)json_object_get(rep, groups[g]), key, v)
			if (json_is_number(v) && n++ < 8)
				snprintf(buf + strlen(buf), len - strlen(buf), ", %s", key);
	}
}

int compare_check_metrics(const struct compare_options *o, const struct result_cells *a,
			  const struct result_cells *b, struct err *e)
{
	for (size_t m = 0; m < o->n_metrics; m++) {
		const char *metric = o->metrics[m];
		if (compare_metric_is_time(metric) || !strncmp(metric, "speedup_vs_", 11) ||
		    has_metric(a, metric) || has_metric(b, metric))
			continue;
		char known[400];
		some_metrics(a, known, sizeof known);
		return err_set(e, "--metric '%s' is in neither %s nor %s (allowed: real_time, cpu_time, "
				  "speedup, speedup_vs_sequential, speedup_vs_1worker%s)", metric,
			       a->path, b->path, known);
	}
	return 0;
}
