/* plot_cells.c — the rows charts and reports draw from, one per result cell. */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plot_cells.h"

/* The order in which models are listed everywhere (and coloured in palette.gp). */
static int model_rank(const char *model)
{
	static const char *const order[] = {"sequential", "threads", "gil", "processes",
					    "coroutines"};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
		if (!strcmp(model, order[i]))
			return (int)i;
	return 99;
}

static double num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : NAN;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

double entry_stat(json_t *entry, const char *object, const char *key)
{
	return entry ? num(json_object_get(entry, object), key) : NAN;
}

double entry_stat_top(json_t *entry, const char *key)
{
	return entry ? num(entry, key) : NAN;
}

const char *entry_find_key(json_t *entry, const char *object, int (*match)(const char *key))
{
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(entry, object), key, v) {
		if (json_is_number(v) && match(key))
			return key;
	}
	return NULL;
}

/* Times are kept in milliseconds whatever unit the file used. */
static double time_ms(json_t *b, const char *field)
{
	double to_ms = result_time_unit_to_ms(b);
	return to_ms > 0 ? num(b, field) * to_ms : NAN;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The CI of a speedup: [lo, hi], or an object {lower, upper} / {lo, hi}. */
static void read_ci(json_t *ci, double *lo, double *hi)
{
	if (json_is_array(ci) && json_array_size(ci) == 2) {
		json_t *a = json_array_get(ci, 0), *b = json_array_get(ci, 1);
		if (json_is_number(a) && json_is_number(b)) {
			*lo = json_number_value(a);
			*hi = json_number_value(b);
		}
	} else if (json_is_object(ci)) {
		static const char *const names[][2] = {{"lower", "upper"}, {"lo", "hi"},
							{"low", "high"}};
		for (size_t i = 0; i < 3; i++)
			if (!isnan(num(ci, names[i][0])) && !isnan(num(ci, names[i][1]))) {
				*lo = num(ci, names[i][0]);
				*hi = num(ci, names[i][1]);
			}
	}
}

/* Fill one row from a result cell: the median aggregate, else the median of
 * the repetitions; min and max from the repetitions (the aggregates of the
 * same name agree with them when present). */
static void build_row(struct plot_cell *c, const struct result_cell *rc)
{
	double times[256];
	size_t ntimes = 0;
	json_t *first = rc->failure ? rc->failure : rc->median ? rc->median
				  : rc->n_reps ? rc->reps[0] : NULL;
	memset(c, 0, sizeof *c);
	c->run_name = rc->run_name;
	c->time_ms = c->time_min_ms = c->time_max_ms = c->cv = NAN;
	c->speedup = c->speedup_lo = c->speedup_hi = c->speedup_1w = c->max_rss_kb = NAN;
	c->speedup_ci_level = c->time_ci_lo = c->time_ci_hi = NAN;
	c->workload = str(first, "workload") ? str(first, "workload") : "?";
	c->model = str(first, "model") ? str(first, "model") : "?";
	c->workers = (int)(isnan(num(first, "workers")) ? num(first, "threads") : num(first, "workers"));
	c->tasks = isnan(num(first, "tasks")) ? c->workers : (int)num(first, "tasks");
	c->baseline = rc->baseline;
	c->per_worker = rc->per_worker;
	if (rc->failure) {
		c->error = str(rc->failure, "error_message") ? str(rc->failure, "error_message")
			   : str(rc->failure, "skip_message") ? str(rc->failure, "skip_message")
							      : "failed";
		return;
	}
	for (size_t i = 0; i < rc->n_reps && ntimes < sizeof times / sizeof times[0]; i++)
		if (isfinite(time_ms(rc->reps[i], "real_time")))
			times[ntimes++] = time_ms(rc->reps[i], "real_time");
	c->reps = (int)ntimes;
	c->entry = first;
	if (!c->entry)
		return;
	qsort(times, ntimes, sizeof times[0], cmp_double);
	c->time_ms = rc->median || !ntimes ? time_ms(c->entry, "real_time")
		     : ntimes % 2 ? times[ntimes / 2]
				  : (times[ntimes / 2 - 1] + times[ntimes / 2]) / 2;
	c->time_min_ms = ntimes ? times[0] : NAN;
	c->time_max_ms = ntimes ? times[ntimes - 1] : NAN;
	c->speedup = num(c->entry, "speedup_vs_sequential");
	read_ci(json_object_get(c->entry, "speedup_vs_sequential_ci"), &c->speedup_lo,
		&c->speedup_hi);
	c->speedup_ci_level = num(c->entry, "speedup_vs_sequential_ci_level");
	read_ci(json_object_get(c->entry, "median_ci"), &c->time_ci_lo, &c->time_ci_hi);
	c->time_ci_lo *= result_time_unit_to_ms(c->entry);
	c->time_ci_hi *= result_time_unit_to_ms(c->entry);
	c->speedup_1w = num(c->entry, "speedup_vs_1worker");
	if (c->per_worker) /* each worker adds work: a time ratio is no speedup */
		c->speedup = c->speedup_lo = c->speedup_hi = c->speedup_1w = NAN;
	c->max_rss_kb = num(c->entry, "max_rss_kb");
	c->verified = json_is_true(json_object_get(c->entry, "verified"));
}

/* The min, max and cv aggregates, which result_cells does not keep. */
static void attach_aggregates(struct plot_cells *cs, json_t *root)
{
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(root, "benchmarks"), i, b) {
		const char *type = str(b, "run_type"), *agg = str(b, "aggregate_name");
		const char *rn = str(b, "run_name") ? str(b, "run_name") : str(b, "name");
		if (!type || strcmp(type, "aggregate") || !agg || !rn)
			continue;
		for (size_t j = 0; j < cs->n; j++) {
			struct plot_cell *c = &cs->v[j];
			if (!c->entry || strcmp(c->run_name, rn))
				continue;
			if (!strcmp(agg, "min"))
				c->min_entry = b;
			else if (!strcmp(agg, "max"))
				c->max_entry = b;
			else if (!strcmp(agg, "cv"))
				c->cv = num(b, "real_time");
		}
	}
}

