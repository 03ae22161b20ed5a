/* task.c — helpers shared by models: run a task, set up a worker, reduce. */
#include <stdint.h>
#include "model.h"

int model_run_task(const struct model_run *mr, int task, struct rt *rt)
{
	for (;;) {
		uint64_t done = 0;
		int st = mr->bench->step(mr->state, task, UINT64_MAX, &done, rt);
		if (st == STEP_DONE)
			return 0;
		if (st == STEP_ERROR) {
			if (!rt->err->msg[0])
				err_set(rt->err, "%s: task %d failed", mr->bench->name, task);
			return -1;
		}
	}
}

int model_worker_setup(const struct model_run *mr, struct rt *rt)
{
	if (!mr->bench->worker_setup || mr->bench->worker_setup(mr->state, rt) == 0)
		return 0;
	if (!rt->err->msg[0])
		err_set(rt->err, "%s: set-up of worker %d failed", mr->bench->name, rt->worker);
	return -1;
}

/* Fold every task's slot: from `slots` (stride bytes apart) when given,
 * else from the workload's own result slots. */
static void reduce_from(const struct model_run *mr, const void *slots, size_t stride)
{
	const struct bench *b = mr->bench;
	if (!b->reduce)
		return;
	void *acc = b->reduced(mr->state);
	reduce_identity(b->reduce, acc);
	for (int t = 0; t < mr->ntasks; t++)
		reduce_fold(b->reduce, acc,
			    slots ? (const char *)slots + (size_t)t * stride : b->result(mr->state, t));
}

void model_reduce(const struct model_run *mr) { reduce_from(mr, NULL, 0); }

void model_reduce_slots(const struct model_run *mr, const void *slots, size_t stride)
{
	reduce_from(mr, slots, stride);
}
