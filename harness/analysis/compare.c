/* compare.c — pair the cells of two results files and judge each change. */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "compare_samples.h"
#include "mannwhitney.h"
#include "noise.h"
#include "stats.h"

const char *compare_verdict_name(enum compare_verdict v)
{
	static const char *const names[] = {"unchanged", "faster", "slower", "not comparable"};
	return v < VERDICT_COUNT ? names[v] : "?";
}

int compare_metric_is_time(const char *metric)
{
	return !strcmp(metric, "real_time") || !strcmp(metric, "cpu_time");
}

int compare_add_metric(struct compare_options *o, const char *item, struct err *e)
{
	if (!*item)
		return err_set(e, "--metric: empty name (allowed: headline, real_time, cpu_time, "
				  "speedup, speedup_vs_sequential, speedup_vs_1worker, or a counter name)");
	const char *expanded[2] = {item, NULL};
	if (!strcmp(item, "speedup")) {
		expanded[0] = "speedup_vs_sequential";
		expanded[1] = "speedup_vs_1worker";
	}
	for (int i = 0; i < 2 && expanded[i]; i++) {
		if (o->n_metrics == COMPARE_MAX_METRICS)
			return err_set(e, "--metric: more than %d metrics", COMPARE_MAX_METRICS);
		o->metrics[o->n_metrics++] = expanded[i];
	}
	return 0;
}

/* As Google Benchmark's compare.py computes it. */
static double relative_change(double base, double next)
{
	if (base == 0 && next == 0)
		return 0;
	if (base == 0)
		return (next - base) / ((base + next) / 2);
	return (next - base) / fabs(base);
}

/* The first reason two files' cells may not be compared at all: a
 * different profile (different sizes), machine or build type. */
static void check_files(const struct result_cells *a, const struct result_cells *b, char *why, size_t len)
{
	static const struct {
		const char *key, *what;
	} same[] = {
		{"profile", "profile"},
		{"num_cpus", "machine (CPUs)"},
		{"cpu_model", "machine (CPU model)"},
		{"library_build_type", "build type"},
	};
	char va[64], vb[64];
	why[0] = 0;
	for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
		result_cells_context_text(a, same[i].key, va, sizeof va);
		result_cells_context_text(b, same[i].key, vb, sizeof vb);
		if (strcmp(va, vb)) {
			snprintf(why, len, "different %s: %s in BASE, %s in NEW", same[i].what,
				 *va ? va : "(none)", *vb ? vb : "(none)");
			return;
		}
	}
	/* An empty list is a machine that does not say (many VMs have no
	 * cache directories in sysfs): unknown, not different. */
	json_t *ca = json_object_get(a->context, "caches"), *cb = json_object_get(b->context, "caches");
	if (json_array_size(ca) > 0 && json_array_size(cb) > 0 && !json_equal(ca, cb))
		snprintf(why, len, "different machine: the caches differ");
}

static void describe(const struct result_cells *r, char *buf, size_t len)
{
	char date[64], rev[64], profile[32], host[64];
	result_cells_context_text(r, "date", date, sizeof date);
	result_cells_context_text(r, "git_revision", rev, sizeof rev);
	result_cells_context_text(r, "profile", profile, sizeof profile);
	result_cells_context_text(r, "host_name", host, sizeof host);
	snprintf(buf, len, "%s (%s%s%s%s%s%s%s)", r->path, *date ? date : "no date",
		 *rev ? ", rev " : "", rev, *profile ? ", profile " : "", profile,
		 *host ? ", host " : "", host);
}

