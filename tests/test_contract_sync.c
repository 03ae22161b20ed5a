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
#include "measure.h"

/* The compiled templates (benches/skeleton.c, models/skeleton.c) run too. */
extern const struct bench bench_skeleton;
extern const struct model model_skeleton;

static const struct bench *const benches[] = {&cb_locked_counter, &cb_growing_queue,
					      &cb_producer_consumer, &cb_worker_setup,
					      &cb_needs_yield, &bench_skeleton, NULL};

static json_t *run_cell(const struct bench *b, const struct model *m, const char *model_param,
			int workers, char *name, size_t name_size)
{
	struct run_opts o = {.profile = PROFILE_QUICK, .reps = 2, .warmup = 0, .timeout_s = 60};
	snprintf(o.cache_dir, sizeof o.cache_dir, "/tmp");
	struct cell c = {.bench = b, .model = m, .workers = workers, .ntasks = workers};
	struct err e;
	CHECK(params_defaults(&c.bench_params, b->params, o.profile, &e) == 0, "%s", e.msg);
	CHECK(params_defaults(&c.model_params, m->params, o.profile, &e) == 0, "%s", e.msg);
	if (model_param) {
		char key[64];
		const char *eq = strchr(model_param, '=');
		snprintf(key, sizeof key, "%.*s", (int)(eq - model_param), model_param);
		CHECK(params_set(&c.model_params, key, eq + 1, &e) == 0, "%s", e.msg);
	}
	snprintf(name, name_size, "%s/%s%s%s/workers:%d", b->name, m->name, model_param ? "/" : "",
		 model_param ? model_param : "", workers);
	snprintf(c.name, sizeof c.name, "%s", name);
	return cell_run_isolated(&c, &o);
}

/* What the contract promises for this cell: NULL to run, else a phrase the
 * skip reason must contain. */
static const char *expected_skip(const struct bench *b, const struct model *m, int workers)
{
	unsigned caps = model_caps(m);
	if ((b->needs & RT_CAP_YIELD) && !(caps & RT_CAP_YIELD))
		return "yield";
	if ((b->needs & RT_CAP_CONCURRENT) && !(caps & RT_CAP_CONCURRENT))
		return "concurrent tasks";
	if (b == &cb_producer_consumer && workers < 2)
		return "2 workers";
	return NULL;
}

/* Every GIL policy: each takes and drops the lock its own way around a
 * wait. Other models: one variant, their defaults. */
static int model_variants(const struct model *m, char out[][64], int max)
{
	const struct param_spec *p = param_spec_find(m->params, "gil");
	out[0][0] = 0;
	if (!p || !p->choices)
		return 1;
	int n = 0;
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
					json_t *r = run_cell(benches[bi], m, param, workers[w], name, sizeof name);
					json_t *err = json_object_get(r, "error");
					const char *skip = json_string_value(json_object_get(r, "skipped"));
					const char *want_skip = expected_skip(benches[bi], m, workers[w]);
					CHECK(err == NULL, "%s: %s", name, json_string_value(err));
					if (want_skip) {
						CHECK_STR_CONTAINS(skip, want_skip);
						CHECK_INT(json_array_size(json_object_get(r, "samples")), 0);
					} else {
						CHECK(skip == NULL, "%s: skipped: %s", name, skip);
						CHECK_INT(json_array_size(json_object_get(r, "samples")), 2);
					}
					printf("%s %s%s%s\n", skip ? "skip" : err ? "FAIL" : "ok", name,
					       skip ? ": " : "", skip ? skip : "");
					json_decref(r);
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
	json_t *r = run_cell(&cb_growing_queue, &picky, NULL, 2, name, sizeof name);
	CHECK_STR_CONTAINS(json_string_value(json_object_get(r, "skipped")), "picky cannot grow queues");
	CHECK(json_object_get(r, "error") == NULL, "%s", name);
	json_decref(r);
	r = run_cell(&cb_locked_counter, &picky, NULL, 2, name, sizeof name);
	CHECK(json_object_get(r, "skipped") == NULL, "%s skipped", name);
	CHECK(json_object_get(r, "error") == NULL, "%s: %s", name,
	      json_string_value(json_object_get(r, "error")));
	json_decref(r);
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

int main(void)
{
	every_model();
	model_says_no();
	sequential_deadlock_is_an_error();
	return check_report("contract_sync");
}
