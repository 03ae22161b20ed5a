/* floor_pingpong.c — the bare handoff between two threads (futex, condition
 * variable) and between two processes (pipe): side 0 passes the turn to
 * side 1 and waits for it back, side 1 waits and passes it back. One pass
 * is one one-way handoff; side 0 times ops of them after a short warm-up,
 * once both sides are bound where the placement says and ready.
 *
 * These are the shapes the yield workload's handoffs are measured against
 * (benches/yield.c): a word per side that the waker sets before
 * FUTEX_WAKE; a turn changed under a mutex, signalled after the unlock (so
 * the woken side never finds the mutex still held); a byte written into the
 * other side's pipe and a blocking read of one's own. */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "clock.h"
#include "floor_measure.h"

#define WARM_ROUND_TRIPS 50

enum pp_kind { PP_FUTEX, PP_CONDVAR };

struct pingpong {
	const struct floor_place *place;
	enum pp_kind kind;
	uint64_t round_trips; /* warm-up included */
	atomic_int ready;
	atomic_int word[2] __attribute__((aligned(64))); /* futex: 1 = your turn */
	pthread_mutex_t mutex;
	pthread_cond_t cond[2];
	int turn; /* condvar: whose turn, under mutex */
	int64_t elapsed;
	int rc[2];
	struct err err[2];
};

static void futex_wait_turn(atomic_int *w)
{
	while (atomic_load_explicit(w, memory_order_acquire) == 0)
		syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	atomic_store_explicit(w, 0, memory_order_relaxed);
}

