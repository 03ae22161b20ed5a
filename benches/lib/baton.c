/* baton.c — the baton ring and its handoffs (baton.h).
 *
 * A task hands over only to a task that waits; one that has just handed
 * over marks itself waiting before it lets go, so in the steady state the
 * next task always finds a waiter. At the start, a holder with nobody
 * waiting polls for the others to arrive (up to `stall` when the model runs
 * every task at once, not at all when it runs them one after another — the
 * sequential model —, else 100 ms); if none does it keeps the baton and the
 * run makes no handoffs. A task that waits longer than `stall` for its turn (a model
 * that cannot run the tasks side by side with the chosen handoff) fails
 * with a reason.
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
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "baton.h"
#include "clock.h"
#include "rlimits.h"

const char *const baton_handoff_names[] = {"auto", "yield", "condvar", "futex", "pipe"};

/* Everything lives in one MAP_SHARED mapping so that forked workers share
 * the ring; one task per 128 bytes keeps neighbours off each other's lines. */
struct baton_task {
	atomic_int waiting; /* waiting for the baton */
	atomic_int go;      /* futex handoff: set to 1 (and woken) when given the baton */
	int arrived;        /* has taken a step */
	int futex_private;  /* all tasks share one address space: FUTEX_PRIVATE_FLAG will do */
	int pipe_rd, pipe_wr;
	uint64_t turns_left;
	pthread_cond_t cond;
	struct baton_counts counts;
} __attribute__((aligned(128)));

struct baton_ring {
	pthread_mutex_t mutex; /* condvar and pipe handoffs change the ring under it */
	atomic_int holder;     /* task holding the baton, -1 when free */
	atomic_int nwaiting;   /* tasks with waiting set */
	atomic_int medium;     /* the handoff every task uses (0 until chosen) */
	atomic_int arrived;    /* tasks that have taken a step */
	atomic_int finished;   /* tasks that have taken their last turn */
	atomic_int solo;       /* nobody arrived in time: stop waiting for arrivals */
};

struct baton {
	struct baton_ring *ring;
	struct baton_task *tasks;
	size_t map_size;
	int ntasks;
	uint64_t rounds;
	enum baton_handoff handoff;
	int64_t stall_ns;
	int all_live; /* every task runs at once: the others will arrive */
	int one_by_one; /* the model runs tasks one after another: none can arrive */
	int have_pipes;
};

/* Pipes cost two descriptors per task; take them only if they fit. */
static int make_pipes(struct baton *b, struct err *e)
{
	if (rlimit_ensure_fds(2 * (uint64_t)b->ntasks, "yield: handoff=pipe", e) != 0) {
		if (b->handoff == BATON_PIPE)
			return -1;
		e->msg[0] = 0; /* auto: only needed if the tasks turn out to be processes */
		return 0;
	}
	for (int i = 0; i < b->ntasks; i++) {
		int p[2];
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
			return err_set(e, "yield: pipe for task %d: %s", i, strerror(errno));
		b->tasks[i].pipe_rd = p[0];
		b->tasks[i].pipe_wr = p[1];
	}
	b->have_pipes = 1;
	return 0;
}

struct baton *baton_create(int ntasks, uint64_t rounds, enum baton_handoff handoff,
			   int64_t stall_ns, int all_live, int one_by_one, struct err *e)
{
	struct baton *b = calloc(1, sizeof *b);
	if (!b) {
		err_set(e, "yield: out of memory");
		return NULL;
	}
	b->ntasks = ntasks;
	b->rounds = rounds;
	b->handoff = handoff;
	b->stall_ns = stall_ns;
	b->all_live = all_live;
	b->one_by_one = one_by_one;
	b->map_size = sizeof(struct baton_task) * (size_t)(ntasks + 1);
	void *map = mmap(NULL, b->map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		err_set(e, "yield: mmap of %zu bytes: %s", b->map_size, strerror(errno));
		free(b);
		return NULL;
	}
	b->ring = map;
	b->tasks = (struct baton_task *)map + 1;
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&b->ring->mutex, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	for (int i = 0; i < b->ntasks; i++) {
		pthread_cond_init(&b->tasks[i].cond, &ca);
		b->tasks[i].pipe_rd = b->tasks[i].pipe_wr = -1;
	}
	pthread_condattr_destroy(&ca);
	if ((b->handoff == BATON_AUTO || b->handoff == BATON_PIPE) && make_pipes(b, e) != 0) {
		baton_destroy(b);
		return NULL;
	}
	return b;
}

