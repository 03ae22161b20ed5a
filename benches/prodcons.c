/* prodcons.c — producers and consumers through one bounded queue [Beazley,
 * "An Introduction to Python Concurrency": Queue between threads; Lerner,
 * "Multiprocessing": multiprocessing.Queue]. The first half of the tasks
 * (at least one) produce `items=` items each and put them on a queue of
 * `capacity=` items; the others get until the queue is closed and empty.
 * The last producer to finish closes the queue (no sentinels to count).
 * Every item carries its producer and sequence number; verified: every
 * item arrived exactly once (count and checksum). Every task must be live
 * at once — a producer waits for consumers to make room — so the model
 * must run tasks concurrently and there must be one task per worker.
 * A unit is one item put or got. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rng.h"

struct pc_item {
	uint32_t producer, seq;
	uint64_t payload; /* rng_mix(producer, seq): the checksum's term */
};

struct pc_shared {
	struct rt_counter producers_done;
};

struct pc_task {
	uint64_t moved;     /* items put (producer) or got (consumer) */
	uint64_t checksum;  /* sum of the payloads this task got */
	int closed;
} __attribute__((aligned(64)));

struct pc_result {
	uint64_t put, got, checksum;
};

struct pc {
	uint64_t items;
	uint32_t capacity;
	int ntasks, producers;
	uint64_t expected_checksum;
	struct pc_shared *shared;
	struct rt_queue *queue;
	struct pc_task *tasks;
	struct pc_result *results;
};

static const struct param_spec pc_params[] = {
	{.name = "items", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "5k", [PROFILE_DEFAULT] = "100k", [PROFILE_FULL] = "2M",
		      [PROFILE_CI] = "100k"},
	 .min = 1, .max = 1000000000, .help = "items each producer puts"},
	{.name = "capacity", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "64"}, .min = 1,
	 .max = 1000000, .help = "items the queue holds before put() waits"},
	{0},
};

static uint64_t pc_payload(uint32_t producer, uint32_t seq)
{
	return rng_mix(((uint64_t)producer << 32) | seq);
}

static int pc_supports(const struct params *p, unsigned caps, int workers, struct err *why)
{
	(void)p;
	(void)caps;
	if (workers < 2)
		return err_set(why, "prodcons needs a producer and a consumer: at least 2 workers");
	return 0;
}

static void pc_teardown(void *state)
{
	struct pc *c = state;
	free(c->tasks);
	free(c->results);
	free(c);
}

static void *pc_setup(const struct bench_setup *s, struct err *e)
{
	if (s->ntasks != s->workers) {
		err_set(e, "prodcons: every task must be live at once (a producer waits for a "
			   "consumer): run it with --tasks-per-worker 1, not %d tasks on %d workers",
			s->ntasks, s->workers);
		return NULL;
	}
	struct pc *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(e, "prodcons: out of memory");
		return NULL;
	}
	c->items = (uint64_t)param_int(s->params, "items");
	c->capacity = (uint32_t)param_int(s->params, "capacity");
	c->ntasks = s->ntasks;
	c->producers = s->ntasks / 2 ? s->ntasks / 2 : 1;
	for (int p = 0; p < c->producers; p++)
		for (uint64_t i = 0; i < c->items; i++)
			c->expected_checksum += pc_payload((uint32_t)p, (uint32_t)i);
	c->results = calloc((size_t)s->ntasks, sizeof *c->results);
	if (posix_memalign((void **)&c->tasks, 64, sizeof *c->tasks * (size_t)s->ntasks))
		c->tasks = NULL;
	if (!c->tasks || !c->results) {
		err_set(e, "prodcons: out of memory for %d tasks", s->ntasks);
		pc_teardown(c);
		return NULL;
	}
	c->shared = bench_shared_alloc(s, sizeof *c->shared, e);
	if (!c->shared ||
	    !(c->queue = rt_queue_create(s->shared, c->capacity, sizeof(struct pc_item), e))) {
		pc_teardown(c);
		return NULL;
	}
	return c;
}

