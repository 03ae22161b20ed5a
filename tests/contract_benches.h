/* contract_benches.h — small workloads that exercise one piece of the
 * coordination contract each (bench.h), for tests/test_contract_sync.c.
 * Not registered: they measure nothing worth a figure. Each verifies an
 * exact answer, so a model that shares state wrongly, loses a wake-up or
 * deadlocks fails its cell.
 *
 *  cb_locked_counter    every task adds 1 to one shared plain counter
 *                       `INCREMENTS` times under an rt_lock held across a
 *                       step boundary (a coroutine yields, a GIL thread may
 *                       lose the GIL while holding it); exact under every
 *                       model. Result slots reduced (u64 sum, double sum,
 *                       u64 max).
 *  cb_growing_queue     a work queue seeded with one item of depth D; an
 *                       item of depth k > 0 pushes two of depth k-1:
 *                       exactly 2^(D+1)-1 items run (tasks that create
 *                       tasks), counted by the tasks (reduced) and an
 *                       rt_counter.
 *  cb_producer_consumer half the tasks produce through a small bounded
 *                       queue, the rest consume until it is closed; a
 *                       semaphore ping-pong and an event ride along. Needs
 *                       RT_CAP_CONCURRENT and two workers (else skipped).
 *  cb_worker_setup      worker_setup marks its worker in shared memory;
 *                       every step checks its worker was set up; setup's
 *                       caps must be the runtime's.
 *  cb_needs_yield       needs RT_CAP_YIELD: skipped but under coroutines. */
#pragma once
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"

static const struct param_spec cb_no_params[] = {{0}};

/* ---- a counter under a lock, and a reduction ---- */

#define INCREMENTS 3000

struct cb_slot {
	uint64_t units;  /* increments this task made */
	double weight;   /* units / 2, to reduce a double */
	uint64_t last;   /* the counter value this task last wrote */
	uint64_t unused; /* not reduced: must be left alone */
};

struct cb_counter_task {
	uint64_t left;
	int holding;
	uint64_t seen;
	struct cb_slot slot;
};

struct cb_counter {
	int ntasks;
	struct rt_lock *lock;
	uint64_t *value; /* plain: only the lock makes it exact */
	struct cb_counter_task *tasks;
	struct cb_slot total;
};

static void *cb_counter_setup(const struct bench_setup *s, struct err *e)
{
	struct cb_counter *c = calloc(1, sizeof *c);
	c->ntasks = s->ntasks;
	c->lock = bench_shared_alloc(s, sizeof *c->lock, e);
	c->value = bench_shared_alloc(s, sizeof *c->value, e);
	c->tasks = calloc((size_t)s->ntasks, sizeof *c->tasks);
	return c;
}

static void cb_counter_reset(void *state)
{
	struct cb_counter *c = state;
	*c->value = 0;
	memset(c->tasks, 0, sizeof *c->tasks * (size_t)c->ntasks);
	for (int t = 0; t < c->ntasks; t++) {
		c->tasks[t].left = INCREMENTS;
		c->tasks[t].slot.unused = 7;
	}
	memset(&c->total, 0xEE, sizeof c->total);
}

/* Two steps per increment: take the lock and read; write and let go. */
static int cb_counter_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	struct cb_counter *c = state;
	struct cb_counter_task *t = &c->tasks[task];
	*done = 1;
	if (!t->holding) {
		if (rt_lock(rt, c->lock) < 0)
			return STEP_ERROR;
		t->holding = 1;
		t->seen = *c->value;
		return STEP_MORE;
	}
	*c->value = t->seen + 1;
	t->slot.last = t->seen + 1;
	t->holding = 0;
	rt_unlock(rt, c->lock);
	t->slot.units++;
	t->slot.weight += 0.5;
	return --t->left ? STEP_MORE : STEP_DONE;
}

static void *cb_counter_result(void *state, int task) { return &((struct cb_counter *)state)->tasks[task].slot; }
static void *cb_counter_reduced(void *state) { return &((struct cb_counter *)state)->total; }

