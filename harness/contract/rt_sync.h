/* rt_sync.h — locks, semaphores, events, condition variables and counters
 * that every model shares correctly.
 *
 * Each object is a few words placed in shared memory (shared.h), zero when
 * ready, the same bytes under every model. Only waiting differs, and it goes
 * through the model (rt_wait_word / rt_wake_word): threads sleep on a
 * private futex, processes on a shared one, a coroutine parks so the others
 * on its thread run (a pthread mutex would deadlock the thread), a GIL
 * thread drops the emulated GIL while it sleeps, as CPython's Lock.acquire
 * does, and the sequential model reports a deadlock (-EDEADLK) instead of
 * hanging. The uncontended paths are one atomic instruction and never call
 * the model, as in glibc and CPython.
 *
 * Blocking calls return 0 or a negative errno (the model's, e.g. -EDEADLK;
 * rt->err then says why): a step that gets one returns STEP_ERROR. */
#pragma once
#include <stdatomic.h>
#include <stdint.h>
#include "runtime.h"

/* A mutex: 0 free, 1 held, 2 held with waiters (Drepper, "Futexes are
 * tricky", mutex 2). Not recursive; unlock only by the holder's task. */
struct rt_lock {
	atomic_uint word;
};
int rt_lock(struct rt *rt, struct rt_lock *l);
/* 1 when taken, 0 when held by someone else. */
int rt_trylock(struct rt_lock *l);
void rt_unlock(struct rt *rt, struct rt_lock *l);

/* A counting semaphore (threading.Semaphore); zero: count 0. */
struct rt_sem {
	atomic_uint count;
	atomic_uint waiters;
};
void rt_sem_init(struct rt_sem *s, unsigned count); /* outside the region */
int rt_sem_wait(struct rt *rt, struct rt_sem *s);
int rt_sem_trywait(struct rt_sem *s); /* 1 when taken, 0 when the count was 0 */
void rt_sem_post(struct rt *rt, struct rt_sem *s);

/* An event (threading.Event); zero: not set. */
struct rt_event {
	atomic_uint set;
	atomic_uint waiters;
};
int rt_event_wait(struct rt *rt, struct rt_event *ev);
void rt_event_set(struct rt *rt, struct rt_event *ev);
void rt_event_clear(struct rt_event *ev);
int rt_event_is_set(struct rt_event *ev);

/* A condition variable used with an rt_lock (threading.Condition). Waits
 * may wake spuriously: re-check the predicate in a loop. */
struct rt_cond {
	atomic_uint seq;
	atomic_uint waiters;
};
/* Called holding l; returns holding l, or an error (the run ends). */
int rt_cond_wait(struct rt *rt, struct rt_cond *c, struct rt_lock *l);
void rt_cond_notify(struct rt *rt, struct rt_cond *c, int n);
void rt_cond_notify_all(struct rt *rt, struct rt_cond *c);

/* A 64-bit counter updated atomically (lock-free on every platform we
 * build for, so it works across processes in shared memory). */
struct rt_counter {
	_Atomic uint64_t value;
};
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "64-bit atomics must be lock-free to work across processes");
/* Add delta; the value before. */
static inline uint64_t rt_counter_add(struct rt_counter *c, uint64_t delta)
{
	return atomic_fetch_add(&c->value, delta);
}
static inline uint64_t rt_counter_get(struct rt_counter *c) { return atomic_load(&c->value); }
static inline void rt_counter_set(struct rt_counter *c, uint64_t v) { atomic_store(&c->value, v); }