static int same_group(const struct plot_cell *a, const struct plot_cell *b)
{
	return !strcmp(a->workload, b->workload) && !strcmp(a->model, b->model);
}

static void append_ident(char *dst, size_t len, const char *text)
{
	size_t n = strlen(dst);
	for (; *text && n + 1 < len; text++)
		dst[n++] = isalnum((unsigned char)*text) ? (char)tolower((unsigned char)*text) : '_';
	dst[n] = '\0';
}

/* Where a cell's parameters are: the model's first (gil=legacy), then the
 * workload's; `params` is the older single object. */
static const char *const param_objects[] = {"model_params", "workload_params", "params"};

/* Add `key=value` (or just the value, for the parameter named like the
 * model: gil=legacy reads "gil (legacy)") when it differs between cells of
 * the same workload and model, or is the model's own parameter. */
static void name_part(struct plot_cells *cs, struct plot_cell *c, const char *object,
		      const char *key, const char *value, char *extra, size_t len)
{
	int own = !strcmp(key, c->model);
	int varies = own;
	for (size_t j = 0; j < cs->n && !varies; j++) {
		struct plot_cell *o = &cs->v[j];
		if (o == c || !o->entry || !same_group(o, c))
			continue;
		const char *ov = object ? str(json_object_get(o->entry, object), key)
					: str(o->entry, key);
		varies = !ov || strcmp(ov, value);
	}
	if (!varies)
		return;
	size_t n = strlen(extra);
	snprintf(extra + n, len - n, own ? "%s%s" : "%s%s=%s", n ? ", " : "", own ? value : key,
		 value);
	append_ident(c->series, sizeof c->series, "_");
	append_ident(c->series, sizeof c->series, value);
}

/* Name the model variant from the parameters (and pinning) that tell apart
 * the cells of one workload and model. */
