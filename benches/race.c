/* race.c — the lost update: every task adds 1 to one shared counter,
 * `increments=` times, with `lock=none|mutex|atomic` [UW lecture notes;
 * Beazley, "An Introduction to Python Concurrency": race conditions].
 *
 * Python's `counter += 1` is four bytecodes — LOAD_GLOBAL, LOAD_CONST,
 * INPLACE_ADD, STORE_GLOBAL — and a thread switch between the load and the
 * store loses the other threads' updates. So one increment here is four
 * units, the value held in the task between the first and the last: a
 * model that may switch between units (GIL threads at their check, real
 * threads and processes at any instant, in parallel) can lose updates; a
 * coroutine switches only at its yield points (every `yield=` units, a
 * multiple of 4 by default) and loses none. That difference is the result.
 *
 * With lock=none the total is expected to be short: the lost updates are
 * the measured figure (workload_stats.lost_updates), not an error. With a
 * lock or an atomic add it must be exact, else the cell is an error. The
 * counter's loads and stores are relaxed atomics: the race is the program's
 * (a load and a store that another worker's store can fall between), not
 * undefined behaviour in C, so the sanitizers stay quiet. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"

enum race_lock { RACE_NONE, RACE_MUTEX, RACE_ATOMIC };

/* Units of one increment: the bytecodes of `counter += 1` (+ acquire and
 * release around them with a mutex; one locked add for atomic). */
enum { UNITS_PLAIN = 4, UNITS_MUTEX = 6, UNITS_ATOMIC = 1 };

struct race_shared {
	struct rt_lock lock;
	struct rt_counter counter;
};

struct race_task {
	uint64_t done;  /* increments finished */
	int phase;      /* units of the current increment already run */
	uint64_t held;  /* the value loaded by LOAD_GLOBAL, not yet stored */
} __attribute__((aligned(64)));

struct race_result {
	uint64_t increments;
};

struct race {
	enum race_lock lock;
	uint64_t per_task;
	int ntasks;
	struct race_shared *shared;
	struct race_task *tasks;
	struct race_result *results;
};

static const struct param_spec race_params[] = {
	{.name = "lock", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "none"},
	 .choices = "none|mutex|atomic",
	 .help = "how an increment is protected: none (lost updates expected), a mutex, an atomic add"},
	{.name = "increments", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "20k", [PROFILE_DEFAULT] = "1M", [PROFILE_FULL] = "20M",
		      [PROFILE_CI] = "1M"},
	 .min = 1, .max = 1000000000000, .help = "increments per task"},
	{0},
};

static void race_teardown(void *state)
{
	struct race *r = state;
	free(r->tasks);
	free(r->results);
	free(r);
}

static void *race_setup(const struct bench_setup *s, struct err *e)
{
	struct race *r = calloc(1, sizeof *r);
	if (!r) {
		err_set(e, "race: out of memory");
		return NULL;
	}
	r->lock = (enum race_lock)param_int(s->params, "lock");
	r->per_task = (uint64_t)param_int(s->params, "increments");
	r->ntasks = s->ntasks;
	r->results = calloc((size_t)s->ntasks, sizeof *r->results);
	if (posix_memalign((void **)&r->tasks, 64, sizeof *r->tasks * (size_t)s->ntasks))
		r->tasks = NULL;
	r->shared = bench_shared_alloc(s, sizeof *r->shared, e);
	if (!r->tasks || !r->results || !r->shared) {
		if (r->shared)
			err_set(e, "race: out of memory for %d tasks", s->ntasks);
		race_teardown(r);
		return NULL;
	}
	return r;
}

static void race_reset(void *state)
{
	struct race *r = state;
	memset(r->tasks, 0, sizeof *r->tasks * (size_t)r->ntasks);
	memset(r->results, 0, sizeof *r->results * (size_t)r->ntasks);
	rt_counter_set(&r->shared->counter, 0);
}

/* One unit of `counter += 1`: bytecode `op` (0..3) of it. */
static void plain_unit(struct race_task *t, struct rt_counter *c, int op)
{
	if (op == 0) /* LOAD_GLOBAL */
		t->held = atomic_load_explicit(&c->value, memory_order_relaxed);
	else if (op == 2) /* INPLACE_ADD */
		t->held++;
	else if (op == 3) /* STORE_GLOBAL */
		atomic_store_explicit(&c->value, t->held, memory_order_relaxed);
	/* phase 1, LOAD_CONST, touches nothing shared */
}

