/* test_coro_many.c — the coroutine scheduler and event loop:
 *  - 10,000 coroutines, each yielding and sleeping on the timer heap, all
 *    complete, each exactly once;
 *  - wait_fd parks until a pipe is readable, times out with -ETIMEDOUT
 *    (and a later wait on the same fd still works), refuses a second
 *    waiter on one fd with -EBUSY;
 *  - a coroutine parked forever with nothing to wake it is an error, not
 *    a hang;
 *  - a coroutine that only yields does not starve one waiting for I/O;
 * each with every context switch, on every event-loop backend (epoll,
 * io_uring) that this kernel allows. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>
#include "check.h"
#include "clock.h"
#include "coro_sched.h"
#include "coro_stack.h"

#if defined(CORO_TSAN) || defined(__SANITIZE_ADDRESS__)
/* Every fiber is a thread to TSan (its registry stops at 8128), and each
 * costs it ~1 MB of shadow to clear: 2,000 look for races as well as 8,000,
 * in minutes less (test_coro_model.sh runs 8,000 through cmbench). ASan's
 * shadow of 10,000 stacks on both backends ran past the test's 300 s. */
#define MANY 2000
#else
#define MANY 10000
#endif

static struct coro_sched sched;
static const struct coro_backend_ops *backend; /* each test runs on every backend */
static int finished[MANY];

static void many_body(void *arg)
{
	int i = (int)(intptr_t)arg;
	for (int k = 0; k < 3; k++)
		coro_yield(&sched);
	coro_sleep(&sched, 1000000 + (i % 5) * 500000);
	coro_yield(&sched);
	finished[i]++;
}

static int run_all(int n, void (*body)(void *), void **args, struct coro *cs, struct err *e)
{
	struct coro_stacks stacks;
	if (coro_stacks_create(&stacks, n, 64 * 1024, e) != 0)
		return -1;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++)
		rc = coro_spawn(&sched, &cs[i], coro_stack_lo(&stacks, i), stacks.usable, body,
				args ? args[i] : (void *)(intptr_t)i, e);
	if (rc == 0)
		rc = coro_sched_run(&sched, e);
	for (int i = 0; i < n; i++)
		coro_release(&cs[i]);
	coro_stacks_destroy(&stacks);
	return rc;
}

static void test_many(enum coro_switch_kind kind, int many)
{
	static struct coro cs[MANY];
	struct err e;
	memset(finished, 0, sizeof finished);
	CHECK(coro_sched_init_backend(&sched, kind, backend, &e) == 0, "%s", e.msg);
	int64_t t0 = clock_now_ns();
	CHECK(run_all(many, many_body, NULL, cs, &e) == 0, "%s", e.msg);
	int64_t elapsed = clock_now_ns() - t0;
	int done = 0;
	for (int i = 0; i < many; i++)
		done += finished[i] == 1;
	CHECK_INT(done, many);
	CHECK_INT(atomic_load(&sched.group->live), 0);
	CHECK_INT(coro_loop_pending(&sched.loop), 0);
	CHECK_INT((int)sched.loop.timer_wakeups, many);
	CHECK(sched.switches >= 5ull * (unsigned)many, "%llu switches", (unsigned long long)sched.switches);
	printf("%d coroutines (switch %d, %s): %.1f ms, %llu switches, %llu polls\n", many, kind,
	       backend->name, elapsed / 1e6, (unsigned long long)sched.switches,
	       (unsigned long long)sched.loop.polls);
	coro_sched_destroy(&sched);
}

static int pipe_fds[2];
static int results[4];

static void reader_body(void *arg)
{
	(void)arg;
	char c;
	results[0] = coro_wait_fd(&sched, pipe_fds[0], POLLIN, 2000000); /* nothing yet */
	results[1] = coro_wait_fd(&sched, pipe_fds[0], POLLIN, -1);
	results[2] = (int)read(pipe_fds[0], &c, 1);
}

/* The writer asks for the reader's fd only after its own sleep: the reader's
 * 2 ms deadline comes first and one scheduler wakes in deadline order, so the
 * reader is then parked in its second wait whatever the machine's load. (It
 * once asked right away: a late scheduler had by then timed the reader out,
 * the writer got the fd, and the reader blocked in read() for ever.) */
static void writer_body(void *arg)
{
	(void)arg;
	coro_sleep(&sched, 10000000);
	results[3] = coro_wait_fd(&sched, pipe_fds[0], POLLIN, -1); /* already taken */
	CHECK(write(pipe_fds[1], "x", 1) == 1, "write");
}