static void name_series(struct plot_cells *cs, struct plot_cell *c)
{
	char extra[sizeof c->label - 16] = "";
	snprintf(c->series, sizeof c->series, "%s", c->model);
	for (size_t i = 0; i < sizeof param_objects / sizeof param_objects[0]; i++) {
		const char *key;
		json_t *val;
		json_object_foreach(json_object_get(c->entry, param_objects[i]), key, val) {
			if (json_is_string(val))
				name_part(cs, c, param_objects[i], key, json_string_value(val),
					  extra, sizeof extra);
		}
	}
	if (str(c->entry, "pin"))
		name_part(cs, c, NULL, "pin", str(c->entry, "pin"), extra, sizeof extra);
	snprintf(c->label, sizeof c->label, extra[0] ? "%s (%s)" : "%s", c->model, extra);
}

static const struct plot_cells *sort_ctx;

static size_t workload_index(const struct plot_cells *cs, const char *w)
{
	for (size_t i = 0; i < cs->nworkloads; i++)
		if (!strcmp(cs->workloads[i], w))
			return i;
	return cs->nworkloads;
}

static int cmp_cell(const void *pa, const void *pb)
{
	const struct plot_cell *a = pa, *b = pb;
	size_t wa = workload_index(sort_ctx, a->workload), wb = workload_index(sort_ctx, b->workload);
	if (wa != wb)
		return wa < wb ? -1 : 1;
	int ra = model_rank(a->model), rb = model_rank(b->model);
	if (ra != rb)
		return ra - rb;
	int s = strcmp(a->label, b->label);
	if (s)
		return s;
	return a->workers - b->workers;
}

/* A speedup the file does not carry (a run with one repetition has no median
 * aggregate) is the sequential 1-worker time of the same workload over ours. */
static void fill_speedups(struct plot_cells *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct plot_cell *c = &cs->v[i];
		if (!isnan(c->speedup) || isnan(c->time_ms) || c->per_worker)
			continue;
		const struct plot_cell *base = NULL;
		int nbase = 0;
		for (size_t j = 0; j < cs->n; j++) {
			const struct plot_cell *o = &cs->v[j];
			if (!strcmp(o->workload, c->workload) && o->baseline &&
			    o->workers == 1 && !isnan(o->time_ms)) {
				base = o;
				nbase++;
			}
		}
		if (nbase == 1)
			c->speedup = base->time_ms / c->time_ms;
	}
}

/* What a model adds to memory: its peak RSS over that of sequential running
 * as many tasks on one thread (same inputs, buffers and process), so that
 * the fixed cost of the process does not read as a cost per task. */
static void fill_extra_rss(struct plot_cells *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		struct plot_cell *c = &cs->v[i];
		c->extra_rss_kb = NAN;
		if (c->baseline)
			continue; /* the baseline itself */
		for (size_t j = 0; j < cs->n; j++) {
			const struct plot_cell *o = &cs->v[j];
			if (!strcmp(o->workload, c->workload) && o->baseline &&
			    o->tasks == c->tasks && isfinite(o->max_rss_kb) && isfinite(c->max_rss_kb)) {
				c->extra_rss_kb = c->max_rss_kb - o->max_rss_kb;
				break;
			}
		}
	}
}

int plot_cells_build(const struct result_cells *r, struct plot_cells *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	size_t n = r->n_cells ? r->n_cells : 1;
	out->v = calloc(n, sizeof *out->v);
	out->workloads = calloc(n, sizeof *out->workloads);
	if (!out->v || !out->workloads) {
		plot_cells_free(out);
		return err_set(e, "out of memory reading %zu cells of %s", r->n_cells, r->path);
	}
	for (size_t i = 0; i < r->n_cells; i++) {
		struct plot_cell *c = &out->v[out->n++];
		build_row(c, &r->cells[i]);
		if (workload_index(out, c->workload) == out->nworkloads)
			out->workloads[out->nworkloads++] = c->workload;
	}
	attach_aggregates(out, r->root);
	for (size_t i = 0; i < out->n; i++)
		name_series(out, &out->v[i]);
	fill_speedups(out);
	fill_extra_rss(out);
	sort_ctx = out;
	qsort(out->v, out->n, sizeof *out->v, cmp_cell);
	sort_ctx = NULL;
	return 0;
}

void plot_cells_free(struct plot_cells *c)
{
	free(c->v);
	free(c->workloads);
	memset(c, 0, sizeof *c);
}