static int race_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct race *r = state;
	struct race_task *t = &r->tasks[task];
	struct rt_counter *c = &r->shared->counter;
	uint64_t units = 0;
	while (units < budget && t->done < r->per_task) {
		switch (r->lock) {
		case RACE_ATOMIC:
			rt_counter_add(c, 1);
			t->done++;
			break;
		case RACE_NONE:
			plain_unit(t, c, t->phase);
			if (++t->phase == UNITS_PLAIN) {
				t->phase = 0;
				t->done++;
			}
			break;
		case RACE_MUTEX:
			if (t->phase == 0) {
				int rc = rt_lock(rt, &r->shared->lock);
				if (rc < 0) {
					err_set(rt->err, "race: lock: %s", strerror(-rc));
					return STEP_ERROR;
				}
			} else if (t->phase == UNITS_MUTEX - 1) {
				rt_unlock(rt, &r->shared->lock);
			} else {
				plain_unit(t, c, t->phase - 1); /* after the acquire */
			}
			if (++t->phase == UNITS_MUTEX) {
				t->phase = 0;
				t->done++;
			}
			break;
		}
		units++;
	}
	*done = units;
	if (t->done < r->per_task)
		return STEP_MORE;
	r->results[task].increments = t->done;
	return STEP_DONE;
}

static void *race_result(void *state, int task) { return &((struct race *)state)->results[task]; }

static uint64_t race_expected(const struct race *r)
{
	uint64_t sum = 0;
	for (int t = 0; t < r->ntasks; t++)
		sum += r->results[t].increments;
	return sum;
}

static int race_verify(void *state, struct err *e)
{
	struct race *r = state;
	uint64_t expected = race_expected(r), got = rt_counter_get(&r->shared->counter);
	if (expected != r->per_task * (uint64_t)r->ntasks)
		return err_set(e, "race: tasks report %llu increments, %llu expected",
			       (unsigned long long)expected,
			       (unsigned long long)(r->per_task * (uint64_t)r->ntasks));
	if (got > expected)
		return err_set(e, "race: the counter reads %llu after %llu increments",
			       (unsigned long long)got, (unsigned long long)expected);
	if (got < expected && r->lock != RACE_NONE)
		return err_set(e, "race: %llu of %llu updates lost under lock=%s: the lock does not exclude",
			       (unsigned long long)(expected - got), (unsigned long long)expected,
			       r->lock == RACE_MUTEX ? "mutex" : "atomic");
	return 0;
}

static void race_report(void *state, double seconds, json_t *fields)
{
	struct race *r = state;
	uint64_t expected = race_expected(r), got = rt_counter_get(&r->shared->counter);
	uint64_t lost = expected - got;
	json_object_set_new(fields, "increments", json_integer((json_int_t)expected));
	json_object_set_new(fields, "counter", json_integer((json_int_t)got));
	json_object_set_new(fields, "lost_updates", json_integer((json_int_t)lost));
	json_object_set_new(fields, "lost_percent", json_real(expected ? 100.0 * (double)lost / (double)expected : 0));
	if (seconds > 0)
		json_object_set_new(fields, "ns_per_increment", json_real(seconds * 1e9 / (double)expected));
	if (r->lock == RACE_NONE)
		json_object_set_new(fields, "note", json_string("lock=none: lost updates are the "
								"measured result, not an error"));
}

const struct bench bench_race = {
	.name = "race",
	.summary = "tasks add 1 to one shared counter (lock=none|mutex|atomic): the lost update",
	.origin = "the lost update of `counter += 1` (UW lecture notes; Beazley: race conditions)",
	.kind = BENCH_CPU,
	.scaling = WORK_PER_WORKER, /* increments= per task */
	.headline = {"ns_per_increment", "ns per increment", "ns", METRIC_TIME},
	.on_request = 1,
	.needs = RT_CAP_SHARED_MEMORY,
	.params = race_params,
	.result_size = sizeof(struct race_result),
	.setup = race_setup,
	.reset = race_reset,
	.step = race_step,
	.result = race_result,
	.verify = race_verify,
	.report = race_report,
	.teardown = race_teardown,
};
