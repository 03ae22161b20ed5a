/* skeleton.c — a workload to copy: every hook of struct bench (bench.h),
 * each marked Required or Optional, in a program that is small but real:
 * the sum of 1..n, split into contiguous shares, with a shared progress
 * counter, a per-worker seed, and a reduction the model runs inside the
 * measured region.
 *
 * Not registered (benches.def does not list it), but compiled by the build
 * and run under every model by tests/test_contract_sync.c, so it stays
 * true. To make a workload: copy this file to benches/NAME.c, rename
 * `skeleton`, add BENCH(NAME) to benches/benches.def. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "tasks.h"

/* One task's answer: what result() returns and verify() reads. Fixed size,
 * no pointers: the processes model copies it back from a child. */
struct skeleton_result {
	uint64_t sum;   /* of the task's share of 1..n */
	uint64_t units; /* numbers added */
};

struct skeleton_task {
	uint64_t next, end; /* the numbers still to add: [next, end) */
	struct skeleton_result result;
};

struct skeleton {
	uint64_t n;
	int ntasks, workers;
	struct skeleton_task *tasks;   /* private: each process has its copy */
	struct rt_counter *progress;   /* shared: every worker adds to the one counter */
	uint64_t *worker_seed;         /* shared: one per worker, set by worker_setup */
	struct skeleton_result total;  /* the model's reduction goes here */
};

/* Parameters, with a default per profile (harness/core/params.h). */
static const struct param_spec skeleton_params[] = {
	{.name = "n", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "100k", [PROFILE_DEFAULT] = "100M"},
	 .min = 1, .max = 1000000000, .help = "add up 1..n"},
	{0},
};

/* Optional. Refuse what `needs` cannot express, with the reason; the cell
 * is recorded as skipped. Called before setup. */
static int skeleton_supports(const struct params *p, unsigned caps, int workers, struct err *why)
{
	(void)caps;
	if ((int64_t)workers > param_int(p, "n"))
		return err_set(why, "skeleton: %d workers for n=%lld: some would have nothing to add",
			       workers, (long long)param_int(p, "n"));
	return 0;
}

/* Required. Build the cell's state once, not timed: inputs, task split,
 * result slots; shared objects from bench_shared_alloc (zeroed, seen by
 * every worker of every model, freed by the harness). NULL with e set. */
static void *skeleton_setup(const struct bench_setup *s, struct err *e)
{
	struct skeleton *k = calloc(1, sizeof *k);
	if (!k || !TASKS_NEW(k->tasks, s->ntasks, "skeleton", e)) { /* benches/lib/tasks.h */
		free(k);
		return NULL;
	}
	k->n = (uint64_t)param_int(s->params, "n");
	k->ntasks = s->ntasks;
	k->workers = s->workers;
	k->progress = bench_shared_alloc(s, sizeof *k->progress, e);
	k->worker_seed = bench_shared_alloc(s, sizeof *k->worker_seed * (size_t)s->workers, e);
	if (!k->progress || !k->worker_seed) {
		free(k->tasks);
		free(k);
		return NULL;
	}
	return k;
}

/* Required. Make the state ready for a fresh repetition, not timed. */
static void skeleton_reset(void *state)
{
	struct skeleton *k = state;
	TASKS_ZERO(k->tasks, k->ntasks);
	for (int t = 0; t < k->ntasks; t++) {
		struct share sh = split_share(k->n, k->ntasks, t);
		k->tasks[t].next = 1 + sh.begin;
		k->tasks[t].end = 1 + sh.end;
	}
	rt_counter_set(k->progress, 0);
	memset(k->worker_seed, 0, sizeof *k->worker_seed * (size_t)k->workers);
	memset(&k->total, 0, sizeof k->total);
}

/* Optional. In each worker before the start gate, not timed; plain code
 * (rt_has and rt->worker, no waiting through rt). */
static int skeleton_worker_setup(void *state, struct rt *rt)
{
	struct skeleton *k = state;
	k->worker_seed[rt->worker] = 0x9E3779B97F4A7C15ull * (uint64_t)(rt->worker + 1);
	return 0;
}

/* Required. At most `budget` units of task `task`; *done = units done.
 * STEP_MORE, STEP_DONE, or STEP_ERROR with rt->err set. Runs on whatever
 * thread, process or coroutine the model chose; waits only through rt. */
static int skeleton_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct skeleton *k = state;
	struct skeleton_task *t = &k->tasks[task];
	if (k->worker_seed[rt->worker] == 0)
		return err_set(rt->err, "skeleton: worker %d was not set up", rt->worker), STEP_ERROR;
	uint64_t stop = t->end - t->next > budget ? t->next + budget : t->end, sum = 0;
	for (uint64_t i = t->next; i < stop; i++)
		sum += i;
	*done = stop - t->next;
	t->result.sum += sum;
	t->result.units += *done;
	t->next = stop;
	rt_counter_add(k->progress, *done);
	return t->next == t->end ? STEP_DONE : STEP_MORE;
}

/* Required. Task `task`'s result slot (result_size bytes). */
static void *skeleton_result(void *state, int task) { return &((struct skeleton *)state)->tasks[task].result; }

/* Optional (with .reduce). Where the model puts the folded slot. */
static void *skeleton_reduced(void *state) { return &((struct skeleton *)state)->total; }

/* Required. The merged answer: 0, or -1 with e set (a wrong answer is an
 * error, never a data point). */
static int skeleton_verify(void *state, struct err *e)
{
	struct skeleton *k = state;
	uint64_t want = k->n * (k->n + 1) / 2;
	if (k->total.sum != want || k->total.units != k->n)
		return err_set(e, "skeleton: sum %llu of %llu numbers, %llu of %llu expected",
			       (unsigned long long)k->total.sum, (unsigned long long)k->total.units,
			       (unsigned long long)want, (unsigned long long)k->n);
	if (rt_counter_get(k->progress) != k->n)
		return err_set(e, "skeleton: the shared counter says %llu numbers, %llu expected",
			       (unsigned long long)rt_counter_get(k->progress), (unsigned long long)k->n);
	return 0;
}

/* Optional. The workload's own figures for one repetition. */
static void skeleton_report(void *state, double seconds, json_t *fields)
{
	struct skeleton *k = state;
	json_object_set_new(fields, "numbers_per_second", json_real((double)k->n / seconds));
}

/* Required. Free what setup allocated (not the shared memory). */
static void skeleton_teardown(void *state)
{
	struct skeleton *k = state;
	free(k->tasks);
	free(k);
}

const struct bench bench_skeleton = {
	.name = "skeleton",
	.summary = "sum of 1..n (a template to copy, not registered)",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,  /* Optional (default): the work is shared out, so speedup applies */
	.headline = {"real_time", "time", "ms", METRIC_TIME}, /* Optional (default): judged by time */
	.params = skeleton_params,
	.result_size = sizeof(struct skeleton_result),
	.needs = RT_CAP_SHARED_MEMORY, /* Optional: capabilities it cannot run without */
	.reduce = (const struct reduce_field[]){
		{REDUCE_SUM, REDUCE_U64, offsetof(struct skeleton_result, sum)},
		{REDUCE_SUM, REDUCE_U64, offsetof(struct skeleton_result, units)},
		{0}},
	.reduced = skeleton_reduced,
	.supports = skeleton_supports,
	.setup = skeleton_setup,
	.reset = skeleton_reset,
	.worker_setup = skeleton_worker_setup,
	.step = skeleton_step,
	.result = skeleton_result,
	.verify = skeleton_verify,
	.report = skeleton_report,
	.teardown = skeleton_teardown,
};
