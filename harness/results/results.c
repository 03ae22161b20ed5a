/* results.c — building, writing and reading the results document. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pin.h"
#include "noise.h"
#include "results.h"
#include "safe_file.h"
#include "stats.h"

/* Top-level numeric fields of an entry that are measured (aggregated); nested
 * objects listed here are aggregated leaf by leaf. */
const char *const results_measure_keys[] = {
	"real_time", "cpu_time", "user_time", "system_time", "max_rss_kb", "voluntary_cs",
	"involuntary_cs", "model_stats", "workload_stats", "counters", "counters_unsupported",
	NULL};

json_t *results_new(json_t *context)
{
	/* The format is the results layer's to state, not the machine's. */
	json_object_set_new(context, "cmbench_format", json_integer(RESULTS_FORMAT));
	return json_pack("{s:o, s:[]}", "context", context, "benchmarks");
}

static json_t *params_json(const struct params *p)
{
	json_t *o = json_object();
	for (int i = 0; i < p->n; i++)
		json_object_set_new(o, p->v[i].spec->name, json_string(p->v[i].text));
	return o;
}

static json_t *base_entry(const struct cell *c, const char *name, const char *run_type, int reps)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:s, s:s, s:s, s:i, s:i, s:o, s:o, s:s}",
			 "name", name, "run_name", c->name, "run_type", run_type, "repetitions", reps,
			 "threads", c->workers, "iterations", 1, "time_unit", "ms", "workload",
			 c->bench->name, "model", c->model->name, "workers", c->workers, "tasks",
			 c->ntasks, "workload_params", params_json(&c->bench_params), "model_params",
			 params_json(&c->model_params), "pin",
			 c->binding ? binding_policy(c->binding)->text : "none");
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