void baton_reset(struct baton *b)
{
	atomic_store(&b->ring->holder, -1);
	atomic_store(&b->ring->nwaiting, 0);
	atomic_store(&b->ring->medium, BATON_AUTO);
	atomic_store(&b->ring->arrived, 0);
	atomic_store(&b->ring->finished, 0);
	atomic_store(&b->ring->solo, 0);
	for (int i = 0; i < b->ntasks; i++) {
		struct baton_task *t = &b->tasks[i];
		atomic_store(&t->waiting, 0);
		t->arrived = 0;
		t->turns_left = b->rounds;
		memset(&t->counts, 0, sizeof t->counts);
		char drain[64]; /* tokens a failed repetition left behind */
		while (t->pipe_rd >= 0 && read(t->pipe_rd, drain, sizeof drain) > 0)
			;
	}
}

void baton_destroy(struct baton *b)
{
	for (int i = 0; i < b->ntasks; i++) {
		if (b->tasks[i].pipe_rd >= 0)
			close(b->tasks[i].pipe_rd);
		if (b->tasks[i].pipe_wr >= 0)
			close(b->tasks[i].pipe_wr);
		pthread_cond_destroy(&b->tasks[i].cond);
	}
	pthread_mutex_destroy(&b->ring->mutex);
	munmap(b->ring, b->map_size);
	free(b);
}

int baton_join(struct baton *b, int me, struct rt *rt)
{
	int m = (int)b->handoff;
	if (m == BATON_AUTO)
		m = rt_has(rt, RT_CAP_YIELD) ? BATON_YIELD
		    : rt_has(rt, RT_CAP_SEPARATE_ADDRESS_SPACES) ? BATON_PIPE : BATON_CONDVAR;
	if (m == BATON_PIPE && !b->have_pipes)
		return err_set(rt->err, "yield: tasks in separate processes need handoff=pipe, and "
					"%d tasks need %d descriptors (raise ulimit -n, or use "
					"handoff=condvar)", b->ntasks, 2 * b->ntasks);
	/* A private futex is keyed by the address space: forked tasks need the
	 * shared kind (which costs a page lookup per call), threads do not. */
	b->tasks[me].futex_private = !rt_has(rt, RT_CAP_SEPARATE_ADDRESS_SPACES);
	int none = BATON_AUTO;
	if (!atomic_compare_exchange_strong(&b->ring->medium, &none, m) && none != m)
		return err_set(rt->err, "yield: tasks disagree on the handoff (%s and %s)",
			       baton_handoff_names[none], baton_handoff_names[m]);
	struct baton_task *t = &b->tasks[me];
	if (!t->arrived) {
		t->arrived = 1;
		atomic_fetch_add(&b->ring->arrived, 1);
	}
	return m;
}

/* The next task after `me`, in ring order, that waits for the baton, with
 * its waiting flag cleared; -1 if none. Only the holder calls this, and
 * only a waiter sets its own flag, so plain loads and stores suffice; the
 * yield handoff stays free of locked instructions, which would cost more
 * than the coroutine switch it measures. The mutex handoffs also keep a
 * count, so that tasks run one after another (nobody ever waits) do not
 * scan the whole ring on every turn. */
static int take_next_waiter(struct baton *b, int me, int counted)
{
	if (counted && atomic_load_explicit(&b->ring->nwaiting, memory_order_relaxed) == 0)
		return -1;
	for (int k = 1; k < b->ntasks; k++) {
		int j = me + k < b->ntasks ? me + k : me + k - b->ntasks;
		if (atomic_load_explicit(&b->tasks[j].waiting, memory_order_acquire)) {
			atomic_store_explicit(&b->tasks[j].waiting, 0, memory_order_relaxed);
			if (counted)
				atomic_fetch_sub_explicit(&b->ring->nwaiting, 1, memory_order_relaxed);
			return j;
		}
	}
	return -1;
}

