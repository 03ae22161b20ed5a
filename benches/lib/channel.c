/* channel.c — pipe and condition-variable channels between two tasks. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "channel.h"
#include "clock.h"

struct mailbox {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int full;
	size_t len;
	/* the buffer follows, max_len bytes */
};

struct channel {
	enum channel_kind kind;
	size_t max_len;
	int fd[2][2];             /* pipe: fd[from][0] read end, fd[from][1] write end */
	struct mailbox *box[2];   /* condvar: box[from], in `mapping` */
	void *mapping;
	size_t mapping_size;
};

static size_t box_stride(size_t max_len) { return (sizeof(struct mailbox) + max_len + 63) / 64 * 64; }
static unsigned char *box_data(struct mailbox *b) { return (unsigned char *)(b + 1); }

static int init_box(struct mailbox *b, struct err *e)
{
	pthread_mutexattr_t ma;
	pthread_condattr_t ca;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	int rc = pthread_mutex_init(&b->lock, &ma) || pthread_cond_init(&b->changed, &ca);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_destroy(&ca);
	return rc ? err_set(e, "channel: cannot make a process-shared mutex/condition variable") : 0;
}

struct channel *channel_create(enum channel_kind kind, size_t max_len, struct err *e)
{
	struct channel *c = calloc(1, sizeof *c);
	if (!c) {
		err_set(e, "channel: out of memory");
		return NULL;
	}
	c->kind = kind;
	c->max_len = max_len;
	memset(c->fd, -1, sizeof c->fd);
	if (kind == CHANNEL_PIPE) {
		for (int d = 0; d < 2; d++)
			if (pipe2(c->fd[d], O_NONBLOCK | O_CLOEXEC) < 0) {
				err_set(e, "channel: no pipe: %s", strerror(errno));
				channel_destroy(c);
				return NULL;
			}
		return c;
	}
	c->mapping_size = 2 * box_stride(max_len);
	c->mapping = mmap(NULL, c->mapping_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (c->mapping == MAP_FAILED) {
		c->mapping = NULL;
		err_set(e, "channel: cannot map %zu bytes: %s", c->mapping_size, strerror(errno));
		channel_destroy(c);
		return NULL;
	}
	for (int d = 0; d < 2; d++) {
		c->box[d] = (struct mailbox *)((char *)c->mapping + (size_t)d * box_stride(max_len));
		if (init_box(c->box[d], e) < 0) {
			channel_destroy(c);
			return NULL;
		}
	}
	return c;
}

void channel_destroy(struct channel *c)
{
	if (!c)
		return;
	for (int d = 0; d < 2; d++)
		for (int k = 0; k < 2; k++)
			if (c->fd[d][k] >= 0)
				close(c->fd[d][k]);
	if (c->mapping) {
		for (int d = 0; d < 2; d++)
			if (c->box[d]) {
				pthread_mutex_destroy(&c->box[d]->lock);
				pthread_cond_destroy(&c->box[d]->changed);
			}
		munmap(c->mapping, c->mapping_size);
	}
	free(c);
}

void channel_reset(struct channel *c)
{
	char junk[4096];
	for (int d = 0; c->kind == CHANNEL_PIPE && d < 2; d++)
		while (read(c->fd[d][0], junk, sizeof junk) > 0)
			;
	for (int d = 0; c->kind == CHANNEL_CONDVAR && d < 2; d++)
		c->box[d]->full = 0;
}

static int waited_too_long(struct rt *rt, int me)
{
	return err_set(rt->err, "channel: task %d waited too long for task %d: both tasks must run at "
				"once (2 workers, each its own thread or process)", me, 1 - me);
}

/* Move len bytes through a non-blocking descriptor, parking in rt_wait_fd. */
static int pipe_move(int fd, int writing, unsigned char *buf, size_t len, int64_t timeout_ns,
		     int me, struct rt *rt)
{
	size_t done = 0;
	while (done < len) {
		ssize_t n = writing ? write(fd, buf + done, len - done) : read(fd, buf + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n == 0)
			return err_set(rt->err, "channel: task %d: the other end closed", me);
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return err_set(rt->err, "channel: task %d: %s: %s", me, writing ? "write" : "read",
				       strerror(errno));
		int rc = rt_wait_fd(rt, fd, writing ? POLLOUT : POLLIN, timeout_ns);
		if (rc == -ETIMEDOUT)
			return waited_too_long(rt, me);
		if (rc < 0)
			return err_set(rt->err, "channel: task %d: wait: %s", me, strerror(-rc));
	}
	return 0;
}

/* Wait on box until its `full` is `want`. Called with the lock held. */
static int box_wait(struct mailbox *b, int want, int64_t timeout_ns)
{
	int64_t until = clock_now_ns() + timeout_ns;
	struct timespec ts = {until / 1000000000, until % 1000000000};
	while (b->full != want)
		if (pthread_cond_timedwait(&b->changed, &b->lock, &ts) == ETIMEDOUT)
			return -1;
	return 0;
}

int channel_send(struct channel *c, int me, const void *buf, size_t len, int64_t timeout_ns,
		 struct rt *rt)
{
	if (len > c->max_len)
		return err_set(rt->err, "channel: message of %zu bytes > %zu", len, c->max_len);
	if (c->kind == CHANNEL_PIPE)
		return pipe_move(c->fd[me][1], 1, (unsigned char *)buf, len, timeout_ns, me, rt);
	struct mailbox *b = c->box[me];
	pthread_mutex_lock(&b->lock);
	int rc = box_wait(b, 0, timeout_ns);
	if (rc == 0) {
		memcpy(box_data(b), buf, len);
		b->len = len;
		b->full = 1;
		pthread_cond_signal(&b->changed);
	}
	pthread_mutex_unlock(&b->lock);
	return rc < 0 ? waited_too_long(rt, me) : 0;
}

int channel_recv(struct channel *c, int me, void *buf, size_t len, int64_t timeout_ns,
		 struct rt *rt)
{
	if (c->kind == CHANNEL_PIPE)
		return pipe_move(c->fd[1 - me][0], 0, buf, len, timeout_ns, me, rt);
	struct mailbox *b = c->box[1 - me];
	pthread_mutex_lock(&b->lock);
	int rc = box_wait(b, 1, timeout_ns);
	size_t got = b->len;
	if (rc == 0 && got == len) {
		memcpy(buf, box_data(b), len);
		b->full = 0;
		pthread_cond_signal(&b->changed);
	}
	pthread_mutex_unlock(&b->lock);
	if (rc < 0)
		return waited_too_long(rt, me);
	if (got != len)
		return err_set(rt->err, "channel: task %d expected %zu bytes, got a message of %zu", me,
			       len, got);
	return 0;
}
