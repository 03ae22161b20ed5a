/* model.h — the contract of an execution model (one file in models/, one
 * line in models/models.def), in the manner of fio's I/O engines.
 *
 * A model runs `ntasks` tasks of a workload on `workers` workers, however it
 * likes, and reports nothing but what happened: the harness owns the clocks
 * (region_start/region_stop), the repetitions and the statistics. */
#pragma once
#include <jansson.h>
#include "bench.h"
#include "err.h"
#include "params.h"
#include "region.h"
#include "runtime.h"

struct binding;

struct model_run {
	const struct bench *bench;
	void *state;                  /* the workload's state (bench->setup) */
	int workers;                  /* concurrency asked for */
	int ntasks;                   /* tasks to run, >= workers */
	const struct params *params;  /* this model's parameters */
	struct region *region;        /* call region_start/stop around the parallel part */
	const struct binding *binding;/* where each worker is to run (harness/pin) */
	json_t *stats;                /* model statistics of this repetition (object) */
	long children_rss_kb;         /* forking models: sum of the children's peak RSS */
	struct err *err;              /* why run() failed */
};

enum model_flags {
	MODEL_SINGLE_THREAD = 1 << 0, /* every worker runs on the calling thread */
	MODEL_FORKS = 1 << 1,         /* workers are child processes */
	MODEL_BASELINE = 1 << 2,      /* the reference of speedups ("vs sequential") */
};

struct model {
	const char *name;
	const char *summary;
	unsigned flags;
	const struct param_spec *params; /* terminated by {0} */
	/* Required. Run every task once, calling region_start when all workers
	 * are ready and region_stop when the last has finished. 0, or -1 with
	 * mr->err set (a task error, a worker that died, a resource refused). */
	int (*run)(struct model_run *mr);
};

/* Run task `task` to completion with an unlimited budget (for models that
 * need no checkpoints). 0, or -1 with rt->err set. */
int model_run_task(const struct model_run *mr, int task, struct rt *rt);

/* Bind the calling thread (or, when as_process, the calling process) as
 * worker `worker` of mr->binding. 0, or -1 with e set. */
int model_bind_worker(const struct model_run *mr, int worker, int as_process, struct err *e);

extern const struct model *const model_registry[];
const struct model *model_find(const char *name);
