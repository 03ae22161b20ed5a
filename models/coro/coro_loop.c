/* coro_loop.c — the event loop: which wait an fd belongs to, the deadline
 * heap, and one poll of the backend (coro_loop.h). One wait at a time may
 * be armed on a given fd. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#include "coro_loop.h"
#include "coro_table.h"

int coro_loop_init(struct coro_loop *l, const struct coro_backend_ops *ops, coro_loop_wake_fn wake,
		   struct err *e)
{
	memset(l, 0, sizeof *l);
	l->ops = ops;
	l->wake = wake;
	return ops->create(&l->backend, e);
}

void coro_loop_destroy(struct coro_loop *l)
{
	if (l->backend)
		l->ops->destroy(l->backend);
	l->backend = NULL;
	free(l->fd_waiter);
	l->fd_waiter = NULL;
	l->fd_capacity = 0;
	coro_timer_heap_free(&l->timers);
}

static int fd_table_fit(struct coro_loop *l, int fd)
{
	if (fd < l->fd_capacity)
		return 0;
	int cap = coro_table_capacity(l->fd_capacity, fd);
	if (coro_table_grow(&l->fd_waiter, sizeof *l->fd_waiter, l->fd_capacity, cap) != 0)
		return -1;
	l->fd_capacity = cap;
	return 0;
}

int coro_loop_watch_fd(struct coro_loop *l, struct coro_wait *w, int fd, int events,
		       int64_t deadline_ns)
{
	if (fd < 0)
		return -EBADF;
	if (fd_table_fit(l, fd) != 0)
		return -ENOMEM;
	if (l->fd_waiter[fd])
		return -EBUSY;
	int r = l->ops->add(l->backend, fd, events);
	if (r < 0)
		return r;
	if (deadline_ns >= 0 && coro_timer_add(&l->timers, &w->timer, deadline_ns) != 0) {
		l->ops->del(l->backend, fd);
		return -ENOMEM;
	}
	l->fd_waiter[fd] = w;
	w->fd = fd;
	l->fd_waits++;
	return 0;
}

int coro_loop_watch_timer(struct coro_loop *l, struct coro_wait *w, int64_t deadline_ns)
{
	return coro_timer_add(&l->timers, &w->timer, deadline_ns) == 0 ? 0 : -ENOMEM;
}

/* w stops waiting on its fd. */
static void fd_unwatch(struct coro_loop *l, struct coro_wait *w)
{
	l->fd_waiter[w->fd] = NULL;
	w->fd = -1;
	l->fd_waits--;
}

static struct coro_wait *wait_of_timer(struct coro_timer *t)
{
	return (struct coro_wait *)((char *)t - offsetof(struct coro_wait, timer));
}

int coro_loop_poll(struct coro_loop *l, int64_t timeout_ns, struct err *e)
{
	if (timeout_ns < 0) {
		struct coro_timer *t = coro_timer_first(&l->timers);
		if (t) {
			timeout_ns = t->deadline - clock_now_ns();
			if (timeout_ns < 0)
				timeout_ns = 0;
		}
	}
	int n = 0;
	if (timeout_ns != 0 || l->fd_waits > 0) {
		l->polls++;
		n = l->ops->poll(l->backend, l->ready, CORO_LOOP_BATCH, timeout_ns);
		if (n < 0)
			return err_set(e, "coroutines: %s poll: %s", l->ops->name, strerror(-n));
	}
	for (int i = 0; i < n; i++) {
		int fd = l->ready[i];
		struct coro_wait *w = fd < l->fd_capacity ? l->fd_waiter[fd] : NULL;
		if (!w)
			continue; /* its waiter already timed out */
		fd_unwatch(l, w);
		coro_timer_remove(&l->timers, &w->timer);
		l->fd_wakeups++;
		l->wake(l, w, 0);
	}
	if (coro_timer_first(&l->timers)) {
		int64_t now = clock_now_ns();
		struct coro_timer *t;
		while ((t = coro_timer_first(&l->timers)) && t->deadline <= now) {
			coro_timer_remove(&l->timers, t);
			struct coro_wait *w = wait_of_timer(t);
			int result = 0;
			if (w->fd >= 0) {
				/* Still armed: disarm, or a late event would wake a later wait. */
				l->ops->del(l->backend, w->fd);
				fd_unwatch(l, w);
				result = -ETIMEDOUT;
			}
			l->timer_wakeups++;
			l->wake(l, w, result);
		}
	}
	return 0;
}
