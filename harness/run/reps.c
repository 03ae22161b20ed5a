/* reps.c — a cell's repetitions (reps.h). */
#include <stdlib.h>
#include <string.h>
#include "adaptive.h"
#include "counters.h"
#include "measure.h"
#include "pin.h"
#include "progress.h"
#include "reps.h"

static void set_counters(struct rep_sample *s, const struct counters *ctr)
{
	json_t *counts = json_object(), *unsupported = json_object();
	counters_to_json(ctr, counts, unsupported);
	named_values_free(&s->counters);
	named_values_free(&s->counters_unsupported);
	named_values_from_json(&s->counters, counts);
	named_values_from_json(&s->counters_unsupported, unsupported);
	json_decref(counts);
	json_decref(unsupported);
}

/* The repetition's figures, typed, in the outcome (counts: when ctr). */
static void add_sample(struct cell_outcome *out, const struct rep_measure *m, json_t *model_stats,
		       json_t *workload_stats, const struct counters *ctr, const struct binding *b)
{
	struct rep_sample *s = cell_outcome_add_sample(out);
	s->real_ns = m->real_ns;
	s->cpu_ns = m->cpu_ns;
	s->user_ns = m->user_ns;
	s->sys_ns = m->sys_ns;
	s->max_rss_kb = m->max_rss_kb;
	s->vol_cs = m->vol_cs;
	s->invol_cs = m->invol_cs;
	named_values_from_json(&s->model_stats, model_stats);
	named_values_from_json(&s->workload_stats, workload_stats);
	if (ctr)
		set_counters(s, ctr);
	if (b)
		s->binding = binding_json(b);
}

/* One repetition: reset, run the model (perf counters over the region only
 * when `ctr` is given), verify. 0 with its figures in m and *model_stats
 * (caller's reference), or -1 with the error set in out. */
static int one_rep(const struct cell *c, const struct run_opts *o, void *state, struct counters *ctr,
		   struct rep_measure *m, json_t **model_stats, struct cell_outcome *out)
{
	struct err e = {{0}};
	c->bench->reset(state);
	if (c->binding)
		binding_clear_applied(c->binding);
	struct region reg;
	region_init(&reg);
	/* Opened before the model creates its workers, so they inherit them. */
	if (ctr) {
		counters_open(ctr, o->counters);
		reg.counters = ctr;
	}
	struct model_run mr = {.bench = c->bench, .state = state, .workers = c->workers,
			       .ntasks = c->ntasks, .params = &c->model_params,
			       .bench_params = &c->bench_params, .cache_dir = o->cache_dir,
			       .region = &reg, .binding = c->binding,
			       .stats = json_object(), .err = &e};
	int rc = c->model->run(&mr);
	if (ctr) {
		counters_read(ctr); /* workers joined or reaped: their counts are in */
		counters_close(ctr);
	}
	/* Models that run workers on this thread bound it; undo that. */
	if (rc == 0 && c->binding && binding_restore_caller(c->binding, &e) < 0)
		rc = -1;
	if (rc == 0 && (!reg.started || !reg.stopped))
		rc = err_set(&e, "model %s did not mark its measured region", c->model->name);
	if (rc < 0) {
		cell_outcome_set_error(out, "%s", e.msg);
		json_decref(mr.stats);
		return -1;
	}
	region_finish(&reg, mr.children_rss_kb, m);
	if (contract_check_reduction(c->bench, state, c->ntasks, &e) < 0 ||
	    c->bench->verify(state, &e) < 0) {
		cell_outcome_set_error(out, "wrong answer: %s", e.msg);
		json_decref(mr.stats);
		return -1;
	}
	*model_stats = mr.stats;
	return 0;
}

/* The rule for this run: a caller that set only reps (tests) gets a fixed count. */
static struct rep_policy policy_of(const struct run_opts *o)
{
	if (o->policy.max > 0)
		return o->policy;
	int n = o->reps > 0 ? o->reps : 1;
	return (struct rep_policy){.min = n, .max = n};
}

void reps_measure(const struct cell *c, const struct run_opts *o, void *state,
		  struct cell_outcome *out)
{
	int separate = o->counters && o->counters_separate;
	struct counters ctr;
	struct rep_measure m;
	json_t *mstats;
	for (int i = 0; i < o->warmup; i++) {
		progress_rep("warm-up", i + 1, o->warmup);
		if (one_rep(c, o, state, NULL, &m, &mstats, out) < 0)
			return;
		json_decref(mstats);
	}
	struct rep_policy pol = policy_of(o);
	double *times = malloc(REPS_MAX * sizeof *times), measured_s = 0;
	if (!times)
		abort();
	enum reps_verdict verdict = REPS_MORE;
	int n = 0;
	while (n < REPS_MAX) {
		progress_rep("rep", n + 1, pol.max > n ? pol.max : n + 1);
		struct counters *timed = o->counters && !separate ? &ctr : NULL;
		if (one_rep(c, o, state, timed, &m, &mstats, out) < 0) {
			free(times);
			return;
		}
		json_t *wstats = json_object();
		if (c->bench->report)
			c->bench->report(state, m.real_ns / 1e9, wstats);
		add_sample(out, &m, mstats, wstats, timed, c->binding);
		json_decref(mstats);
		json_decref(wstats);
		times[n++] = m.real_ns / 1e9;
		measured_s += m.real_ns / 1e9;
		verdict = reps_enough(&pol, times, n);
		/* --min-time: short cells get repetitions until enough was measured */
		if (verdict != REPS_MORE && measured_s >= o->min_time_s)
			break;
	}
	free(times);
	/* Counter repetitions: their counts go with the first timed samples
	 * (never measured together with those times). A few give a median of
	 * counts for a short cell; once a sixth of the budget (50 ms by default)
	 * was counted, the counts are large and one more repetition costs as
	 * much as a timed one without making the times any better: stop. (Was
	 * half the budget: 14-16 s of a 100 s make bench went to counting.) */
	double counting_s = 0;
	for (int k = 0; separate && k < n && k < COUNTER_REPS; k++) {
		if (k > 0 && pol.budget_s > 0 && counting_s >= pol.budget_s / COUNTER_BUDGET_SHARE)
			break;
		progress_rep("counters", k + 1, n < COUNTER_REPS ? n : COUNTER_REPS);
		if (one_rep(c, o, state, &ctr, &m, &mstats, out) < 0)
			return;
		json_decref(mstats);
		set_counters(&out->samples[k], &ctr);
		counting_s += m.real_ns / 1e9;
		out->counter_reps++;
	}
	snprintf(out->reps_stop, sizeof out->reps_stop, "%s", reps_verdict_name(verdict));
}
