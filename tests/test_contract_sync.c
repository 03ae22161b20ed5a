/* test_contract_sync.c — the coordination contract under every registered
 * model (and both GIL policies), with 1, 2, 3 and 8 workers: a counter
 * exact under a lock held across steps, a work queue that grows while it
 * is drained, a bounded queue between producers and consumers with a
 * semaphore ping-pong and an event, per-worker set-up, reductions inside
 * the region, and skipped cells with their reasons. A model that shares
 * state wrongly gives a wrong answer; one that blocks a coroutine's thread
 * or keeps the GIL while it waits hangs, and the cell times out. New models
 * are covered without touching this file. */
#include <stdlib.h>
#include "cell.h"
#include "check.h"
#include "contract_benches.h"
#include "dispatch.h"
#include "measure.h"

/* The compiled templates (benches/skeleton.c, models/skeleton.c) run too. */
extern const struct bench bench_skeleton;
extern const struct model model_skeleton;

static const struct bench *const benches[] = {&cb_locked_counter, &cb_growing_queue,
					      &cb_producer_consumer, &cb_worker_setup,
					      &cb_needs_yield, &bench_skeleton, NULL};

static struct cell_outcome run_cell(const struct bench *b, const struct model *m, const char *model_param,
			int workers, char *name, size_t name_size)
{
	struct run_opts o = {.profile = PROFILE_QUICK, .reps = 2, .warmup = 0, .timeout_s = 60};
	snprintf(o.cache_dir, sizeof o.cache_dir, "/tmp");
	struct cell c = {.bench = b, .model = m, .workers = workers, .ntasks = workers};
	struct err e;
	CHECK(params_defaults(&c.bench_params, b->params, o.profile, &e) == 0, "%s", e.msg);
	CHECK(params_defaults(&c.model_params, m->params, o.profile, &e) == 0, "%s", e.msg);
	char list[128], *save = NULL;
	snprintf(list, sizeof list, "%s", model_param ? model_param : "");
	for (char *kv = strtok_r(list, ",", &save); kv; kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');
		*eq = 0;
		CHECK(params_set(&c.model_params, kv, eq + 1, &e) == 0, "%s", e.msg);
	}
	snprintf(name, name_size, "%s/%s%s%s/workers:%d", b->name, m->name, model_param ? "/" : "",
		 model_param ? model_param : "", workers);
	snprintf(c.name, sizeof c.name, "%s", name);
	struct cell_outcome r;
	CHECK(cell_run_isolated(&c, &o, &r) == 0, "%s: interrupted", c.name);
	return r;
}

/* The outcome's error or skip reason, NULL when it has none. */
static const char *error_of(const struct cell_outcome *r)
{
	return r->status == CELL_ERROR ? r->message : NULL;
}

static const char *skip_of(const struct cell_outcome *r)
{
	return r->status == CELL_SKIPPED ? r->message : NULL;
}

/* What the contract promises for this cell: NULL to run, else a phrase the
 * skip reason must contain. */
static const char *expected_skip(const struct bench *b, const struct model *m, int workers,
				 const char *param)
{
	unsigned caps = model_caps(m);
	if ((b->needs & RT_CAP_YIELD) && !(caps & RT_CAP_YIELD))
		return "yield";
	if ((b->needs & RT_CAP_CONCURRENT) && !(caps & RT_CAP_CONCURRENT))
		return "concurrent tasks";
	if (b == &cb_producer_consumer && workers < 2)
		return "2 workers";
	if ((b->needs & RT_CAP_CONCURRENT) && param && strstr(param, "chunk=2"))
		return "hands a worker several"; /* the model's supports(), after the workload's */
	return NULL;
}

/* Every GIL policy: each takes and drops the lock its own way around a
 * wait; every dispatch of the models that have one (models/lib/dispatch.h).
 * Other models: one variant, their defaults. */
static int model_variants(const struct model *m, char out[][64], int max)
{
	const struct param_spec *p = param_spec_find(m->params, "gil");
	out[0][0] = 0;
	int n = 1;
	if (param_spec_find(m->params, "dispatch")) {
		snprintf(out[n++], 64, "dispatch=queue");
		snprintf(out[n++], 64, "dispatch=pool,chunk=2");
	}
	if (!p || !p->choices)
		return n;
	for (const char *c = p->choices; *c && n < max;) {
		size_t len = strcspn(c, "|");
		snprintf(out[n++], 64, "gil=%.*s", (int)len, c);
		c += len + (c[len] == '|');
	}
	return n;
}