static int cb_counter_verify(void *state, struct err *e)
{
	struct cb_counter *c = state;
	uint64_t want = (uint64_t)c->ntasks * INCREMENTS;
	if (*c->value != want)
		return err_set(e, "counter is %llu, %llu expected (lost updates under the lock)",
			       (unsigned long long)*c->value, (unsigned long long)want);
	if (c->total.units != want || c->total.weight != (double)want / 2 || c->total.last != want)
		return err_set(e, "reduction: units %llu weight %g max %llu, expected %llu %g %llu",
			       (unsigned long long)c->total.units, c->total.weight,
			       (unsigned long long)c->total.last, (unsigned long long)want,
			       (double)want / 2, (unsigned long long)want);
	uint64_t untouched;
	memset(&untouched, 0xEE, sizeof untouched);
	if (c->total.unused != untouched)
		return err_set(e, "reduction wrote a field it was not given");
	return 0;
}

static void cb_counter_teardown(void *state)
{
	struct cb_counter *c = state;
	free(c->tasks);
	free(c);
}

static const struct reduce_field cb_counter_reduce[] = {
	{REDUCE_SUM, REDUCE_U64, offsetof(struct cb_slot, units)},
	{REDUCE_SUM, REDUCE_DOUBLE, offsetof(struct cb_slot, weight)},
	{REDUCE_MAX, REDUCE_U64, offsetof(struct cb_slot, last)},
	{0},
};

static const struct bench cb_locked_counter = {
	.name = "locked_counter", .params = cb_no_params, .result_size = sizeof(struct cb_slot),
	.needs = RT_CAP_SHARED_MEMORY,
	.reduce = cb_counter_reduce, .reduced = cb_counter_reduced,
	.setup = cb_counter_setup, .reset = cb_counter_reset, .step = cb_counter_step,
	.result = cb_counter_result, .verify = cb_counter_verify, .teardown = cb_counter_teardown,
};

/* ---- tasks that create tasks ---- */

#define TREE_DEPTH 9

struct cb_tree {
	int ntasks;
	struct rt_workq *q;
	struct rt_counter *items;
	uint64_t *ran; /* per task (a result slot each) */
	uint64_t total;
};

static void *cb_tree_setup(const struct bench_setup *s, struct err *e)
{
	struct cb_tree *g = calloc(1, sizeof *g);
	g->ntasks = s->ntasks;
	g->q = rt_workq_create(s->shared, 1u << (TREE_DEPTH + 1), sizeof(int), e);
	g->items = bench_shared_alloc(s, sizeof *g->items, e);
	g->ran = calloc((size_t)s->ntasks, sizeof *g->ran);
	return g->q && g->items ? g : NULL;
}

static void cb_tree_reset(void *state)
{
	struct cb_tree *g = state;
	rt_workq_reset(g->q);
	int root = TREE_DEPTH;
	rt_workq_seed(g->q, &root);
	rt_counter_set(g->items, 0);
	memset(g->ran, 0, sizeof *g->ran * (size_t)g->ntasks);
	g->total = 0;
}

/* One item per step; a task ends when the queue is drained. */
static int cb_tree_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	struct cb_tree *g = state;
	int depth;
	*done = 1;
	int r = rt_workq_pop(rt, g->q, &depth);
	if (r < 0)
		return STEP_ERROR;
	if (r == 0)
		return STEP_DONE;
	g->ran[task]++;
	rt_counter_add(g->items, 1);
	for (int i = 0; depth > 0 && i < 2; i++) {
		int child = depth - 1;
		if (rt_workq_push(rt, g->q, &child) < 0)
			return err_set(rt->err, "work queue full"), STEP_ERROR;
	}
	return rt_workq_done(rt, g->q) < 0 ? STEP_ERROR : STEP_MORE;
}

static void *cb_tree_result(void *state, int task) { return &((struct cb_tree *)state)->ran[task]; }
static void *cb_tree_reduced(void *state) { return &((struct cb_tree *)state)->total; }

static int cb_tree_verify(void *state, struct err *e)
{
	struct cb_tree *g = state;
	uint64_t want = (2ull << TREE_DEPTH) - 1;
	if (g->total != want || rt_counter_get(g->items) != want || g->q->pushed != want)
		return err_set(e, "items: %llu reduced, %llu counted, %llu pushed; %llu expected",
			       (unsigned long long)g->total, (unsigned long long)rt_counter_get(g->items),
			       (unsigned long long)g->q->pushed, (unsigned long long)want);
	return 0;
}

static void cb_tree_teardown(void *state)
{
	struct cb_tree *g = state;
	free(g->ran);
	free(g);
}

static const struct bench cb_growing_queue = {
	.name = "growing_queue", .params = cb_no_params, .result_size = sizeof(uint64_t),
	.reduce = (const struct reduce_field[]){{REDUCE_SUM, REDUCE_U64, 0}, {0}},
	.reduced = cb_tree_reduced,
	.setup = cb_tree_setup, .reset = cb_tree_reset, .step = cb_tree_step,
	.result = cb_tree_result, .verify = cb_tree_verify, .teardown = cb_tree_teardown,
};

