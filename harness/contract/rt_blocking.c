/* rt_blocking.c — runtime operations for workers that are OS threads or
 * processes: they simply block in the kernel. Waits on a word are futexes:
 * private ones among the threads of one process (the kernel keys them by
 * address space, a little cheaper), shared ones across forked processes
 * (keyed by the page of the MAP_SHARED mapping). */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "clock.h"
#include "runtime.h"

int rt_blocking_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	(void)rt;
	struct pollfd p = {.fd = fd, .events = (short)events};
	int64_t deadline = timeout_ns < 0 ? -1 : clock_now_ns() + timeout_ns;
	for (;;) {
		int ms = -1;
		if (deadline >= 0) {
			int64_t left = deadline - clock_now_ns();
			if (left <= 0)
				return -ETIMEDOUT;
			ms = (int)((left + 999999) / 1000000);
		}
		int r = poll(&p, 1, ms);
		if (r > 0)
			return 0; /* ready, or an error/hang-up the caller's read will report */
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int rt_yield_kernel(struct rt *rt)
{
	(void)rt;
	return sched_yield() == 0 ? 0 : -errno;
}

int rt_blocking_sleep(struct rt *rt, int64_t ns)
{
	(void)rt;
	struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
	int r;
	while ((r = clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts)) == EINTR)
		;
	return -r;
}

void rt_nothing(struct rt *rt) { (void)rt; }

int rt_futex_wait(atomic_uint *word, unsigned expected, int64_t timeout_ns, int shared)
{
	struct timespec ts, *tsp = NULL;
	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000;
		ts.tv_nsec = timeout_ns % 1000000000;
		tsp = &ts; /* FUTEX_WAIT's timeout is relative */
	}
	int op = shared ? FUTEX_WAIT : FUTEX_WAIT_PRIVATE;
	if (syscall(SYS_futex, (unsigned *)word, op, expected, tsp, NULL, 0) == 0)
		return 0;
	if (errno == ETIMEDOUT)
		return -ETIMEDOUT;
	/* EAGAIN: the word had already changed; EINTR: a signal. Both are
	 * wake-ups the caller re-checks. */
	return errno == EAGAIN || errno == EINTR ? 0 : -errno;
}

void rt_futex_wake(atomic_uint *word, int n, int shared)
{
	syscall(SYS_futex, (unsigned *)word, shared ? FUTEX_WAKE : FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}

static int thread_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	(void)rt;
	return rt_futex_wait(word, expected, timeout_ns, 0);
}

static void thread_wake_word(struct rt *rt, atomic_uint *word, int n)
{
	(void)rt;
	rt_futex_wake(word, n, 0);
}

static int process_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	(void)rt;
	return rt_futex_wait(word, expected, timeout_ns, 1);
}

static void process_wake_word(struct rt *rt, atomic_uint *word, int n)
{
	(void)rt;
	rt_futex_wake(word, n, 1);
}

/* One task at a time: nobody else runs while this task waits, so a word
 * that still holds `expected` never changes. Say so instead of hanging. */
static int sequential_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	(void)timeout_ns;
	if (atomic_load(word) != expected)
		return 0;
	if (rt->err && !rt->err->msg[0])
		err_set(rt->err, "task waits for another task, but this model runs one task at a "
				 "time (a deadlock); the workload must declare RT_CAP_CONCURRENT");
	return -EDEADLK;
}

static void sequential_wake_word(struct rt *rt, atomic_uint *word, int n)
{
	(void)rt;
	(void)word;
	(void)n;
}

const struct rt_ops rt_blocking_ops = {
	.caps = RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT | RT_CAP_PARALLEL,
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = rt_nothing,
	.native_end = rt_nothing,
	.wait_word = thread_wait_word,
	.wake_word = thread_wake_word,
};

const struct rt_ops rt_process_ops = {
	.caps = RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT | RT_CAP_PARALLEL |
		RT_CAP_SEPARATE_ADDRESS_SPACES,
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = rt_nothing,
	.native_end = rt_nothing,
	.wait_word = process_wait_word,
	.wake_word = process_wake_word,
};

const struct rt_ops rt_sequential_ops = {
	.caps = RT_CAP_SHARED_MEMORY,
	.wait_fd = rt_blocking_wait_fd,
	.sleep = rt_blocking_sleep,
	.native_begin = rt_nothing,
	.native_end = rt_nothing,
	.wait_word = sequential_wait_word,
	.wake_word = sequential_wake_word,
};

static const char *const cap_names[] = {"yield", "shared memory", "separate address spaces",
					"concurrent tasks", "parallel workers"};

const char *rt_cap_name(unsigned cap)
{
	for (unsigned i = 0; i < sizeof cap_names / sizeof *cap_names; i++)
		if (cap == 1u << i)
			return cap_names[i];
	return "?";
}

void rt_caps_describe(unsigned caps, char *buf, size_t size)
{
	size_t len = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < sizeof cap_names / sizeof *cap_names && len < size; i++)
		if (caps & (1u << i))
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "", cap_names[i]);
	if (!buf[0])
		snprintf(buf, size, "none");
}
