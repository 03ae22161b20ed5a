/* syncprims.c — what a synchronisation primitive costs under each model
 * [Beazley, "An Introduction to Python Concurrency": Lock, RLock,
 * Semaphore, Event, Condition, Queue]. Every task performs `ops=`
 * operations on `prim=`:
 *   lock       acquire + release
 *   rlock      acquire + release of a re-entrant lock (owner and count on
 *              top of a lock, as threading.RLock is built)
 *   semaphore  acquire + release of a semaphore of count 1
 *   event      set + wait (+ clear on a private event)
 *   condition  acquire, notify, release (nobody waiting)
 *   queue      put + get
 * on its own object (`share=own`: uncontended) or on one object shared by
 * all tasks (`share=one`: contended). ns_per_op is the region's time per
 * operation of all tasks: at one worker, the cost of one operation; above,
 * what the operations cost the program with the contention included. A
 * GIL thread pays for the primitive and for the GIL, a process for
 * process-shared memory, a coroutine for a coroutine-aware wait. */
#include <stdlib.h>
#include <string.h>
#include "bench.h"

enum prim { PRIM_LOCK, PRIM_RLOCK, PRIM_SEM, PRIM_EVENT, PRIM_COND, PRIM_QUEUE };
static const char *const prim_names[] = {"lock", "rlock", "semaphore", "event", "condition", "queue"};
enum share { SHARE_OWN, SHARE_ONE };

/* threading.RLock: an owner and a count around a lock. */
struct rlock {
	struct rt_lock lock;
	atomic_int owner; /* task + 1, 0: nobody */
	unsigned count;   /* touched only by the owner */
};

/* One of each kind, on its own cache lines. */
struct prim_set {
	struct rt_lock lock;
	struct rlock rlock;
	struct rt_sem sem;
	struct rt_event event;
	struct rt_cond cond;
	struct rt_queue *queue;
} __attribute__((aligned(64)));

struct sp_result {
	uint64_t ops;
};

struct sp {
	enum prim prim;
	enum share share;
	uint64_t ops;
	int ntasks, nsets;
	struct prim_set *sets; /* shared: nsets of them */
	uint64_t *done;        /* private progress per task */
	struct sp_result *results;
};

static const struct param_spec sp_params[] = {
	{.name = "prim", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "lock"},
	 .choices = "lock|rlock|semaphore|event|condition|queue", .help = "the primitive"},
	{.name = "share", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "own"},
	 .choices = "own|one", .help = "own: a primitive per task (uncontended); one: all tasks share one"},
	{.name = "ops", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "5k", [PROFILE_DEFAULT] = "200k", [PROFILE_FULL] = "5M",
		      [PROFILE_CI] = "200k"},
	 .min = 1, .max = 1000000000000, .help = "operations per task"},
	{0},
};

static void sp_teardown(void *state)
{
	struct sp *s = state;
	free(s->done);
	free(s->results);
	free(s);
}

static void *sp_setup(const struct bench_setup *bs, struct err *e)
{
	struct sp *s = calloc(1, sizeof *s);
	if (!s) {
		err_set(e, "syncprims: out of memory");
		return NULL;
	}
	s->prim = (enum prim)param_int(bs->params, "prim");
	s->share = (enum share)param_int(bs->params, "share");
	s->ops = (uint64_t)param_int(bs->params, "ops");
	s->ntasks = bs->ntasks;
	s->nsets = s->share == SHARE_ONE ? 1 : s->ntasks;
	s->done = calloc((size_t)s->ntasks, sizeof *s->done);
	s->results = calloc((size_t)s->ntasks, sizeof *s->results);
	if (!s->done || !s->results) {
		err_set(e, "syncprims: out of memory for %d tasks", s->ntasks);
		sp_teardown(s);
		return NULL;
	}
	s->sets = bench_shared_alloc(bs, sizeof *s->sets * (size_t)s->nsets, e);
	if (!s->sets) {
		sp_teardown(s);
		return NULL;
	}
	/* A queue never fills: each task has at most one item in it. */
	for (int i = 0; i < s->nsets && s->prim == PRIM_QUEUE; i++)
		if (!(s->sets[i].queue = rt_queue_create(bs->shared, (uint32_t)s->ntasks + 1,
							 sizeof(uint64_t), e))) {
			sp_teardown(s);
			return NULL;
		}
	return s;
}

static void sp_reset(void *state)
{
	struct sp *s = state;
	for (int i = 0; i < s->nsets; i++) {
		struct prim_set *p = &s->sets[i];
		rt_sem_init(&p->sem, 1);
		rt_event_clear(&p->event);
		if (p->queue)
			rt_queue_reset(p->queue);
	}
	memset(s->done, 0, sizeof *s->done * (size_t)s->ntasks);
	memset(s->results, 0, sizeof *s->results * (size_t)s->ntasks);
}

