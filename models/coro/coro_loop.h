/* coro_loop.h — the coroutines' event loop: a readiness backend
 * (coro_backend.h: epoll or io_uring) for file descriptors and a deadline
 * heap (coro_timer.h) for sleeps and timeouts.
 *
 * The loop knows nothing about coroutines: whoever waits embeds a struct
 * coro_wait, and the loop hands it back through the wake callback given at
 * init when its fd is ready (result 0) or its deadline passes (-ETIMEDOUT
 * for an fd wait, 0 for a sleep). The scheduler (coro_sched.c) sits on top:
 * it parks a coroutine after arming its wait and makes it runnable in the
 * callback, so the dependency runs one way.
 *
 * Timers: the heap's earliest deadline becomes the timeout of the backend's
 * poll. A heap rather than a timerfd per sleeper: no descriptor and no
 * system call per timer (10,000 sleepers would need 10,000 descriptors). */
#pragma once
#include <stdint.h>
#include "coro_backend.h"
#include "coro_timer.h"
#include "err.h"

struct coro_wait {
	struct coro_timer timer; /* index -1 when no deadline is armed */
	int fd;                  /* the fd waited on, or -1 */
};

struct coro_loop;
typedef void (*coro_loop_wake_fn)(struct coro_loop *l, struct coro_wait *w, int result);

#define CORO_LOOP_BATCH 1024 /* ready fds taken per poll */

struct coro_loop {
	const struct coro_backend_ops *ops;
	struct coro_backend *backend;
	struct coro_wait **fd_waiter; /* fd -> the wait armed on it */
	int fd_capacity;
	int fd_waits;                 /* waits armed on an fd */
	struct coro_timer_heap timers;
	coro_loop_wake_fn wake;
	int ready[CORO_LOOP_BATCH];
	uint64_t polls, fd_wakeups, timer_wakeups; /* statistics */
};

/* 0, or -1 with e (the backend refused). */
int coro_loop_init(struct coro_loop *l, const struct coro_backend_ops *ops, coro_loop_wake_fn wake,
		   struct err *e);
void coro_loop_destroy(struct coro_loop *l);

static inline void coro_wait_init(struct coro_wait *w)
{
	w->timer.index = -1;
	w->fd = -1;
}

/* Arm w to be woken when fd is ready for `events` (POLLIN/POLLOUT/POLLPRI)
 * or at `deadline_ns` (CLOCK_MONOTONIC; < 0: no deadline). 0, -EBUSY when
 * another wait is armed on fd, or -errno. */
int coro_loop_watch_fd(struct coro_loop *l, struct coro_wait *w, int fd, int events,
		       int64_t deadline_ns);
/* Arm w to be woken at deadline_ns. 0 or -ENOMEM. */
int coro_loop_watch_timer(struct coro_loop *l, struct coro_wait *w, int64_t deadline_ns);
/* Waits armed (fds and timers). */
static inline int coro_loop_pending(const struct coro_loop *l)
{
	return l->fd_waits + l->timers.count;
}
/* Wait for events, at most timeout_ns (< 0: until the earliest deadline,
 * or for ever without one; 0: not at all), and wake whoever they concern.
 * 0, or -1 with e. */
int coro_loop_poll(struct coro_loop *l, int64_t timeout_ns, struct err *e);