static void futex_pass(atomic_int *w)
{
	atomic_store_explicit(w, 1, memory_order_release);
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void condvar_wait_turn(struct pingpong *p, int me)
{
	pthread_mutex_lock(&p->mutex);
	while (p->turn != me)
		pthread_cond_wait(&p->cond[me], &p->mutex);
	pthread_mutex_unlock(&p->mutex);
}

static void condvar_pass(struct pingpong *p, int to)
{
	pthread_mutex_lock(&p->mutex);
	p->turn = to;
	pthread_mutex_unlock(&p->mutex);
	pthread_cond_signal(&p->cond[to]);
}

/* Both sides bound and here: spin (yielding, as they may share one PU). */
static void meet(atomic_int *ready)
{
	atomic_fetch_add(ready, 1);
	while (atomic_load(ready) < 2)
		sched_yield();
}

static void *pp_side(struct pingpong *p, int me)
{
	if (floor_place_bind(p->place, me, &p->err[me]) != 0) {
		p->rc[me] = -1; /* the other side still meets us and runs: nothing hangs */
	}
	meet(&p->ready);
	int64_t start = 0;
	for (uint64_t i = 0; i < p->round_trips; i++) {
		if (me == 0 && i == WARM_ROUND_TRIPS)
			start = clock_now_ns();
		if (p->kind == PP_FUTEX) {
			if (me == 0) {
				futex_pass(&p->word[1]);
				futex_wait_turn(&p->word[0]);
			} else {
				futex_wait_turn(&p->word[1]);
				futex_pass(&p->word[0]);
			}
		} else {
			if (me == 0) {
				condvar_pass(p, 1);
				condvar_wait_turn(p, 0);
			} else {
				condvar_wait_turn(p, 1);
				condvar_pass(p, 0);
			}
		}
	}
	if (me == 0)
		p->elapsed = clock_now_ns() - start;
	return NULL;
}

static void *pp_side0(void *arg) { return pp_side(arg, 0); }
static void *pp_side1(void *arg) { return pp_side(arg, 1); }

static int threads_pingpong(const struct floor_place *place, enum pp_kind kind, uint64_t ops,
			    int64_t *elapsed_ns, struct err *e)
{
	uint64_t timed = ops / 2 ? ops / 2 : 1;
	struct pingpong *p = calloc(1, sizeof *p);
	if (!p)
		return err_set(e, "ping-pong: out of memory");
	p->place = place;
	p->kind = kind;
	p->round_trips = timed + WARM_ROUND_TRIPS;
	pthread_mutex_init(&p->mutex, NULL);
	pthread_cond_init(&p->cond[0], NULL);
	pthread_cond_init(&p->cond[1], NULL);
	pthread_t t[2];
	int rc = 0, made = 0;
	if ((errno = pthread_create(&t[0], NULL, pp_side0, p)) != 0)
		rc = err_set(e, "ping-pong: pthread_create: %s", strerror(errno));
	else if (made = 1, (errno = pthread_create(&t[1], NULL, pp_side1, p)) != 0) {
		rc = err_set(e, "ping-pong: pthread_create: %s", strerror(errno));
		p->round_trips = 0; /* side 0 meets us and stops at once */
		atomic_fetch_add(&p->ready, 1);
	} else
		made = 2;
	for (int i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; rc == 0 && i < 2; i++)
		if (p->rc[i]) {
			*e = p->err[i];
			rc = -1;
		}
	/* Scale to exactly ops one-way handoffs (2 per round trip). */
	*elapsed_ns = (int64_t)((double)p->elapsed * (double)ops / (double)(2 * timed));
	pthread_cond_destroy(&p->cond[0]);
	pthread_cond_destroy(&p->cond[1]);
	pthread_mutex_destroy(&p->mutex);
	free(p);
	return rc;
}

int floor_futex_pingpong(void *place, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	return threads_pingpong(place, PP_FUTEX, ops, elapsed_ns, e);
}

int floor_condvar_pingpong(void *place, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	return threads_pingpong(place, PP_CONDVAR, ops, elapsed_ns, e);
}

/* Two forked processes; what side 0 measured comes back in shared memory. */
struct pipe_shared {
	atomic_int ready;
	int64_t elapsed;
	struct err err[2];
};

static void __attribute__((noreturn)) pipe_side(const struct floor_place *place, int me,
						 struct pipe_shared *s, int rd, int wr,
						 uint64_t round_trips)
{
	int bound = floor_place_bind(place, me, &s->err[me]);
	meet(&s->ready);
	char token = 0;
	int64_t start = 0;
	for (uint64_t i = 0; i < round_trips; i++) {
		if (me == 0 && i == WARM_ROUND_TRIPS)
			start = clock_now_ns();
		if (me == 0 && write(wr, &token, 1) != 1)
			_exit(3);
		if (read(rd, &token, 1) != 1)
			_exit(3);
		if (me == 1 && write(wr, &token, 1) != 1)
			_exit(3);
	}
	if (me == 0)
		s->elapsed = clock_now_ns() - start;
	_exit(bound == 0 ? 0 : 2);
}

int floor_pipe_pingpong(void *arg, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	const struct floor_place *place = arg;
	uint64_t timed = ops / 2 ? ops / 2 : 1;
	struct pipe_shared *s = mmap(NULL, sizeof *s, PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		return err_set(e, "pipe ping-pong: mmap: %s", strerror(errno));
	memset(s, 0, sizeof *s);
	int to1[2], to0[2], rc = 0;
	if (pipe2(to1, O_CLOEXEC) != 0 || pipe2(to0, O_CLOEXEC) != 0) {
		munmap(s, sizeof *s);
		return err_set(e, "pipe ping-pong: pipe: %s", strerror(errno));
	}
	pid_t pid[2] = {-1, -1};
	for (int i = 0; i < 2 && rc == 0; i++) {
		pid[i] = fork();
		if (pid[i] == 0)
			pipe_side(place, i, s, i == 0 ? to0[0] : to1[0], i == 0 ? to1[1] : to0[1],
				  timed + WARM_ROUND_TRIPS);
		if (pid[i] < 0)
			rc = err_set(e, "pipe ping-pong: fork: %s", strerror(errno));
	}
	for (int i = 0; i < 2; i++) {
		close(to1[i]);
		close(to0[i]);
	}
	if (rc != 0 && pid[0] > 0) /* side 0 waits for a partner that never came */
		kill(pid[0], SIGKILL);
	for (int i = 0; i < 2; i++) {
		int status;
		if (pid[i] <= 0)
			continue;
		while (waitpid(pid[i], &status, 0) < 0 && errno == EINTR)
			;
		if (rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 2) {
			*e = s->err[i];
			rc = -1;
		} else if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			rc = err_set(e, "pipe ping-pong: side %d ended with status 0x%x", i, status);
	}
	*elapsed_ns = (int64_t)((double)s->elapsed * (double)ops / (double)(2 * timed));
	munmap(s, sizeof *s);
	return rc;
}