static int rlock_acquire(struct rt *rt, struct rlock *r, int me)
{
	if (atomic_load_explicit(&r->owner, memory_order_relaxed) == me) {
		r->count++;
		return 0;
	}
	int rc = rt_lock(rt, &r->lock);
	if (rc < 0)
		return rc;
	atomic_store_explicit(&r->owner, me, memory_order_relaxed);
	r->count = 1;
	return 0;
}

static void rlock_release(struct rt *rt, struct rlock *r)
{
	if (--r->count == 0) {
		atomic_store_explicit(&r->owner, 0, memory_order_relaxed);
		rt_unlock(rt, &r->lock);
	}
}

/* One operation on p; 0 or a negative errno. */
static int sp_op(struct sp *s, struct prim_set *p, int task, struct rt *rt)
{
	int rc = 0;
	uint64_t v = (uint64_t)task;
	switch (s->prim) {
	case PRIM_LOCK:
		if ((rc = rt_lock(rt, &p->lock)) == 0)
			rt_unlock(rt, &p->lock);
		break;
	case PRIM_RLOCK:
		if ((rc = rlock_acquire(rt, &p->rlock, task + 1)) == 0)
			rlock_release(rt, &p->rlock);
		break;
	case PRIM_SEM:
		if ((rc = rt_sem_wait(rt, &p->sem)) == 0)
			rt_sem_post(rt, &p->sem);
		break;
	case PRIM_EVENT:
		rt_event_set(rt, &p->event);
		rc = rt_event_wait(rt, &p->event);
		if (s->share == SHARE_OWN) /* a shared one stays set: a clear could strand a waiter */
			rt_event_clear(&p->event);
		break;
	case PRIM_COND:
		if ((rc = rt_lock(rt, &p->lock)) == 0) {
			rt_cond_notify(rt, &p->cond, 1);
			rt_unlock(rt, &p->lock);
		}
		break;
	case PRIM_QUEUE:
		if ((rc = rt_queue_put(rt, p->queue, &v)) == 0)
			rc = rt_queue_get(rt, p->queue, &v);
		break;
	}
	return rc;
}

static int sp_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct sp *s = state;
	struct prim_set *p = &s->sets[s->share == SHARE_ONE ? 0 : task];
	uint64_t units = 0;
	for (; units < budget && s->done[task] < s->ops; units++, s->done[task]++) {
		int rc = sp_op(s, p, task, rt);
		if (rc < 0) {
			err_set(rt->err, "syncprims: %s: %s", prim_names[s->prim], strerror(-rc));
			return STEP_ERROR;
		}
	}
	*done = units;
	if (s->done[task] < s->ops)
		return STEP_MORE;
	s->results[task].ops = s->done[task];
	return STEP_DONE;
}

static void *sp_result(void *state, int task) { return &((struct sp *)state)->results[task]; }

static int sp_verify(void *state, struct err *e)
{
	struct sp *s = state;
	for (int t = 0; t < s->ntasks; t++)
		if (s->results[t].ops != s->ops)
			return err_set(e, "syncprims: task %d did %llu of its %llu operations", t,
				       (unsigned long long)s->results[t].ops, (unsigned long long)s->ops);
	for (int i = 0; i < s->nsets; i++) {
		struct prim_set *p = &s->sets[i];
		if (atomic_load(&p->lock.word) || atomic_load(&p->rlock.lock.word))
			return err_set(e, "syncprims: a lock is still held after the run");
		if (atomic_load(&p->sem.count) != 1)
			return err_set(e, "syncprims: the semaphore's count is %u after the run, not 1",
				       atomic_load(&p->sem.count));
		if (p->queue && rt_queue_count(p->queue))
			return err_set(e, "syncprims: %u items left in a queue", rt_queue_count(p->queue));
	}
	return 0;
}

static void sp_report(void *state, double seconds, json_t *fields)
{
	struct sp *s = state;
	double ops = (double)s->ops * s->ntasks;
	json_object_set_new(fields, "operations", json_real(ops));
	if (seconds > 0)
		json_object_set_new(fields, "ns_per_op", json_real(seconds * 1e9 / ops));
}

const struct bench bench_syncprims = {
	.name = "syncprims",
	.summary = "cost of Lock, RLock, Semaphore, Event, Condition and Queue operations",
	.origin = "Beazley, \"An Introduction to Python Concurrency\": Lock, RLock, Semaphore, Event, Condition, Queue",
	.kind = BENCH_CPU,
	.scaling = WORK_PER_WORKER, /* ops= per task */
	.headline = {"ns_per_op", "ns per operation", "ns", METRIC_TIME},
	.on_request = 1,
	.needs = RT_CAP_SHARED_MEMORY,
	.params = sp_params,
	.result_size = sizeof(struct sp_result),
	.setup = sp_setup,
	.reset = sp_reset,
	.step = sp_step,
	.result = sp_result,
	.verify = sp_verify,
	.report = sp_report,
	.teardown = sp_teardown,
};
