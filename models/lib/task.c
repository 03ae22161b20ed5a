/* task.c — helpers shared by models. */
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