/* Parameters (or pinning) that differ make the cells different experiments. */
static int params_differ(const struct result_cell *a, const struct result_cell *b, char *why,
			 size_t len)
{
	static const char *const groups[] = {"workload_params", "model_params", "params", "pin"};
	const json_t *ea = a->median ? a->median : a->n_reps ? a->reps[0] : NULL;
	const json_t *eb = b->median ? b->median : b->n_reps ? b->reps[0] : NULL;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		json_t *pa = json_object_get(ea, groups[g]), *pb = json_object_get(eb, groups[g]);
		if (!pa || !pb || json_equal(pa, pb))
			continue;
		if (json_is_string(pa) && json_is_string(pb)) {
			snprintf(why, len, "different %s: %s in BASE, %s in NEW", groups[g],
				 json_string_value(pa), json_string_value(pb));
			return 1;
		}
		if (!json_is_object(pa) || !json_is_object(pb)) {
			snprintf(why, len, "different %s in BASE and NEW", groups[g]);
			return 1;
		}
		const char *key;
		json_t *va;
		json_object_foreach(pa, key, va) {
			json_t *vb = json_object_get(pb, key);
			if (!vb || !json_equal(va, vb)) {
				snprintf(why, len, "different %s: %s=%s in BASE, %s in NEW", groups[g], key,
					 json_string_value(va) ? json_string_value(va) : "?",
					 vb && json_string_value(vb) ? json_string_value(vb) : "(absent)");
				return 1;
			}
		}
		snprintf(why, len, "different %s: NEW has keys BASE lacks", groups[g]);
		return 1;
	}
	return 0;
}

/* The smallest repetition count per side that lets the U test reach alpha. */
static size_t reps_needed(double alpha)
{
	size_t k = 2;
	while (k < 64 && mwu_min_p(k, k) >= alpha)
		k++;
	return k;
}

/* Other processes busy while a cell ran (the `load` cmbench run records on
 * aggregates) explain many a change: say so beside a faster/slower verdict. */
static void note_load(struct compare_row *row, const struct result_cell *a,
		      const struct result_cell *b)
{
	double others_a = 0, others_b = 0;
	if (a->median)
		result_number(json_object_get(a->median, "load"), "other_cpus", &others_a);
	if (b->median)
		result_number(json_object_get(b->median, "load"), "other_cpus", &others_b);
	if (others_a >= NOISE_OTHER_CPUS_MAX || others_b >= NOISE_OTHER_CPUS_MAX) {
		snprintf(row->note, sizeof row->note,
			 "other processes kept %.2f CPUs busy in BASE, %.2f in NEW", others_a, others_b);
		return;
	}
	/* and so does a host that slowed a vCPU under the guest (host_speed.h) */
	const struct result_cell *side[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		double start = 0, end = 0;
		json_t *load = side[i]->median ? json_object_get(side[i]->median, "load") : NULL;
		result_number(load, "cpu_speed_start", &start); /* absent: stays 0, unknown */
		result_number(load, "cpu_speed_end", &end);
		if (noise_speed_moved(start, end)) {
			snprintf(row->note, sizeof row->note,
				 "the CPU ran at %.0f%% and %.0f%% of its run's speed in %s", start * 100,
				 end * 100, i ? "NEW" : "BASE");
			return;
		}
	}
}

static void judge(struct compare_row *row, const struct result_cell *a,
		  const struct result_cell *b, const struct compare_options *o)
{
	double *va = NULL, *vb = NULL;
	char why[200];
	row->verdict = VERDICT_NOT_COMPARABLE;
	row->bigger_is_better = compare_cell_bigger_is_better(b, row->metric);
	if (a->failure || b->failure) {
		const json_t *f = a->failure ? a->failure : b->failure;
		const char *msg = json_string_value(json_object_get(f, "error_message"));
		if (!msg)
			msg = json_string_value(json_object_get(f, "skip_message"));
		snprintf(row->note, sizeof row->note, "failed in %s: %s", a->failure ? "BASE" : "NEW",
			 msg ? msg : "error_occurred");
		return;
	}
	if (params_differ(a, b, row->note, sizeof row->note))
		return;
	if (compare_samples(a, row->metric, &va, &row->n_base, why, sizeof why) != 0) {
		snprintf(row->note, sizeof row->note, "BASE: %s", why);
		return;
	}
	if (compare_samples(b, row->metric, &vb, &row->n_new, why, sizeof why) != 0) {
		snprintf(row->note, sizeof row->note, "NEW: %s", why);
		free(va);
		return;
	}
	if (row->n_base == 0 || row->n_new == 0) {
		snprintf(row->note, sizeof row->note, "no repetitions in %s", row->n_base ? "NEW" : "BASE");
		goto out;
	}
	row->base_median = stats_median(va, row->n_base);
	row->new_median = stats_median(vb, row->n_new);
	row->change = relative_change(row->base_median, row->new_median);
	if (mwu_min_p(row->n_base, row->n_new) >= o->alpha) {
		snprintf(row->note, sizeof row->note,
			 "too few repetitions (%zu vs %zu): the U test needs %zu each to reach p < %g",
			 row->n_base, row->n_new, reps_needed(o->alpha), o->alpha);
		goto out;
	}
	struct mwu_result u;
	if (mwu_test(va, row->n_base, vb, row->n_new, &u) != 0) {
		snprintf(row->note, sizeof row->note, "a value is not a number");
		goto out;
	}
	row->p = u.p;
	/* worse > 0 when NEW is worse in the metric's direction */
	double worse = row->bigger_is_better ? -row->change : row->change;
	int significant = u.p < o->alpha, large = fabs(row->change) >= o->threshold;
	if (significant && large) {
		row->verdict = worse > 0 ? VERDICT_SLOWER : VERDICT_FASTER;
		note_load(row, a, b);
	} else {
		row->verdict = VERDICT_UNCHANGED;
		if (large)
			snprintf(row->note, sizeof row->note, "%+.1f%% but not significant (p >= %g)",
				 100 * row->change, o->alpha);
		else if (significant)
			snprintf(row->note, sizeof row->note, "significant but under the %g%% threshold",
				 100 * o->threshold);
	}
out:
	free(va);
	free(vb);
}

