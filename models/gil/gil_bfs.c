/* gil_bfs.c — `gil=bfs`: the BFS-like GIL Nir Aides proposed for CPython
 * in bpo-7946 (2010), after Con Kolivas' Brain Fuck Scheduler: the lock goes
 * to the waiter with the earliest virtual deadline.
 *
 * Each thread has a time slice (`slice`, 10 ms) and a deadline. When a
 * thread asks for the lock with its slice used up, it gets a fresh slice and
 * the deadline now + 8 slices; a thread that released the lock early (for
 * I/O) keeps its earlier deadline, so it is the more urgent one when it comes
 * back. A free lock goes to the waiter with the earliest deadline; a waiter
 * more urgent than the holder asks it to drop at once (preemption), and a
 * waiter whose wait runs out a slice asks the holder to drop if the holder
 * has used up its slice. The holder answers at its next eval-breaker check,
 * as under the modern GIL. There is no FORCE_SWITCHING wait: the hand-over
 * is directed by the deadlines, so the dropping thread cannot win it back
 * unless it is still the most urgent. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "clock.h"
#include "gil.h"

#define BFS_DEADLINE_SLICES 8 /* deadline = now + slice x 8 */

struct bfs_gil {
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	struct gil_thread *holder;      /* under mutex */
	struct gil_thread *last_holder; /* under mutex, for the switch count */
	int64_t holder_since_ns;        /* under mutex */
	struct gil_thread *waiters;     /* singly linked through next_waiter, under mutex */
	atomic_int drop_request;
	atomic_int eval_breaker;
	int64_t slice_ns;
};

static struct bfs_gil *bfs(struct gil *g) { return (struct bfs_gil *)g; }

static struct gil *bfs_create(const struct gil_config *c, int threads)
{
	(void)threads;
	struct bfs_gil *B = calloc(1, sizeof *B);
	if (!B)
		return NULL;
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (pthread_mutex_init(&B->mutex, NULL) || pthread_cond_init(&B->cond, &attr)) {
		pthread_condattr_destroy(&attr);
		free(B);
		errno = ENOMEM;
		return NULL;
	}
	pthread_condattr_destroy(&attr);
	B->slice_ns = c->slice_ns;
	atomic_init(&B->drop_request, 0);
	atomic_init(&B->eval_breaker, 0);
	return (struct gil *)B;
}

static void bfs_destroy(struct gil *g)
{
	struct bfs_gil *B = bfs(g);
	pthread_cond_destroy(&B->cond);
	pthread_mutex_destroy(&B->mutex);
	free(B);
}

static void request_drop(struct bfs_gil *B)
{
	atomic_store_explicit(&B->drop_request, 1, memory_order_relaxed);
	atomic_store_explicit(&B->eval_breaker, 1, memory_order_relaxed);
}

static struct gil_thread *most_urgent(const struct bfs_gil *B)
{
	struct gil_thread *best = B->waiters;
	for (struct gil_thread *w = B->waiters; w; w = w->next_waiter)
		if (w->deadline_ns < best->deadline_ns)
			best = w;
	return best;
}

static void unlink_waiter(struct bfs_gil *B, struct gil_thread *t)
{
	for (struct gil_thread **p = &B->waiters; *p; p = &(*p)->next_waiter)
		if (*p == t) {
			*p = t->next_waiter;
			t->next_waiter = NULL;
			return;
		}
}

static void bfs_take(struct gil *g, struct gil_thread *t)
{
	struct bfs_gil *B = bfs(g);
	int64_t asked = clock_now_ns();
	uint64_t timeouts = 0;
	gil_check(pthread_mutex_lock(&B->mutex), "pthread_mutex_lock");
	if (t->slice_left_ns <= 0) { /* a new slice and a later deadline */
		t->slice_left_ns = B->slice_ns;
		t->deadline_ns = asked + BFS_DEADLINE_SLICES * B->slice_ns;
	}
	t->next_waiter = B->waiters;
	B->waiters = t;
	while (B->holder || most_urgent(B) != t) {
		struct gil_thread *h = B->holder;
		if (h && t->deadline_ns < h->deadline_ns)
			request_drop(B); /* more urgent than the holder: preempt */
		int timed_out = gil_cond_timed_wait(&B->cond, &B->mutex, B->slice_ns);
		timeouts += (uint64_t)timed_out;
		h = B->holder;
		if (timed_out && h && clock_now_ns() - B->holder_since_ns >= h->slice_left_ns)
			request_drop(B); /* the holder has used up its slice */
	}
	unlink_waiter(B, t);
	int switched = B->last_holder != t;
	B->holder = B->last_holder = t;
	B->holder_since_ns = clock_now_ns();
	atomic_store_explicit(&B->drop_request, 0, memory_order_relaxed);
	atomic_store_explicit(&B->eval_breaker, 0, memory_order_relaxed);
	/* The next most urgent waiter may be more urgent than the new holder. */
	if (B->waiters && most_urgent(B)->deadline_ns < t->deadline_ns)
		request_drop(B);
	gil_check(pthread_mutex_unlock(&B->mutex), "pthread_mutex_unlock");
	t->stats.timed_out_waits += timeouts;
	if (timeouts > t->stats.timed_out_waits_max)
		t->stats.timed_out_waits_max = timeouts;
	gil_note_taken(t, asked, switched);
}

static void bfs_drop(struct gil *g, struct gil_thread *t, int exiting)
{
	(void)exiting; /* nobody waits for a successor here */
	struct bfs_gil *B = bfs(g);
	gil_note_dropped(t);
	gil_check(pthread_mutex_lock(&B->mutex), "pthread_mutex_lock");
	t->slice_left_ns -= clock_now_ns() - B->holder_since_ns;
	B->holder = NULL;
	/* Every waiter looks: only the most urgent one takes it. */
	gil_check(pthread_cond_broadcast(&B->cond), "pthread_cond_broadcast");
	gil_check(pthread_mutex_unlock(&B->mutex), "pthread_mutex_unlock");
}

static atomic_int *bfs_breaker(struct gil *g) { return &bfs(g)->eval_breaker; }

static void bfs_after_units(struct gil *g, struct gil_thread *t, uint64_t units)
{
	(void)units;
	struct bfs_gil *B = bfs(g);
	if (!atomic_load_explicit(&B->drop_request, memory_order_relaxed))
		return;
	t->stats.forced_switches++;
	bfs_drop(g, t, 0);
	bfs_take(g, t);
}

const struct gil_policy gil_policy_bfs = {
	.name = "bfs",
	.source = "Nir Aides' BFS GIL patch, bpo-7946 (2010): earliest virtual deadline first, "
		  "slice 10 ms, deadline = now + 8 slices, more urgent waiters preempt",
	.create = bfs_create,
	.destroy = bfs_destroy,
	.take = bfs_take,
	.drop = bfs_drop,
	.budget = gil_budget_one_unit,
	.after_units = bfs_after_units,
	.breaker = bfs_breaker,
};
