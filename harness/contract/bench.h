/* bench.h — the contract of a workload (one file in benches/, one line in
 * benches/benches.def).
 *
 * A workload splits its work into `ntasks` tasks. A task advances in
 * resumable steps of at most `budget` units ("ticks"), so that every model
 * runs the same code: a plain thread calls step() with a huge budget, the GIL
 * model with the ticks left before its next check, coroutines with the ticks
 * left before the next yield. Each task writes its answer into its own result
 * slot (result_size bytes), which the processes model copies back from its
 * children; verify() then checks the merged answer in the harness. */
#pragma once
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>
#include "err.h"
#include "params.h"
#include "runtime.h"

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
	const char *cache_dir;       /* where generated inputs are kept between runs */
};

struct bench {
	const char *name;
	const char *summary;
	enum bench_kind kind;
	const struct param_spec *params; /* terminated by {0} */
	size_t result_size;              /* bytes of one task's result slot */
	enum work_scaling scaling;       /* how the work grows with workers */
	struct metric headline;          /* the figure it is judged by */

	/* Required. Build the state of one cell: inputs, task split, result
	 * slots. Not timed. NULL with e set on failure. */
	void *(*setup)(const struct bench_setup *s, struct err *e);
	/* Required. Make the state ready for a fresh repetition. Not timed. */
	void (*reset)(void *state);
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