static struct compare_row *add_row(struct comparison *c)
{
	struct compare_row *grown = realloc(c->rows, (c->n_rows + 1) * sizeof *grown);
	if (!grown)
		abort();
	c->rows = grown;
	struct compare_row *r = &c->rows[c->n_rows++];
	*r = (struct compare_row){.change = NAN, .p = NAN, .base_median = NAN, .new_median = NAN};
	return r;
}

static void add_one_sided(struct comparison *out, const struct result_cell *cell,
			  const struct compare_options *o, const char *where)
{
	for (size_t m = 0; m < o->n_metrics; m++) {
		if (compare_is_own_reference(cell, o->metrics[m]))
			continue;
		struct compare_row *r = add_row(out);
		r->name = cell->run_name;
		r->metric = o->metrics[m];
		r->bigger_is_better = compare_cell_bigger_is_better(cell, r->metric);
		r->verdict = VERDICT_NOT_COMPARABLE;
		snprintf(r->note, sizeof r->note, "only in %s", where);
	}
}

int compare_results(const struct result_cells *base, const struct result_cells *next,
		    const struct compare_options *o, struct comparison *out, struct err *e)
{
	memset(out, 0, sizeof *out);
	size_t common = 0;
	for (size_t i = 0; i < base->n_cells; i++)
		common += result_cells_find(next, base->cells[i].run_name) != NULL;
	if (common == 0)
		return err_set(e, "no benchmark names in common: %s has %zu (first '%s'), %s has %zu "
				  "(first '%s')",
			       base->path, base->n_cells, base->n_cells ? base->cells[0].run_name : "-",
			       next->path, next->n_cells, next->n_cells ? next->cells[0].run_name : "-");
	describe(base, out->base_desc, sizeof out->base_desc);
	describe(next, out->new_desc, sizeof out->new_desc);
	check_files(base, next, out->warning, sizeof out->warning);

	for (size_t i = 0; i < base->n_cells; i++) {
		const struct result_cell *a = &base->cells[i], *b = result_cells_find(next, a->run_name);
		if (!b) {
			add_one_sided(out, a, o, "BASE");
			continue;
		}
		for (size_t m = 0; m < o->n_metrics; m++) {
			if (compare_is_own_reference(a, o->metrics[m]))
				continue;
			struct compare_row *r = add_row(out);
			r->name = a->run_name;
			r->metric = o->metrics[m];
			if (out->warning[0]) {
				r->verdict = VERDICT_NOT_COMPARABLE;
				snprintf(r->note, sizeof r->note, "%s", out->warning);
			} else {
				judge(r, a, b, o);
			}
		}
	}
	for (size_t i = 0; i < next->n_cells; i++)
		if (!result_cells_find(base, next->cells[i].run_name))
			add_one_sided(out, &next->cells[i], o, "NEW");
	for (size_t i = 0; i < out->n_rows; i++)
		out->count[out->rows[i].verdict]++;
	return 0;
}

void comparison_free(struct comparison *c)
{
	free(c->rows);
	memset(c, 0, sizeof *c);
}
