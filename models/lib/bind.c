/* bind.c — how a model binds one of its workers: through the cell's plan
 * (harness/pin). A model without a plan (unit tests) binds nothing. */
#include "model.h"
#include "pin.h"

int model_bind_worker(const struct model_run *mr, int worker, int as_process, struct err *e)
{
	if (!mr->binding)
		return 0;
	return binding_apply(mr->binding, worker, as_process, e);
}
