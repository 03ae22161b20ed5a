/* coro_backend.h — the event loop's readiness backend, in the manner of
 * Redis's ae: create, add (or modify), delete, poll, name. A backend watches
 * file descriptors one-shot: add(fd, events) arms one report of readiness
 * for POLLIN / POLLOUT / POLLPRI; after poll reports it, the fd stays quiet
 * until armed again. Two backends: epoll (EPOLLONESHOT, re-armed with one
 * epoll_ctl per wait) and io_uring (IORING_OP_POLL_ADD, one-shot by nature,
 * submitted in batches by the poll that follows). Chosen per run
 * (`--param backend=`); a backend the kernel or the build refuses says so
 * at create, it is never silently replaced by another. */
#pragma once
#include <stdint.h>
#include "err.h"

struct coro_backend;

struct coro_backend_ops {
	const char *name;
	/* A new instance: 0, or -1 with e saying why the kernel (or the build)
	 * refused it. */
	int (*create)(struct coro_backend **b, struct err *e);
	void (*destroy)(struct coro_backend *b);
	/* Arm one report of fd's readiness for `events`. 0 or -errno. */
	int (*add)(struct coro_backend *b, int fd, int events);
	/* Disarm fd (it may be armed or not); a report already on its way is
	 * dropped. */
	void (*del)(struct coro_backend *b, int fd);
	/* Wait at most timeout_ns (< 0: until something is ready; 0: not at
	 * all) and store up to `max` ready fds. n >= 0, or -errno (EINTR is 0). */
	int (*poll)(struct coro_backend *b, int *fds, int max, int64_t timeout_ns);
};

extern const struct coro_backend_ops coro_backend_epoll;
extern const struct coro_backend_ops coro_backend_io_uring;

#define CORO_BACKEND_CHOICES "epoll|io_uring"
/* The backend called `name`, or NULL. */
const struct coro_backend_ops *coro_backend_find(const char *name);
