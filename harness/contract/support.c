/* support.c — whether a cell can run, decided before anything is set up:
 * the workload's needs against the model's capabilities, then each side's
 * own supports() hook. A "no" is a skipped cell with the reason, as Google
 * Benchmark records a SkipWithMessage run and stress-ng an unsupported
 * stressor. */
#include <stdio.h>
#include "model.h"

int contract_check(const struct bench *b, const struct params *bench_params, const struct model *m,
		   const struct params *model_params, int workers, struct err *why)
{
	unsigned caps = model_caps(m), missing = b->needs & ~caps;
	if (missing) {
		char names[200];
		rt_caps_describe(missing, names, sizeof names);
		err_set(why, "%s needs %s, which the %s model does not provide", b->name, names, m->name);
		return 1;
	}
	why->msg[0] = 0;
	if (b->supports && b->supports(bench_params, caps, workers, why) != 0) {
		if (!why->msg[0])
			err_set(why, "%s cannot run under %s", b->name, m->name);
		return 1;
	}
	if (m->supports && m->supports(b, model_params, workers, why) != 0) {
		if (!why->msg[0])
			err_set(why, "the %s model cannot run %s", m->name, b->name);
		return 1;
	}
	return 0;
}

struct slots_ctx {
	const struct bench *b;
	void *state;
};

static const void *slot_of(const void *ctx, int i)
{
	const struct slots_ctx *c = ctx;
	return c->b->result(c->state, i);
}

int contract_check_reduction(const struct bench *b, void *state, int ntasks, struct err *e)
{
	if (!b->reduce)
		return 0;
	struct slots_ctx c = {b, state};
	return reduce_compare(b->reduce, b->reduced(state), &c, slot_of, ntasks, b->result_size, e);
}
