/* coro_backend_epoll.c — readiness through epoll.
 *
 * File descriptors are registered EPOLLONESHOT and re-armed with one
 * epoll_ctl(MOD) per wait, so a steady request/response loop costs one
 * epoll_ctl per wait and no EPOLL_CTL_DEL. Timeouts have nanosecond
 * resolution through epoll_pwait2 (milliseconds with plain epoll_wait on
 * kernels without it). */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include "coro_backend.h"
#include "coro_table.h"

#define EPOLL_BATCH 1024 /* events taken per wait */

struct coro_backend {
	int epfd;
	int have_pwait2;
	unsigned char *known; /* fd -> registered with epfd (perhaps disabled) */
	int capacity;
	struct epoll_event evs[EPOLL_BATCH];
};

static int epoll_create_backend(struct coro_backend **out, struct err *e)
{
	struct coro_backend *b = calloc(1, sizeof *b);
	if (!b)
		return err_set(e, "coroutines: out of memory for the epoll backend");
	b->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (b->epfd < 0) {
		int saved = errno;
		free(b);
		return err_set(e, "coroutines: epoll_create1: %s", strerror(saved));
	}
	b->have_pwait2 = 1;
	*out = b;
	return 0;
}

static void epoll_destroy(struct coro_backend *b)
{
	close(b->epfd);
	free(b->known);
	free(b);
}

static int known_fit(struct coro_backend *b, int fd)
{
	if (fd < b->capacity)
		return 0;
	int cap = coro_table_capacity(b->capacity, fd);
	if (coro_table_grow(&b->known, 1, b->capacity, cap) != 0)
		return -1;
	b->capacity = cap;
	return 0;
}

static int epoll_add(struct coro_backend *b, int fd, int events)
{
	if (known_fit(b, fd) != 0)
		return -ENOMEM;
	struct epoll_event ev = {
		.events = EPOLLONESHOT | ((events & POLLIN) ? EPOLLIN : 0) |
			  ((events & POLLOUT) ? EPOLLOUT : 0) | ((events & POLLPRI) ? EPOLLPRI : 0),
		.data.fd = fd,
	};
	if (epoll_ctl(b->epfd, b->known[fd] ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) != 0) {
		/* Closing an fd drops its registration, and the number may
		 * since have been reused: believe the kernel and retry. */
		int retry = errno == ENOENT ? EPOLL_CTL_ADD : errno == EEXIST ? EPOLL_CTL_MOD : -1;
		if (retry < 0 || epoll_ctl(b->epfd, retry, fd, &ev) != 0)
			return -errno;
	}
	b->known[fd] = 1;
	return 0;
}

static void epoll_del(struct coro_backend *b, int fd)
{
	if (fd < b->capacity && b->known[fd]) {
		epoll_ctl(b->epfd, EPOLL_CTL_DEL, fd, NULL);
		b->known[fd] = 0;
	}
}

static int epoll_poll(struct coro_backend *b, int *fds, int max, int64_t timeout_ns)
{
	if (max > EPOLL_BATCH)
		max = EPOLL_BATCH;
	int n = -1;
	if (b->have_pwait2) {
		struct timespec ts = {.tv_sec = timeout_ns / 1000000000,
				      .tv_nsec = timeout_ns % 1000000000};
		n = epoll_pwait2(b->epfd, b->evs, max, timeout_ns < 0 ? NULL : &ts, NULL);
		if (n < 0 && errno == ENOSYS)
			b->have_pwait2 = 0;
	}
	if (!b->have_pwait2) {
		int ms = timeout_ns < 0 ? -1 : (int)((timeout_ns + 999999) / 1000000);
		n = epoll_wait(b->epfd, b->evs, max, ms);
	}
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (int i = 0; i < n; i++)
		fds[i] = b->evs[i].data.fd;
	return n;
}

const struct coro_backend_ops coro_backend_epoll = {
	.name = "epoll",
	.create = epoll_create_backend,
	.destroy = epoll_destroy,
	.add = epoll_add,
	.del = epoll_del,
	.poll = epoll_poll,
};

const struct coro_backend_ops *coro_backend_find(const char *name)
{
	if (!strcmp(name, coro_backend_epoll.name))
		return &coro_backend_epoll;
	if (!strcmp(name, coro_backend_io_uring.name))
		return &coro_backend_io_uring;
	return NULL;
}
