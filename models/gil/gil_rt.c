/* gil_rt.c — what a workload may ask of a GIL-holding worker. Like
 * Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS around a blocking call, each
 * wait drops the lock, blocks in the kernel, and takes the lock back; a
 * native region (hashlib's update of >= 2048 bytes) is the same bracket
 * around work done in C. */
#include "gil_worker.h"
#include "rt_io.h"

static void allow_threads_begin(struct rt *rt)
{
	struct gil_worker *w = rt->model;
	w->shared->policy->drop(w->shared->gil, &w->thread, 0);
}

/* Take the lock back, counting the intervals waited into *where. */
static void take_back(struct rt *rt, uint64_t *where)
{
	struct gil_worker *w = rt->model;
	uint64_t before = w->thread.stats.timed_out_waits;
	w->shared->policy->take(w->shared->gil, &w->thread);
	*where += w->thread.stats.timed_out_waits - before;
}

static void allow_threads_end(struct rt *rt)
{
	struct gil_worker *w = rt->model;
	take_back(rt, &w->thread.stats.timeouts_after_native);
}

static int gil_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	struct gil_worker *w = rt->model;
	allow_threads_begin(rt);
	int r = rt_blocking_wait_fd(rt, fd, events, timeout_ns);
	take_back(rt, &w->thread.stats.timeouts_after_wait);
	return r;
}

/* socket.recv on a blocking socket: recv(2) itself runs without the GIL
 * (sock_call_ex inside Py_BEGIN/END_ALLOW_THREADS), so the reply is read
 * before the lock is taken back, not after. */
static ssize_t gil_read_fd(struct rt *rt, int fd, void *buf, size_t len)
{
	struct gil_worker *w = rt->model;
	allow_threads_begin(rt);
	struct rt plain = *rt;
	/* Lock released: read(2), which waits itself on a blocking fd (the
	 * convoy's, rt_io_adopt_fd), as CPython's recv(2) does; on a
	 * non-blocking one poll(2) if nothing is there yet, then read(2). */
	plain.ops = &rt_blocking_ops;
	ssize_t n = rt_read_fd(&plain, fd, buf, len);
	take_back(rt, &w->thread.stats.timeouts_after_wait);
	return n;
}

static int gil_sleep(struct rt *rt, int64_t ns)
{
	struct gil_worker *w = rt->model;
	allow_threads_begin(rt);
	int r = rt_blocking_sleep(rt, ns);
	take_back(rt, &w->thread.stats.timeouts_after_wait);
	return r;
}

/* A lock, queue or event of rt_sync.h that must wait: as CPython's
 * Lock.acquire, the uncontended try happened with the GIL held (in
 * rt_sync.c); the blocking wait releases it. */
static int gil_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	allow_threads_begin(rt);
	int r = rt_futex_wait(word, expected, timeout_ns, 0);
	allow_threads_end(rt);
	return r;
}

static void gil_wake_word(struct rt *rt, atomic_uint *word, int n)
{
	(void)rt;
	rt_futex_wake(word, n, 0);
}

const struct rt_ops gil_rt_ops = {
	/* One thread runs Python code at a time: not RT_CAP_PARALLEL. */
	.caps = RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT,
	.wait_word = gil_wait_word,
	.wake_word = gil_wake_word,
	.wait_fd = gil_wait_fd,
	.read_fd = gil_read_fd,
	.sleep = gil_sleep,
	.native_begin = allow_threads_begin,
	.native_end = allow_threads_end,
};
