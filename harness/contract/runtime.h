/* runtime.h — what a workload may ask of the model that runs it.
 *
 * A workload never asks which model runs it. Wherever the model may need to
 * act — around a blocking wait, a timer, a long native region, or a wait for
 * another worker (a lock, a queue) — the workload calls through this table.
 * Sequential, threads and processes block in the kernel (rt_blocking.c);
 * coroutines park the coroutine and switch; GIL threads release the emulated
 * lock around the wait, as Py_BEGIN/END_ALLOW_THREADS does. What a model
 * can do is in its capabilities (rt_has), never in its name. */
#pragma once
#include <errno.h>
#include <sched.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>
#include "err.h"

struct rt;

/* What a model's workers can do; a workload asks with rt_has() and declares
 * what it cannot run without in bench.needs (the cell is then skipped with
 * the reason, see contract_check in support.h). */
enum rt_cap {
	/* rt_yield switches to another task of the same worker set (coroutines);
	 * without it rt_yield is sched_yield(2). */
	RT_CAP_YIELD = 1u << 0,
	/* Memory from bench_shared_alloc is one memory that every worker sees
	 * (not so for ranks on other machines). */
	RT_CAP_SHARED_MEMORY = 1u << 1,
	/* Workers live in separate address spaces: what a worker writes outside
	 * shared memory and its result slots is lost to the others and to the
	 * harness (processes, MPI ranks). */
	RT_CAP_SEPARATE_ADDRESS_SPACES = 1u << 2,
	/* A task that waits for another (a lock, a queue, an event) lets the
	 * others run: every worker is live at once. Not so in the sequential
	 * model, where such a wait is a deadlock (-EDEADLK). */
	RT_CAP_CONCURRENT = 1u << 3,
	/* Workers can run at the same instant on different CPUs (threads,
	 * processes): unsynchronised updates race for real. */
	RT_CAP_PARALLEL = 1u << 4,
};
/* Names of the capabilities, for messages: "yield", "shared memory", ... */
const char *rt_cap_name(unsigned cap);
/* The names of the bits of `caps`, comma-separated, into buf. */
void rt_caps_describe(unsigned caps, char *buf, size_t size);

struct rt_ops {
	unsigned caps; /* enum rt_cap bits */
	/* Wait until fd is ready for `events` (POLLIN and/or POLLOUT).
	 * timeout_ns < 0 waits forever. Returns 0 when ready, -ETIMEDOUT, or -errno.
	 * Ready may be stale, as with poll(2): give it a non-blocking fd and
	 * wait again on EAGAIN (rt_io.c, channel.c). */
	int (*wait_fd)(struct rt *rt, int fd, int events, int64_t timeout_ns);
	/* Optional. Wait until fd is readable and read(2) up to len bytes, as
	 * one blocking call: CPython's socket.recv makes recv(2) with the GIL
	 * released, so a GIL model reads before it takes the lock back. NULL:
	 * read, and wait_fd only when nothing is there (rt_read_fd in
	 * rt_io.c). Returns the bytes read (0 at end of file) or -errno. */
	ssize_t (*read_fd)(struct rt *rt, int fd, void *buf, size_t len);
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
	/* Wait while *word == expected, until wake_word on it (or spuriously:
	 * callers re-check). The word lives in shared memory (shared.h); every
	 * lock, queue and event of rt_sync.h waits through this pair, so each
	 * model waits its own way: a futex (private for threads, shared for
	 * processes), a parked coroutine, a GIL thread that drops the lock while
	 * it sleeps. 0, -ETIMEDOUT, or -EDEADLK when nothing could ever wake it
	 * (sequential). timeout_ns < 0 waits forever. */
	int (*wait_word)(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns);
	/* Wake up to n waiters of word (n = INT32_MAX: all). */
	void (*wake_word)(struct rt *rt, atomic_uint *word, int n);
};

struct rt {
	const struct rt_ops *ops;
	void *model;     /* the model's per-worker context */
	int worker;      /* index of the worker running this code */
	struct err *err; /* where a failing step explains itself */
};

static inline int rt_has(const struct rt *rt, unsigned caps) { return (rt->ops->caps & caps) == caps; }
static inline int rt_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	return rt->ops->wait_fd(rt, fd, events, timeout_ns);
}
static inline int rt_sleep(struct rt *rt, int64_t ns) { return rt->ops->sleep(rt, ns); }
static inline void rt_native_begin(struct rt *rt) { rt->ops->native_begin(rt); }
static inline void rt_native_end(struct rt *rt) { rt->ops->native_end(rt); }
/* rt_yield for a model that leaves ops->yield NULL: sched_yield(2). */
int rt_yield_kernel(struct rt *rt);
static inline int rt_yield(struct rt *rt)
{
	if (rt->ops->yield)
		return rt->ops->yield(rt);
	return rt_yield_kernel(rt);
}
/* What rt_yield calls, for a loop of yields to look up once: a worker's
 * ops do not change while it runs. fn(rt) is then rt_yield(rt). */
typedef int (*rt_yield_fn)(struct rt *rt);
static inline rt_yield_fn rt_yield_target(const struct rt *rt)
{
	return rt->ops->yield ? rt->ops->yield : rt_yield_kernel;
}
static inline int rt_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	return rt->ops->wait_word(rt, word, expected, timeout_ns);
}
static inline void rt_wake_word(struct rt *rt, atomic_uint *word, int n) { rt->ops->wake_word(rt, word, n); }

static inline int rt_has_messages(const struct rt *rt) { return rt->ops->send && rt->ops->recv; }

/* The kernel's ways (rt_blocking.c), for models whose workers are OS
 * threads or processes: poll(2), clock_nanosleep, futex(2). */
extern const struct rt_ops rt_blocking_ops;   /* threads of one process: private futexes */
extern const struct rt_ops rt_process_ops;    /* forked processes: shared futexes */
extern const struct rt_ops rt_sequential_ops; /* one task at a time: a wait is a deadlock */
int rt_blocking_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns);
int rt_blocking_sleep(struct rt *rt, int64_t ns);
void rt_nothing(struct rt *rt);
/* futex(2) on a word: `shared` when the waiters may be other processes. */
int rt_futex_wait(atomic_uint *word, unsigned expected, int64_t timeout_ns, int shared);
void rt_futex_wake(atomic_uint *word, int n, int shared);
