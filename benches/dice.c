/* dice.c — Monte Carlo probability [Matloff, "Parallel Python Threads and
 * Multiprocessing Modules": DiceProb.py; the pyMPI pi example]: roll `dice=`
 * dice `trials=` times and count the totals equal to `total=`, or
 * (`experiment=pi`) throw points at the unit square and count those inside
 * the quarter circle.
 *
 * The hits come together one of two ways, both measured inside the region:
 *  - combine=lock: as in DiceProb.py, each task adds its count to one shared
 *    total under a lock, every `batch=` trials (0: once, at the end, as
 *    Matloff does; 1: after every trial, the worst case for the lock);
 *  - combine=reduce: each task keeps its count in its result slot and the
 *    model folds the slots (a sum; MPI_Reduce under MPI).
 * Draw i is a pure function of (seed, i) (benches/lib/rng.h), so the count
 * is the same for any split into tasks, workers, processes or ranks, and
 * verify() checks it exactly against a sequential pass made in set-up. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "bench.h"
#include "rng.h"
#include "split.h"

enum dice_experiment { EXP_DICE, EXP_PI };
enum dice_combine { COMBINE_LOCK, COMBINE_REDUCE };

struct dice_result {
	uint64_t trials;
	uint64_t hits;
};

static const struct reduce_field dice_reduce[] = {
	{REDUCE_SUM, REDUCE_U64, offsetof(struct dice_result, trials)},
	{REDUCE_SUM, REDUCE_U64, offsetof(struct dice_result, hits)},
	{0},
};

struct dice_shared {
	struct rt_lock lock;
	uint64_t trials, hits; /* written only under lock */
};

struct dice_task {
	uint64_t next, end;     /* draws [next, end) still to do */
	uint64_t hits, pending; /* all hits; hits not yet added to the shared total */
	uint64_t since_flush;
	struct dice_result result;
} __attribute__((aligned(64)));

struct dice {
	enum dice_experiment experiment;
	enum dice_combine combine;
	int dice, total;
	uint64_t trials, batch, seed, reference;
	int ntasks;
	struct dice_shared *shared;
	struct dice_task *tasks;
	struct dice_result reduced;
};

static const struct param_spec dice_params[] = {
	{.name = "experiment", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "dice"},
	 .choices = "dice|pi", .help = "dice: P(total of the dice = total=); pi: P(point in the quarter circle)"},
	{.name = "trials", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "300k", [PROFILE_DEFAULT] = "10M", [PROFILE_FULL] = "400M",
		      [PROFILE_CI] = "10M"},
	 .min = 1, .max = 1000000000000, .help = "trials in all, shared out to the tasks"},
	{.name = "dice", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "2"}, .min = 1, .max = 64,
	 .help = "dice rolled per trial"},
	{.name = "total", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "7"}, .min = 1, .max = 384,
	 .help = "the total of dots that counts as a hit"},
	{.name = "combine", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "reduce"},
	 .choices = "lock|reduce", .help = "shared total under a lock, or a reduction of the tasks' counts"},
	{.name = "batch", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "0"}, .min = 0,
	 .max = 1000000000000, .help = "combine=lock: trials between additions to the total (0: once per task)"},
	{.name = "seed", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1"}, .min = 0,
	 .max = INT64_MAX, .help = "random stream"},
	{0},
};

/* Trial i: a hit or not. */
static inline int dice_trial(const struct dice *d, uint64_t i)
{
	uint64_t r = rng_at(d->seed, i);
	if (d->experiment == EXP_PI) {
		double x = rng_unit(r), y = rng_unit(rng_mix(r));
		return x * x + y * y < 1.0;
	}
	int dots = 0;
	for (int k = 0; k < d->dice; k++) {
		dots += 1 + (int)rng_below(r, 6);
		r = rng_mix(r);
	}
	return dots == d->total;
}

static int dice_supports(const struct params *p, unsigned caps, int workers, struct err *why)
{
	(void)workers;
	if (param_int(p, "combine") == COMBINE_LOCK && !(caps & RT_CAP_SHARED_MEMORY))
		return err_set(why, "dice combine=lock needs one shared total (shared memory); "
				    "combine=reduce runs everywhere");
	return 0;
}

static void dice_teardown(void *state)
{
	struct dice *d = state;
	free(d->tasks);
	free(d);
}

