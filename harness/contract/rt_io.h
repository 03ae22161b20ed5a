/* rt_io.h — socket I/O for workloads, built only on rt_wait_fd.
 *
 * Every socket is non-blocking; whenever a call would block, the helper asks
 * the model to wait (rt_wait_fd), so threads and processes block in poll(2),
 * coroutines park, and GIL threads release the lock around the wait. Each
 * call has one overall deadline: timeout_ns < 0 waits forever. */
#pragma once
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "runtime.h"

/* Put fd in the mode in which this model's tasks wait on it: blocking where
 * every task has a kernel thread of its own (no RT_CAP_YIELD: sequential,
 * threads, processes, gil, MPI ranks), so that rt_read_fd's read(2) is
 * itself the wait, the one recv(2) a CPython thread or any threaded program
 * makes on a blocking socket; non-blocking where tasks share one
 * (coroutines: a read that would block parks the task instead). For an fd
 * that one task reads (the fd's mode is shared by every copy of it).
 * 0, or -errno. */
int rt_io_adopt_fd(struct rt *rt, int fd);

/* One blocking read of up to n bytes: read(2), and on a non-blocking fd
 * with nothing there, wait until fd is readable and read again, through
 * the model's read_fd when it has one (a GIL model reads with the lock
 * released, as CPython's socket.recv does). Returns the bytes read (0 at
 * end of file) or -errno. */
ssize_t rt_read_fd(struct rt *rt, int fd, void *buf, size_t n);

/* Open a non-blocking TCP connection (TCP_NODELAY) to addr.
 * Returns the fd, or -errno (-ETIMEDOUT, -ECONNREFUSED, -EMFILE, ...). */
int rt_io_connect(struct rt *rt, const struct sockaddr_in *addr, int64_t timeout_ns);

/* Write all n bytes. Returns n, or -errno (-EPIPE when the peer is gone). */
ssize_t rt_io_write_full(struct rt *rt, int fd, const void *buf, size_t n, int64_t timeout_ns);

/* Read exactly n bytes. Returns n; fewer (the count received) when the peer
 * closed the connection first; or -errno. */
ssize_t rt_io_read_full(struct rt *rt, int fd, void *buf, size_t n, int64_t timeout_ns);

/* Send out[0, n) and receive n bytes into in, both directions at once, so
 * that a message larger than the socket buffers cannot deadlock against a
 * peer that echoes as it reads. Returns n; fewer (bytes received) when the
 * peer closed first; or -errno. */
ssize_t rt_io_exchange(struct rt *rt, int fd, const void *out, void *in, size_t n,
		       int64_t timeout_ns);
