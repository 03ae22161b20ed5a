/* skeleton.c — a model to copy: every hook of struct model (model.h) and
 * every duty of run(), each marked Required or Optional, in a model that
 * is small but real: one pthread per worker, tasks dealt out round robin
 * before the start (worker i runs tasks i, i + n, i + 2n, ...), each task
 * run in steps of `quantum` units.
 *
 * Not registered (models.def does not list it), but compiled by the build
 * and run by tests/test_contract_sync.c, so it stays true. To make a
 * model: copy this file to models/NAME.c, rename `skeleton`, add MODEL(NAME)
 * to models/models.def. */
#include <stdatomic.h>
#include <stdlib.h>
#include "gate.h"
#include "model.h"
#include "team.h"

struct skeleton_shared {
	struct model_run *mr;
	struct gate gate;
	uint64_t quantum;
	atomic_int failed;
};

struct skeleton_worker {
	struct skeleton_shared *shared;
	struct rt rt;
	struct err err;
	uint64_t steps;
	int rc;
};

/* Optional. Refuse a workload with a reason beyond capabilities (the cell
 * is recorded as skipped). */
static int skeleton_supports(const struct bench *b, const struct params *p, int workers, struct err *why)
{
	(void)b;
	(void)p;
	if (workers > 100000)
		return err_set(why, "skeleton: %d workers; at most 100000 threads", workers);
	return 0;
}

static int skeleton_task(struct skeleton_worker *w, int task)
{
	const struct model_run *mr = w->shared->mr;
	for (;;) {
		uint64_t done = 0;
		int st = mr->bench->step(mr->state, task, w->shared->quantum, &done, &w->rt);
		w->steps++;
		if (st == STEP_DONE)
			return 0;
		if (st == STEP_ERROR) {
			if (!w->err.msg[0])
				err_set(&w->err, "%s: task %d failed", mr->bench->name, task);
			return -1;
		}
	}
}

static void *skeleton_worker_main(void *arg)
{
	struct skeleton_worker *w = arg;
	struct skeleton_shared *s = w->shared;
	/* Untimed, before the gate: bind, then the workload's worker set-up. */
	int ok = model_bind_worker(s->mr, w->rt.worker, 0, &w->err) == 0 &&
		 model_worker_setup(s->mr, &w->rt) == 0;
	if (gate_arrive(&s->gate) < 0) /* the model aborted the start */
		return NULL;
	for (int t = w->rt.worker; ok && t < s->mr->ntasks && !atomic_load(&s->failed);
	     t += s->mr->workers)
		ok = skeleton_task(w, t) == 0;
	if (!ok) {
		w->rc = -1;
		atomic_store(&s->failed, 1); /* the others stop after their task */
	}
	return NULL;
}

/* Required. Run every task once on mr->workers workers. The duties:
 *  - create the workers and bind them (model_bind_worker), untimed;
 *  - call model_worker_setup in each worker before the start, untimed;
 *  - region_start when every worker is ready, region_stop after the last
 *    task and the reduction: nothing else of yours inside;
 *  - model_reduce (or model_reduce_slots) after the last task, inside;
 *  - workers wait only through the rt table of .rt_ops;
 *  - 0, or -1 with mr->err saying why (a task error, a worker lost);
 *  - statistics of the repetition into mr->stats (optional).
 * team_run (models/lib/team.c) does the create-gate-region-join-reduce
 * part for pthread workers; a model with other workers does it itself
 * (models/processes.c, models/coro/coroutines.c). */
static int skeleton_run(struct model_run *mr)
{
	int n = mr->workers, rc = 0;
	struct skeleton_shared s = {.mr = mr, .quantum = (uint64_t)param_int(mr->params, "quantum")};
	struct skeleton_worker *w = calloc((size_t)n, sizeof *w);
	if (!w || gate_init(&s.gate, 0) < 0) {
		free(w);
		return err_set(mr->err, "skeleton: out of memory for %d workers", n);
	}
	for (int i = 0; i < n; i++) {
		w[i].shared = &s;
		w[i].rt = (struct rt){.ops = &rt_blocking_ops, .worker = i, .err = &w[i].err};
	}
	rc = team_run(mr, &s.gate, NULL, skeleton_worker_main, w, sizeof *w, "skeleton", "");
	uint64_t steps = 0;
	for (int i = 0; i < n; i++) {
		steps += w[i].steps;
		if (rc == 0 && w[i].rc)
			rc = err_set(mr->err, "%s", w[i].err.msg);
	}
	json_object_set_new(mr->stats, "steps", json_integer((json_int_t)steps));
	gate_destroy(&s.gate);
	free(w);
	return rc;
}

static const struct param_spec skeleton_params[] = {
	{.name = "quantum", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1000"},
	 .min = 1, .max = 1LL << 40, .help = "units per step (the budget a step is given)"},
	{0},
};

const struct model model_skeleton = {
	.name = "skeleton",                /* Required: what -m takes */
	.summary = "one pthread per worker, tasks dealt round robin (a template, not registered)",
	.flags = 0,                        /* Optional: MODEL_SINGLE_THREAD, MODEL_FORKS */
	.params = skeleton_params,         /* Required: terminated by {0} */
	/* Required: the runtime its workers get; its caps are the model's.
	 * Threads use rt_blocking_ops, forked processes rt_process_ops; a model
	 * that waits its own way writes a table (models/coro/coroutines.c,
	 * models/gil/gil_rt.c). */
	.rt_ops = &rt_blocking_ops,
	.supports = skeleton_supports,     /* Optional */
	.run = skeleton_run,               /* Required */
};