static void *dice_setup(const struct bench_setup *s, struct err *e)
{
	struct dice *d = calloc(1, sizeof *d);
	if (!d) {
		err_set(e, "dice: out of memory");
		return NULL;
	}
	d->experiment = (enum dice_experiment)param_int(s->params, "experiment");
	d->combine = (enum dice_combine)param_int(s->params, "combine");
	d->dice = (int)param_int(s->params, "dice");
	d->total = (int)param_int(s->params, "total");
	d->trials = (uint64_t)param_int(s->params, "trials");
	d->batch = (uint64_t)param_int(s->params, "batch");
	d->seed = (uint64_t)param_int(s->params, "seed");
	d->ntasks = s->ntasks;
	if (posix_memalign((void **)&d->tasks, 64, sizeof *d->tasks * (size_t)s->ntasks)) {
		err_set(e, "dice: out of memory for %d tasks", s->ntasks);
		d->tasks = NULL;
		dice_teardown(d);
		return NULL;
	}
	if (d->combine == COMBINE_LOCK && !(d->shared = bench_shared_alloc(s, sizeof *d->shared, e))) {
		dice_teardown(d);
		return NULL;
	}
	for (uint64_t i = 0; i < d->trials; i++) /* the reference, untimed */
		d->reference += (uint64_t)dice_trial(d, i);
	return d;
}

static void dice_reset(void *state)
{
	struct dice *d = state;
	memset(d->tasks, 0, sizeof *d->tasks * (size_t)d->ntasks);
	for (int t = 0; t < d->ntasks; t++) {
		d->tasks[t].next = split_begin(d->trials, d->ntasks, t);
		d->tasks[t].end = split_begin(d->trials, d->ntasks, t + 1);
	}
	if (d->shared)
		d->shared->trials = d->shared->hits = 0;
	memset(&d->reduced, 0, sizeof d->reduced);
}

/* Add what the task counted since its last addition to the shared total. */
static int dice_flush(struct dice *d, struct dice_task *t, struct rt *rt)
{
	int rc = rt_lock(rt, &d->shared->lock);
	if (rc < 0)
		return err_set(rt->err, "dice: lock: %s", strerror(-rc));
	d->shared->hits += t->pending;
	d->shared->trials += t->since_flush;
	rt_unlock(rt, &d->shared->lock);
	t->pending = t->since_flush = 0;
	return 0;
}

static int dice_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct dice *d = state;
	struct dice_task *t = &d->tasks[task];
	uint64_t stop = t->end - t->next > budget ? t->next + budget : t->end, start = t->next;
	for (; t->next < stop; t->next++) {
		int hit = dice_trial(d, t->next);
		t->hits += (uint64_t)hit;
		if (d->combine != COMBINE_LOCK)
			continue;
		t->pending += (uint64_t)hit;
		if (++t->since_flush == d->batch && dice_flush(d, t, rt) < 0)
			return STEP_ERROR;
	}
	*done = t->next - start;
	if (t->next < t->end)
		return STEP_MORE;
	if (d->combine == COMBINE_LOCK && t->since_flush && dice_flush(d, t, rt) < 0)
		return STEP_ERROR;
	t->result.trials = t->end - split_begin(d->trials, d->ntasks, task);
	t->result.hits = t->hits;
	return STEP_DONE;
}

static void *dice_result(void *state, int task) { return &((struct dice *)state)->tasks[task].result; }
static void *dice_reduced(void *state) { return &((struct dice *)state)->reduced; }

static int dice_verify(void *state, struct err *e)
{
	struct dice *d = state;
	uint64_t trials = d->reduced.trials, hits = d->reduced.hits;
	const char *where = "the reduction";
	if (d->combine == COMBINE_LOCK) {
		trials = d->shared->trials;
		hits = d->shared->hits;
		where = "the shared total";
	}
	if (trials != d->trials || hits != d->reference)
		return err_set(e, "dice: %s holds %llu hits in %llu trials; a sequential pass counts "
				  "%llu in %llu", where, (unsigned long long)hits,
			       (unsigned long long)trials, (unsigned long long)d->reference,
			       (unsigned long long)d->trials);
	return 0;
}

static void dice_report(void *state, double seconds, json_t *fields)
{
	struct dice *d = state;
	double p = (double)d->reference / (double)d->trials;
	json_object_set_new(fields, "probability", json_real(p));
	if (d->experiment == EXP_PI)
		json_object_set_new(fields, "pi_estimate", json_real(4 * p));
	json_object_set_new(fields, "std_error", json_real(sqrt(p * (1 - p) / (double)d->trials)));
	if (seconds > 0)
		json_object_set_new(fields, "trials_per_s", json_real((double)d->trials / seconds));
}

const struct bench bench_dice = {
	.name = "dice",
	.summary = "Monte Carlo probability (dice or pi), totals under a lock or as a reduction",
	.origin = "Matloff's DiceProb.py (multiprocessing Value + Lock); the pyMPI pi example",
	.kind = BENCH_CPU,
	.scaling = WORK_FIXED_TOTAL,
	.headline = {"real_time", "time", "ms", METRIC_TIME},
	.on_request = 1,
	.params = dice_params,
	.result_size = sizeof(struct dice_result),
	.reduce = dice_reduce,
	.reduced = dice_reduced,
	.supports = dice_supports,
	.setup = dice_setup,
	.reset = dice_reset,
	.step = dice_step,
	.result = dice_result,
	.verify = dice_verify,
	.report = dice_report,
	.teardown = dice_teardown,
};