static void set_waiting(struct baton *b, int me, int counted)
{
	/* A futex wake meant for an earlier turn must not count for this one:
	 * nobody sets `go` before it has claimed the waiting flag set below.
	 * (Only the mutex handoffs, futex among them, count waiters; the yield
	 * handoff's path stays as short as the switch it measures.) */
	if (counted) {
		atomic_store_explicit(&b->tasks[me].go, 0, memory_order_relaxed);
		atomic_fetch_add_explicit(&b->ring->nwaiting, 1, memory_order_relaxed);
	}
	atomic_store_explicit(&b->tasks[me].waiting, 1, memory_order_release);
}

/* Take the baton if it is free; 1 if `me` holds it now. */
static int take_if_free(struct baton *b, int me, int counted)
{
	int holder = atomic_load_explicit(&b->ring->holder, memory_order_acquire);
	if (holder == me)
		return 1;
	if (holder != -1 || !atomic_compare_exchange_strong(&b->ring->holder, &holder, me))
		return 0;
	if (atomic_load_explicit(&b->tasks[me].waiting, memory_order_relaxed)) {
		atomic_store_explicit(&b->tasks[me].waiting, 0, memory_order_relaxed);
		if (counted)
			atomic_fetch_sub_explicit(&b->ring->nwaiting, 1, memory_order_relaxed);
	}
	return 1;
}

static int stalled(struct baton *b, struct rt *rt, int me)
{
	return err_set(rt->err, "yield: task %d waited %.1f s for its turn (stall limit): this "
				"model cannot run the tasks side by side with handoff=%s",
		       me, (double)b->stall_ns / 1e9,
		       baton_handoff_names[atomic_load(&b->ring->medium)]);
}

/* A yield wait's look at the clock, every 4096th spin only (a clock read
 * per handoff would cost more than the coroutine switch it measures): the
 * first look sets the deadline `stall` ahead, a later one past it says the
 * task has stalled. */
static inline int spin_stalled(const struct baton *b, uint64_t spins, int64_t *deadline)
{
	if (spins % 4096)
		return 0;
	int64_t now = clock_now_ns();
	if (!*deadline) {
		*deadline = now + b->stall_ns;
		return 0;
	}
	return now > *deadline;
}

/* Under the mutex: take the baton if it is free, else make sure `me` is
 * wait-listed. 1 if `me` holds the baton now. */
static int take_or_list(struct baton *b, int me)
{
	if (take_if_free(b, me, 1))
		return 1;
	if (!atomic_load_explicit(&b->tasks[me].waiting, memory_order_relaxed))
		set_waiting(b, me, 1);
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

static int wait_condvar(struct baton *b, int me, struct rt *rt)
{
	int rc = 0;
	pthread_mutex_lock(&b->ring->mutex);
	if (!take_or_list(b, me)) {
		struct timespec ts = abs_time(clock_now_ns() + b->stall_ns);
		while (rc == 0 && atomic_load(&b->ring->holder) != me)
			if (pthread_cond_timedwait(&b->tasks[me].cond, &b->ring->mutex, &ts) == ETIMEDOUT &&
			    atomic_load(&b->ring->holder) != me)
				rc = stalled(b, rt, me);
	}
	pthread_mutex_unlock(&b->ring->mutex);
	return rc;
}

/* The holder sets our `go` word after making us the holder, then wakes it. */
static int wait_futex(struct baton *b, int me, struct rt *rt)
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
			return stalled(b, rt, me);
	}
	return 0;
}

/* The holder writes one byte to a task it hands the baton to. */
static int wait_pipe(struct baton *b, int me, struct rt *rt)
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
			return stalled(b, rt, me);
		if (r < 0 && r != -ETIMEDOUT && r != -EINTR)
			return err_set(rt->err, "yield: waiting on task %d's pipe: %s", me, strerror(-r));
	}
	return 0;
}

