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
};

enum { WORKER_LOOP_DONE = 0, WORKER_LOOP_FAILED = -1, WORKER_LOOP_ABORTED = 1 };

/* Run worker `rt->worker` to the end. WORKER_LOOP_DONE when it ran out of
 * tasks (or stopped because another worker failed), WORKER_LOOP_FAILED when
 * its own binding, set-up or a task failed (rt->err says why, *l->failed is
 * set), WORKER_LOOP_ABORTED when the model aborted the start gate (nothing
 * ran). */
int worker_loop_run(const struct worker_loop *l, struct rt *rt, void *ctx);
