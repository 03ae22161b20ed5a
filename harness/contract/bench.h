/* bench.h — the contract of a workload (one file in benches/, one line in
 * benches/benches.def).
 *
 * A workload splits its work into `ntasks` tasks. A task advances in
 * resumable steps of at most `budget` units ("ticks"), so that every model
 * runs the same code: a plain thread calls step() with a huge budget, the GIL
 * model with the ticks left before its next check, coroutines with the ticks
 * left before the next yield. Each task writes its answer into its own result
 * slot (result_size bytes), which the processes model copies back from its
 * children; verify() then checks the merged answer in the harness.
 *
 * Programs that coordinate (docs/ARCHITECTURE.md, "Workload contract"):
 *  - shared state: setup allocates it once with bench_shared_alloc (zeroed,
 *    seen by every worker of every model: threads, forked processes,
 *    coroutines) and places locks, semaphores, events, conditions, counters
 *    (rt_sync.h) and queues (rt_queue.h) in it; steps operate them with the
 *    rt_* calls, which wait the model's way;
 *  - a reduction (reduce.h): the model folds the declared fields of every
 *    result slot inside the measured region into bench->reduced();
 *  - tasks that create tasks: an rt_workq that grows while it is drained;
 *  - per-worker set-up: worker_setup, in each worker before the start gate;
 *  - capabilities: a step asks rt_has(rt, RT_CAP_...), never the model's
 *    name; `needs` and supports() say what the workload cannot run without,
 *    and such a cell is recorded as skipped with the reason.
 * benches/skeleton.c is a compiled template of every hook. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "params.h"
#include "reduce.h"
#include "rt_queue.h"
#include "rt_sync.h"
#include "runtime.h"
#include "shared.h"

enum step_status { STEP_ERROR = -1, STEP_MORE = 0, STEP_DONE = 1 };

enum bench_kind { BENCH_CPU, BENCH_IO };

/* How a workload's work grows with workers. Fixed total work (split among
 * the workers): time falls as workers are added, and speedup and parallel
 * efficiency apply. Work per worker (each worker adds its own): time should
 * stay flat, so a "speedup" would read as a slowdown; throughput, latency
 * and scaling efficiency apply instead. */
enum work_scaling { WORK_FIXED_TOTAL, WORK_PER_WORKER };

/* What a figure measures, hence which way is better. */
enum metric_kind {
	METRIC_TIME,  /* lower is better */
	METRIC_RATE,  /* per second: higher is better */
	METRIC_COUNT, /* neither, by itself */
	METRIC_RATIO,
};

/* The figure a workload is judged by. `name` is "real_time" (the cell's
 * time) or a key of the workload's report() fields. */
struct metric {
	const char *name;
	const char *label; /* for people: "round-trips/s", "p99 wait" */
	const char *unit;  /* "ms", "round-trips/s", "ns", "us" */
	enum metric_kind kind;
};

struct bench_setup {
	const struct params *params; /* this workload's parameters */
	int ntasks;                  /* tasks to split the work into (>= workers) */
	int workers;                 /* workers that will run them (worker_setup's rt->worker < workers) */
	const char *cache_dir;       /* where generated inputs are kept between runs */
	unsigned caps;               /* the model's capabilities (enum rt_cap) */
	struct shared_arena *shared; /* memory every worker sees; use bench_shared_alloc */
};

/* Zeroed, 64-byte-aligned memory that every worker of the cell shares (made
 * before any fork; freed by the harness after teardown). NULL with e set. */
static inline void *bench_shared_alloc(const struct bench_setup *s, size_t size, struct err *e)
{
	return shared_arena_alloc(s->shared, size, e);
}

struct bench {
	const char *name;
	const char *summary;
	/* Optional. The tutorial program it re-creates (shared/seeds/), for `cmbench list`. */
	const char *origin;
	enum bench_kind kind;
	const struct param_spec *params; /* terminated by {0} */
	size_t result_size;              /* bytes of one task's result slot */
	/* Optional. Nonzero: the tasks talk to each other, so the workload
	 * needs exactly this many, all running at once (pingpong: 2). Such a
	 * workload runs only when named with -w, and only with -n equal to it
	 * (--tasks-per-worker 1); other cells are a usage error. */
	int tasks_exactly;
	/* Optional. Nonzero: not in the default set of `cmbench run` (and so
	 * of `make bench`); runs when named with -w. The tutorials' programs
	 * and ccbench's scenarios are so marked: the default matrix stays the
	 * core workloads, and its cells the same from run to run. */
	int on_request;
	enum work_scaling scaling;       /* how the work grows with workers */
	struct metric headline;          /* the figure it is judged by */
	/* What the workload cannot run without (enum rt_cap bits): a model
	 * lacking one gets a skipped cell naming it (e.g. RT_CAP_CONCURRENT for
	 * a producer that waits for a consumer; RT_CAP_SHARED_MEMORY for a
	 * sieve over one shared array). */
	unsigned needs;
	/* Optional. The fields of the result slot the model reduces inside the
	 * measured region (terminated by {0}), and where it puts the folded
	 * slot (result_size bytes; required with reduce). */
	const struct reduce_field *reduce;
	void *(*reduced)(void *state);

	/* Optional. Whether these parameters can run on `workers` workers of a
	 * model with capabilities `caps` (beyond `needs`): 0, or -1 with why
	 * set, and the cell is skipped with that reason. Called before setup. */
	int (*supports)(const struct params *params, unsigned caps, int workers, struct err *why);
	/* Required. Build the state of one cell: inputs, task split, result
	 * slots. Not timed. NULL with e set on failure. */
	void *(*setup)(const struct bench_setup *s, struct err *e);
	/* Required. Make the state ready for a fresh repetition. Not timed. */
	void (*reset)(void *state);
	/* Optional. Prepare worker rt->worker (seed its random stream, open its
	 * connection), in the worker (its thread, process or coroutine), before
	 * the start gate: not timed. Every repetition, after reset. 0, or -1
	 * with rt->err set. Plain code: it may ask rt_has() and rt->worker but
	 * must not wait through rt (a GIL worker does not hold the GIL yet, a
	 * coroutine is not running yet). */
	int (*worker_setup)(void *state, struct rt *rt);
	/* Required. Do at most `budget` units of task `task`, store how many in
	 * *done, and say whether the task is finished. On STEP_ERROR, explain
	 * in rt->err. May be called from any thread or process the model uses. */
	int (*step)(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt);
	/* Required. Task `task`'s result slot (result_size bytes). */
	void *(*result)(void *state, int task);
	/* Required. Check the merged answer of all tasks: 0, or -1 with e set. */
	int (*verify)(void *state, struct err *e);
	/* Optional. Add the workload's own figures for one repetition (rates,
	 * latency percentiles) to `fields`, given the measured seconds. */
	void (*report)(void *state, double seconds, json_t *fields);
	/* Required. */
	void (*teardown)(void *state);
};

/* The registry (benches/registry.c, generated from benches.def). */
extern const struct bench *const bench_registry[];
const struct bench *bench_find(const char *name);
