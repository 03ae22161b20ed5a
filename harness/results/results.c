/* results.c — writing and reading the results document (rendered from the
 * typed cells by results_render.c). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "results.h"
#include "safe_file.h"

json_t *results_new(json_t *context)
{
	/* The format is the results layer's to state, not the machine's. */
	json_object_set_new(context, "cmbench_format", json_integer(RESULTS_FORMAT));
	return json_pack("{s:o, s:[]}", "context", context, "benchmarks");
}

static const char *str(json_t *e, const char *k) { return json_string_value(json_object_get(e, k)); }
static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

int results_is_stdout(const char *path)
{
	return path && !strcmp(path, "-");
}

/* A file replaced atomically, or "-": standard output, once. */
static int results_write_text(const char *path, const char *text, size_t len, int durable,
			      struct err *e)
{
	if (!results_is_stdout(path))
		return safe_write_file_sync(path, text, len, durable, e);
	fflush(stdout);
	if (safe_write_all(STDOUT_FILENO, text, len) < 0)
		return err_set(e, "cannot write the results to standard output: %s", strerror(errno));
	return 0;
}

int results_write(const char *path, json_t *doc, struct err *e)
{
	return results_write_copies(path, NULL, doc, 1, e);
}

int results_write_copies(const char *path, const char *copy, json_t *doc, int durable,
			 struct err *e)
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
	int rc = results_write_text(path, with_nl, len + 1, durable, e);
	if (rc == 0 && copy)
		rc = results_write_text(copy, with_nl, len + 1, durable, e);
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
	int rc = results_write_text(path, text, len, 1, e);
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
