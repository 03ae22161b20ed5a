/* gil_modern.c — the GIL of CPython 3.2 and later (Python/ceval_gil.c).
 *
 * The lock is a `locked` flag guarded by `mutex`, its changes signalled on
 * `cond`. A thread that finds it locked waits on `cond` for one switch
 * interval (sys.setswitchinterval, default 5 ms); if the wait times out and
 * no switch happened meanwhile (`switch_number` unchanged) it sets the drop
 * request, which the holder sees through the eval breaker at its next check
 * (every back edge: once per workload unit) and answers by dropping the lock.
 * With FORCE_SWITCHING, a thread that drops because of a request then waits
 * on `switch_cond` until another thread has taken the lock (`last_holder`
 * changed), so that it cannot win the lock straight back.
 *
 * `gil=io-priority` is the same lock with the rules proposed in bpo-7946
 * (Beazley's analysis, Pitrou's priority-requests patch): a thread that drops
 * the lock because of a drop request is marked CPU-bound, one that releases
 * it voluntarily (a blocking call) I/O-bound. An I/O-bound thread that asks
 * for the lock while a CPU-bound thread holds it sets the drop request at
 * once instead of after a switch interval, and a free lock goes to a waiting
 * I/O-bound thread before a CPU-bound one. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "clock.h"
#include "gil.h"

struct modern_gil {
	atomic_int locked;
	unsigned long switch_number;           /* under mutex */
	_Atomic(struct gil_thread *) last_holder;
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	pthread_mutex_t switch_mutex;
	pthread_cond_t switch_cond;
	atomic_int gil_drop_request;
	atomic_int eval_breaker; /* ORs every reason to leave the fast path; here only the drop request */
	int64_t interval_ns;
	/* io-priority only, under mutex: */
	int io_priority;
	int io_waiters;              /* I/O-bound threads waiting in take */
	struct gil_thread *holder;   /* who holds it now, or NULL */
};

static struct modern_gil *modern(struct gil *g) { return (struct modern_gil *)g; }

static void set_gil_drop_request(struct modern_gil *G)
{
	atomic_store_explicit(&G->gil_drop_request, 1, memory_order_relaxed);
	atomic_store_explicit(&G->eval_breaker, 1, memory_order_relaxed);
}

static void reset_gil_drop_request(struct modern_gil *G)
{
	atomic_store_explicit(&G->gil_drop_request, 0, memory_order_relaxed);
	/* COMPUTE_EVAL_BREAKER: no signals or pending calls are emulated. */
	atomic_store_explicit(&G->eval_breaker, 0, memory_order_relaxed);
}

static struct gil *modern_create(const struct gil_config *c, int threads)
{
	(void)threads; /* CPython 3.7+ creates the GIL at start-up, threads or not */
	struct modern_gil *G = calloc(1, sizeof *G);
	if (!G)
		return NULL;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* as CPython's condvar.h */
	if (pthread_mutex_init(&G->mutex, NULL) || pthread_cond_init(&G->cond, &attr) ||
	    pthread_mutex_init(&G->switch_mutex, NULL) || pthread_cond_init(&G->switch_cond, NULL)) {
		pthread_condattr_destroy(&attr);
		free(G);
		errno = ENOMEM;
		return NULL;
	}
	pthread_condattr_destroy(&attr);
	G->interval_ns = c->switch_ns;
	atomic_init(&G->locked, 0);
	atomic_init(&G->last_holder, NULL);
	atomic_init(&G->gil_drop_request, 0);
	atomic_init(&G->eval_breaker, 0);
	return (struct gil *)G;
}

static void modern_destroy(struct gil *g)
{
	struct modern_gil *G = modern(g);
	pthread_cond_destroy(&G->cond);
	pthread_mutex_destroy(&G->mutex);
	pthread_cond_destroy(&G->switch_cond);
	pthread_mutex_destroy(&G->switch_mutex);
	free(G);
}

/* io-priority: a CPU-bound thread lets a waiting I/O-bound one go first. */
static int must_wait(struct modern_gil *G, const struct gil_thread *t)
{
	if (atomic_load_explicit(&G->locked, memory_order_relaxed))
		return 1;
	return G->io_priority && t->cpu_bound && G->io_waiters > 0;
}