/* Wait until `me` holds the baton. 0, or -1 with rt->err set. */
static int wait_turn(struct baton *b, int me, int medium, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	if (medium == BATON_YIELD) {
		if (take_if_free(b, me, 0))
			return 0;
		if (!atomic_load_explicit(&t->waiting, memory_order_relaxed))
			set_waiting(b, me, 0);
		int64_t deadline = 0; /* set by spin_stalled */
		for (uint64_t spins = 1; !take_if_free(b, me, 0); spins++) {
			t->counts.yields++;
			int r = rt_yield(rt);
			if (r < 0)
				return err_set(rt->err, "yield: rt_yield: %s", strerror(-r));
			if (spin_stalled(b, spins, &deadline))
				return stalled(b, rt, me);
		}
		return 0;
	}
	/* condvar, futex and pipe: the ring changes under the mutex; waiting
	 * happens outside any emulated interpreter lock, as a Python thread
	 * would: rt_wait_fd releases it for the pipe, a native region for the
	 * others (not both: a GIL dropped twice is then taken twice). */
	if (atomic_load_explicit(&b->ring->holder, memory_order_acquire) == me)
		return 0;
	if (medium == BATON_PIPE)
		return wait_pipe(b, me, rt);
	rt_native_begin(rt);
	int rc = medium == BATON_CONDVAR ? wait_condvar(b, me, rt) : wait_futex(b, me, rt);
	rt_native_end(rt);
	return rc;
}

/* Whether anyone waits for the baton (besides `me`). */
static int anyone_waiting(struct baton *b, int me, int counted)
{
	if (counted)
		return atomic_load_explicit(&b->ring->nwaiting, memory_order_acquire) > 0;
	for (int j = 0; j < b->ntasks; j++)
		if (j != me && atomic_load_explicit(&b->tasks[j].waiting, memory_order_acquire))
			return 1;
	return 0;
}

/* At the start, before the others have arrived: give them up to 100 ms
 * (yielding, or sleeping 20 us at a time, outside the mutex); if nobody
 * comes, the tasks run one after another and nobody waits again. */
static void wait_for_arrivals(struct baton *b, int me, int medium, struct rt *rt)
{
	int counted = medium != BATON_YIELD;
	/* When every task is live at once they will come, however late a
	 * loaded machine starts them (8 gil threads beside other jobs once took
	 * over 100 ms, and the run fell back to no handoffs): up to `stall`. */
	int64_t deadline = clock_now_ns() + (b->all_live ? b->stall_ns : 100000000);
	/* Under the sequential model the others start only when this task has
	 * ended: waiting for them cost every repetition 100 ms (0.6-0.8 s of a
	 * make bench per cell with 2+ workers) for a run with no handoffs anyway. */
	if (b->one_by_one)
		deadline = 0;
	/* And when every task is live, wait for all of them, not the first:
	 * two early tasks could otherwise finish their rounds between
	 * themselves before a late one (a thread started late on a loaded
	 * machine) arrived to find the baton dropped and take its turns alone
	 * — turns that are not handoffs, in a cell that measures handoffs
	 * (test_yield_handoff saw fewer than half the turns handed over). */
	while (!anyone_waiting(b, me, counted) ||
	       (b->all_live && atomic_load(&b->ring->arrived) < b->ntasks)) {
		if (clock_now_ns() > deadline) {
			atomic_store(&b->ring->solo, 1);
			return;
		}
		if (medium == BATON_YIELD)
			rt_yield(rt);
		else
			rt_sleep(rt, 20000);
	}
}

static int awaiting_arrivals(struct baton *b)
{
	return !atomic_load(&b->ring->solo) && atomic_load(&b->ring->finished) == 0 &&
	       atomic_load(&b->ring->arrived) < b->ntasks;
}

/* Tell task `next`, just made the holder, that it is. */
static int wake(struct baton *b, int me, int next, int medium, struct rt *rt)
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

/* After a turn: hand the baton to the next waiting task, or keep it (or,
 * when `last`, drop it) if nobody waits. 0, or -1 with rt->err set. */
