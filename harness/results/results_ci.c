/* results_ci.c — confidence intervals in a results document: of each cell's
 * median, and of the speedups (ratios of medians from the same run). Both
 * come from order statistics (harness/core/stats_order.c), so they hold whatever
 * the distribution of the times. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results.h"
#include "stats.h"

/* The real_time (ms) of every iteration entry of run `run_name`; caller frees. */
static size_t run_times(json_t *list, const char *run_name, double **out)
{
	size_t i, n = 0;
	json_t *e;
	*out = malloc((json_array_size(list) + 1) * sizeof **out);
	if (!*out)
		abort();
	json_array_foreach(list, i, e) {
		const char *type = json_string_value(json_object_get(e, "run_type"));
		const char *name = json_string_value(json_object_get(e, "run_name"));
		json_t *t = json_object_get(e, "real_time");
		if (type && name && !strcmp(type, "iteration") && !strcmp(name, run_name) &&
		    json_is_number(t))
			(*out)[n++] = json_number_value(t);
	}
	return n;
}

static json_t *pair(double lo, double hi) { return json_pack("[f, f]", lo, hi); }

void results_set_median_ci(json_t *median_entry, const double *times_ms, size_t n)
{
	struct interval ci = stats_median_ci(times_ms, n, RESULTS_CI_LEVEL);
	json_object_set_new(median_entry, "median_ci", pair(ci.lo, ci.hi));
	json_object_set_new(median_entry, "median_ci_level", json_real(ci.level));
}

void results_set_speedup_ci(json_t *list, json_t *median_entry, json_t *base_median,
			    const char *key)
{
	double *base, *cell;
	const char *bn = json_string_value(json_object_get(base_median, "run_name"));
	const char *cn = json_string_value(json_object_get(median_entry, "run_name"));
	char level_key[128];
	snprintf(level_key, sizeof level_key, "%s_level", key);
	if (base_median == median_entry) { /* a cell against itself: exactly 1 */
		json_object_set_new(median_entry, key, pair(1, 1));
		json_object_set_new(median_entry, level_key, json_real(1));
		return;
	}
	size_t nb = run_times(list, bn ? bn : "", &base), nc = run_times(list, cn ? cn : "", &cell);
	struct interval r = stats_ratio_ci(base, nb, cell, nc, RESULTS_CI_LEVEL);
	free(base);
	free(cell);
	if (!(r.lo > 0))
		return;
	json_object_set_new(median_entry, key, pair(r.lo, r.hi));
	json_object_set_new(median_entry, level_key, json_real(r.level));
}
