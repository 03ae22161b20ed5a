/* worker_loop.h — the life of one worker of a dispatching model (threads,
 * gil, processes): bind it where --pin says, run the workload's per-worker
 * set-up, meet the others at the start gate, then run the tasks the
 * dispatcher hands it (dispatch.h) until there are none left or some worker
 * failed. What differs between the models is only how a task is run (under
 * a GIL, with its result copied out of a forked child) and what a worker
 * does around its tasks (take and drop the GIL): the hooks below. */
#pragma once
#include <stdatomic.h>
#include "dispatch.h"
#include "gate.h"
#include "model.h"

/* Where one worker ran: the OS number of the CPU it was on as it began its
 * first task and as it ended its last (sched_getcpu), -1 where unknown.
 * Unpinned, the OS places threads by what else runs as they start, and a
 * GIL keeps them there (one runnable thread gives the balancer nothing to
 * move): a two-thread count-down under CPython 2's lock takes 1.1 times one
 * thread's time when both land on one CPU and 3 to 4 times when apart
 * (docs/GIL.md, "Round ten"), so a figure means little without this. */
struct worker_where {
	int first, last;
};

struct worker_loop {
	const struct model_run *mr;
	struct gate *gate;
	struct dispatch *dispatch;
	atomic_int *failed;  /* set by the first worker that fails; every worker stops */
	int as_process;      /* bind the process, not the thread (model_bind_worker) */
	/* Run one task: 0, or -1 with rt->err set. NULL: model_run_task. */
	int (*run_task)(void *ctx, int task, struct rt *rt);
	/* Optional: after the gate opened, before the first task (the GIL's
	 * first take), and after the last (its final drop). */
	void (*begin)(void *ctx);
	void (*end)(void *ctx);
	/* Optional, one per worker: filled in by worker_loop_run. */
	struct worker_where *where;
};

enum { WORKER_LOOP_DONE = 0, WORKER_LOOP_FAILED = -1, WORKER_LOOP_ABORTED = 1 };

/* Run worker `rt->worker` to the end. WORKER_LOOP_DONE when it ran out of
 * tasks (or stopped because another worker failed), WORKER_LOOP_FAILED when
 * its own binding, set-up or a task failed (rt->err says why, *l->failed is
 * set), WORKER_LOOP_ABORTED when the model aborted the start gate (nothing
 * ran). */
int worker_loop_run(const struct worker_loop *l, struct rt *rt, void *ctx);

/* n entries, each {-1, -1} until its worker runs; NULL when out of memory.
 * The caller frees it. */
struct worker_where *worker_where_create(int n);

/* Into a model's statistics: "worker_cpus" ([first, last] per worker),
 * "cpus_at_end" (how many CPUs the workers ended on) and "workers_moved"
 * (how many ended on another CPU than they began on). Nothing when the
 * CPUs are unknown or out is NULL. */
void worker_where_to_json(const struct worker_where *w, int n, json_t *out);
