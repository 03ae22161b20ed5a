/* compare_samples.c — the per-repetition values of one metric in one cell. */
#include "compare_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

static int is_speedup(const char *metric) { return !strncmp(metric, "speedup_vs_", 11); }

int compare_bigger_is_better(const char *metric)
{
	size_t n = strlen(metric);
	if (is_speedup(metric))
		return 1;
	if (n > 11 && !strcmp(metric + n - 11, "_per_second"))
		return 1;
	if (n > 6 && !strcmp(metric + n - 6, "_per_s")) /* round_trips_per_s, switches_per_s */
		return 1;
	return n > 2 && !strcmp(metric + n - 2, "/s");
}

static const json_t *first_entry(const struct result_cell *c)
{
	return c->median ? c->median : c->n_reps ? c->reps[0] : c->failure;
}

int compare_cell_bigger_is_better(const struct result_cell *c, const char *metric)
{
	if (strcmp(metric, "headline"))
		return compare_bigger_is_better(metric);
	const char *dir = json_string_value(json_object_get(first_entry(c), "headline_direction"));
	if (dir)
		return !strcmp(dir, "higher_is_better");
	return 0; /* files without headline fields: judged by time */
}


int compare_is_own_reference(const struct result_cell *c, const char *metric)
{
	const json_t *first = c->median ? c->median : c->n_reps ? c->reps[0] : NULL;
	double workers;
	if (!first || !is_speedup(metric) || result_number(first, "workers", &workers) != 0)
		return 0;
	if (workers != 1)
		return 0;
	if (!strcmp(metric, "speedup_vs_1worker"))
		return 1;
	return c->baseline;
}

static double *alloc_values(size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof *v);
	if (!v)
		abort();
	return v;
}

static int time_samples(const struct result_cell *c, const char *field, double *v, char *why,
			size_t why_len)
{
	for (size_t i = 0; i < c->n_reps; i++) {
		double t, unit = result_time_unit_to_ms(c->reps[i]);
		if (result_number(c->reps[i], field, &t) != 0) {
			snprintf(why, why_len, "repetition %zu has no %s", i, field);
			return -1;
		}
		if (unit == 0) {
			snprintf(why, why_len, "unknown time_unit '%s' (allowed: ns, us, ms, s)",
				 json_string_value(json_object_get(c->reps[i], "time_unit")));
			return -1;
		}
		v[i] = t * unit;
	}
	return 0;
}

static int speedup_samples(const struct result_cell *c, const char *metric, double *v, char *why,
			   size_t why_len)
{
	double speedup, median_ms, t;
	if (!c->median || result_number(c->median, metric, &speedup) != 0) {
		snprintf(why, why_len, "no %s (the run had %s)", metric,
			 !strcmp(metric, "speedup_vs_sequential") ? "no sequential workers:1 cell"
								  : "no workers:1 cell of this model");
		return -1;
	}
	if (time_samples(c, "real_time", v, why, why_len) != 0)
		return -1;
	if (result_number(c->median, "real_time", &t) == 0 && result_time_unit_to_ms(c->median) > 0)
		median_ms = t * result_time_unit_to_ms(c->median);
	else
		median_ms = stats_median(v, c->n_reps);
	double reference_ms = speedup * median_ms;
	for (size_t i = 0; i < c->n_reps; i++) {
		if (!(v[i] > 0)) {
			snprintf(why, why_len, "repetition %zu has real_time %g", i, v[i]);
			return -1;
		}
		v[i] = reference_ms / v[i];
	}
	return 0;
}

/* Counters, then model and workload statistics, then Google Benchmark's
 * top-level user counters. */
static int counter_samples(const struct result_cell *c, const char *metric, double *v, char *why,
			   size_t why_len)
{
	static const char *const groups[] = {"counters", "model_stats", "workload_stats", NULL};
	for (size_t i = 0; i < c->n_reps; i++) {
		const json_t *rep = c->reps[i];
		const char *reason =
			json_string_value(json_object_get(json_object_get(rep, "counters_unsupported"), metric));
		if (reason) {
			snprintf(why, why_len, "%s unsupported: %s", metric, reason);
			return -1;
		}
		int found = 0;
		for (const char *const *g = groups; *g && !found; g++)
			found = result_number(json_object_get(rep, *g), metric, &v[i]) == 0;
		if (!found)
			found = result_number(rep, metric, &v[i]) == 0;
		if (!found) {
			snprintf(why, why_len, "no %s in counters, model_stats or workload_stats", metric);
			return -1;
		}
	}
	return 0;
}

/* The headline metric of each repetition (`headline_value`); files written
 * before it existed are judged by time, as they were. */
static int headline_samples(const struct result_cell *c, double *v, char *why, size_t why_len)
{
	if (c->n_reps && !json_object_get(c->reps[0], "headline_metric"))
		return time_samples(c, "real_time", v, why, why_len);
	for (size_t i = 0; i < c->n_reps; i++)
		if (result_number(c->reps[i], "headline_value", &v[i]) != 0) {
			snprintf(why, why_len, "repetition %zu has no headline_value (%s)", i,
				 json_string_value(json_object_get(c->reps[i], "headline_metric")) ?: "?");
			return -1;
		}
	return 0;
}

int compare_samples(const struct result_cell *c, const char *metric, double **values,
		    size_t *n, char *why, size_t why_len)
{
	double *v = alloc_values(c->n_reps);
	int rc;
	if (!strcmp(metric, "real_time") || !strcmp(metric, "cpu_time"))
		rc = time_samples(c, metric, v, why, why_len);
	else if (is_speedup(metric))
		rc = speedup_samples(c, metric, v, why, why_len);
	else if (!strcmp(metric, "headline"))
		rc = headline_samples(c, v, why, why_len);
	else
		rc = counter_samples(c, metric, v, why, why_len);
	if (rc != 0) {
		free(v);
		return -1;
	}
	*values = v;
	*n = c->n_reps;
	return 0;
}
