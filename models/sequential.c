/* sequential.c — one thread runs every task to completion, one after
 * another: the baseline every speedup is measured against. A task that
 * waits for another can never be woken here (rt_sequential_ops says
 * -EDEADLK), so the model lacks RT_CAP_CONCURRENT. */
#include "model.h"

static int sequential_run(struct model_run *mr)
{
	struct rt rt = {.ops = &rt_sequential_ops, .worker = 0, .err = mr->err};
	if (model_bind_worker(mr, 0, 0, mr->err) < 0 || model_worker_setup(mr, &rt) < 0)
		return -1;
	region_start(mr->region);
	int rc = 0;
	for (int t = 0; t < mr->ntasks && rc == 0; t++)
		rc = model_run_task(mr, t, &rt);
	if (rc == 0)
		model_reduce(mr);
	region_stop(mr->region);
	return rc;
}

const struct model model_sequential = {
	.name = "sequential",
	.summary = "every task in turn on the calling thread (the baseline)",
	.flags = MODEL_SINGLE_THREAD | MODEL_BASELINE,
	.params = (const struct param_spec[]){{0}},
	.rt_ops = &rt_sequential_ops,
	.run = sequential_run,
};
