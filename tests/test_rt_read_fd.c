/* test_rt_read_fd.c — rt_read_fd reads first and waits only when nothing
 * is there: a reply that has already arrived costs one read(2), as a
 * blocking recv(2) does, and no wait_fd. Under a GIL that read is the
 * whole time the lock is released for a recv; with a poll before it the
 * release was ~2-3 times as long, long enough for a thread waiting for the
 * lock to take it (docs/GIL.md, "One switch interval per round-trip").
 * Also: the bytes are right, an empty socket still waits (through the
 * model's wait_fd) and then reads, end of file reads 0, a closed fd gives
 * -EBADF. rt_io_adopt_fd makes the fd blocking for a model whose tasks
 * are kernel threads, and then a reply that comes later is waited for
 * inside read(2), one call as CPython's recv makes, where before the
 * reader sat in poll(2) and read again ("Round twenty-three"); for a
 * coroutine model it makes the fd non-blocking. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "check.h"
#include "rt_io.h"
#include "syscall_watch.h"

static int waits;	/* calls of counting_wait_fd */
static int late_fd = -1; /* written from inside the first wait, then -1 */

/* The reply arrives while the reader waits: written from inside the wait,
 * not by a thread after a sleep, whose data a reader descheduled for the
 * sleep's length found already there (no wait: a check that fails only on
 * a loaded machine, as the counters test did on CI). */
static int counting_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	waits++;
	if (late_fd >= 0) {
		if (write(late_fd, "late", 4) != 4)
			perror("write");
		late_fd = -1;
	}
	return rt_blocking_ops.wait_fd(rt, fd, events, timeout_ns);
}

struct late_read {
	struct rt *rt;
	int fd;
	char buf[16];
	ssize_t n;
	atomic_int tid;
};

static void *late_reader(void *arg)
{
	struct late_read *l = arg;
	atomic_store(&l->tid, (int)syscall(SYS_gettid));
	l->n = rt_read_fd(l->rt, l->fd, l->buf, sizeof l->buf);
	return NULL;
}

/* Under `rt` (kernel-thread tasks), adopt an empty non-blocking socket, read
 * it from a thread, and reply only once that thread is seen waiting: in
 * read(2), never in poll(2) or the model's wait_fd. */
static void check_blocking_read(struct rt *rt)
{
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: %s", strerror(errno));
	CHECK(fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK) == 0, "O_NONBLOCK");
	CHECK(rt_io_adopt_fd(rt, sv[0]) == 0, "rt_io_adopt_fd");
	CHECK(!(fcntl(sv[0], F_GETFL) & O_NONBLOCK), "a kernel-thread model's fd is left non-blocking");
	struct late_read l = {.rt = rt, .fd = sv[0]};
	waits = 0;
	pthread_t t;
	CHECK(pthread_create(&t, NULL, late_reader, &l) == 0, "pthread_create");
	long nr = -1;
	for (int i = 0; i < 100000; i++) { /* up to ~10 s on a loaded machine */
		int tid = atomic_load(&l.tid);
		nr = tid ? syscall_watch(tid) : -1;
		if (syscall_is_read(nr) || syscall_is_poll(nr))
			break;
		usleep(100);
	}
	CHECK(syscall_is_read(nr), "the reader waited for a late reply in system call %ld, not in "
	      "read(2) (poll(2) is %d)", nr, (int)SYS_ppoll);
	CHECK(write(sv[1], "late", 4) == 4, "write");
	pthread_join(t, NULL);
	CHECK(l.n == 4 && !memcmp(l.buf, "late", 4), "blocking read %zd bytes", l.n);
	CHECK(waits == 0, "a blocking fd went through wait_fd %d time(s)", waits);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	struct rt_ops ops = rt_blocking_ops;
	ops.wait_fd = counting_wait_fd;
	ops.read_fd = NULL; /* the default path under test */
	struct err e = {{0}};
	struct rt rt = {.ops = &ops, .err = &e};
	int sv[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: %s", strerror(errno));
	CHECK(fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK) == 0, "O_NONBLOCK");
	char buf[16];

	/* Already there: one read, no wait. */
	CHECK(write(sv[1], "reply", 5) == 5, "write");
	waits = 0;
	ssize_t n = rt_read_fd(&rt, sv[0], buf, sizeof buf);
	CHECK(n == 5 && !memcmp(buf, "reply", 5), "read %zd bytes", n);
	CHECK(waits == 0, "a reply already there went through wait_fd %d time(s)", waits);

	/* Not there yet: wait through the model, then read. */
	late_fd = sv[1];
	waits = 0;
	n = rt_read_fd(&rt, sv[0], buf, sizeof buf);
	CHECK(n == 4 && !memcmp(buf, "late", 4), "late read %zd bytes", n);
	CHECK(waits >= 1, "an empty socket was read without waiting (%d waits)", waits);

	/* End of file. */
	close(sv[1]);
	CHECK(rt_read_fd(&rt, sv[0], buf, sizeof buf) == 0, "end of file is 0");
	close(sv[0]);
	CHECK(rt_read_fd(&rt, sv[0], buf, sizeof buf) == -EBADF, "a closed fd is -EBADF");

	check_blocking_read(&rt);
	/* Coroutines share a thread: their fd must not block it. */
	struct rt_ops coro_ops = ops;
	coro_ops.caps |= RT_CAP_YIELD;
	struct rt coro = {.ops = &coro_ops, .err = &e};
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: %s", strerror(errno));
	CHECK(rt_io_adopt_fd(&coro, sv[0]) == 0, "rt_io_adopt_fd (coroutines)");
	CHECK(fcntl(sv[0], F_GETFL) & O_NONBLOCK, "a coroutine model's fd is left blocking");
	close(sv[0]);
	close(sv[1]);
	CHECK(rt_io_adopt_fd(&rt, sv[0]) == -EBADF, "adopting a closed fd is -EBADF");
	return check_report("rt_read_fd");
}
