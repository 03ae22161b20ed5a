/* runtime.h — what a workload may ask of the model that runs it.
 *
 * A workload never asks which model runs it. Wherever the model may need to
 * act — around a blocking wait, a timer, or a long native region — the
 * workload calls through this table. Sequential, threads and processes block
 * in the kernel (rt_blocking_ops); coroutines park the coroutine and switch;
 * GIL threads release the emulated lock around the wait, as
 * Py_BEGIN/END_ALLOW_THREADS does. */
#pragma once
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdint.h>
#include "err.h"

struct rt;

struct rt_ops {
	/* Wait until fd is ready for `events` (POLLIN and/or POLLOUT).
	 * timeout_ns < 0 waits forever. Returns 0 when ready, -ETIMEDOUT, or -errno. */
	int (*wait_fd)(struct rt *rt, int fd, int events, int64_t timeout_ns);
	/* Wait on a timer for ns nanoseconds. Returns 0 or -errno. */
	int (*sleep)(struct rt *rt, int64_t ns);
	/* Bracket native work that a CPython extension would run without the
	 * GIL (hashlib releases it for updates of >= 2048 bytes). */
	void (*native_begin)(struct rt *rt);
	void (*native_end)(struct rt *rt);
	/* Optional. Hand the processor to another task of the same worker set:
	 * coroutines switch to the next runnable coroutine. A model that leaves
	 * it NULL gets sched_yield(2), the kernel's nearest equivalent.
	 * Returns 0 or -errno. */
	int (*yield)(struct rt *rt);
	/* Optional. Messages between tasks, for a model whose tasks share no
	 * memory and no descriptors (mpi: ranks on other machines). Send `len`
	 * bytes to task `to`; receive exactly `len` bytes from task `from`.
	 * Blocking, in order per pair. A model that leaves them NULL has tasks
	 * that share what the workload set up (pipes, a shared mapping), and the
	 * workload uses that. Return 0 or -errno (with rt->err set). */
	int (*send)(struct rt *rt, int to, const void *buf, size_t len);
	int (*recv)(struct rt *rt, int from, void *buf, size_t len);
};

struct rt {
	const struct rt_ops *ops;
	void *model;     /* the model's per-worker context */
	int worker;      /* index of the worker running this code */
	struct err *err; /* where a failing step explains itself */
};

static inline int rt_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	return rt->ops->wait_fd(rt, fd, events, timeout_ns);
}
static inline int rt_sleep(struct rt *rt, int64_t ns) { return rt->ops->sleep(rt, ns); }
static inline void rt_native_begin(struct rt *rt) { rt->ops->native_begin(rt); }
static inline void rt_native_end(struct rt *rt) { rt->ops->native_end(rt); }
static inline int rt_yield(struct rt *rt)
{
	if (rt->ops->yield)
		return rt->ops->yield(rt);
	return sched_yield() == 0 ? 0 : -errno;
}

static inline int rt_has_messages(const struct rt *rt) { return rt->ops->send && rt->ops->recv; }

/* poll(2) and clock_nanosleep: for models whose workers are OS threads or processes. */
extern const struct rt_ops rt_blocking_ops;
int rt_blocking_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns);
int rt_blocking_sleep(struct rt *rt, int64_t ns);
void rt_nothing(struct rt *rt);