static json_t *iteration_entry(const struct cell *c, json_t *s, int index, int reps)
{
	json_t *e = base_entry(c, c->name, "iteration", reps);
	json_object_set_new(e, "repetition_index", json_integer(index));
	json_object_set_new(e, "real_time", json_real(num(s, "real_ns") / 1e6));
	json_object_set_new(e, "cpu_time", json_real(num(s, "cpu_ns") / 1e6));
	json_object_set_new(e, "user_time", json_real(num(s, "user_ns") / 1e6));
	json_object_set_new(e, "system_time", json_real(num(s, "sys_ns") / 1e6));
	json_object_set_new(e, "max_rss_kb", json_integer((json_int_t)num(s, "max_rss_kb")));
	json_object_set_new(e, "voluntary_cs", json_integer((json_int_t)num(s, "vol_cs")));
	json_object_set_new(e, "involuntary_cs", json_integer((json_int_t)num(s, "invol_cs")));
	json_object_set_new(e, "verified", json_true());
	/* nested objects, and any field a measurement module adds, pass through */
	const char *k;
	json_t *v;
	json_object_foreach(s, k, v)
		if (json_is_object(v) || json_is_array(v) || !strcmp(k, "binding") || !strcmp(k, "pin"))
			json_object_set(e, k, v);
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

/* The aggregate of field `key` over n objects: numbers are summarised, objects recursed into. */
static json_t *aggregate_value(json_t **objs, size_t n, const char *key, enum agg a)
{
	json_t *first = json_object_get(objs[0], key);
	if (json_is_object(first)) {
		json_t *out = json_object(), **sub = calloc(n, sizeof *sub);
		const char *k;
		json_t *v;
		for (size_t i = 0; i < n; i++)
			sub[i] = json_object_get(objs[i], key);
		json_object_foreach(first, k, v) {
			int all = 1;
			for (size_t i = 0; i < n; i++)
				all &= json_is_object(sub[i]) && json_object_get(sub[i], k) != NULL;
			if (all) {
				json_t *r = aggregate_value(sub, n, k, a);
				if (r)
					json_object_set_new(out, k, r);
			}
		}
		free(sub);
		return out;
	}
	if (!json_is_number(first))
		return json_deep_copy(first); /* e.g. a null for "unsupported" stays null */
	double *x = malloc(n * sizeof *x);
	for (size_t i = 0; i < n; i++) {
		json_t *v = json_object_get(objs[i], key);
		if (!json_is_number(v)) {
			free(x);
			return json_null();
		}
		x[i] = json_number_value(v);
	}
	struct summary s;
	stats_summarise(x, n, &s);
	free(x);
	return json_real(pick(&s, a));
}

void results_add_cell(json_t *doc, const struct cell *c, json_t *outcome)
{
	json_t *list = json_object_get(doc, "benchmarks");
	json_t *samples = json_object_get(outcome, "samples");
	json_t *error = json_object_get(outcome, "error");
	size_t n = json_array_size(samples);
	json_t *skipped = json_object_get(outcome, "skipped");
	if (skipped) { /* as Google Benchmark writes a SkipWithMessage run */
		json_t *e = base_entry(c, c->name, "iteration", 0);
		json_object_set_new(e, "skipped", json_true());
		json_object_set(e, "skip_message", skipped);
		json_array_append_new(list, e);
		return;
	}
	if (error) {
		json_t *e = base_entry(c, c->name, "iteration", (int)n);
		json_object_set_new(e, "error_occurred", json_true());
		json_object_set(e, "error_message", error);
		json_object_set_new(e, "verified", json_false());
		json_object_set(e, "timed_out", json_object_get(outcome, "timed_out") ? json_true() : json_false());
		if (json_object_get(outcome, "ran_s"))
			json_object_set(e, "ran_s", json_object_get(outcome, "ran_s"));
		json_array_append_new(list, e);
		return;
	}
	json_t *warnings = noise_cell_warnings(outcome), *load = json_object_get(outcome, "load");
	json_t **iters = calloc(n ? n : 1, sizeof *iters);
	double *times = calloc(n ? n : 1, sizeof *times);
	for (size_t i = 0; i < n; i++) {
		iters[i] = iteration_entry(c, json_array_get(samples, i), (int)i, (int)n);
		json_object_set(iters[i], "warnings", warnings);
		times[i] = num(iters[i], "real_time");
		json_array_append(list, iters[i]);
	}
	for (int a = 0; n >= 2 && a < AGG_COUNT; a++) {
		char name[600];
		snprintf(name, sizeof name, "%s_%s", c->name, agg_names[a]);
		json_t *e = base_entry(c, name, "aggregate", (int)n);
		json_object_set_new(e, "aggregate_name", json_string(agg_names[a]));
		if (a == AGG_CV)
			json_object_set_new(e, "aggregate_unit", json_string("percentage"));
		json_object_set_new(e, "verified", json_true());
		if (json_object_get(iters[n - 1], "binding"))
			json_object_set(e, "binding", json_object_get(iters[n - 1], "binding"));
		for (int k = 0; results_measure_keys[k]; k++)
			if (json_object_get(iters[0], results_measure_keys[k]))
				json_object_set_new(e, results_measure_keys[k],
						    aggregate_value(iters, n, results_measure_keys[k],
								    (enum agg)a));
		json_object_set(e, "warnings", warnings);
		if (load)
			json_object_set(e, "load", load);
		if (a == AGG_MEDIAN)
			results_set_median_ci(e, times, n);
		json_array_append_new(list, e);
	}
	for (size_t i = 0; i < n; i++)
		json_decref(iters[i]);
	free(iters);
	free(times);
	json_decref(warnings);
}

static int is_median(json_t *e)
{
	const char *a = json_string_value(json_object_get(e, "aggregate_name"));
	return a && !strcmp(a, "median");
}

static const char *str(json_t *e, const char *k) { return json_string_value(json_object_get(e, k)); }

/* The median entry of workload w under model m with `workers` workers whose
 * workload params (and, if mp is given, model params) equal those given. */
static json_t *find_median(json_t *list, const char *w, const char *m, int workers, json_t *wp,
			   json_t *mp, json_t *pin)
{
	size_t i;
	json_t *e;
	json_array_foreach(list, i, e) {
		if (!is_median(e) || strcmp(str(e, "workload"), w) || strcmp(str(e, "model"), m) ||
		    json_integer_value(json_object_get(e, "workers")) != workers ||
		    !json_equal(json_object_get(e, "workload_params"), wp) ||
		    (mp && !json_equal(json_object_get(e, "model_params"), mp)))
			continue;
		json_t *epin = json_object_get(e, "pin");
		if (pin && epin && !json_equal(pin, epin))
			continue;
		return e;
	}
	return NULL;
}

void results_compute_speedups(json_t *doc)
{
	json_t *list = json_object_get(doc, "benchmarks"), *e;
	size_t i;
	json_array_foreach(list, i, e) {
		if (!is_median(e))
			continue;
		double t = num(e, "real_time");
		json_t *wp = json_object_get(e, "workload_params");
		/* the sequential baseline pinned alike if there is one, else any (unpinned first) */
		json_t *pin = json_object_get(e, "pin");
		json_t *none = json_string("none");
		json_t *seq = find_median(list, str(e, "workload"), "sequential", 1, wp, NULL, pin);
		if (!seq)
			seq = find_median(list, str(e, "workload"), "sequential", 1, wp, NULL, none);
		if (!seq)
			seq = find_median(list, str(e, "workload"), "sequential", 1, wp, NULL, NULL);
		json_decref(none);
		json_t *one = find_median(list, str(e, "workload"), str(e, "model"), 1, wp,
					  json_object_get(e, "model_params"), json_object_get(e, "pin"));
		if (seq && t > 0) {
			json_object_set_new(e, "speedup_vs_sequential", json_real(num(seq, "real_time") / t));
			results_set_speedup_ci(list, e, seq, "speedup_vs_sequential_ci");
		}
		if (one && t > 0) {
			json_object_set_new(e, "speedup_vs_1worker", json_real(num(one, "real_time") / t));
			results_set_speedup_ci(list, e, one, "speedup_vs_1worker_ci");
		}
	}
}

int results_is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

/* A file replaced atomically, or "-": standard output, once. */
static int results_write_text(const char *path, const char *text, size_t len, struct err *e)
{
	if (!results_is_stdout(path))
		return safe_write_file(path, text, len, e);
	fflush(stdout);
	if (safe_write_all(STDOUT_FILENO, text, len) < 0)
		return err_set(e, "cannot write the results to standard output: %s", strerror(errno));
	return 0;
}

int results_write(const char *path, json_t *doc, struct err *e)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	if (!text)
		return err_set(e, "cannot write %s: out of memory", path);
	size_t len = strlen(text);
	char *with_nl = realloc(text, len + 2);
	if (!with_nl) {
		free(text);
		return err_set(e, "cannot write %s: out of memory", path);
	}
	with_nl[len] = '\n';
	int rc = results_write_text(path, with_nl, len + 1, e);
	free(with_nl);
	return rc;
}

