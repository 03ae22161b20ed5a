/* cell_outcome.c — the typed outcome of one cell and its one pipe
 * serialization (see cell_outcome.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cell_outcome.h"

static void *grow(void *p, size_t n, size_t size)
{
	void *q = realloc(p, n * size);
	if (!q)
		abort();
	return q;
}

static char *dup_text(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		abort();
	return d;
}

static struct named_value *push(struct named_values *nv, const char *name)
{
	nv->v = grow(nv->v, nv->n + 1, sizeof *nv->v);
	struct named_value *x = &nv->v[nv->n++];
	*x = (struct named_value){.name = dup_text(name)};
	return x;
}

void named_values_add_text(struct named_values *nv, const char *name, const char *text)
{
	struct named_value *x = push(nv, name);
	x->kind = VALUE_TEXT;
	x->text = dup_text(text);
}

void named_values_add_json(struct named_values *nv, const char *name, json_t *value)
{
	struct named_value *x = push(nv, name);
	x->kind = VALUE_JSON;
	x->json = json_deep_copy(value);
}

void named_values_add_number(struct named_values *nv, const char *name, enum value_kind kind,
			     double num)
{
	struct named_value *x = push(nv, name);
	x->kind = kind;
	x->num = num;
}

void named_values_from_json(struct named_values *out, json_t *obj)
{
	*out = (struct named_values){0};
	const char *k;
	json_t *v;
	json_object_foreach(obj, k, v) {
		if (json_is_integer(v))
			named_values_add_number(out, k, VALUE_INT, (double)json_integer_value(v));
		else if (json_is_real(v))
			named_values_add_number(out, k, VALUE_REAL, json_real_value(v));
		else if (json_is_string(v))
			named_values_add_text(out, k, json_string_value(v));
		else if (json_is_null(v))
			push(out, k)->kind = VALUE_NONE;
		else
			named_values_add_json(out, k, v);
	}
}

json_t *named_values_json(const struct named_values *nv)
{
	json_t *o = json_object();
	for (size_t i = 0; i < nv->n; i++)
		json_object_set_new(o, nv->v[i].name, named_value_json(&nv->v[i]));
	return o;
}

json_t *named_value_json(const struct named_value *x)
{
	return x->kind == VALUE_INT    ? json_integer((json_int_t)x->num)
	       : x->kind == VALUE_REAL ? json_real(x->num)
	       : x->kind == VALUE_TEXT ? json_string(x->text)
	       : x->kind == VALUE_JSON ? json_deep_copy(x->json)
				       : json_null();
}

void named_values_copy(struct named_values *out, const struct named_values *in)
{
	*out = (struct named_values){0};
	for (size_t i = 0; i < in->n; i++) {
		if (in->v[i].kind == VALUE_TEXT)
			named_values_add_text(out, in->v[i].name, in->v[i].text);
		else if (in->v[i].kind == VALUE_JSON)
			named_values_add_json(out, in->v[i].name, in->v[i].json);
		else
			named_values_add_number(out, in->v[i].name, in->v[i].kind, in->v[i].num);
	}
}

const struct named_value *named_values_find(const struct named_values *nv, const char *name)
{
	for (size_t i = 0; i < nv->n; i++)
		if (!strcmp(nv->v[i].name, name))
			return &nv->v[i];
	return NULL;
}

void named_values_free(struct named_values *nv)
{
	for (size_t i = 0; i < nv->n; i++) {
		free(nv->v[i].name);
		free(nv->v[i].text);
		json_decref(nv->v[i].json);
	}
	free(nv->v);
	*nv = (struct named_values){0};
}

struct rep_sample *cell_outcome_add_sample(struct cell_outcome *o)
{
	o->samples = grow(o->samples, o->n_samples + 1, sizeof *o->samples);
	struct rep_sample *s = &o->samples[o->n_samples++];
	memset(s, 0, sizeof *s);
	return s;
}

void cell_outcome_set_error(struct cell_outcome *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->message, sizeof o->message, fmt, ap);
	va_end(ap);
	o->status = CELL_ERROR;
}

static void sample_free(struct rep_sample *s)
{
	named_values_free(&s->counters);
	named_values_free(&s->counters_unsupported);
	named_values_free(&s->model_stats);
	named_values_free(&s->workload_stats);
	json_decref(s->binding);
}

void cell_outcome_free(struct cell_outcome *o)
{
	for (size_t i = 0; i < o->n_samples; i++)
		sample_free(&o->samples[i]);
	free(o->samples);
	memset(o, 0, sizeof *o);
}

void cell_outcome_copy(struct cell_outcome *out, const struct cell_outcome *in)
{
	*out = *in;
	out->samples = NULL;
	out->n_samples = 0;
	for (size_t i = 0; i < in->n_samples; i++) {
		const struct rep_sample *a = &in->samples[i];
		struct rep_sample *b = cell_outcome_add_sample(out);
		*b = *a;
		named_values_copy(&b->counters, &a->counters);
		named_values_copy(&b->counters_unsupported, &a->counters_unsupported);
		named_values_copy(&b->model_stats, &a->model_stats);
		named_values_copy(&b->workload_stats, &a->workload_stats);
		b->binding = a->binding ? json_deep_copy(a->binding) : NULL;
	}
}

static const char *const status_names[] = {"ok", "error", "skipped"};

json_t *cell_outcome_encode(const struct cell_outcome *o)
{
	json_t *samples = json_array();
	for (size_t i = 0; i < o->n_samples; i++) {
		const struct rep_sample *s = &o->samples[i];
		json_t *x = json_pack("{s:f, s:f, s:f, s:f, s:I, s:I, s:I, s:o, s:o, s:o, s:o}",
				      "real_ns", s->real_ns, "cpu_ns", s->cpu_ns, "user_ns", s->user_ns,
				      "sys_ns", s->sys_ns, "max_rss_kb", (json_int_t)s->max_rss_kb,
				      "vol_cs", (json_int_t)s->vol_cs, "invol_cs", (json_int_t)s->invol_cs,
				      "counters", named_values_json(&s->counters),
				      "counters_unsupported", named_values_json(&s->counters_unsupported),
				      "model_stats", named_values_json(&s->model_stats),
				      "workload_stats", named_values_json(&s->workload_stats));
		if (s->binding)
			json_object_set(x, "binding", s->binding);
		json_array_append_new(samples, x);
	}
	json_t *out = json_pack("{s:s, s:s, s:b, s:f, s:I, s:o}", "status", status_names[o->status],
				"message", o->message, "timed_out", o->timed_out, "ran_s", o->ran_s,
				"setup_ns", (json_int_t)o->setup_ns, "samples", samples);
	if (o->has_load)
		json_object_set_new(out, "load", load_report_json(&o->load));
	return out;
}

static double num(json_t *o, const char *k) { return json_number_value(json_object_get(o, k)); }

int cell_outcome_decode(json_t *in, struct cell_outcome *o, struct err *e)
{
	memset(o, 0, sizeof *o);
	const char *status = json_string_value(json_object_get(in, "status"));
	json_t *samples = json_object_get(in, "samples");
	if (!json_is_object(in) || !status || !json_is_array(samples))
		return err_set(e, "the cell's report has no status or samples");
	int k = 0;
	while (k < 3 && strcmp(status_names[k], status))
		k++;
	if (k == 3)
		return err_set(e, "the cell's report has an unknown status '%s'", status);
	o->status = (enum cell_status)k;
	snprintf(o->message, sizeof o->message, "%s",
		 json_string_value(json_object_get(in, "message")) ?: "");
	o->timed_out = json_is_true(json_object_get(in, "timed_out"));
	o->ran_s = num(in, "ran_s");
	o->setup_ns = (int64_t)num(in, "setup_ns");
	json_t *load = json_object_get(in, "load");
	if ((o->has_load = json_is_object(load)))
		load_report_from_json(load, &o->load);
	size_t i;
	json_t *x;
	json_array_foreach(samples, i, x) {
		struct rep_sample *s = cell_outcome_add_sample(o);
		s->real_ns = num(x, "real_ns");
		s->cpu_ns = num(x, "cpu_ns");
		s->user_ns = num(x, "user_ns");
		s->sys_ns = num(x, "sys_ns");
		s->max_rss_kb = (long long)num(x, "max_rss_kb");
		s->vol_cs = (long long)num(x, "vol_cs");
		s->invol_cs = (long long)num(x, "invol_cs");
		named_values_from_json(&s->counters, json_object_get(x, "counters"));
		named_values_from_json(&s->counters_unsupported, json_object_get(x, "counters_unsupported"));
		named_values_from_json(&s->model_stats, json_object_get(x, "model_stats"));
		named_values_from_json(&s->workload_stats, json_object_get(x, "workload_stats"));
		json_t *b = json_object_get(x, "binding");
		s->binding = b ? json_incref(b) : NULL;
	}
	return 0;
}

double *cell_outcome_real_times(const struct cell_outcome *o, double scale)
{
	double *t = malloc((o->n_samples ? o->n_samples : 1) * sizeof *t);
	if (!t)
		abort();
	for (size_t i = 0; i < o->n_samples; i++)
		t[i] = o->samples[i].real_ns * scale;
	return t;
}
