/* result_cells.c — load a results file and group its entries into cells. */
#include "result_cells.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "results.h"

static const char *entry_run_name(const json_t *b)
{
	const char *s = json_string_value(json_object_get(b, "run_name"));
	return s && *s ? s : json_string_value(json_object_get(b, "name"));
}

static int entry_is_aggregate(const json_t *b)
{
	const char *t = json_string_value(json_object_get(b, "run_type"));
	return t && !strcmp(t, "aggregate");
}

/* Cells are found by linear search: results files hold tens to hundreds of
 * cells, and keeping file order matters more than lookup speed. */
static struct result_cell *cell_get(struct result_cells *r, const char *run_name)
{
	for (size_t i = 0; i < r->n_cells; i++)
		if (!strcmp(r->cells[i].run_name, run_name))
			return &r->cells[i];
	struct result_cell *grown = realloc(r->cells, (r->n_cells + 1) * sizeof *grown);
	if (!grown)
		abort();
	r->cells = grown;
	struct result_cell *c = &r->cells[r->n_cells++];
	*c = (struct result_cell){.run_name = run_name};
	return c;
}

static void cell_add_rep(struct result_cell *c, json_t *b)
{
	json_t **grown = realloc(c->reps, (c->n_reps + 1) * sizeof *grown);
	if (!grown)
		abort();
	c->reps = grown;
	c->reps[c->n_reps++] = b;
}

int result_cells_load(const char *path, struct result_cells *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	snprintf(r->path, sizeof r->path, "%s", path);
	r->root = results_load(path, e); /* checks JSON, context, benchmarks, names */
	if (!r->root)
		return -1;
	r->context = json_object_get(r->root, "context");
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(r->root, "benchmarks"), i, b) {
		struct result_cell *c = cell_get(r, entry_run_name(b));
		c->baseline |= results_entry_is_baseline(b);
		c->per_worker |= results_entry_is_per_worker(b);
		if (json_is_true(json_object_get(b, "error_occurred")) ||
		    json_is_true(json_object_get(b, "skipped"))) {
			c->failure = b;
		} else if (entry_is_aggregate(b)) {
			const char *agg = json_string_value(json_object_get(b, "aggregate_name"));
			if (agg && !strcmp(agg, "median"))
				c->median = b;
		} else {
			cell_add_rep(c, b);
		}
	}
	return 0;
}

void result_cells_free(struct result_cells *r)
{
	for (size_t i = 0; i < r->n_cells; i++)
		free(r->cells[i].reps);
	free(r->cells);
	json_decref(r->root);
	memset(r, 0, sizeof *r);
}

const struct result_cell *result_cells_find(const struct result_cells *r, const char *run_name)
{
	for (size_t i = 0; i < r->n_cells; i++)
		if (!strcmp(r->cells[i].run_name, run_name))
			return &r->cells[i];
	return NULL;
}

const char *result_cells_context_text(const struct result_cells *r, const char *key, char *buf, size_t len)
{
	json_t *v = json_object_get(r->context, key);
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%g", json_real_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else
		snprintf(buf, len, "%s", "");
	return buf;
}

int result_number(const json_t *obj, const char *key, double *out)
{
	json_t *v = json_object_get(obj, key);
	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

double result_time_unit_to_ms(const json_t *entry)
{
	const char *u = json_string_value(json_object_get(entry, "time_unit"));
	if (!u || !strcmp(u, "ns"))
		return 1e-6;
	if (!strcmp(u, "us"))
		return 1e-3;
	if (!strcmp(u, "s"))
		return 1e3;
	if (!strcmp(u, "ms"))
		return 1;
	return 0;
}
