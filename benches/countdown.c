/* countdown.c — `while (n > 0) n--;`, the classic GIL demonstration.
 *
 * N units in all, split into contiguous shares; one unit is one decrement.
 * An empty asm statement that claims to modify the counter keeps the
 * compiler from folding the loop into a subtraction or vectorising it, so
 * a unit costs one dependent decrement, the same under every model. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "tasks.h"

struct countdown_result {
	uint64_t units;       /* decrements done */
	uint64_t final_value; /* the counter when the task finished */
};

/* One cache line per task: tasks on different cores must not share one. */
struct countdown_task {
	uint64_t counter;
	uint64_t units;
	struct countdown_result result;
	char pad[64 - 4 * sizeof(uint64_t)];
} __attribute__((aligned(64)));

struct countdown {
	uint64_t total;
	int ntasks;
	struct countdown_task *tasks;
};

static const struct param_spec countdown_params[] = {
	{.name = "n", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "20M", [PROFILE_DEFAULT] = "200M", [PROFILE_FULL] = "2G",
		      [PROFILE_CI] = "100M"},
	 .min = 1, .max = 1000000000000, .help = "decrements in all, shared out to the tasks"},
	{0},
};

static void *countdown_setup(const struct bench_setup *s, struct err *e)
{
	struct countdown *c = calloc(1, sizeof *c);
	if (!c || !TASKS_NEW(c->tasks, s->ntasks, "countdown", e)) {
		free(c);
		return NULL;
	}
	c->total = (uint64_t)param_int(s->params, "n");
	c->ntasks = s->ntasks;
	return c;
}

static void countdown_reset(void *state)
{
	struct countdown *c = state;
	TASKS_ZERO(c->tasks, c->ntasks);
	for (int t = 0; t < c->ntasks; t++)
		c->tasks[t].counter = split_size(c->total, c->ntasks, t);
}

static int countdown_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)rt;
	struct countdown_task *t = &((struct countdown *)state)->tasks[task];
	uint64_t n = t->counter;
	uint64_t stop = n > budget ? n - budget : 0;
	while (n > stop) {
		n--;
		__asm__ volatile("" : "+r"(n));
	}
	*done = t->counter - n;
	t->units += *done;
	t->counter = n;
	if (n > 0)
		return STEP_MORE;
	t->result.units = t->units;
	t->result.final_value = n;
	return STEP_DONE;
}

static void *countdown_result(void *state, int task)
{
	return &((struct countdown *)state)->tasks[task].result;
}

static int countdown_verify(void *state, struct err *e)
{
	struct countdown *c = state;
	uint64_t sum = 0;
	for (int t = 0; t < c->ntasks; t++) {
		const struct countdown_result *r = &c->tasks[t].result;
		uint64_t share = split_size(c->total, c->ntasks, t);
		if (r->final_value != 0 || r->units != share)
			return err_set(e, "countdown: task %d ended at %llu after %llu of its %llu decrements",
				       t, (unsigned long long)r->final_value,
				       (unsigned long long)r->units, (unsigned long long)share);
		sum += r->units;
	}
	if (sum != c->total)
		return err_set(e, "countdown: %llu decrements done, %llu expected",
			       (unsigned long long)sum, (unsigned long long)c->total);
	return 0;
}

/* Wall time per decrement, all tasks together: with one worker, what
 * `cmbench limits` holds against its count-down floor. */
static void countdown_report(void *state, double seconds, json_t *fields)
{
	struct countdown *c = state;
	if (seconds > 0 && c->total > 0)
		json_object_set_new(fields, "ns_per_unit", json_real(seconds * 1e9 / (double)c->total));
}

static void countdown_teardown(void *state)
{
	struct countdown *c = state;
	free(c->tasks);
	free(c);
}

const struct bench bench_countdown = {
	.name = "countdown",
	.summary = "count a counter down to zero (CPU-bound; the classic GIL demo)",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.params = countdown_params,
	.result_size = sizeof(struct countdown_result),
	.setup = countdown_setup,
	.reset = countdown_reset,
	.step = countdown_step,
	.result = countdown_result,
	.verify = countdown_verify,
	.report = countdown_report,
	.teardown = countdown_teardown,
};