/* ---- producers and consumers; a semaphore ping-pong; an event ---- */

#define ITEMS_PER_PRODUCER 500
#define PING_ROUNDS 200

struct cb_pc_shared {
	struct rt_counter producers_done;
	struct rt_counter consumed_sum;
	struct rt_sem ping, pong;
	struct rt_event go;
};

struct cb_pc {
	int ntasks, producers;
	struct rt_queue *q;
	struct cb_pc_shared *sh;
	uint64_t *got; /* items each task consumed */
};

static int cb_pc_supports(const struct params *p, unsigned caps, int workers, struct err *why)
{
	(void)p;
	(void)caps;
	if (workers < 2)
		return err_set(why, "producer_consumer needs a producer and a consumer at once (2 workers)");
	return 0;
}

static void *cb_pc_setup(const struct bench_setup *s, struct err *e)
{
	struct cb_pc *c = calloc(1, sizeof *c);
	c->ntasks = s->ntasks;
	c->producers = s->ntasks / 2;
	c->q = rt_queue_create(s->shared, 4, sizeof(uint64_t), e);
	c->sh = bench_shared_alloc(s, sizeof *c->sh, e);
	c->got = calloc((size_t)s->ntasks, sizeof *c->got);
	return c->q && c->sh ? c : NULL;
}

static void cb_pc_reset(void *state)
{
	struct cb_pc *c = state;
	rt_queue_reset(c->q);
	memset(c->sh, 0, sizeof *c->sh);
	memset(c->got, 0, sizeof *c->got * (size_t)c->ntasks);
}

/* Task 0 and the first consumer also play ping-pong on two semaphores
 * after task 0 has set the event the consumer waits for. */
static int cb_pc_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	struct cb_pc *c = state;
	*done = 1;
	int pinger = task == 0, ponger = task == c->producers;
	if (pinger) {
		rt_event_set(rt, &c->sh->go);
		for (int i = 0; i < PING_ROUNDS; i++)
			if (rt_sem_post(rt, &c->sh->ping), rt_sem_wait(rt, &c->sh->pong) < 0)
				return STEP_ERROR;
	}
	if (ponger) {
		if (rt_event_wait(rt, &c->sh->go) < 0)
			return STEP_ERROR;
		for (int i = 0; i < PING_ROUNDS; i++) {
			if (rt_sem_wait(rt, &c->sh->ping) < 0)
				return STEP_ERROR;
			rt_sem_post(rt, &c->sh->pong);
		}
	}
	if (task < c->producers) {
		for (uint64_t i = 1; i <= ITEMS_PER_PRODUCER; i++) {
			uint64_t item = (uint64_t)task * 1000000 + i;
			if (rt_queue_put(rt, c->q, &item) < 0)
				return STEP_ERROR;
		}
		if (rt_counter_add(&c->sh->producers_done, 1) + 1 == (uint64_t)c->producers)
			rt_queue_close(rt, c->q);
		return STEP_DONE;
	}
	for (;;) {
		uint64_t item;
		int r = rt_queue_get(rt, c->q, &item);
		if (r == -ENODATA)
			return STEP_DONE;
		if (r < 0)
			return STEP_ERROR;
		c->got[task]++;
		rt_counter_add(&c->sh->consumed_sum, item);
	}
}

static void *cb_pc_result(void *state, int task) { return &((struct cb_pc *)state)->got[task]; }

static int cb_pc_verify(void *state, struct err *e)
{
	struct cb_pc *c = state;
	uint64_t n = 0, sum = 0, per = ITEMS_PER_PRODUCER;
	for (int t = 0; t < c->ntasks; t++)
		n += c->got[t];
	for (int p = 0; p < c->producers; p++)
		sum += (uint64_t)p * 1000000 * per + per * (per + 1) / 2;
	if (n != (uint64_t)c->producers * per || rt_counter_get(&c->sh->consumed_sum) != sum)
		return err_set(e, "consumed %llu items summing to %llu; %llu summing to %llu expected",
			       (unsigned long long)n, (unsigned long long)rt_counter_get(&c->sh->consumed_sum),
			       (unsigned long long)c->producers * per, (unsigned long long)sum);
	return 0;
}

static void cb_pc_teardown(void *state)
{
	struct cb_pc *c = state;
	free(c->got);
	free(c);
}

