/* coro_loop.c — the coroutines' event loop: epoll for file descriptors, a
 * deadline heap (coro_timer.c) for sleeps and timeouts.
 *
 * Timers: one user-space heap whose earliest deadline becomes the timeout of
 * epoll_pwait2 (nanosecond resolution). The alternatives cost more: a
 * timerfd per sleeper needs a file descriptor per coroutine (10,000 of
 * them) and three system calls per sleep; plain epoll_wait rounds timeouts
 * to milliseconds (it is the fallback on kernels without epoll_pwait2).
 *
 * File descriptors are registered EPOLLONESHOT and re-armed with one
 * epoll_ctl(MOD) per wait, so a steady request/response loop costs one
 * epoll_ctl per wait and no EPOLL_CTL_DEL. One coroutine at a time may wait
 * on a given fd. */
#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "clock.h"
#include "coro_sched.h"

#define EVENT_BATCH 1024 /* on the scheduler thread's own stack, never a coroutine's */

int coro_loop_init(struct coro_sched *s, struct err *e)
{
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return err_set(e, "coroutines: epoll_create1: %s", strerror(errno));
	s->have_pwait2 = 1;
	return 0;
}

void coro_loop_destroy(struct coro_sched *s)
{
	if (s->epfd >= 0)
		close(s->epfd);
	s->epfd = -1;
	free(s->fd_waiter);
	free(s->fd_known);
	s->fd_waiter = NULL;
	s->fd_known = NULL;
	s->fd_capacity = 0;
	coro_timer_heap_free(&s->timers);
}

static int fd_table_fit(struct coro_sched *s, int fd)
{
	if (fd < s->fd_capacity)
		return 0;
	int cap = s->fd_capacity ? s->fd_capacity : 64;
	while (cap <= fd)
		cap *= 2;
	struct coro **waiter = realloc(s->fd_waiter, (size_t)cap * sizeof *waiter);
	if (!waiter)
		return -1;
	s->fd_waiter = waiter;
	unsigned char *known = realloc(s->fd_known, (size_t)cap);
	if (!known)
		return -1;
	s->fd_known = known;
	memset(waiter + s->fd_capacity, 0, (size_t)(cap - s->fd_capacity) * sizeof *waiter);
	memset(known + s->fd_capacity, 0, (size_t)(cap - s->fd_capacity));
	s->fd_capacity = cap;
	return 0;
}

static struct coro *coro_of_timer(struct coro_timer *t)
{
	return (struct coro *)((char *)t - offsetof(struct coro, timer));
}

/* The waiter of fd stops waiting on it. */
static void fd_unpark(struct coro_sched *s, struct coro *c)
{
	s->fd_waiter[c->waiting_fd] = NULL;
	c->waiting_fd = -1;
	s->parked_on_fd--;
}

int coro_wait_fd(struct coro_sched *s, int fd, int events, int64_t timeout_ns)
{
	if (fd < 0)
		return -EBADF;
	if (timeout_ns == 0) {
		struct pollfd p = {.fd = fd, .events = (short)events};
		int r = poll(&p, 1, 0);
		return r > 0 ? 0 : r == 0 ? -ETIMEDOUT : -errno;
	}
	if (fd_table_fit(s, fd) != 0)
		return -ENOMEM;
	if (s->fd_waiter[fd])
		return -EBUSY;
	struct coro *self = s->current;
	struct epoll_event ev = {
		.events = EPOLLONESHOT | ((events & POLLIN) ? EPOLLIN : 0) |
			  ((events & POLLOUT) ? EPOLLOUT : 0) | ((events & POLLPRI) ? EPOLLPRI : 0),
		.data.fd = fd,
	};
	if (epoll_ctl(s->epfd, s->fd_known[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) {
		/* Closing an fd drops its registration, and the number may
		 * since have been reused: believe the kernel and retry. */
		int retry = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
		if (retry < 0 || epoll_ctl(s->epfd, retry, fd, &ev) != 0)
			return -errno;
	}
	s->fd_known[fd] = 1;
	if (timeout_ns > 0 &&
	    coro_timer_add(&s->timers, &self->timer, clock_now_ns() + timeout_ns) != 0) {
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
		s->fd_known[fd] = 0;
		return -ENOMEM;
	}
	s->fd_waiter[fd] = self;
	self->waiting_fd = fd;
	s->parked_on_fd++;
	int r = coro_park(s);
	if (r == -ETIMEDOUT) {
		/* Still armed: disarm, or a late event would wake a later wait. */
		epoll_ctl(s->epfd, EPOLL_CTL_DEL, fd, NULL);
		s->fd_known[fd] = 0;
	}
	return r;
}

int coro_sleep(struct coro_sched *s, int64_t ns)
{
	if (ns <= 0) {
		coro_yield(s);
		return 0;
	}
	if (coro_timer_add(&s->timers, &s->current->timer, clock_now_ns() + ns) != 0)
		return -ENOMEM;
	return coro_park(s);
}

static int wait_events(struct coro_sched *s, struct epoll_event *evs, int64_t timeout_ns)
{
	s->epoll_waits++;
	if (s->have_pwait2) {
		struct timespec ts = {.tv_sec = timeout_ns / 1000000000,
				      .tv_nsec = timeout_ns % 1000000000};
		int n = epoll_pwait2(s->epfd, evs, EVENT_BATCH, timeout_ns < 0 ? NULL : &ts, NULL);
		if (n >= 0 || errno != ENOSYS)
			return n;
		s->have_pwait2 = 0;
	}
	int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
	return epoll_wait(s->epfd, evs, EVENT_BATCH, ms);
}

int coro_loop_poll(struct coro_sched *s, int block, struct err *e)
{
	struct epoll_event evs[EVENT_BATCH];
	int n = 0;
	if (block || s->parked_on_fd > 0) {
		int64_t timeout_ns = 0;
		if (block) {
			struct coro_timer *t = coro_timer_first(&s->timers);
			timeout_ns = -1;
			if (t) {
				timeout_ns = t->deadline - clock_now_ns();
				if (timeout_ns < 0)
					timeout_ns = 0;
			}
		}
		n = wait_events(s, evs, timeout_ns);
		if (n < 0) {
			if (errno != EINTR)
				return err_set(e, "coroutines: epoll_wait: %s", strerror(errno));
			n = 0;
		}
	}
	for (int i = 0; i < n; i++) {
		int fd = evs[i].data.fd;
		struct coro *c = fd < s->fd_capacity ? s->fd_waiter[fd] : NULL;
		if (!c)
			continue; /* its waiter already timed out */
		fd_unpark(s, c);
		coro_timer_remove(&s->timers, &c->timer);
		s->fd_wakeups++;
		coro_wake(s, c, 0);
	}
	if (coro_timer_first(&s->timers)) {
		int64_t now = clock_now_ns();
		struct coro_timer *t;
		while ((t = coro_timer_first(&s->timers)) && t->deadline <= now) {
			coro_timer_remove(&s->timers, t);
			struct coro *c = coro_of_timer(t);
			int result = 0;
			if (c->waiting_fd >= 0) {
				fd_unpark(s, c);
				result = -ETIMEDOUT;
			}
			s->timer_wakeups++;
			coro_wake(s, c, result);
		}
	}
	return 0;
}
