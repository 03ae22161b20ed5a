/* model.h — the contract of an execution model (one file in models/, one
 * line in models/models.def), in the manner of fio's I/O engines.
 *
 * A model runs `ntasks` tasks of a workload on `workers` workers, however it
 * likes, and reports nothing but what happened: the harness owns the clocks
 * (region_start/region_stop), the repetitions and the statistics. */
#pragma once
#include <stdio.h>
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
	/* The cell's identity, for a model that rebuilds the workload's state
	 * elsewhere (mpi: in every rank, from the command line). */
	const struct params *bench_params;
	const char *cache_dir;
	struct region *region;        /* call region_start/stop around the parallel part */
	const struct binding *binding;/* where each worker is to run (harness/pin) */
	json_t *stats;                /* model statistics of this repetition (object) */
	long children_rss_kb;         /* forking models: sum of the children's peak RSS */
	struct err *err;              /* why run() failed */
};

enum model_flags {
	MODEL_SINGLE_THREAD = 1 << 0, /* every worker runs on the calling thread */
	MODEL_FORKS = 1 << 1,         /* workers are child processes */
	MODEL_ON_REQUEST = 1 << 2,    /* not in the default set: runs only when named with -m */
	MODEL_BASELINE = 1 << 3,      /* the reference of speedups ("vs sequential") */
};

/* A cell as the optional hooks below see it, before anything runs. */
struct model_cell {
	const struct bench *bench;
	const struct params *bench_params, *model_params;
	int workers, ntasks;
	const struct binding *binding; /* never NULL in `cmbench run` */
	const char *cache_dir;
};

struct model {
	const char *name;
	const char *summary;
	unsigned flags;
	const struct param_spec *params; /* terminated by {0} */
	/* Optional. NULL when the model can run here, else why not ("built
	 * without MPI", "mpirun not found on PATH"): `cmbench list` shows it and
	 * `cmbench run` refuses the model with it before anything runs. */
	const char *(*unavailable)(void);
	/* Optional. After a cell's parameters are parsed: set the values the
	 * model derives from others (params_derive; gil: an interpreter
	 * profile's lock, tick and intervals), so that the results record what
	 * ran. 0, or -1 with e set: a usage error, exit 2. */
	int (*derive)(struct params *model_params, struct err *e);
	/* Optional. Checked for every cell before anything runs: what the model
	 * cannot do with these parameters (an unreadable file, a --pin it cannot
	 * express). 0, or -1 with e set: a usage error, exit 2. */
	int (*check)(const struct model_cell *mc, struct err *e);
	/* Optional. For `cmbench run --dry-run`: print, under the cell's name,
	 * what would run it (mpi: the exact mpirun command line). */
	void (*dry_run)(const struct model_cell *mc, FILE *f);
	/* Optional. Called once after the cell's last repetition, before the
	 * workload's teardown (mpi: the mpirun that ran every repetition ends). */
	void (*cell_end)(void);
	/* Required. The runtime operations its workers get; rt_ops->caps are
	 * the model's capabilities (what the harness matches bench->needs
	 * against before running a cell). */
	const struct rt_ops *rt_ops;
	/* Optional. Whether it can run workload b with these parameters on
	 * `workers` workers, beyond capabilities: 0, or -1 with why set (the
	 * cell is skipped with that reason). */
	int (*supports)(const struct bench *b, const struct params *model_params, int workers,
			struct err *why);
	/* Required. Run every task once, calling region_start when all workers
	 * are ready and region_stop when the last has finished. 0, or -1 with
	 * mr->err set (a task error, a worker that died, a resource refused). */
	int (*run)(struct model_run *mr);
};

/* Whether the cell can run: 0, or 1 with why set to the reason it is
 * skipped (a capability the workload needs and the model lacks, or a
 * supports() hook of either side said no). Before any set-up. */
int contract_check(const struct bench *b, const struct params *bench_params, const struct model *m,
		   const struct params *model_params, int workers, struct err *why);

/* After a run, before verify: the model's reduction must equal the fold of
 * the tasks' result slots (a model that reduced the wrong slots, or too
 * early, is a wrong answer). 0, or -1 with e set. */
int contract_check_reduction(const struct bench *b, void *state, int ntasks, struct err *e);

/* The model's capabilities (enum rt_cap). */
static inline unsigned model_caps(const struct model *m) { return m->rt_ops ? m->rt_ops->caps : 0; }

/* Call bench->worker_setup, if any, for the worker of rt. 0, or -1 with
 * rt->err set. Models call it in each worker before the start gate. */
int model_worker_setup(const struct model_run *mr, struct rt *rt);

/* The reduction, inside the measured region, after the last task: fold
 * every task's result slot (bench->result) into bench->reduced(state).
 * Nothing when the workload declares none. */
void model_reduce(const struct model_run *mr);
/* The same from `ntasks` slots laid out `stride` bytes apart (a forking
 * model's shared mapping). */
void model_reduce_slots(const struct model_run *mr, const void *slots, size_t stride);

/* Run task `task` to completion with an unlimited budget (for models that
 * need no checkpoints). 0, or -1 with rt->err set. */
int model_run_task(const struct model_run *mr, int task, struct rt *rt);

/* Bind the calling thread (or, when as_process, the calling process) as
 * worker `worker` of mr->binding. 0, or -1 with e set. */
int model_bind_worker(const struct model_run *mr, int worker, int as_process, struct err *e);

extern const struct model *const model_registry[];
const struct model *model_find(const char *name);
