/* test_wrong_answer.c — a wrong answer is an error, never a data point:
 * for every workload, a correct run verifies, and the same run with one
 * task's result slot corrupted does not. A failing task and a crashing
 * process worker are reported with their reason. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "cell.h"
#include "check.h"
#include "corpus.h"
#include "measure.h"

static json_t *run_and_corrupt(const struct bench *b, const struct model *m, int corrupt, struct err *e)
{
	char cache[4096];
	corpus_default_cache_dir(cache, sizeof cache);
	struct params bp, mp;
	params_defaults(&bp, b->params, PROFILE_QUICK, e);
	/* tasks that talk need their exact count, each on its own thread */
	int n = b->tasks_exactly ? b->tasks_exactly : 3;
	if (b->tasks_exactly)
		m = model_find("threads");
	params_defaults(&mp, m->params, PROFILE_QUICK, e);
	struct shared_arena *shared = shared_arena_create(e);
	struct bench_setup bs = {.params = &bp, .ntasks = n, .workers = n, .cache_dir = cache,
				 .caps = model_caps(m), .shared = shared};
	void *state = b->setup(&bs, e);
	if (!state) {
		shared_arena_destroy(shared);
		return NULL;
	}
	b->reset(state);
	struct region reg;
	region_init(&reg);
	struct model_run mr = {.bench = b, .state = state, .workers = n, .ntasks = n, .params = &mp,
			       .region = &reg, .stats = json_object(), .err = e};
	int rc = m->run(&mr);
	json_decref(mr.stats);
	if (rc == 0 && corrupt) {
		unsigned char *slot = b->result(state, 1);
		for (size_t i = 0; i < b->result_size; i++)
			slot[i] ^= 0xA5;
	}
	if (rc == 0)
		rc = contract_check_reduction(b, state, n, e);
	if (rc == 0)
		rc = b->verify(state, e);
	b->teardown(state);
	shared_arena_destroy(shared);
	return json_integer(rc);
}

/* A workload whose task 1 fails, or kills its process. */
static int failing_mode;
static void *f_setup(const struct bench_setup *s, struct err *e) { (void)s; (void)e; return &failing_mode; }
static void f_reset(void *st) { (void)st; }
static int f_step(void *st, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)st; (void)budget;
	*done = 1;
	if (task == 1 && failing_mode == 1)
		return err_set(rt->err, "task 1 refuses");
	if (task == 1 && failing_mode == 2)
		raise(SIGKILL); /* not SIGSEGV: ASan would catch that and exit(1) */
	return STEP_DONE;
}
static char slot[8];
static void *f_result(void *st, int task) { (void)st; (void)task; return slot; }
static int f_verify(void *st, struct err *e) { (void)st; (void)e; return 0; }
static void f_teardown(void *st) { (void)st; }
static const struct bench failing = {.name = "failing", .params = (const struct param_spec[]){{0}},
				     .result_size = sizeof slot, .setup = f_setup, .reset = f_reset,
				     .step = f_step, .result = f_result, .verify = f_verify,
				     .teardown = f_teardown};

/* Sequential, unless the workload cannot run there (it needs concurrent
 * tasks): then threads. */
static const struct model *model_for(const struct bench *b)
{
	struct err e;
	struct params bp, mp;
	const struct model *seq = model_find("sequential");
	params_defaults(&bp, b->params, PROFILE_QUICK, &e);
	params_defaults(&mp, seq->params, PROFILE_QUICK, &e);
	return contract_check(b, &bp, seq, &mp, 3, &e) == 0 ? seq : model_find("threads");
}

int main(void)
{
	for (int b = 0; bench_registry[b]; b++) {
		struct err e = {{0}};
		const struct model *seq = model_for(bench_registry[b]);
		json_t *ok = run_and_corrupt(bench_registry[b], seq, 0, &e);
		CHECK(ok && json_integer_value(ok) == 0, "%s: correct run fails: %s", bench_registry[b]->name, e.msg);
		e.msg[0] = 0;
		json_t *bad = run_and_corrupt(bench_registry[b], seq, 1, &e);
		CHECK(bad && json_integer_value(bad) != 0, "%s: corrupted result verified", bench_registry[b]->name);
		CHECK(e.msg[0] != 0, "%s: no reason given for the wrong answer", bench_registry[b]->name);
		printf("%s: corrupted result rejected: %s\n", bench_registry[b]->name, e.msg);
		json_decref(ok);
		json_decref(bad);
	}
	for (int m = 0; model_registry[m]; m++) {
		struct err e = {{0}};
		failing_mode = 1;
		json_t *r = run_and_corrupt(&failing, model_registry[m], 0, &e);
		CHECK(json_integer_value(r) != 0, "%s: a failing task went unnoticed", model_registry[m]->name);
		/* mpi's ranks rebuild the workload from the cell's parameters,
		 * which this bare run does not give (a rank's 		 * failing task: tests/test_mpi.sh) */
		CHECK_STR_CONTAINS(e.msg, strcmp(model_registry[m]->name, "mpi") ? "task 1 refuses"
										  : "cannot build it");
		json_decref(r);
	}
	struct err e = {{0}};
	failing_mode = 2;
	json_t *r = run_and_corrupt(&failing, model_find("processes"), 0, &e);
	CHECK(json_integer_value(r) != 0, "a crashed worker went unnoticed");
	CHECK_STR_CONTAINS(e.msg, "signal KILL");
	printf("crashed worker: %s\n", e.msg);
	json_decref(r);
	return check_report("wrong_answer");
}
