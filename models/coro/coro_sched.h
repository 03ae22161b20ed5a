/* coro_sched.h — stackful coroutines: run queues, direct handoff, park and
 * wake, on one OS thread or, M:N, on several (one scheduler per thread,
 * work stealing).
 *
 * Control passes directly from one coroutine to the next runnable one (one
 * context switch per yield, the scheduler's own context is no stop on the
 * way); with one scheduler and no event waits, a yield only rotates the run
 * queue and switches (coro_yield_direct, inline in the caller). The
 * scheduler's context (the thread's own stack) runs only to poll the event
 * loop (coro_loop.h) — when nothing is runnable, or, while some
 * coroutines wait for events, once per round of the runnable ones and at
 * most every 10 us, so CPU-bound coroutines cannot starve I/O-bound ones —
 * and, M:N, to steal and to sleep.
 *
 * M:N (a group of N schedulers): each scheduler has its own run queue and
 * its own event loop; a coroutine parked on I/O is made runnable on the
 * scheduler whose loop saw its event, and any idle scheduler steals from
 * the others' queues. A coroutine may thus resume on another thread than
 * the one it left: after every switch `s` is re-read from the coroutine
 * (c->sched). A yielding coroutine is put back in a queue only once its
 * context is saved (by whoever runs next, s->requeue), so a thief can never
 * resume a context half-saved. Idle schedulers sleep in their event loop
 * and are woken through an eventfd when work appears. With one scheduler,
 * no lock is taken anywhere. */
#pragma once
#include <stdatomic.h>
#include <stdint.h>
#include "coro_loop.h"
#include "coro_sanitize.h"
#include "coro_switch.h"
#include "err.h"

enum coro_state { CORO_READY, CORO_RUNNING, CORO_PARKED, CORO_DONE };

static inline void coro_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* A spin lock for a few loads and stores (run queues, wait lists). */
static inline void coro_spin_lock(atomic_int *l)
{
	while (atomic_exchange_explicit(l, 1, memory_order_acquire))
		while (atomic_load_explicit(l, memory_order_relaxed))
			coro_cpu_relax();
}

static inline void coro_spin_unlock(atomic_int *l) { atomic_store_explicit(l, 0, memory_order_release); }

struct coro_sched;

struct coro {
	struct coro_ctx ctx;
	struct coro_san san;
	struct coro *next;        /* run-queue link */
	struct coro_sched *sched; /* the scheduler running it (or that last ran it) */
	void (*body)(void *arg);
	void *arg;
	enum coro_state state;
	int wake_result;          /* what coro_park returns */
	struct coro_wait wait;    /* its fd or timer wait in the event loop */
};

/* What the schedulers of one run share. */
struct coro_group {
	int nsched;
	struct coro_sched *scheds; /* nsched of them */
	atomic_int live;           /* spawned and not finished, all schedulers */
	atomic_int stop;           /* coro_sched_stop was called, or a scheduler failed */
	/* Schedulers idle in their event loop (low 32 bits) and, above, how
	 * many times one left it: a deadlock verdict needs the same word before
	 * and after its checks, i.e. every scheduler idle throughout. */
	_Atomic uint64_t idle;
	atomic_int event_waits;    /* coroutines parked on an fd or a timer, all schedulers */
	atomic_int failed;         /* a scheduler's error is in `err` */
	struct err err;
};

struct coro_sched {
	struct coro_group *group;
	int index, mn;            /* mn: one of several schedulers (queues are locked) */
	/* A yield must take the long way: mn, or the group has stopped (one
	 * word for coro_yield to look at; the group's `stop` stays the truth). */
	atomic_int detour;
	enum coro_switch_kind kind;
	struct coro_ctx main_ctx; /* the thread that runs the scheduler */
	struct coro_san main_san;
	struct coro_san *switching_from; /* for the sanitizers, across a switch */
	struct coro *current;     /* NULL while the scheduler's context runs */
	struct coro *requeue;     /* queue it once its context is saved */
	atomic_int *release;      /* unlock it once the parked context is saved */
	struct coro *head, *tail; /* run queue (under qlock when mn) */
	atomic_int queued;        /* its length, read without the lock */
	atomic_int qlock;
	int since_poll;           /* yields since events were last polled */
	int poll_due;             /* a yield asks the scheduler to poll */
	int64_t last_poll_ns;

	struct coro_loop loop;
	int wake_fd;              /* M:N: an eventfd that wakes it from its loop */
	int wake_armed;           /* wake_fd is watched by the loop */
	struct coro_wait wake_wait;
	atomic_int asleep;        /* M:N: blocked (or about to block) in its loop */

	/* Statistics. */
	uint64_t switches, yields, parks, steals;

	struct coro_group solo;   /* the group of a scheduler made by coro_sched_init */
};

/* One scheduler on the calling thread (a group of one). 0, or -1 with e
 * (the backend refused, or a context could not be made). */
int coro_sched_init(struct coro_sched *s, enum coro_switch_kind kind, struct err *e);
int coro_sched_init_backend(struct coro_sched *s, enum coro_switch_kind kind,
			    const struct coro_backend_ops *backend, struct err *e);
void coro_sched_destroy(struct coro_sched *s);

/* M:N: nsched schedulers; run scheduler i on a thread of its own with
 * coro_group_thread. 0, or -1 with e. */
int coro_group_init(struct coro_group *g, int nsched, enum coro_switch_kind kind,
		    const struct coro_backend_ops *backend, struct err *e);
