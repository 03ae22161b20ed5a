/* integrate.c — left Riemann sum of x² on [0, 10] with N steps.
 *
 * Each task sums a contiguous chunk of the steps. The merged sum must lie
 * within the discretisation error of 1000/3 (for an increasing f the left sum
 * is short by at most (f(10) - f(0))·h = 100·h), and — to catch a lost or
 * doubled chunk, which can hide inside that bound — it must equal the closed
 * form h³·(N-1)·N·(2N-1)/6 up to floating-point rounding. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "tasks.h"

#define LOWER 0.0
#define UPPER 10.0

struct integrate_result {
	double sum;
	uint64_t steps;
};

struct integrate_task {
	uint64_t next, end; /* step indices still to do: [next, end) */
	struct integrate_result result;
	char pad[64 - 2 * sizeof(uint64_t) - sizeof(struct integrate_result)];
} __attribute__((aligned(64)));

struct integrate {
	uint64_t steps;
	double h;
	int ntasks;
	struct integrate_task *tasks;
};

static const struct param_spec integrate_params[] = {
	{.name = "steps", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "10M", [PROFILE_DEFAULT] = "200M", [PROFILE_FULL] = "1G",
		      [PROFILE_CI] = "50M"},
	 .min = 1, .max = 1000000000000, .help = "rectangles in the Riemann sum"},
	{0},
};

static void *integrate_setup(const struct bench_setup *s, struct err *e)
{
	struct integrate *g = calloc(1, sizeof *g);
	if (!g || !TASKS_NEW(g->tasks, s->ntasks, "integrate", e)) {
		free(g);
		return NULL;
	}
	g->steps = (uint64_t)param_int(s->params, "steps");
	g->h = (UPPER - LOWER) / (double)g->steps;
	g->ntasks = s->ntasks;
	return g;
}

static void integrate_reset(void *state)
{
	struct integrate *g = state;
	TASKS_ZERO(g->tasks, g->ntasks);
	for (int t = 0; t < g->ntasks; t++) {
		struct share sh = split_share(g->steps, g->ntasks, t);
		g->tasks[t].next = sh.begin;
		g->tasks[t].end = sh.end;
	}
}

static int integrate_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)rt;
	struct integrate *g = state;
	struct integrate_task *t = &g->tasks[task];
	uint64_t i = t->next, stop = t->end - t->next > budget ? t->next + budget : t->end;
	double sum = 0, h = g->h;
	for (; i < stop; i++) {
		double x = LOWER + (double)i * h;
		sum += x * x * h;
	}
	*done = stop - t->next;
	t->result.sum += sum;
	t->result.steps += *done;
	t->next = stop;
	return t->next == t->end ? STEP_DONE : STEP_MORE;
}

static void *integrate_result(void *state, int task)
{
	return &((struct integrate *)state)->tasks[task].result;
}

static int integrate_verify(void *state, struct err *e)
{
	struct integrate *g = state;
	double sum = 0;
	uint64_t steps = 0;
	for (int t = 0; t < g->ntasks; t++) {
		sum += g->tasks[t].result.sum;
		steps += g->tasks[t].result.steps;
	}
	if (steps != g->steps)
		return err_set(e, "integrate: %llu steps summed, %llu expected",
			       (unsigned long long)steps, (unsigned long long)g->steps);
	double exact = 1000.0 / 3.0, bound = 100.0 * g->h;
	if (!(fabs(sum - exact) <= bound * (1 + 1e-9) + 1e-9))
		return err_set(e, "integrate: sum %.12g is not within %.3g of 1000/3", sum, bound);
	double n = (double)g->steps;
	double closed = g->h * g->h * g->h * (n - 1) * n * (2 * n - 1) / 6;
	if (!(fabs(sum - closed) <= 1e-6 * closed))
		return err_set(e, "integrate: sum %.15g differs from the left sum's closed form %.15g",
			       sum, closed);
	return 0;
}

static void integrate_teardown(void *state)
{
	struct integrate *g = state;
	free(g->tasks);
	free(g);
}

const struct bench bench_integrate = {
	.name = "integrate",
	.summary = "left Riemann sum of x^2 on [0,10] (CPU-bound, floating point)",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.params = integrate_params,
	.result_size = sizeof(struct integrate_result),
	.setup = integrate_setup,
	.reset = integrate_reset,
	.step = integrate_step,
	.result = integrate_result,
	.verify = integrate_verify,
	.teardown = integrate_teardown,
};
