/* worker_loop.c — see worker_loop.h. */
#include "worker_loop.h"

static int run_task(const struct worker_loop *l, void *ctx, int task, struct rt *rt)
{
	return l->run_task ? l->run_task(ctx, task, rt) : model_run_task(l->mr, task, rt);
}

int worker_loop_run(const struct worker_loop *l, struct rt *rt, void *ctx)
{
	int bound = model_bind_worker(l->mr, rt->worker, l->as_process, rt->err);
	if (bound == 0)
		bound = model_worker_setup(l->mr, rt);
	if (gate_arrive(l->gate) < 0)
		return WORKER_LOOP_ABORTED;
	if (bound < 0) {
		atomic_store(l->failed, 1);
		return WORKER_LOOP_FAILED;
	}
	if (l->begin)
		l->begin(ctx);
	int rc = WORKER_LOOP_DONE;
	struct dispatch_cursor cur;
	dispatch_cursor_init(&cur, rt->worker);
	for (;;) {
		int task = dispatch_next(l->dispatch, &cur, rt);
		if (task == DISPATCH_END || atomic_load(l->failed))
			break;
		if (task == DISPATCH_FAILED || run_task(l, ctx, task, rt) < 0) {
			atomic_store(l->failed, 1);
			rc = WORKER_LOOP_FAILED;
			break;
		}
	}
	if (l->end)
		l->end(ctx);
	return rc;
}
