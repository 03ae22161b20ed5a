/* gil_worker.h — one run of the gil model: what its workers share and what
 * each owns. Used by gil.c (the run) and gil_rt.c (the runtime operations). */
#pragma once
#include <pthread.h>
#include <stdatomic.h>
#include "dispatch.h"
#include "gate.h"
#include "gil.h"
#include "model.h"
#include "worker_loop.h"

struct gil_shared {
	struct model_run *mr;
	const struct gil_policy *policy;
	struct gil *gil;
	atomic_int *breaker; /* policy->breaker(gil), or NULL */
	struct gate gate;
	struct dispatch *dispatch; /* models/lib/dispatch.h */
	atomic_int failed;
	struct worker_loop loop; /* models/lib/worker_loop.h, with the GIL's hooks */
};

struct gil_worker {
	struct gil_shared *shared;
	struct gil_thread thread; /* the lock's view of this worker */
	struct gil_tick tick;
	struct rt rt;
	struct err err;
	pthread_t pthread;
	int rc;
};

/* Blocking waits and native regions release the lock (gil_rt.c). */
extern const struct rt_ops gil_rt_ops;
