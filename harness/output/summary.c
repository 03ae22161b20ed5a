/* summary.c — the end-of-run summary table. */
#include <string.h>
#include "summary.h"

static const char *str(json_t *e, const char *k) { return json_string_value(json_object_get(e, k)); }
static double num(json_t *e, const char *k) { return json_number_value(json_object_get(e, k)); }

/* The aggregate `agg` of run `run_name`, or NULL. */
static json_t *aggregate(json_t *list, const char *run_name, const char *agg)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		const char *a = str(e, "aggregate_name");
		if (a && !strcmp(a, agg) && !strcmp(str(e, "run_name"), run_name))
			return e;
	}
	return NULL;
}

static void ratio(char *buf, size_t len, json_t *e, const char *k)
{
	json_t *v = json_object_get(e, k);
	char ci_key[64];
	snprintf(ci_key, sizeof ci_key, "%s_ci", k);
	json_t *ci = json_object_get(e, ci_key);
	if (json_is_number(v) && json_array_size(ci) == 2)
		snprintf(buf, len, "%.2fx [%.2f,%.2f]", json_number_value(v),
			 json_number_value(json_array_get(ci, 0)), json_number_value(json_array_get(ci, 1)));
	else if (json_is_number(v))
		snprintf(buf, len, "%.2fx", json_number_value(v));
	else
		snprintf(buf, len, "-");
}

void summary_print(FILE *f, json_t *doc)
{
	json_t *list = json_object_get(doc, "benchmarks"), *e;
	size_t i;
	int noisy = 0;
	fprintf(f, "%-44s %8s %11s %7s %19s %19s %19s  %s\n", "cell", "workers", "median", "cv",
		"min .. max (ms)", "vs seq [95% CI]", "vs 1w [95% CI]", "verified");
	json_array_foreach(list, i, e) {
		if (strcmp(str(e, "run_type"), "iteration") || json_integer_value(json_object_get(e, "repetition_index")) != 0)
			continue; /* one row per cell: its first iteration entry, or its error entry */
		const char *run = str(e, "run_name");
		long long workers = json_integer_value(json_object_get(e, "workers"));
		if (json_is_true(json_object_get(e, "error_occurred"))) {
			fprintf(f, "%-44s %8lld  ERROR: %s\n", run, workers, str(e, "error_message"));
			continue;
		}
		if (json_is_true(json_object_get(e, "skipped"))) { /* nothing ran: neither a time nor a verdict */
			fprintf(f, "%-44s %8lld  skipped: %s\n", run, workers, str(e, "skip_message"));
			continue;
		}
		json_t *med = aggregate(list, run, "median"), *cv = aggregate(list, run, "cv");
		json_t *lo = aggregate(list, run, "min"), *hi = aggregate(list, run, "max");
		char vs_seq[48], vs_one[48], range[40], cvs[16];
		if (!med) { /* a single repetition */
			fprintf(f, "%-44s %8lld %8.1f ms %7s %19s %19s %19s  %s\n", run, workers,
				num(e, "real_time"), "-", "-", "-", "-", "yes (1 rep)");
			continue;
		}
		ratio(vs_seq, sizeof vs_seq, med, "speedup_vs_sequential");
		ratio(vs_one, sizeof vs_one, med, "speedup_vs_1worker");
		snprintf(range, sizeof range, "%.1f .. %.1f", num(lo, "real_time"), num(hi, "real_time"));
		snprintf(cvs, sizeof cvs, "%.1f%%", 100 * num(cv, "real_time"));
		size_t nwarn = json_array_size(json_object_get(med, "warnings"));
		noisy += nwarn > 0;
		fprintf(f, "%-44s %8lld %8.1f ms %7s %19s %19s %19s  %s%s\n", run, workers,
			num(med, "real_time"), cvs, range, vs_seq, vs_one, "yes",
			nwarn ? "  (noisy: see warnings)" : "");
	}
	if (noisy)
		fprintf(f, "\n%d cell(s) were noisy: the warnings under their lines above (and "
			   "`warnings` in the results) say why and what to do\n", noisy);
}
