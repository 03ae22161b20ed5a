/* coro_backend_uring.c — readiness through io_uring (liburing): one
 * IORING_OP_POLL_ADD per wait, one-shot by nature, so arming is one SQE
 * and no system call of its own; the SQEs of a round go to the kernel with
 * the wait that follows (io_uring_submit_and_wait_timeout).
 *
 * A poll that is cancelled (the waiter timed out) may still complete, or
 * complete with -ECANCELED, after the fd was armed again: each arm carries
 * the fd and a per-fd generation in its user_data, and a completion of an
 * older generation is dropped. Cancellations carry a tag of their own.
 * Built only when pkg-config finds liburing (CMBENCH_HAVE_LIBURING);
 * otherwise create() says "built without liburing". */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "coro_backend.h"
#include "coro_table.h"

#ifdef CMBENCH_HAVE_LIBURING
#include <liburing.h>

#define URING_ENTRIES 4096
#define CANCEL_TAG (1ull << 63)

struct coro_backend {
	struct io_uring ring;
	uint32_t *generation; /* fd -> generation of its current arm */
	unsigned char *armed; /* fd -> a poll is outstanding */
	int capacity;
};

static int uring_create(struct coro_backend **out, struct err *e)
{
	struct coro_backend *b = calloc(1, sizeof *b);
	if (!b)
		return err_set(e, "coroutines: out of memory for the io_uring backend");
	int r = io_uring_queue_init(URING_ENTRIES, &b->ring, 0);
	if (r < 0) {
		free(b);
		return err_set(e, "coroutines: backend=io_uring: the kernel refused io_uring "
				  "(io_uring_setup: %s); use backend=epoll", strerror(-r));
	}
	*out = b;
	return 0;
}

static void uring_destroy(struct coro_backend *b)
{
	io_uring_queue_exit(&b->ring);
	free(b->generation);
	free(b->armed);
	free(b);
}

static int table_fit(struct coro_backend *b, int fd)
{
	if (fd < b->capacity)
		return 0;
	int cap = coro_table_capacity(b->capacity, fd);
	if (coro_table_grow(&b->generation, sizeof *b->generation, b->capacity, cap) != 0 ||
	    coro_table_grow(&b->armed, 1, b->capacity, cap) != 0)
		return -1; /* a grown generation table and an old capacity: harmless */
	b->capacity = cap;
	return 0;
}

static uint64_t tag(int fd, uint32_t generation) { return (uint64_t)generation << 32 | (uint32_t)fd; }

/* An SQE, submitting the queued ones first if the ring is full. */
static struct io_uring_sqe *sqe_get(struct coro_backend *b)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&b->ring);
	if (!sqe && io_uring_submit(&b->ring) >= 0)
		sqe = io_uring_get_sqe(&b->ring);
	return sqe;
}

static int uring_add(struct coro_backend *b, int fd, int events)
{
	if (table_fit(b, fd) != 0)
		return -ENOMEM;
	struct io_uring_sqe *sqe = sqe_get(b);
	if (!sqe)
		return -EBUSY;
	io_uring_prep_poll_add(sqe, fd, (unsigned)events);
	io_uring_sqe_set_data64(sqe, tag(fd, ++b->generation[fd]));
	b->armed[fd] = 1;
	return 0;
}

static void uring_del(struct coro_backend *b, int fd)
{
	if (fd >= b->capacity || !b->armed[fd])
		return;
	struct io_uring_sqe *sqe = sqe_get(b);
	if (sqe) {
		io_uring_prep_poll_remove(sqe, tag(fd, b->generation[fd]));
		io_uring_sqe_set_data64(sqe, CANCEL_TAG);
	}
	b->generation[fd]++; /* whatever the old poll reports is stale now */
	b->armed[fd] = 0;
}

static int uring_poll(struct coro_backend *b, int *fds, int max, int64_t timeout_ns)
{
	struct io_uring_cqe *cqe = NULL;
	int r;
	if (timeout_ns == 0) {
		r = io_uring_submit(&b->ring);
	} else {
		struct __kernel_timespec ts = {.tv_sec = timeout_ns / 1000000000,
					       .tv_nsec = timeout_ns % 1000000000};
		r = io_uring_submit_and_wait_timeout(&b->ring, &cqe, 1, timeout_ns < 0 ? NULL : &ts,
						     NULL);
	}
	if (r < 0 && r != -ETIME && r != -EINTR && r != -EBUSY)
		return r;
	int n = 0;
	unsigned head, seen = 0;
	io_uring_for_each_cqe(&b->ring, head, cqe)
	{
		seen++;
		uint64_t data = io_uring_cqe_get_data64(cqe);
		if (data & CANCEL_TAG)
			continue;
		int fd = (int)(uint32_t)data;
		if (fd >= b->capacity || !b->armed[fd] || b->generation[fd] != (uint32_t)(data >> 32))
			continue; /* cancelled: its waiter timed out */
		/* An error (a closed fd, -ECANCELED) is reported as ready too:
		 * the waiter's next I/O call tells what happened. */
		b->armed[fd] = 0;
		fds[n++] = fd;
		if (n == max)
			break;
	}
	io_uring_cq_advance(&b->ring, seen);
	return n;
}

const struct coro_backend_ops coro_backend_io_uring = {
	.name = "io_uring",
	.create = uring_create,
	.destroy = uring_destroy,
	.add = uring_add,
	.del = uring_del,
	.poll = uring_poll,
};

#else /* built without liburing */

static int uring_refuse(struct coro_backend **out, struct err *e)
{
	*out = NULL;
	return err_set(e, "coroutines: backend=io_uring: built without liburing "
			  "(install liburing-dev and re-run cmake); use backend=epoll");
}

const struct coro_backend_ops coro_backend_io_uring = {
	.name = "io_uring",
	.create = uring_refuse,
};

#endif