int results_write_csv(const char *path, json_t *doc, struct err *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return err_set(e, "cannot write %s: %s", path, strerror(errno));
	fprintf(f, "name,workload,model,workers,tasks,repetition,real_time_ms,cpu_time_ms,"
		   "max_rss_kb,verified,error\n");
	json_t *list = json_object_get(doc, "benchmarks"), *x;
	size_t i;
	json_array_foreach(list, i, x) {
		if (strcmp(str(x, "run_type"), "iteration"))
			continue;
		const char *err = str(x, "error_message");
		fprintf(f, "\"%s\",%s,%s,%lld,%lld,%lld,%.6f,%.6f,%lld,%s,\"", str(x, "name"),
			str(x, "workload"), str(x, "model"),
			(long long)json_integer_value(json_object_get(x, "workers")),
			(long long)json_integer_value(json_object_get(x, "tasks")),
			(long long)json_integer_value(json_object_get(x, "repetition_index")),
			num(x, "real_time"), num(x, "cpu_time"),
			(long long)json_integer_value(json_object_get(x, "max_rss_kb")),
			json_is_true(json_object_get(x, "verified")) ? "true" : "false");
		for (const char *p = err ? err : ""; *p; p++)
			fputs(*p == '"' ? "\"\"" : (char[]){*p, 0}, f);
		fputs("\"\n", f);
	}
	if (fclose(f) != 0) {
		free(text);
		return err_set(e, "cannot write %s: out of memory", path);
	}
	int rc = results_write_text(path, text, len, e);
	free(text);
	return rc;
}

json_t *results_load(const char *path, struct err *e)
{
	json_error_t je;
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc) {
		if (je.line <= 0 && je.position == 0 && access(path, R_OK) < 0)
			err_set(e, "cannot read %s: %s", path, strerror(errno));
		else
			err_set(e, "%s is not a valid results file: JSON error at line %d: %s "
				   "(truncated or corrupted?)", path, je.line, je.text);
		return NULL;
	}
	json_t *ctx = json_object_get(doc, "context"), *list = json_object_get(doc, "benchmarks");
	const char *why = NULL;
	if (!json_is_object(doc))
		why = "the top level is not an object";
	else if (!json_is_array(list))
		why = "it has no \"benchmarks\" array";
	else if (!json_is_object(ctx))
		why = "it has no \"context\" object";
	if (!why) {
		size_t i;
		json_t *x;
		json_array_foreach(list, i, x)
			if (!json_is_object(x) || !json_is_string(json_object_get(x, "name"))) {
				why = "a benchmarks entry has no \"name\"";
				break;
			}
	}
	json_t *fmt = json_object_get(ctx, "cmbench_format");
	if (!why && json_is_integer(fmt) && json_integer_value(fmt) > RESULTS_FORMAT) {
		err_set(e, "%s has results format %lld, newer than this cmbench understands (%d); "
			   "upgrade cmbench", path, (long long)json_integer_value(fmt), RESULTS_FORMAT);
		json_decref(doc);
		return NULL;
	}
	if (why) {
		err_set(e, "%s is not a results file: %s", path, why);
		json_decref(doc);
		return NULL;
	}
	return doc;
}