static int pass_turn(struct baton *b, int me, int medium, int last, struct rt *rt)
{
	int locked = medium != BATON_YIELD;
	if (locked) {
		rt_native_begin(rt);
		pthread_mutex_lock(&b->ring->mutex);
	}
	int next = take_next_waiter(b, me, locked), rc = 0;
	if (next < 0 && !last && awaiting_arrivals(b)) {
		if (locked) {
			pthread_mutex_unlock(&b->ring->mutex);
			rt_native_end(rt);
		}
		wait_for_arrivals(b, me, medium, rt);
		if (locked) {
			rt_native_begin(rt);
			pthread_mutex_lock(&b->ring->mutex);
		}
		next = take_next_waiter(b, me, locked);
	}
	if (next >= 0) {
		/* Wait-listed before letting go: the next holder finds us. */
		if (!last)
			set_waiting(b, me, locked);
		atomic_store_explicit(&b->ring->holder, next, memory_order_release);
		b->tasks[me].counts.handoffs++;
	} else if (last) {
		atomic_store_explicit(&b->ring->holder, -1, memory_order_release);
	}
	if (locked)
		pthread_mutex_unlock(&b->ring->mutex);
	/* Wake the next holder only now that the mutex is free (see the top). */
	if (next >= 0 && locked)
		rc = wake(b, me, next, medium, rt);
	if (locked)
		rt_native_end(rt);
	if (last)
		atomic_fetch_add(&b->ring->finished, 1);
	return rc;
}


/* The yield handoff's steady state, written out: `me` is wait-listed and
 * another task holds the baton; every rt_yield switches to the next task,
 * so the second check after it usually finds the baton ours. Anything else
 * (the baton free, `me` not listed) goes through wait_turn. The handoff's
 * cost is what the switch costs plus this, so it is kept to a few loads
 * and stores: no lock, no clock read (the stall deadline starts at the
 * 4096th spin), no call but rt_yield. */
static int wait_turn_yield(struct baton *b, int me, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	int holder = atomic_load_explicit(&b->ring->holder, memory_order_acquire);
	if (holder == me)
		return 0;
	if (holder == -1 || !atomic_load_explicit(&t->waiting, memory_order_relaxed))
		return wait_turn(b, me, BATON_YIELD, rt);
	int64_t deadline = 0;
	for (uint64_t spins = 1;; spins++) {
		t->counts.yields++;
		int r = rt_yield(rt);
		if (r < 0)
			return err_set(rt->err, "yield: rt_yield: %s", strerror(-r));
		holder = atomic_load_explicit(&b->ring->holder, memory_order_acquire);
		if (holder == me)
			return 0;
		if (holder == -1)
			return wait_turn(b, me, BATON_YIELD, rt);
		if (spin_stalled(b, spins, &deadline))
			return stalled(b, rt, me);
	}
}

/* pass_turn for the yield handoff when a task waits (else pass_turn). */
static int pass_turn_yield(struct baton *b, int me, int last, struct rt *rt)
{
	int next = take_next_waiter(b, me, 0);
	if (next < 0)
		return pass_turn(b, me, BATON_YIELD, last, rt);
	if (!last)
		set_waiting(b, me, 0); /* before letting go: the next holder finds us */
	atomic_store_explicit(&b->ring->holder, next, memory_order_release);
	b->tasks[me].counts.handoffs++;
	if (last)
		atomic_fetch_add(&b->ring->finished, 1);
	return 0;
}

int baton_take_turn(struct baton *b, int me, int handoff, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	int yielding = handoff == BATON_YIELD;
	if ((yielding ? wait_turn_yield(b, me, rt) : wait_turn(b, me, handoff, rt)) != 0)
		return -1;
	t->turns_left--;
	t->counts.turns++;
	int last = t->turns_left == 0;
	if ((yielding ? pass_turn_yield(b, me, last, rt) : pass_turn(b, me, handoff, last, rt)) != 0)
		return -1;
	return !last;
}

uint64_t baton_turns_left(const struct baton *b, int me) { return b->tasks[me].turns_left; }

struct baton_counts *baton_counts(struct baton *b, int me)
{
	return &b->tasks[me].counts;
}

int baton_holder(const struct baton *b) { return atomic_load(&b->ring->holder); }

enum baton_handoff baton_chosen(const struct baton *b)
{
	return (enum baton_handoff)atomic_load(&b->ring->medium);
}
