/* rt_io.c — non-blocking socket helpers that wait through the runtime. */
#include "rt_io.h"
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t deadline_after(int64_t timeout_ns)
{
	return timeout_ns < 0 ? -1 : now_ns() + timeout_ns;
}

/* Wait for `events` on fd until the deadline (-1: none). */
static int wait_until(struct rt *rt, int fd, int events, int64_t deadline)
{
	int64_t left = -1;
	if (deadline >= 0) {
		left = deadline - now_ns();
		if (left <= 0)
			return -ETIMEDOUT;
	}
	return rt_wait_fd(rt, fd, events, left);
}

int rt_io_connect(struct rt *rt, const struct sockaddr_in *addr, int64_t timeout_ns)
{
	int64_t deadline = deadline_after(timeout_ns);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0)
		goto fail;
	if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) < 0) {
		if (errno != EINPROGRESS)
			goto fail;
		int rc = wait_until(rt, fd, POLLOUT, deadline);
		if (rc < 0) {
			close(fd);
			return rc;
		}
		int soerr = 0;
		socklen_t len = sizeof soerr;
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
			goto fail;
		if (soerr) {
			close(fd);
			return -soerr;
		}
	}
	return fd;
fail:;
	int saved = errno;
	close(fd);
	return -saved;
}

ssize_t rt_io_write_full(struct rt *rt, int fd, const void *buf, size_t n, int64_t timeout_ns)
{
	int64_t deadline = deadline_after(timeout_ns);
	size_t sent = 0;
	while (sent < n) {
		ssize_t k = send(fd, (const char *)buf + sent, n - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (k > 0) {
			sent += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = wait_until(rt, fd, POLLOUT, deadline);
		if (rc < 0)
			return rc;
	}
	return (ssize_t)n;
}

int rt_io_adopt_fd(struct rt *rt, int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -errno;
	int want = rt_has(rt, RT_CAP_YIELD) ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (want != fl && fcntl(fd, F_SETFL, want) < 0)
		return -errno;
	return 0;
}

ssize_t rt_read_fd(struct rt *rt, int fd, void *buf, size_t n)
{
	if (rt->ops->read_fd)
		return rt->ops->read_fd(rt, fd, buf, n);
	/* Read first, wait only when nothing is there: a reply that arrived
	 * already costs one read(2), as a blocking recv(2) would, not a poll
	 * and a read. Under a GIL that is the length of the release, which
	 * decides whether the thread waiting for the lock can take it
	 * meanwhile (docs/GIL.md, "One switch interval per round-trip"). On a
	 * blocking fd (rt_io_adopt_fd) the read is the wait as well: a reply
	 * that comes later wakes the reader inside it, as it wakes CPython's
	 * recv, not a poll(2) that then reads ("Round twenty-three"). */
	for (;;) {
		ssize_t k = read(fd, buf, n);
		if (k >= 0)
			return k;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = rt_wait_fd(rt, fd, POLLIN, -1);
		if (rc < 0)
			return rc;
	}
}

ssize_t rt_io_read_full(struct rt *rt, int fd, void *buf, size_t n, int64_t timeout_ns)
{
	int64_t deadline = deadline_after(timeout_ns);
	size_t got = 0;
	while (got < n) {
		ssize_t k = recv(fd, (char *)buf + got, n - got, MSG_DONTWAIT);
		if (k > 0) {
			got += (size_t)k;
			continue;
		}
		if (k == 0)
			return (ssize_t)got; /* the peer closed */
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		int rc = wait_until(rt, fd, POLLIN, deadline);
		if (rc < 0)
			return rc;
	}
	return (ssize_t)n;
}

ssize_t rt_io_exchange(struct rt *rt, int fd, const void *out, void *in, size_t n,
		       int64_t timeout_ns)
{
	int64_t deadline = deadline_after(timeout_ns);
	size_t sent = 0, got = 0;
	while (got < n) {
		while (sent < n) {
			ssize_t k = send(fd, (const char *)out + sent, n - sent,
					 MSG_NOSIGNAL | MSG_DONTWAIT);
			if (k > 0) {
				sent += (size_t)k;
				continue;
			}
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			break;
		}
		for (;;) {
			ssize_t k = recv(fd, (char *)in + got, n - got, MSG_DONTWAIT);
			if (k > 0) {
				got += (size_t)k;
				if (got == n)
					return (ssize_t)n;
				continue;
			}
			if (k == 0)
				return (ssize_t)got;
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			break;
		}
		int rc = wait_until(rt, fd, POLLIN | (sent < n ? POLLOUT : 0), deadline);
		if (rc < 0)
			return rc;
	}
	return (ssize_t)n;
}