/* Run two coroutines to completion on a fresh scheduler. */
static void run_pair(enum coro_switch_kind kind, void (*first)(void *), void (*second)(void *))
{
	static struct coro cs[2];
	struct err e;
	struct coro_stacks stacks;
	CHECK(coro_sched_init_backend(&sched, kind, backend, &e) == 0, "%s", e.msg);
	CHECK(coro_stacks_create(&stacks, 2, 64 * 1024, &e) == 0, "%s", e.msg);
	coro_spawn(&sched, &cs[0], coro_stack_lo(&stacks, 0), stacks.usable, first, NULL, &e);
	coro_spawn(&sched, &cs[1], coro_stack_lo(&stacks, 1), stacks.usable, second, NULL, &e);
	CHECK(coro_sched_run(&sched, &e) == 0, "%s", e.msg);
	coro_release(&cs[0]);
	coro_release(&cs[1]);
	coro_stacks_destroy(&stacks);
	coro_sched_destroy(&sched);
}

static void test_wait_fd(enum coro_switch_kind kind)
{
	CHECK(pipe(pipe_fds) == 0, "pipe");
	run_pair(kind, reader_body, writer_body);
	CHECK_INT(results[0], -ETIMEDOUT);
	CHECK_INT(results[1], 0);
	CHECK_INT(results[2], 1);
	CHECK_INT(results[3], -EBUSY);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

/* A CPU-bound coroutine that only yields must not starve one parked on I/O. */
static volatile int io_woken;
static void io_body(void *arg)
{
	(void)arg;
	if (coro_wait_fd(&sched, pipe_fds[0], POLLIN, -1) == 0)
		io_woken = 1;
}

static void cpu_body(void *arg)
{
	(void)arg;
	for (long i = 0; i < 100000000 && !io_woken; i++)
		coro_yield(&sched);
	results[0] = io_woken;
}

static void test_no_starvation(enum coro_switch_kind kind)
{
	io_woken = 0;
	results[0] = 0;
	CHECK(pipe(pipe_fds) == 0 && write(pipe_fds[1], "x", 1) == 1, "pipe");
	run_pair(kind, io_body, cpu_body);
	CHECK(results[0] == 1, "the yielding coroutine never let the I/O one see its event");
	close(pipe_fds[0]);
	close(pipe_fds[1]);
}

static void park_forever_body(void *arg)
{
	(void)arg;
	coro_park(&sched); /* nobody will ever wake it */
}

static void test_deadlock(enum coro_switch_kind kind)
{
	static struct coro cs[1];
	struct err e = {{0}};
	CHECK(coro_sched_init_backend(&sched, kind, backend, &e) == 0, "%s", e.msg);
	CHECK(run_all(1, park_forever_body, NULL, cs, &e) == -1, "a parked coroutine went unnoticed");
	CHECK_STR_CONTAINS(e.msg, "neither runnable nor waiting");
	coro_sched_destroy(&sched);
}

/* Whether the kernel (and the build) let this backend be created. */
static int backend_usable(const struct coro_backend_ops *ops)
{
	struct coro_backend *b;
	struct err e = {{0}};
	if (ops->create(&b, &e) != 0) {
		printf("backend %s not tested here: %s\n", ops->name, e.msg);
		return 0;
	}
	ops->destroy(b);
	return 1;
}

int main(void)
{
	static const char *const names[] = {"full", "minimal", "ucontext"};
	static const struct coro_backend_ops *const backends[] = {&coro_backend_epoll,
								  &coro_backend_io_uring};
	for (int b = 0; b < 2; b++) {
		backend = backends[b];
		if (!backend_usable(backend))
			continue;
		for (int k = CORO_SWITCH_FULL; k <= CORO_SWITCH_UCONTEXT; k++) {
			if (coro_switch_kind_parse(names[k]) != k)
				continue;
			/* The 10,000 are the scheduler's and the heap's test; other
			 * backends get a tenth (TSan makes each fiber slow). */
			test_many((enum coro_switch_kind)k, b == 0 ? MANY : MANY / 10);
			test_wait_fd((enum coro_switch_kind)k);
			test_deadlock((enum coro_switch_kind)k);
			test_no_starvation((enum coro_switch_kind)k);
		}
	}
	return check_report("coro_many");
}
