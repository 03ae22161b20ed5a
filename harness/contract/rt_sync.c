/* rt_sync.c — the synchronisation objects of rt_sync.h, built on atomics
 * and the model's wait/wake on a word. Memory orders are sequentially
 * consistent where a waiter count is read after a value is published (the
 * "no lost wake-up" arguments below need a total order), acquire/release
 * on the lock word itself. */
#include <stdint.h>
#include "rt_sync.h"

/* A wait that returned an error other than a timeout ends the operation. */
static int fatal(int r) { return r < 0 && r != -ETIMEDOUT; }

int rt_trylock(struct rt_lock *l)
{
	unsigned c = 0;
	return atomic_compare_exchange_strong_explicit(&l->word, &c, 1, memory_order_acquire,
						       memory_order_relaxed);
}

int rt_lock(struct rt *rt, struct rt_lock *l)
{
	unsigned c = 0;
	if (atomic_compare_exchange_strong_explicit(&l->word, &c, 1, memory_order_acquire,
						    memory_order_relaxed))
		return 0;
	/* Contended: mark the lock "held with waiters" so the holder's unlock
	 * wakes someone, and sleep while it stays so. */
	if (c != 2)
		c = atomic_exchange_explicit(&l->word, 2, memory_order_acquire);
	while (c != 0) {
		int r = rt_wait_word(rt, &l->word, 2, -1);
		if (fatal(r))
			return r;
		c = atomic_exchange_explicit(&l->word, 2, memory_order_acquire);
	}
	return 0;
}

void rt_unlock(struct rt *rt, struct rt_lock *l)
{
	if (atomic_exchange_explicit(&l->word, 0, memory_order_release) == 2)
		rt_wake_word(rt, &l->word, 1);
}

void rt_sem_init(struct rt_sem *s, unsigned count)
{
	atomic_store(&s->count, count);
	atomic_store(&s->waiters, 0);
}

int rt_sem_trywait(struct rt_sem *s)
{
	unsigned v = atomic_load(&s->count);
	while (v > 0)
		if (atomic_compare_exchange_weak(&s->count, &v, v - 1))
			return 1;
	return 0;
}

/* No lost wake-up: a poster adds to the count before it reads `waiters`; a
 * waiter counts itself before it sleeps, and sleeps only while the count
 * is still 0. Either the poster sees the waiter, or the waiter sees the
 * count. */
int rt_sem_wait(struct rt *rt, struct rt_sem *s)
{
	while (!rt_sem_trywait(s)) {
		atomic_fetch_add(&s->waiters, 1);
		int r = rt_wait_word(rt, &s->count, 0, -1);
		atomic_fetch_sub(&s->waiters, 1);
		if (fatal(r))
			return r;
	}
	return 0;
}

void rt_sem_post(struct rt *rt, struct rt_sem *s)
{
	atomic_fetch_add(&s->count, 1);
	if (atomic_load(&s->waiters))
		rt_wake_word(rt, &s->count, 1);
}

int rt_event_wait(struct rt *rt, struct rt_event *ev)
{
	while (!atomic_load(&ev->set)) {
		atomic_fetch_add(&ev->waiters, 1);
		int r = rt_wait_word(rt, &ev->set, 0, -1);
		atomic_fetch_sub(&ev->waiters, 1);
		if (fatal(r))
			return r;
	}
	return 0;
}

void rt_event_set(struct rt *rt, struct rt_event *ev)
{
	atomic_store(&ev->set, 1);
	if (atomic_load(&ev->waiters))
		rt_wake_word(rt, &ev->set, INT32_MAX);
}

void rt_event_clear(struct rt_event *ev) { atomic_store(&ev->set, 0); }
int rt_event_is_set(struct rt_event *ev) { return (int)atomic_load(&ev->set); }

/* A waiter reads the sequence before it lets go of the lock; a notifier
 * (normally holding the lock) bumps it. A notification after that read
 * changes the word, so the waiter's sleep returns at once. */
int rt_cond_wait(struct rt *rt, struct rt_cond *c, struct rt_lock *l)
{
	unsigned seq = atomic_load(&c->seq);
	atomic_fetch_add(&c->waiters, 1);
	rt_unlock(rt, l);
	int r = rt_wait_word(rt, &c->seq, seq, -1);
	atomic_fetch_sub(&c->waiters, 1);
	int r2 = rt_lock(rt, l);
	return fatal(r) ? r : r2;
}

void rt_cond_notify(struct rt *rt, struct rt_cond *c, int n)
{
	atomic_fetch_add(&c->seq, 1);
	if (atomic_load(&c->waiters))
		rt_wake_word(rt, &c->seq, n);
}

void rt_cond_notify_all(struct rt *rt, struct rt_cond *c) { rt_cond_notify(rt, c, INT32_MAX); }
