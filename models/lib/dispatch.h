/* dispatch.h — how the workers of a thread-, GIL- or process-based model
 * get their tasks (`--param dispatch=static|queue|pool`, `chunk=`):
 *  - static: dealt before the start, worker i runs tasks i, i+n, i+2n, ...
 *    (no shared state: a task that runs long is nobody else's help);
 *  - queue:  one shared work queue, one task per get, under an rt_lock in
 *    shared memory (Queue.Queue / multiprocessing.Queue: every get pays
 *    for the lock, across processes for a process-shared one);
 *  - pool:   the same queue, `chunk` consecutive tasks per get (Pool.map's
 *    chunksize).
 * The queue lives in a MAP_SHARED page made before the workers start, so
 * forked workers share it and its cost is inside the measured region. */
#pragma once
#include "model.h"

enum dispatch_kind { DISPATCH_STATIC, DISPATCH_QUEUE, DISPATCH_POOL };

struct dispatch;

/* The parameters every dispatching model adds to its table. */
#define DISPATCH_PARAMS                                                                       \
	{.name = "dispatch", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "static"},   \
	 .choices = "static|queue|pool",                                                       \
	 .help = "how workers get tasks: static (dealt round robin before the start), queue "  \
		 "(one shared queue, a task per get), pool (the queue, chunk tasks per get)"},  \
	{.name = "chunk", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1"}, .min = 1,  \
	 .max = 1000000000, .help = "pool: tasks per get (Pool.map's chunksize)"}

/* A model's supports() hook for dispatch: a workload whose tasks wait for
 * each other (it needs RT_CAP_CONCURRENT) deadlocks when one worker holds
 * two of them, as a pool chunk does (Pool.map with blocking tasks): such a
 * cell is skipped with that reason. (So does --tasks-per-worker > 1.) */
int dispatch_supports(const struct bench *b, const struct params *model_params, int workers,
		      struct err *why);

/* One run's dispatcher, from mr->params; NULL with mr->err set. */
struct dispatch *dispatch_create(const struct model_run *mr);
void dispatch_destroy(struct dispatch *d);

/* A worker's position in the dispatch (its own, never shared). */
struct dispatch_cursor {
	int next, end; /* tasks in hand: [next, end) */
	int worker;
};
void dispatch_cursor_init(struct dispatch_cursor *c, int worker);

enum { DISPATCH_END = -1, DISPATCH_FAILED = -2 };
/* The next task for this worker; DISPATCH_END when none is left, or
 * DISPATCH_FAILED when the shared queue's lock failed (rt->err says why). */
int dispatch_next(struct dispatch *d, struct dispatch_cursor *c, struct rt *rt);
/* Gets from the shared queue so far (statistics; 0 under static). */
uint64_t dispatch_gets(const struct dispatch *d);