static void pc_reset(void *state)
{
	struct pc *c = state;
	rt_queue_reset(c->queue);
	rt_counter_set(&c->shared->producers_done, 0);
	memset(c->tasks, 0, sizeof *c->tasks * (size_t)c->ntasks);
	memset(c->results, 0, sizeof *c->results * (size_t)c->ntasks);
}

static int pc_fail(struct rt *rt, const char *what, int rc)
{
	err_set(rt->err, "prodcons: %s: %s", what, strerror(-rc));
	return STEP_ERROR;
}

static int pc_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct pc *c = state;
	struct pc_task *t = &c->tasks[task];
	uint64_t units = 0;
	if (task < c->producers) {
		for (; units < budget && t->moved < c->items; units++) {
			struct pc_item it = {(uint32_t)task, (uint32_t)t->moved, 0};
			it.payload = pc_payload(it.producer, it.seq);
			int rc = rt_queue_put(rt, c->queue, &it);
			if (rc < 0)
				return pc_fail(rt, "put", rc);
			t->moved++;
		}
		*done = units;
		if (t->moved < c->items)
			return STEP_MORE;
		if (rt_counter_add(&c->shared->producers_done, 1) + 1 == (uint64_t)c->producers)
			rt_queue_close(rt, c->queue);
		c->results[task].put = t->moved;
		return STEP_DONE;
	}
	for (; units < budget; units++) {
		struct pc_item it;
		int rc = rt_queue_get(rt, c->queue, &it);
		if (rc == -ENODATA) {
			c->results[task].got = t->moved;
			c->results[task].checksum = t->checksum;
			*done = units;
			return STEP_DONE;
		}
		if (rc < 0)
			return pc_fail(rt, "get", rc);
		t->moved++;
		t->checksum += it.payload;
	}
	*done = units;
	return STEP_MORE;
}

static void *pc_result(void *state, int task) { return &((struct pc *)state)->results[task]; }

static int pc_verify(void *state, struct err *e)
{
	struct pc *c = state;
	uint64_t put = 0, got = 0, sum = 0;
	for (int t = 0; t < c->ntasks; t++) {
		put += c->results[t].put;
		got += c->results[t].got;
		sum += c->results[t].checksum;
	}
	uint64_t expected = c->items * (uint64_t)c->producers;
	if (put != expected || got != expected || sum != c->expected_checksum)
		return err_set(e, "prodcons: %llu items put and %llu got of %llu%s",
			       (unsigned long long)put, (unsigned long long)got,
			       (unsigned long long)expected,
			       got == expected && sum != c->expected_checksum
				       ? ", but not the items that were put" : "");
	return 0;
}

static void pc_report(void *state, double seconds, json_t *fields)
{
	struct pc *c = state;
	uint64_t items = c->items * (uint64_t)c->producers;
	json_object_set_new(fields, "producers", json_integer(c->producers));
	json_object_set_new(fields, "consumers", json_integer(c->ntasks - c->producers));
	if (seconds > 0)
		json_object_set_new(fields, "items_per_s", json_real((double)items / seconds));
}

const struct bench bench_prodcons = {
	.name = "prodcons",
	.summary = "producers and consumers through one bounded queue",
	.origin = "Beazley, \"An Introduction to Python Concurrency\": producer/consumer through a Queue; Lerner, \"Multiprocessing\"",
	.kind = BENCH_CPU,
	.scaling = WORK_PER_WORKER, /* items= per producer */
	.headline = {"items_per_s", "items/s", "items/s", METRIC_RATE},
	.on_request = 1,
	.needs = RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT,
	.params = pc_params,
	.result_size = sizeof(struct pc_result),
	.supports = pc_supports,
	.setup = pc_setup,
	.reset = pc_reset,
	.step = pc_step,
	.result = pc_result,
	.verify = pc_verify,
	.report = pc_report,
	.teardown = pc_teardown,
};
