/* coro_sched.h — stackful coroutines on one thread: a run queue, yield,
 * park/wake, and an epoll event loop with a timer heap (coro_loop.c).
 *
 * Control passes directly from one coroutine to the next runnable one; the
 * scheduler's own context (the thread that called coro_sched_run) runs only
 * to wait for events when nothing is runnable, or, while some coroutines
 * are parked, once per round of the runnable ones (at most every 10 us) to
 * poll for events without waiting, so CPU-bound coroutines cannot starve
 * I/O-bound ones. */
#pragma once
#include <stdint.h>
#include "coro_sanitize.h"
#include "coro_switch.h"
#include "coro_timer.h"
#include "err.h"

enum coro_state { CORO_READY, CORO_RUNNING, CORO_PARKED, CORO_DONE };

struct coro_sched;

struct coro {
	struct coro_ctx ctx;
	struct coro_san san;
	struct coro *next; /* run-queue link */
	struct coro_sched *sched;
	void (*body)(void *arg);
	void *arg;
	enum coro_state state;
	int wake_result;   /* what coro_park returns */
	int waiting_fd;    /* the fd it is parked on, or -1 */
	struct coro_timer timer;
};

struct coro_sched {
	enum coro_switch_kind kind;
	struct coro_ctx main_ctx; /* the thread that runs coro_sched_run */
	struct coro_san main_san;
	struct coro_san *switching_from; /* for the sanitizers, across a switch */
	struct coro *current;     /* NULL while the scheduler's context runs */
	struct coro *head, *tail; /* run queue */
	int live;                 /* spawned and not finished */
	int parked;               /* waiting for an fd or a timer */
	int parked_on_fd;         /* of which waiting for an fd */
	int since_poll;           /* yields since events were last polled */
	int poll_due;             /* a yield asks the scheduler to poll */
	int64_t last_poll_ns;
	int stop;                 /* coro_sched_stop was called */

	/* The event loop (coro_loop.c). */
	int epfd;
	struct coro **fd_waiter;  /* fd -> the coroutine parked on it */
	unsigned char *fd_known;  /* fd -> registered with epfd (perhaps disabled) */
	int fd_capacity;
	struct coro_timer_heap timers;
	int have_pwait2;

	/* Statistics. */
	uint64_t switches, yields, parks, epoll_waits, fd_wakeups, timer_wakeups;
};

/* 0, or -1 with e (epoll_create failed, or a context could not be made). */
int coro_sched_init(struct coro_sched *s, enum coro_switch_kind kind, struct err *e);
void coro_sched_destroy(struct coro_sched *s);

/* Make c a ready coroutine that will run body(arg) on [stack_lo, +size). */
int coro_spawn(struct coro_sched *s, struct coro *c, void *stack_lo, size_t stack_size,
	       void (*body)(void *), void *arg, struct err *e);
/* Free what coro_spawn allocated (after the scheduler has stopped). */
void coro_release(struct coro *c);

/* Run until every spawned coroutine has finished, or coro_sched_stop.
 * 0, or -1 with e (event loop failure, or every live coroutine parked with
 * nothing that could wake it). */
int coro_sched_run(struct coro_sched *s, struct err *e);
/* Called from a coroutine: the scheduler returns as soon as it next runs,
 * abandoning the coroutines that have not finished. */
void coro_sched_stop(struct coro_sched *s);

/* From a coroutine: let the next runnable coroutine run; returns at once
 * when there is none. */
void coro_yield(struct coro_sched *s);
/* From a coroutine: suspend until coro_wake; returns the wake result. */
int coro_park(struct coro_sched *s);
/* Make a parked coroutine runnable; its coro_park returns `result`. */
void coro_wake(struct coro_sched *s, struct coro *c, int result);

/* The event loop (coro_loop.c), called from a coroutine: park until fd is
 * ready for `events` (POLLIN/POLLOUT) or timeout_ns passes (< 0: never).
 * 0 when ready (or in error: the caller's I/O call reports it), -ETIMEDOUT,
 * -EBUSY if another coroutine is already waiting on fd, or -errno. */
int coro_wait_fd(struct coro_sched *s, int fd, int events, int64_t timeout_ns);
/* Park for ns nanoseconds (<= 0: just yield). 0. */
int coro_sleep(struct coro_sched *s, int64_t ns);
/* Called by the scheduler's context: wait for events (at most until the
 * earliest timer when `block`, not at all otherwise) and wake whoever they
 * concern. 0, or -1 with e. */
int coro_loop_poll(struct coro_sched *s, int block, struct err *e);
int coro_loop_init(struct coro_sched *s, struct err *e);
void coro_loop_destroy(struct coro_sched *s);
