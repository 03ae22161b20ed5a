/* threads.c — one pthread per worker; workers take tasks from a shared
 * queue (an atomic counter), so more tasks than workers balance out. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dispatch.h"
#include "gate.h"
#include "team.h"
#include "worker_loop.h"
#include "model.h"

struct threads_shared {
	struct gate gate;
	struct dispatch *dispatch;
	atomic_int failed;
	struct worker_loop loop; /* models/lib/worker_loop.h */
};

struct threads_worker {
	struct threads_shared *shared;
	int index;
	int rc;
	struct err err;
};

static void *threads_worker_main(void *arg)
{
	struct threads_worker *w = arg;
	struct threads_shared *s = w->shared;
	struct rt rt = {.ops = &rt_blocking_ops, .worker = w->index, .err = &w->err};
	if (worker_loop_run(&s->loop, &rt, NULL) == WORKER_LOOP_FAILED)
		w->rc = -1;
	return NULL;
}

static int threads_run(struct model_run *mr)
{
	int n = mr->workers, rc = 0;
	struct threads_shared s = {0};
	struct threads_worker *w = calloc((size_t)n, sizeof *w);
	struct worker_where *where = worker_where_create(n);
	if (!w || !where || gate_init(&s.gate, 0) < 0) {
		free(w);
		free(where);
		return err_set(mr->err, "threads: out of memory for %d workers", n);
	}
	if (!(s.dispatch = dispatch_create(mr)))
		rc = -1;
	s.loop = (struct worker_loop){.mr = mr, .gate = &s.gate, .dispatch = s.dispatch, .failed = &s.failed,
				      .where = where};
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	int64_t stack = param_int(mr->params, "stack");
	if (stack > 0 && (errno = pthread_attr_setstacksize(&attr, (size_t)stack)) != 0)
		rc = err_set(mr->err, "threads: --param stack=%lld refused: %s", (long long)stack,
			     strerror(errno));
	for (int i = 0; i < n; i++)
		w[i] = (struct threads_worker){.shared = &s, .index = i};
	if (rc == 0)
		rc = team_run(mr, &s.gate, &attr, threads_worker_main, w, sizeof *w, "threads",
			      "; or lower --param stack");
	pthread_attr_destroy(&attr);
	for (int i = 0; rc == 0 && i < n; i++)
		if (w[i].rc) {
			snprintf(mr->err->msg, sizeof mr->err->msg, "%s", w[i].err.msg);
			rc = -1;
		}
	if (rc == 0)
		worker_where_to_json(where, n, mr->stats);
	dispatch_destroy(s.dispatch);
	gate_destroy(&s.gate);
	free(w);
	free(where);
	return rc;
}

static const struct param_spec threads_params[] = {
	{.name = "stack", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 16 << 10, .max = 1LL << 30, .zero_ok = 1, /* 16K: PTHREAD_STACK_MIN on Linux */
	 .help = "stack size per thread (0 = the system default; e.g. 64K for 10,000 threads)"},
	DISPATCH_PARAMS,
	{0},
};

const struct model model_threads = {
	.name = "threads",
	.summary = "one pthread per worker, tasks from a shared queue",
	.params = threads_params,
	.rt_ops = &rt_blocking_ops,
	.supports = dispatch_supports,
	.run = threads_run,
};