void coro_group_destroy(struct coro_group *g);
/* Run scheduler i on the calling thread until every coroutine of the group
 * has finished, or the group stops. 0, or -1 with e (an event loop failure,
 * or every live coroutine parked with nothing that could wake it). */
int coro_group_thread(struct coro_group *g, int i, struct err *e);

/* Make c a ready coroutine of s that will run body(arg) on [stack_lo, +size). */
int coro_spawn(struct coro_sched *s, struct coro *c, void *stack_lo, size_t stack_size,
	       void (*body)(void *), void *arg, struct err *e);
/* Free what coro_spawn allocated (after the scheduler has stopped). */
void coro_release(struct coro *c);

/* One scheduler: coro_group_thread(s->group, 0, e). */
int coro_sched_run(struct coro_sched *s, struct err *e);
/* Called from a coroutine: every scheduler returns as soon as it next runs,
 * abandoning the coroutines that have not finished. */
void coro_sched_stop(struct coro_sched *s);

/* What a switch left for the context that runs next (a yielder to queue
 * once its context is saved, a lock to release): out of line, since the
 * direct path below never leaves any. */
void coro_after_switch_work(struct coro_sched *s);
static inline __attribute__((always_inline)) void coro_after_switch(struct coro_sched *s)
{
	if (s->requeue || s->release)
		coro_after_switch_work(s);
}

/* One scheduler, nothing waiting for an event, no stop: the yield's whole
 * path, inline in the caller (the model's rt yield) with the switch's kind
 * a constant there. The running coroutine moves from the head of the run
 * queue's rotation to its tail and the head runs, in one pass over the
 * queue's pointers and one switch: no pop and push with their length
 * updates, no requeue for the next context to do (a single thread cannot
 * resume `self` before the switch below has saved it), no checks for the
 * scheduler's own context. */
static inline __attribute__((always_inline)) void coro_yield_direct(struct coro_sched *s,
								     struct coro *next,
								     enum coro_switch_kind kind)
{
	struct coro *self = s->current, *after = next->next;
	self->next = NULL;
	self->state = CORO_READY;
	if (after) {
		s->head = after;
		s->tail->next = self;
	} else {
		s->head = self; /* next was the only one queued */
	}
	s->tail = self;
	void *fake_stack = NULL;
	s->switches++;
	s->current = next;
	next->state = CORO_RUNNING;
#ifdef CORO_ASAN
	s->switching_from = &self->san; /* only ASan's finish reads it */
#endif
	coro_san_start(&fake_stack, &next->san);
	coro_ctx_switch(kind, &self->ctx, &next->ctx);
	/* Whoever resumed us may have left work for after the switch (a
	 * coroutine that yielded or parked through the general path). */
	coro_san_finish(fake_stack, s->switching_from);
	coro_after_switch(s);
}

/* From a coroutine: let the next runnable coroutine run. Returns 1 when it
 * returned at once because no other coroutine could have run (none
 * runnable, none waiting for an event on this scheduler, none queued on
 * another), else 0. coro_yield_as takes the switch's kind as a constant
 * (s->kind, resolved once by the caller); coro_yield reads it. */
int coro_yield_slow(struct coro_sched *s);
static inline __attribute__((always_inline)) int coro_yield_as(struct coro_sched *s,
							       enum coro_switch_kind kind)
{
	s->yields++;
	/* One scheduler, no stop, nothing for the event loop to poll for (so
	 * no I/O coroutine can starve): alone, a yield to nobody costs these
	 * loads and a branch; with another coroutine runnable, the direct
	 * switch. Anything else (M:N, a stop, event waits) goes the long way. */
	if (!atomic_load_explicit(&s->detour, memory_order_relaxed) &&
	    coro_loop_pending(&s->loop) == 0) {
		struct coro *next = s->head;
		if (!next)
			return 1;
		coro_yield_direct(s, next, kind);
		return 0;
	}
	return coro_yield_slow(s);
}
static inline int coro_yield(struct coro_sched *s) { return coro_yield_as(s, s->kind); }
/* From a coroutine: suspend until coro_wake; returns the wake result. */
int coro_park(struct coro_sched *s);
/* The same, for a coroutine that a coroutine of another scheduler thread may
 * wake: `lock` (held, coro_spin_lock) protects whatever the waker finds it
 * by, and is released only once this coroutine's context is saved, so the
 * waker cannot make it runnable half-parked. */
int coro_park_release(struct coro_sched *s, atomic_int *lock);
/* Make a parked coroutine runnable on s (the caller's scheduler); its
 * coro_park returns `result`. */
void coro_wake(struct coro_sched *s, struct coro *c, int result);

/* From a coroutine: park until fd is ready for `events` (POLLIN/POLLOUT)
 * or timeout_ns passes (< 0: never). 0 when ready (or in error: the
 * caller's I/O call reports it), -ETIMEDOUT, -EBUSY if another coroutine is
 * already waiting on fd, or -errno. Ready is the kernel's word, and it can
 * be stale: io_uring has reported a pipe readable on a writer's late
 * wake-up, its byte long since read. So fd must not block: read, and wait
 * again on EAGAIN (a blocking read would hold the scheduler's thread). */
int coro_wait_fd(struct coro_sched *s, int fd, int events, int64_t timeout_ns);
/* Park for ns nanoseconds (<= 0: just yield). 0, or -ENOMEM. */
int coro_sleep(struct coro_sched *s, int64_t ns);

/* Statistics summed over the group's schedulers. */
struct coro_stats {
	uint64_t switches, yields, parks, steals, polls, fd_wakeups, timer_wakeups;
};
void coro_group_stats(const struct coro_group *g, struct coro_stats *out);