static void modern_take(struct gil *g, struct gil_thread *t)
{
	struct modern_gil *G = modern(g);
	int64_t asked = clock_now_ns();
	uint64_t timeouts = 0, lock_intervals = 0;
	gil_check(pthread_mutex_lock(&G->mutex), "pthread_mutex_lock");
	int io_waiter = G->io_priority && !t->cpu_bound;
	G->io_waiters += io_waiter;
	while (must_wait(G, t)) {
		int locked = atomic_load_explicit(&G->locked, memory_order_relaxed);
		/* io-priority: an I/O-bound waiter preempts a CPU-bound holder now. */
		if (io_waiter && locked && G->holder && G->holder->cpu_bound)
			set_gil_drop_request(G);
		unsigned long saved_switchnum = G->switch_number;
		int timed_out = gil_cond_timed_wait(&G->cond, &G->mutex, G->interval_ns);
		timeouts += (uint64_t)timed_out;
		int held = timed_out && atomic_load_explicit(&G->locked, memory_order_relaxed);
		lock_intervals += (uint64_t)(held && !atomic_load_explicit(&G->gil_drop_request,
									  memory_order_relaxed));
		/* Timed out and nobody switched meanwhile: ask the holder to drop. */
		if (held && G->switch_number == saved_switchnum)
			set_gil_drop_request(G);
	}
	G->io_waiters -= io_waiter;
	G->holder = t;
	/* switch_mutex must be held to change last_holder: see modern_drop. */
	gil_check(pthread_mutex_lock(&G->switch_mutex), "pthread_mutex_lock");
	atomic_store_explicit(&G->locked, 1, memory_order_relaxed);
	int switched = atomic_load_explicit(&G->last_holder, memory_order_relaxed) != t;
	if (switched) {
		atomic_store_explicit(&G->last_holder, t, memory_order_relaxed);
		++G->switch_number;
	}
	gil_check(pthread_cond_signal(&G->switch_cond), "pthread_cond_signal");
	gil_check(pthread_mutex_unlock(&G->switch_mutex), "pthread_mutex_unlock");
	if (atomic_load_explicit(&G->gil_drop_request, memory_order_relaxed))
		reset_gil_drop_request(G);
	gil_check(pthread_mutex_unlock(&G->mutex), "pthread_mutex_unlock");
	t->stats.timed_out_waits += timeouts;
	if (timeouts > t->stats.timed_out_waits_max)
		t->stats.timed_out_waits_max = timeouts;
	if (lock_intervals > t->stats.lock_intervals_max)
		t->stats.lock_intervals_max = lock_intervals;
	gil_note_taken(t, asked, switched);
}

/* drop_gil. `forced`: because of a drop request (io-priority marks the
 * thread CPU-bound), else a voluntary release (I/O-bound). */
static void drop_gil(struct modern_gil *G, struct gil_thread *t, int exiting, int forced)
{
	gil_note_dropped(t);
	atomic_store_explicit(&G->last_holder, t, memory_order_relaxed);
	gil_check(pthread_mutex_lock(&G->mutex), "pthread_mutex_lock");
	atomic_store_explicit(&G->locked, 0, memory_order_relaxed);
	G->holder = NULL;
	t->cpu_bound = forced;
	/* io-priority: wake every waiter so that an I/O-bound one is among them
	 * (a CPU-bound one would only see it must wait and sleep again). */
	if (G->io_priority)
		gil_check(pthread_cond_broadcast(&G->cond), "pthread_cond_broadcast");
	else
		gil_check(pthread_cond_signal(&G->cond), "pthread_cond_signal");
	gil_check(pthread_mutex_unlock(&G->mutex), "pthread_mutex_unlock");
	/* FORCE_SWITCHING; a thread that is leaving for good waits for nobody. */
	if (!exiting && atomic_load_explicit(&G->gil_drop_request, memory_order_relaxed)) {
		gil_check(pthread_mutex_lock(&G->switch_mutex), "pthread_mutex_lock");
		if (atomic_load_explicit(&G->last_holder, memory_order_relaxed) == t) {
			/* Not switched yet: wait until someone else takes it. */
			reset_gil_drop_request(G);
			gil_check(pthread_cond_wait(&G->switch_cond, &G->switch_mutex), "pthread_cond_wait");
		}
		gil_check(pthread_mutex_unlock(&G->switch_mutex), "pthread_mutex_unlock");
	}
}

static void modern_drop(struct gil *g, struct gil_thread *t, int exiting)
{
	drop_gil(modern(g), t, exiting, 0);
}

static atomic_int *modern_breaker(struct gil *g) { return &modern(g)->eval_breaker; }

static void modern_after_units(struct gil *g, struct gil_thread *t, uint64_t units)
{
	(void)units;
	struct modern_gil *G = modern(g);
	if (!atomic_load_explicit(&G->eval_breaker, memory_order_relaxed))
		return;
	/* _Py_HandlePending: the only reason emulated here is the drop request. */
	if (atomic_load_explicit(&G->gil_drop_request, memory_order_relaxed)) {
		t->stats.forced_switches++;
		drop_gil(G, t, 0, 1);
		/* Other threads may run now */
		modern_take(g, t);
	}
}

/* The same lock under both policies; only create differs. */
#define MODERN_LOCK_OPS                                                              \
	.destroy = modern_destroy, .take = modern_take, .drop = modern_drop,          \
	.budget = gil_budget_one_unit, .after_units = modern_after_units,             \
	.breaker = modern_breaker

const struct gil_policy gil_policy_modern = {
	.name = "modern",
	.source = "CPython 3.2+ Python/ceval_gil.c (take_gil, drop_gil, FORCE_SWITCHING)",
	.create = modern_create,
	MODERN_LOCK_OPS,
};

static struct gil *io_priority_create(const struct gil_config *c, int threads)
{
	struct gil *g = modern_create(c, threads);
	if (g)
		modern(g)->io_priority = 1;
	return g;
}

const struct gil_policy gil_policy_io_priority = {
	.name = "io-priority",
	.source = "bpo-7946 (Beazley 2010; Pitrou's priority requests): forced drop = CPU-bound, "
		  "voluntary = I/O-bound, I/O-bound waiters preempt CPU-bound holders",
	.create = io_priority_create,
	MODERN_LOCK_OPS,
};
