/* sleep.c — tasks that only wait on timers: each makes W waits of T through
 * rt_sleep. The pure latency case: with every task concurrent the whole
 * cell should take W x T however many tasks there are; a model that runs
 * tasks one after another takes tasks x W x T. Each wait's actual length
 * goes into the task's histogram, so the report shows how late timers fire
 * as well as how far the elapsed time is from the ideal. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "clock.h"
#include "histogram.h"
#include "tasks.h"

struct sleep_result {
	uint64_t waits;
	struct histogram waited; /* actual length of each wait, ns */
};

struct sleep_state {
	int ntasks;
	uint64_t waits;
	int64_t duration_ns;
	uint64_t *done;
	struct sleep_result *results;
};

static const struct param_spec sleep_params[] = {
	{.name = "duration", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "10ms"},
	 .min = 1, .max = 60000000000LL, .help = "length of one wait"},
	{.name = "waits", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "2", [PROFILE_DEFAULT] = "5", [PROFILE_FULL] = "20",
		      [PROFILE_CI] = "1"},
	 .min = 1, .max = 1000000, .help = "waits per task"},
	{0},
};

static void sleep_teardown(void *state)
{
	struct sleep_state *s = state;
	free(s->done);
	free(s->results);
	free(s);
}

static void *sleep_setup(const struct bench_setup *bs, struct err *e)
{
	struct sleep_state *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(e, "sleep: out of memory");
		return NULL;
	}
	s->ntasks = bs->ntasks;
	s->waits = (uint64_t)param_int(bs->params, "waits");
	s->duration_ns = param_int(bs->params, "duration");
	if (!TASKS_NEW(s->done, s->ntasks, "sleep", e) || !TASKS_NEW(s->results, s->ntasks, "sleep", e)) {
		sleep_teardown(s);
		return NULL;
	}
	return s;
}

static void sleep_reset(void *state)
{
	struct sleep_state *s = state;
	TASKS_ZERO(s->done, s->ntasks);
	for (int t = 0; t < s->ntasks; t++) {
		s->results[t].waits = 0;
		hist_init(&s->results[t].waited);
	}
}

static int sleep_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct sleep_state *s = state;
	struct sleep_result *r = &s->results[task];
	uint64_t n = 0;
	while (n < budget && s->done[task] < s->waits) {
		int64_t t0 = clock_now_ns();
		int rc = rt_sleep(rt, s->duration_ns);
		int64_t t1 = clock_now_ns();
		if (rc < 0)
			return err_set(rt->err, "sleep: task %d, wait %llu: %s", task,
				       (unsigned long long)s->done[task] + 1, strerror(-rc));
		hist_record(&r->waited, (uint64_t)(t1 - t0));
		r->waits++;
		s->done[task]++;
		n++;
	}
	*done = n;
	return s->done[task] < s->waits ? STEP_MORE : STEP_DONE;
}

static void *sleep_result(void *state, int task)
{
	return &((struct sleep_state *)state)->results[task];
}

static int sleep_verify(void *state, struct err *e)
{
	struct sleep_state *s = state;
	for (int t = 0; t < s->ntasks; t++) {
		const struct sleep_result *r = &s->results[t];
		if (r->waits != s->waits || r->waited.count != s->waits)
			return err_set(e, "sleep: task %d made %llu waits, expected %llu", t,
				       (unsigned long long)r->waits, (unsigned long long)s->waits);
		/* A timer may fire late, never early. */
		if (r->waited.min_ns < (uint64_t)s->duration_ns)
			return err_set(e, "sleep: task %d woke after %llu ns of a %lld ns wait", t,
				       (unsigned long long)r->waited.min_ns,
				       (long long)s->duration_ns);
	}
	return 0;
}

static void sleep_report(void *state, double seconds, json_t *fields)
{
	struct sleep_state *s = state;
	struct histogram all;
	hist_init(&all);
	for (int t = 0; t < s->ntasks; t++)
		hist_merge(&all, &s->results[t].waited);
	double ideal_s = (double)s->waits * (double)s->duration_ns / 1e9;
	json_object_set_new(fields, "ideal_ms", json_real(ideal_s * 1e3));
	json_object_set_new(fields, "elapsed_ms", json_real(seconds * 1e3));
	json_object_set_new(fields, "elapsed_over_ideal", json_real(seconds / ideal_s));
	json_object_set_new(fields, "wait_mean_us", json_real(hist_mean(&all) / 1e3));
	json_object_set_new(fields, "wait_p50_us", json_real(hist_percentile(&all, 50) / 1e3));
	json_object_set_new(fields, "wait_p99_us", json_real(hist_percentile(&all, 99) / 1e3));
	json_object_set_new(fields, "wait_max_us", json_real((double)all.max_ns / 1e3));
	json_object_set_new(fields, "oversleep_mean_us",
			    json_real((hist_mean(&all) - (double)s->duration_ns) / 1e3));
}

const struct bench bench_sleep = {
	.name = "sleep",
	.summary = "tasks that each wait W times on a timer of T (pure latency, I/O-bound)",
	.kind = BENCH_IO,
	.scaling = WORK_PER_WORKER,
	.headline = {"wait_p99_us", "p99 wait", "us", METRIC_TIME},
	.params = sleep_params,
	.result_size = sizeof(struct sleep_result),
	.setup = sleep_setup,
	.reset = sleep_reset,
	.step = sleep_step,
	.result = sleep_result,
	.verify = sleep_verify,
	.report = sleep_report,
	.teardown = sleep_teardown,
};