static void every_model(void)
{
	static const int workers[] = {1, 2, 3, 8};
	for (int mi = 0; mi == 0 || model_registry[mi - 1]; mi++) {
		const struct model *m = model_registry[mi] ? model_registry[mi] : &model_skeleton;
		/* mpi's ranks share no memory and run no reductions yet: its
		 * skips and cells are tests/test_mpi.sh's */
		if (m->flags & MODEL_ON_REQUEST)
			continue;
		CHECK(m->rt_ops && m->rt_ops->wait_word && m->rt_ops->wake_word,
		      "model %s has no rt_ops with wait_word/wake_word", m->name);
		char variants[16][64];
		int nv = model_variants(m, variants, 16);
		for (int v = 0; v < nv; v++)
			for (int bi = 0; benches[bi]; bi++)
				for (size_t w = 0; w < sizeof workers / sizeof *workers; w++) {
					char name[300];
					const char *param = variants[v][0] ? variants[v] : NULL;
					struct cell_outcome r = run_cell(benches[bi], m, param, workers[w], name,
									 sizeof name);
					const char *err = error_of(&r);
					const char *skip = skip_of(&r);
					const char *want_skip = expected_skip(benches[bi], m, workers[w], param);
					CHECK(err == NULL, "%s: %s", name, err);
					if (want_skip) {
						CHECK_STR_CONTAINS(skip, want_skip);
						CHECK_INT(r.n_samples, 0);
					} else {
						CHECK(skip == NULL, "%s: skipped: %s", name, skip);
						CHECK_INT(r.n_samples, 2);
					}
					printf("%s %s%s%s\n", skip ? "skip" : err ? "FAIL" : "ok", name,
					       skip ? ": " : "", skip ? skip : "");
					cell_outcome_free(&r);
				}
	}
}

/* A model's own supports() hook: its reason is the skip's reason. */
static int picky_supports(const struct bench *b, const struct params *mp, int workers, struct err *why)
{
	(void)mp;
	(void)workers;
	if (b == &cb_growing_queue)
		return err_set(why, "picky cannot grow queues");
	return 0;
}

static void model_says_no(void)
{
	struct model picky = *model_registry[0];
	picky.name = "picky";
	picky.supports = picky_supports;
	char name[300];
	struct cell_outcome r = run_cell(&cb_growing_queue, &picky, NULL, 2, name, sizeof name);
	CHECK_STR_CONTAINS(skip_of(&r), "picky cannot grow queues");
	CHECK(error_of(&r) == NULL, "%s", name);
	cell_outcome_free(&r);
	r = run_cell(&cb_locked_counter, &picky, NULL, 2, name, sizeof name);
	CHECK(skip_of(&r) == NULL, "%s skipped", name);
	CHECK(error_of(&r) == NULL, "%s: %s", name, error_of(&r));
	cell_outcome_free(&r);
}

/* Run past the contract check: a task that waits for another under the
 * sequential model is a deadlock, reported, not a hang. */
static void sequential_deadlock_is_an_error(void)
{
	const struct bench *b = &cb_producer_consumer;
	struct err e = {{0}};
	struct shared_arena *a = shared_arena_create(&e);
	struct params bp, mp;
	params_defaults(&bp, b->params, PROFILE_QUICK, &e);
	params_defaults(&mp, model_registry[0]->params, PROFILE_QUICK, &e);
	struct bench_setup bs = {.params = &bp, .ntasks = 2, .workers = 2, .caps = model_caps(model_registry[0]),
				 .shared = a};
	void *state = b->setup(&bs, &e);
	b->reset(state);
	struct region reg;
	region_init(&reg);
	struct model_run mr = {.bench = b, .state = state, .workers = 2, .ntasks = 2, .params = &mp,
			       .region = &reg, .stats = json_object(), .err = &e};
	CHECK_STR_CONTAINS(model_registry[0]->name, "sequential");
	CHECK_INT(model_registry[0]->run(&mr), -1);
	CHECK_STR_CONTAINS(e.msg, "deadlock");
	json_decref(mr.stats);
	b->teardown(state);
	shared_arena_destroy(a);
}

/* Static deals tasks round robin; pool hands out chunks from one queue. */
static void dispatch_order(void)
{
	const struct model *threads = model_find("threads");
	struct err e = {{0}};
	struct params mp;
	params_defaults(&mp, threads->params, PROFILE_QUICK, &e);
	struct model_run mr = {.workers = 3, .ntasks = 8, .params = &mp, .err = &e};
	struct rt rt = {.ops = &rt_blocking_ops, .err = &e};
	struct dispatch *d = dispatch_create(&mr);
	struct dispatch_cursor c;
	dispatch_cursor_init(&c, 1);
	int got[4];
	for (int i = 0; i < 4; i++)
		got[i] = dispatch_next(d, &c, &rt);
	CHECK(got[0] == 1 && got[1] == 4 && got[2] == 7 && got[3] == DISPATCH_END,
	      "static, worker 1 of 3, 8 tasks: %d %d %d %d", got[0], got[1], got[2], got[3]);
	dispatch_destroy(d);
	params_set(&mp, "dispatch", "pool", &e);
	params_set(&mp, "chunk", "3", &e);
	d = dispatch_create(&mr);
	dispatch_cursor_init(&c, 0);
	struct dispatch_cursor other;
	dispatch_cursor_init(&other, 2);
	CHECK_INT(dispatch_next(d, &c, &rt), 0);
	CHECK_INT(dispatch_next(d, &other, &rt), 3); /* the next chunk */
	CHECK_INT(dispatch_next(d, &c, &rt), 1);
	CHECK_INT(dispatch_next(d, &c, &rt), 2);
	CHECK_INT(dispatch_next(d, &c, &rt), 6);    /* its second chunk: 6, 7 */
	CHECK_INT(dispatch_next(d, &c, &rt), 7);
	CHECK_INT(dispatch_next(d, &c, &rt), DISPATCH_END);
	CHECK_INT(dispatch_gets(d), 4);
	dispatch_destroy(d);
}

int main(void)
{
	dispatch_order();
	every_model();
	model_says_no();
	sequential_deadlock_is_an_error();
	return check_report("contract_sync");
}
