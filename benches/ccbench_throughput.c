/* ccbench_throughput.c — CPython's Tools/ccbench throughput test: N threads
 * (workers) run the same CPU task for `duration`, and the figure is the
 * iterations of all of them divided by the longest measuring time
 * (ccbench: "taking the max duration rather than average gives pessimistic
 * results"), printed as iterations/s and, by scripts/cpython-compare, as %
 * of one thread. With more than one task each yields for 100 us after a
 * batch of 10 ms or more, as ccbench's threads do (benches/lib/ccbench_loop.c).
 *
 * ccbench's tasks are pidigits, a regular expression and bz2; here one
 * iteration is `iter` count-down units, so that under `-m gil` an
 * iteration costs iter x tick, and `iter` can be set to what one of
 * ccbench's iterations costs on the interpreter compared. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "bench.h"
#include "ccbench_loop.h"

struct ccbt_shared {
	struct ccb_loop_shared loop;
	struct ccb_loop_task tasks[]; /* ntasks */
};

struct ccbt {
	uint64_t iter;
	int64_t duration_ns;
	int ntasks;
	struct ccbt_shared *shared;
	size_t shared_size;
};

static const struct param_spec ccbt_params[] = {
	{.name = "duration", .type = PARAM_DURATION,
	 .defaults = {[PROFILE_QUICK] = "100ms", [PROFILE_DEFAULT] = "200ms", [PROFILE_FULL] = "2s",
		      [PROFILE_CI] = "100ms"},
	 .min = 1000000, .max = 600000000000LL,
	 .help = "measuring time (ccbench: 2 s, the full profile's; shorter by default so that "
		 "a whole `cmbench run` stays short)"},
	{.name = "iter", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "10000"},
	 .min = 1, .max = 1000000000, .help = "count-down units per iteration of the CPU task"},
	{0},
};

static void ccbt_teardown(void *state)
{
	struct ccbt *c = state;
	if (c->shared)
		munmap(c->shared, c->shared_size);
	free(c);
}

static void *ccbt_setup(const struct bench_setup *s, struct err *e)
{
	struct ccbt *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(e, "ccbench-throughput: out of memory");
		return NULL;
	}
	c->iter = (uint64_t)param_int(s->params, "iter");
	c->duration_ns = param_int(s->params, "duration");
	c->ntasks = s->ntasks;
	c->shared_size = sizeof *c->shared + sizeof(struct ccb_loop_task) * (size_t)s->ntasks;
	c->shared = mmap(NULL, c->shared_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->shared == MAP_FAILED) {
		c->shared = NULL;
		err_set(e, "ccbench-throughput: cannot map %zu shared bytes: %s", c->shared_size,
			strerror(errno));
		ccbt_teardown(c);
		return NULL;
	}
	return c;
}

static void ccbt_reset(void *state)
{
	struct ccbt *c = state;
	memset(c->shared, 0, c->shared_size);
}

static int ccbt_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct ccbt *c = state;
	return ccb_loop_step(&c->shared->loop, &c->shared->tasks[task], c->iter, c->duration_ns, NULL,
			     c->ntasks > 1, budget, done, rt);
}

static void *ccbt_result(void *state, int task) { return &((struct ccbt *)state)->shared->tasks[task].result; }

static int ccbt_verify(void *state, struct err *e)
{
	struct ccbt *c = state;
	uint64_t total = 0;
	for (int t = 0; t < c->ntasks; t++) {
		const struct ccb_loop_result *r = &c->shared->tasks[t].result;
		if (ccb_loop_verify(r, c->iter, "ccbench-throughput", t, e) < 0)
			return -1;
		total += r->iterations;
	}
	if (total == 0)
		return err_set(e, "ccbench-throughput: no iteration completed in %lld ns",
			       (long long)c->duration_ns);
	return 0;
}

static void ccbt_report(void *state, double seconds, json_t *fields)
{
	(void)seconds;
	struct ccbt *c = state;
	uint64_t iterations = 0;
	int64_t longest = 0;
	for (int t = 0; t < c->ntasks; t++) {
		const struct ccb_loop_result *r = &c->shared->tasks[t].result;
		iterations += r->iterations;
		if (r->elapsed_ns > longest)
			longest = r->elapsed_ns;
	}
	json_object_set_new(fields, "iterations", json_integer((json_int_t)iterations));
	json_object_set_new(fields, "iterations_per_s",
			    json_real(longest > 0 ? (double)iterations * 1e9 / (double)longest : 0));
}

const struct bench bench_ccbench_throughput = {
	.name = "ccbench-throughput",
	.summary = "CPython ccbench's throughput test: iterations/s of N threads of a CPU task",
	.kind = BENCH_IO, /* work per worker: every task runs for the same time */
	.needs = RT_CAP_SHARED_MEMORY, /* TimedLoop's one start and end flag (ccbench_loop.h) */
	.scaling = WORK_PER_WORKER,
	.headline = {"iterations_per_s", "iterations/s", "iterations/s", METRIC_RATE},
	.on_request = 1,
	.params = ccbt_params,
	.result_size = sizeof(struct ccb_loop_result),
	.setup = ccbt_setup,
	.reset = ccbt_reset,
	.step = ccbt_step,
	.result = ccbt_result,
	.verify = ccbt_verify,
	.report = ccbt_report,
	.teardown = ccbt_teardown,
};