static const struct bench cb_producer_consumer = {
	.name = "producer_consumer", .params = cb_no_params, .result_size = sizeof(uint64_t),
	.needs = RT_CAP_CONCURRENT | RT_CAP_SHARED_MEMORY, .supports = cb_pc_supports,
	.setup = cb_pc_setup, .reset = cb_pc_reset, .step = cb_pc_step,
	.result = cb_pc_result, .verify = cb_pc_verify, .teardown = cb_pc_teardown,
};

/* ---- per-worker set-up and capabilities ---- */

struct cb_ws {
	int ntasks, workers;
	unsigned caps;
	int *set_up;   /* shared: worker w was set up (w + 1) */
	atomic_int local_mark; /* this address space's (last) worker, set by worker_setup */
	uint64_t *steps;
};

static void *cb_ws_setup(const struct bench_setup *s, struct err *e)
{
	struct cb_ws *w = calloc(1, sizeof *w);
	w->ntasks = s->ntasks;
	w->workers = s->workers;
	w->caps = s->caps;
	w->set_up = bench_shared_alloc(s, sizeof *w->set_up * (size_t)s->workers, e);
	w->steps = calloc((size_t)s->ntasks, sizeof *w->steps);
	return w->set_up ? w : NULL;
}

static void cb_ws_reset(void *state)
{
	struct cb_ws *w = state;
	memset(w->set_up, 0, sizeof *w->set_up * (size_t)w->workers);
	memset(w->steps, 0, sizeof *w->steps * (size_t)w->ntasks);
	atomic_store(&w->local_mark, -1);
}

static int cb_ws_worker_setup(void *state, struct rt *rt)
{
	struct cb_ws *w = state;
	if (rt->worker < 0 || rt->worker >= w->workers)
		return err_set(rt->err, "worker_setup: worker %d of %d", rt->worker, w->workers);
	if (rt->ops->caps != w->caps)
		return err_set(rt->err, "worker_setup: rt caps %#x, setup was told %#x", rt->ops->caps, w->caps);
	w->set_up[rt->worker] = rt->worker + 1;
	atomic_store(&w->local_mark, rt->worker);
	return 0;
}

static int cb_ws_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	struct cb_ws *w = state;
	*done = 1;
	if (w->set_up[rt->worker] != rt->worker + 1)
		return err_set(rt->err, "task %d runs on worker %d, which was not set up", task, rt->worker);
	/* In a separate address space, the local mark is this process's worker. */
	if (rt_has(rt, RT_CAP_SEPARATE_ADDRESS_SPACES) && atomic_load(&w->local_mark) != rt->worker)
		return err_set(rt->err, "worker %d sees the local mark of worker %d", rt->worker, atomic_load(&w->local_mark));
	w->steps[task]++;
	return STEP_DONE;
}

static void *cb_ws_result(void *state, int task) { return &((struct cb_ws *)state)->steps[task]; }

static int cb_ws_verify(void *state, struct err *e)
{
	struct cb_ws *w = state;
	for (int t = 0; t < w->ntasks; t++)
		if (w->steps[t] != 1)
			return err_set(e, "task %d ran %llu times", t, (unsigned long long)w->steps[t]);
	if (!(w->caps & RT_CAP_SEPARATE_ADDRESS_SPACES) && atomic_load(&w->local_mark) < 0)
		return err_set(e, "worker_setup never ran in this address space");
	return 0;
}

static void cb_ws_teardown(void *state)
{
	struct cb_ws *w = state;
	free(w->steps);
	free(w);
}

static const struct bench cb_worker_setup = {
	.name = "worker_setup", .params = cb_no_params, .result_size = sizeof(uint64_t),
	.setup = cb_ws_setup, .reset = cb_ws_reset, .worker_setup = cb_ws_worker_setup,
	.step = cb_ws_step, .result = cb_ws_result, .verify = cb_ws_verify, .teardown = cb_ws_teardown,
};

/* ---- a need no model but coroutines meets ---- */

static const struct bench cb_needs_yield = {
	.name = "needs_yield", .params = cb_no_params, .result_size = sizeof(uint64_t),
	.needs = RT_CAP_YIELD,
	.setup = cb_ws_setup, .reset = cb_ws_reset, .worker_setup = cb_ws_worker_setup, .step = cb_ws_step,
	.result = cb_ws_result, .verify = cb_ws_verify, .teardown = cb_ws_teardown,
};
