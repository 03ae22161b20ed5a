/* baton_kernel.c — the kernel handoffs of the baton ring (condvar, futex,
 * pipe): how a task waits for the baton and how the holder wakes the task
 * it hands it to (the ring itself is baton.c).
 *
 * Where a kernel handoff's time goes, against the bare ping-pong of
 * `cmbench limits` (harness/floors/floor_pingpong.c). The ring's mutex
 * only guards the bookkeeping (who waits, who holds the baton); the wake
 * (cond_signal, FUTEX_WAKE, the pipe write) happens after it is released.
 * Waking a task while holding the mutex, as this file did until 0.2, made
 * every handoff on one CPU cost two extra context switches: the woken task
 * preempts the waker, runs straight into the mutex the waker still holds,
 * blocks on it (FUTEX_WAIT), the waker runs again only to unlock it
 * (FUTEX_WAKE) and the woken task comes back. The pipe handoff paid that
 * twice over, since its woken task also re-took the mutex after its read
 * for nothing, and it read the empty pipe before polling it (an EAGAIN
 * read per handoff): 13.6 us per handoff against a bare pipe ping-pong's
 * 6.8 us. Now a waiter that is already wait-listed does not take the mutex
 * at all (futex, pipe), and waits by poll + read (the token is never there
 * yet in the steady state, so reading first only adds a failed read). */
#include <errno.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "baton.h"
#include "baton_ring.h"
#include "clock.h"

/* Under the mutex: take the baton if it is free, else make sure `me` is
 * wait-listed. 1 if `me` holds the baton now. */
static int take_or_list(struct baton *b, int me)
{
	if (baton_take_if_free(b, me, 1))
		return 1;
	if (!atomic_load_explicit(&b->tasks[me].waiting, memory_order_relaxed))
		baton_set_waiting(b, me, 1);
	return 0;
}

/* Futex and pipe: whether `me` may wait without taking the mutex — it is
 * wait-listed already (pass_turn did it) and someone else holds the baton,
 * who will hand it over or, dropping it, find `me` on the list first. 0
 * when the mutex is needed (the baton is free, or `me` is not listed). */
static int listed_and_held(struct baton *b, int me)
{
	int holder = atomic_load_explicit(&b->ring->holder, memory_order_acquire);
	return holder != -1 && atomic_load_explicit(&b->tasks[me].waiting, memory_order_relaxed);
}

/* Futex and pipe: 1 if `me` holds the baton, else 0 once `me` is
 * wait-listed, taking the mutex only when it must (listed_and_held). */
static int take_or_list_briefly(struct baton *b, int me)
{
	if (listed_and_held(b, me))
		return 0;
	pthread_mutex_lock(&b->ring->mutex);
	int held = take_or_list(b, me);
	pthread_mutex_unlock(&b->ring->mutex);
	return held;
}

static struct timespec abs_time(int64_t ns)
{
	return (struct timespec){.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
}

int baton_wait_condvar(struct baton *b, int me, struct rt *rt)
{
	int rc = 0;
	pthread_mutex_lock(&b->ring->mutex);
	if (!take_or_list(b, me)) {
		struct timespec ts = abs_time(clock_now_ns() + b->stall_ns);
		while (rc == 0 && atomic_load(&b->ring->holder) != me)
			if (pthread_cond_timedwait(&b->tasks[me].cond, &b->ring->mutex, &ts) == ETIMEDOUT &&
			    atomic_load(&b->ring->holder) != me)
				rc = baton_stalled(b, rt, me);
	}
	pthread_mutex_unlock(&b->ring->mutex);
	return rc;
}

/* The holder sets our `go` word after making us the holder, then wakes it. */
int baton_wait_futex(struct baton *b, int me, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	if (take_or_list_briefly(b, me))
		return 0;
	int op = FUTEX_WAIT_BITSET | (t->futex_private ? FUTEX_PRIVATE_FLAG : 0);
	struct timespec ts = {0};
	int64_t deadline = 0;
	while (atomic_load_explicit(&b->ring->holder, memory_order_acquire) != me) {
		if (atomic_load_explicit(&t->go, memory_order_acquire))
			continue; /* set: the holder store is on its way */
		if (!deadline) {
			deadline = clock_now_ns() + b->stall_ns;
			ts = abs_time(deadline);
		}
		if (syscall(SYS_futex, &t->go, op, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY) != 0 &&
		    errno == ETIMEDOUT && atomic_load(&b->ring->holder) != me)
			return baton_stalled(b, rt, me);
	}
	return 0;
}

/* The holder writes one byte to a task it hands the baton to. */
int baton_wait_pipe(struct baton *b, int me, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	if (take_or_list_briefly(b, me))
		return 0;
	int64_t deadline = clock_now_ns() + b->stall_ns;
	char token;
	while (atomic_load(&b->ring->holder) != me) {
		/* Poll first: in the steady state the token is not there yet. */
		int64_t left = deadline - clock_now_ns();
		int r = left > 0 ? rt_wait_fd(rt, t->pipe_rd, POLLIN, left) : -ETIMEDOUT;
		if (r == 0) {
			ssize_t got = read(t->pipe_rd, &token, 1);
			r = got == 1 || (got < 0 && errno == EAGAIN) ? 0 : got < 0 ? -errno : -EPIPE;
		}
		if (r == -ETIMEDOUT && atomic_load(&b->ring->holder) != me)
			return baton_stalled(b, rt, me);
		if (r < 0 && r != -ETIMEDOUT && r != -EINTR)
			return err_set(rt->err, "yield: waiting on task %d's pipe: %s", me, strerror(-r));
	}
	return 0;
}

/* Tell task `next`, just made the holder, that it is. */
int baton_wake(struct baton *b, int me, int next, int medium, struct rt *rt)
{
	struct baton_task *n = &b->tasks[next];
	if (medium == BATON_CONDVAR) {
		pthread_cond_signal(&n->cond);
	} else if (medium == BATON_FUTEX) {
		atomic_store_explicit(&n->go, 1, memory_order_release);
		int op = FUTEX_WAKE | (b->tasks[me].futex_private ? FUTEX_PRIVATE_FLAG : 0);
		syscall(SYS_futex, &n->go, op, 1, NULL, NULL, 0);
	} else if (medium == BATON_PIPE) {
		char token = 1;
		if (write(n->pipe_wr, &token, 1) != 1)
			return err_set(rt->err, "yield: waking task %d: %s", next, strerror(errno));
	}
	return 0;
}
