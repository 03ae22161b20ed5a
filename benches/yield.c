/* yield.c — the cost of one switch: tasks that only hand control to each
 * other.
 *
 * The tasks pass a baton around a ring: a task takes a turn only while it
 * holds the baton, then hands it to the next task (in ring order) that is
 * waiting for it, and waits for its own next turn. A turn does no work, so
 * the measured time divided by the number of handoffs is the cost of moving
 * control from one task to another: `ns_per_switch` in workload_stats.
 * How a task waits depends on what can wake it (`--param handoff=`):
 *  - yield:   spin on rt_yield() until given the baton — for a model whose
 *             yield switches straight to the next task (coroutines: one
 *             context switch per handoff);
 *  - condvar: a process-shared mutex and one condition variable per task
 *             (threads: a futex wake and a kernel context switch);
 *  - futex:   one futex word per task, set and woken by the holder (threads:
 *             the same kernel path as condvar, without the condition
 *             variable's own bookkeeping and its second mutex round);
 *  - pipe:    one pipe per task, waited on with rt_wait_fd() (processes);
 *  - auto:    yield if the model can switch tasks (RT_CAP_YIELD), pipe if
 *             workers are separate processes (RT_CAP_SEPARATE_ADDRESS_SPACES),
 *             else condvar.
 * A task hands over only to a task that waits; one that has just handed
 * over marks itself waiting before it lets go, so in the steady state the
 * next task always finds a waiter. At the start, a holder with nobody
 * waiting polls for the others to arrive (up to `stall` when the model runs
 * every task at once, not at all when it runs them one after another — the
 * sequential model —, else 100 ms); if none does it keeps the baton and
 * the run makes no handoffs, and reports no switch cost. A task that waits
 * longer than `stall` for its turn (a model that cannot run the tasks side
 * by side with the chosen handoff) fails with a reason.
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
#include "bench.h"
#include "clock.h"
#include "rlimits.h"

enum handoff { HANDOFF_AUTO, HANDOFF_YIELD, HANDOFF_CONDVAR, HANDOFF_FUTEX, HANDOFF_PIPE };
static const char *const handoff_names[] = {"auto", "yield", "condvar", "futex", "pipe"};

struct yield_result {
	uint64_t turns;    /* turns taken (must be `rounds`) */
	uint64_t handoffs; /* batons passed to another task */
	uint64_t yields;   /* rt_yield calls while waiting */
};

/* Everything lives in one MAP_SHARED mapping so that forked workers share
 * the ring; one task per 128 bytes keeps neighbours off each other's lines. */
struct yield_task {
	atomic_int waiting; /* waiting for the baton */
	atomic_int go;      /* futex handoff: set to 1 (and woken) when given the baton */
	int arrived;        /* has taken a step */
	int futex_private;  /* all tasks share one address space: FUTEX_PRIVATE_FLAG will do */
	int pipe_rd, pipe_wr;
	uint64_t turns_left;
	pthread_cond_t cond;
	struct yield_result result;
} __attribute__((aligned(128)));

struct yield_ring {
	pthread_mutex_t mutex; /* condvar and pipe handoffs change the ring under it */
	atomic_int holder;     /* task holding the baton, -1 when free */
	atomic_int nwaiting;   /* tasks with waiting set */
	atomic_int medium;     /* the handoff every task uses (0 until chosen) */
	atomic_int arrived;    /* tasks that have taken a step */
	atomic_int finished;   /* tasks that have taken their last turn */
	atomic_int solo;       /* nobody arrived in time: stop waiting for arrivals */
};

struct yield_state {
	struct yield_ring *ring;
	struct yield_task *tasks;
	size_t map_size;
	int ntasks;
	uint64_t rounds;
	enum handoff handoff;
	int64_t stall_ns;
	int all_live; /* every task runs at once: the others will arrive */
	int one_by_one; /* the model runs tasks one after another: none can arrive */
	int have_pipes;
};

static const struct param_spec yield_params[] = {
	{.name = "rounds", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "500", [PROFILE_DEFAULT] = "2k", [PROFILE_FULL] = "100k",
		      [PROFILE_CI] = "2k"},
	 .min = 1, .max = 1000000000000, .help = "turns each task takes (handoffs = tasks x rounds)"},
	{.name = "handoff", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "auto"},
	 .choices = "auto|yield|condvar|futex|pipe",
	 .help = "how a task waits for its turn: rt_yield spin, condition variable, futex word, "
		 "pipe; auto picks yield for models that offer it, pipe across processes, else "
		 "condvar"},
	{.name = "stall", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "10s"},
	 .min = 1000000, .max = 3600000000000LL,
	 .help = "fail when a task waits this long for its turn"},
	{0},
};

static void yield_teardown(void *state);

/* Pipes cost two descriptors per task; take them only if they fit. */
static int make_pipes(struct yield_state *y, struct err *e)
{
	if (rlimit_ensure_fds(2 * (uint64_t)y->ntasks, "yield: handoff=pipe", e) != 0) {
		if (y->handoff == HANDOFF_PIPE)
			return -1;
		e->msg[0] = 0; /* auto: only needed if the tasks turn out to be processes */
		return 0;
	}
	for (int i = 0; i < y->ntasks; i++) {
		int p[2];
		if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
			return err_set(e, "yield: pipe for task %d: %s", i, strerror(errno));
		y->tasks[i].pipe_rd = p[0];
		y->tasks[i].pipe_wr = p[1];
	}
	y->have_pipes = 1;
	return 0;
}

static void *yield_setup(const struct bench_setup *s, struct err *e)
{
	struct yield_state *y = calloc(1, sizeof *y);
	if (!y) {
		err_set(e, "yield: out of memory");
		return NULL;
	}
	y->ntasks = s->ntasks;
	y->rounds = (uint64_t)param_int(s->params, "rounds");
	y->handoff = (enum handoff)param_int(s->params, "handoff");
	y->stall_ns = param_int(s->params, "stall");
	y->all_live = (s->caps & RT_CAP_CONCURRENT) && s->ntasks <= s->workers;
	y->one_by_one = !(s->caps & RT_CAP_CONCURRENT);
	y->map_size = sizeof(struct yield_task) * (size_t)(s->ntasks + 1);
	void *map = mmap(NULL, y->map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		err_set(e, "yield: mmap of %zu bytes: %s", y->map_size, strerror(errno));
		free(y);
		return NULL;
	}
	y->ring = map;
	y->tasks = (struct yield_task *)map + 1;
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&y->ring->mutex, &ma);
	pthread_mutexattr_destroy(&ma);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setpshared(&ca, PTHREAD_PROCESS_SHARED);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	for (int i = 0; i < y->ntasks; i++) {
		pthread_cond_init(&y->tasks[i].cond, &ca);
		y->tasks[i].pipe_rd = y->tasks[i].pipe_wr = -1;
	}
	pthread_condattr_destroy(&ca);
	if ((y->handoff == HANDOFF_AUTO || y->handoff == HANDOFF_PIPE) && make_pipes(y, e) != 0) {
		yield_teardown(y);
		return NULL;
	}
	return y;
}

static void yield_reset(void *state)
{
	struct yield_state *y = state;
	atomic_store(&y->ring->holder, -1);
	atomic_store(&y->ring->nwaiting, 0);
	atomic_store(&y->ring->medium, HANDOFF_AUTO);
	atomic_store(&y->ring->arrived, 0);
	atomic_store(&y->ring->finished, 0);
	atomic_store(&y->ring->solo, 0);
	for (int i = 0; i < y->ntasks; i++) {
		struct yield_task *t = &y->tasks[i];
		atomic_store(&t->waiting, 0);
		t->arrived = 0;
		t->turns_left = y->rounds;
		memset(&t->result, 0, sizeof t->result);
		char drain[64]; /* tokens a failed repetition left behind */
		while (t->pipe_rd >= 0 && read(t->pipe_rd, drain, sizeof drain) > 0)
			;
	}
}

/* The handoff this task uses; every task of a run must agree. */
static int choose_medium(struct yield_state *y, int me, struct rt *rt)
{
	int m = (int)y->handoff;
	if (m == HANDOFF_AUTO)
		m = rt_has(rt, RT_CAP_YIELD) ? HANDOFF_YIELD
		    : rt_has(rt, RT_CAP_SEPARATE_ADDRESS_SPACES) ? HANDOFF_PIPE : HANDOFF_CONDVAR;
	if (m == HANDOFF_PIPE && !y->have_pipes)
		return err_set(rt->err, "yield: tasks in separate processes need handoff=pipe, and "
					"%d tasks need %d descriptors (raise ulimit -n, or use "
					"handoff=condvar)", y->ntasks, 2 * y->ntasks);
	/* A private futex is keyed by the address space: forked tasks need the
	 * shared kind (which costs a page lookup per call), threads do not. */
	y->tasks[me].futex_private = !rt_has(rt, RT_CAP_SEPARATE_ADDRESS_SPACES);
	int none = HANDOFF_AUTO;
	if (!atomic_compare_exchange_strong(&y->ring->medium, &none, m) && none != m)
		return err_set(rt->err, "yield: tasks disagree on the handoff (%s and %s)",
			       handoff_names[none], handoff_names[m]);
	return m;
}

/* The next task after `me`, in ring order, that waits for the baton, with
 * its waiting flag cleared; -1 if none. Only the holder calls this, and
 * only a waiter sets its own flag, so plain loads and stores suffice; the
 * yield handoff stays free of locked instructions, which would cost more
 * than the coroutine switch it measures. The mutex handoffs also keep a
 * count, so that tasks run one after another (nobody ever waits) do not
 * scan the whole ring on every turn. */
static int take_next_waiter(struct yield_state *y, int me, int counted)
{
	if (counted && atomic_load_explicit(&y->ring->nwaiting, memory_order_relaxed) == 0)
		return -1;
	for (int k = 1; k < y->ntasks; k++) {
		int j = me + k < y->ntasks ? me + k : me + k - y->ntasks;
		if (atomic_load_explicit(&y->tasks[j].waiting, memory_order_acquire)) {
			atomic_store_explicit(&y->tasks[j].waiting, 0, memory_order_relaxed);
			if (counted)
				atomic_fetch_sub_explicit(&y->ring->nwaiting, 1, memory_order_relaxed);
			return j;
		}
	}
	return -1;
}

static void set_waiting(struct yield_state *y, int me, int counted)
{
	/* A futex wake meant for an earlier turn must not count for this one:
	 * nobody sets `go` before it has claimed the waiting flag set below. */
	atomic_store_explicit(&y->tasks[me].go, 0, memory_order_relaxed);
	if (counted)
		atomic_fetch_add_explicit(&y->ring->nwaiting, 1, memory_order_relaxed);
	atomic_store_explicit(&y->tasks[me].waiting, 1, memory_order_release);
}

/* Take the baton if it is free; 1 if `me` holds it now. */
static int take_if_free(struct yield_state *y, int me, int counted)
{
	int holder = atomic_load_explicit(&y->ring->holder, memory_order_acquire);
	if (holder == me)
		return 1;
	if (holder != -1 || !atomic_compare_exchange_strong(&y->ring->holder, &holder, me))
		return 0;
	if (atomic_load_explicit(&y->tasks[me].waiting, memory_order_relaxed)) {
		atomic_store_explicit(&y->tasks[me].waiting, 0, memory_order_relaxed);
		if (counted)
			atomic_fetch_sub_explicit(&y->ring->nwaiting, 1, memory_order_relaxed);
	}
	return 1;
}

static int stalled(struct yield_state *y, struct rt *rt, int me)
{
	return err_set(rt->err, "yield: task %d waited %.1f s for its turn (stall limit): this "
				"model cannot run the tasks side by side with handoff=%s",
		       me, (double)y->stall_ns / 1e9,
		       handoff_names[atomic_load(&y->ring->medium)]);
}

/* Under the mutex: take the baton if it is free, else make sure `me` is
 * wait-listed. 1 if `me` holds the baton now. */
static int take_or_list(struct yield_state *y, int me)
{
	if (take_if_free(y, me, 1))
		return 1;
	if (!atomic_load_explicit(&y->tasks[me].waiting, memory_order_relaxed))
		set_waiting(y, me, 1);
	return 0;
}

/* Futex and pipe: whether `me` may wait without taking the mutex — it is
 * wait-listed already (pass_turn did it) and someone else holds the baton,
 * who will hand it over or, dropping it, find `me` on the list first. 0
 * when the mutex is needed (the baton is free, or `me` is not listed). */
static int listed_and_held(struct yield_state *y, int me)
{
	int holder = atomic_load_explicit(&y->ring->holder, memory_order_acquire);
	return holder != -1 && atomic_load_explicit(&y->tasks[me].waiting, memory_order_relaxed);
}

/* Futex and pipe: 1 if `me` holds the baton, else 0 once `me` is
 * wait-listed, taking the mutex only when it must (listed_and_held). */
static int take_or_list_briefly(struct yield_state *y, int me)
{
	if (listed_and_held(y, me))
		return 0;
	pthread_mutex_lock(&y->ring->mutex);
	int held = take_or_list(y, me);
	pthread_mutex_unlock(&y->ring->mutex);
	return held;
}

static struct timespec abs_time(int64_t ns)
{
	return (struct timespec){.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
}

static int wait_condvar(struct yield_state *y, int me, struct rt *rt)
{
	int rc = 0;
	pthread_mutex_lock(&y->ring->mutex);
	if (!take_or_list(y, me)) {
		struct timespec ts = abs_time(clock_now_ns() + y->stall_ns);
		while (rc == 0 && atomic_load(&y->ring->holder) != me)
			if (pthread_cond_timedwait(&y->tasks[me].cond, &y->ring->mutex, &ts) == ETIMEDOUT &&
			    atomic_load(&y->ring->holder) != me)
				rc = stalled(y, rt, me);
	}
	pthread_mutex_unlock(&y->ring->mutex);
	return rc;
}

/* The holder sets our `go` word after making us the holder, then wakes it. */
static int wait_futex(struct yield_state *y, int me, struct rt *rt)
{
	struct yield_task *t = &y->tasks[me];
	if (take_or_list_briefly(y, me))
		return 0;
	int op = FUTEX_WAIT_BITSET | (t->futex_private ? FUTEX_PRIVATE_FLAG : 0);
	struct timespec ts = {0};
	int64_t deadline = 0;
	while (atomic_load_explicit(&y->ring->holder, memory_order_acquire) != me) {
		if (atomic_load_explicit(&t->go, memory_order_acquire))
			continue; /* set: the holder store is on its way */
		if (!deadline) {
			deadline = clock_now_ns() + y->stall_ns;
			ts = abs_time(deadline);
		}
		if (syscall(SYS_futex, &t->go, op, 0, &ts, NULL, FUTEX_BITSET_MATCH_ANY) != 0 &&
		    errno == ETIMEDOUT && atomic_load(&y->ring->holder) != me)
			return stalled(y, rt, me);
	}
	return 0;
}

/* The holder writes one byte to a task it hands the baton to. */
static int wait_pipe(struct yield_state *y, int me, struct rt *rt)
{
	struct yield_task *t = &y->tasks[me];
	if (take_or_list_briefly(y, me))
		return 0;
	int64_t deadline = clock_now_ns() + y->stall_ns;
	char token;
	while (atomic_load(&y->ring->holder) != me) {
		/* Poll first: in the steady state the token is not there yet. */
		int64_t left = deadline - clock_now_ns();
		int r = left > 0 ? rt_wait_fd(rt, t->pipe_rd, POLLIN, left) : -ETIMEDOUT;
		if (r == 0) {
			ssize_t got = read(t->pipe_rd, &token, 1);
			r = got == 1 || (got < 0 && errno == EAGAIN) ? 0 : got < 0 ? -errno : -EPIPE;
		}
		if (r == -ETIMEDOUT && atomic_load(&y->ring->holder) != me)
			return stalled(y, rt, me);
		if (r < 0 && r != -ETIMEDOUT && r != -EINTR)
			return err_set(rt->err, "yield: waiting on task %d's pipe: %s", me, strerror(-r));
	}
	return 0;
}

/* Wait until `me` holds the baton. 0, or -1 with rt->err set. */
static int wait_turn(struct yield_state *y, int me, int medium, struct rt *rt)
{
	struct yield_task *t = &y->tasks[me];
	if (medium == HANDOFF_YIELD) {
		if (take_if_free(y, me, 0))
			return 0;
		if (!atomic_load_explicit(&t->waiting, memory_order_relaxed))
			set_waiting(y, me, 0);
		/* No clock read per handoff: it would cost more than a coroutine
		 * switch. The stall deadline starts at the 4096th spin. */
		int64_t deadline = 0;
		for (uint64_t spins = 1; !take_if_free(y, me, 0); spins++) {
			t->result.yields++;
			int r = rt_yield(rt);
			if (r < 0)
				return err_set(rt->err, "yield: rt_yield: %s", strerror(-r));
			if (spins % 4096 == 0) {
				int64_t now = clock_now_ns();
				if (!deadline)
					deadline = now + y->stall_ns;
				else if (now > deadline)
					return stalled(y, rt, me);
			}
		}
		return 0;
	}
	/* condvar, futex and pipe: the ring changes under the mutex; waiting
	 * happens outside any emulated interpreter lock, as a Python thread
	 * would: rt_wait_fd releases it for the pipe, a native region for the
	 * others (not both: a GIL dropped twice is then taken twice). */
	if (atomic_load_explicit(&y->ring->holder, memory_order_acquire) == me)
		return 0;
	if (medium == HANDOFF_PIPE)
		return wait_pipe(y, me, rt);
	rt_native_begin(rt);
	int rc = medium == HANDOFF_CONDVAR ? wait_condvar(y, me, rt) : wait_futex(y, me, rt);
	rt_native_end(rt);
	return rc;
}

/* Whether anyone waits for the baton (besides `me`). */
static int anyone_waiting(struct yield_state *y, int me, int counted)
{
	if (counted)
		return atomic_load_explicit(&y->ring->nwaiting, memory_order_acquire) > 0;
	for (int j = 0; j < y->ntasks; j++)
		if (j != me && atomic_load_explicit(&y->tasks[j].waiting, memory_order_acquire))
			return 1;
	return 0;
}

/* At the start, before the others have arrived: give them up to 100 ms
 * (yielding, or sleeping 20 us at a time, outside the mutex); if nobody
 * comes, the tasks run one after another and nobody waits again. */
static void wait_for_arrivals(struct yield_state *y, int me, int medium, struct rt *rt)
{
	int counted = medium != HANDOFF_YIELD;
	/* When every task is live at once they will come, however late a
	 * loaded machine starts them (8 gil threads beside other jobs once took
	 * over 100 ms, and the run fell back to no handoffs): up to `stall`. */
	int64_t deadline = clock_now_ns() + (y->all_live ? y->stall_ns : 100000000);
	/* Under the sequential model the others start only when this task has
	 * ended: waiting for them cost every repetition 100 ms (0.6-0.8 s of a
	 * make bench per cell with 2+ workers) for a run with no handoffs anyway. */
	if (y->one_by_one)
		deadline = 0;
	while (!anyone_waiting(y, me, counted)) {
		if (clock_now_ns() > deadline) {
			atomic_store(&y->ring->solo, 1);
			return;
		}
		if (medium == HANDOFF_YIELD)
			rt_yield(rt);
		else
			rt_sleep(rt, 20000);
	}
}

static int awaiting_arrivals(struct yield_state *y)
{
	return !atomic_load(&y->ring->solo) && atomic_load(&y->ring->finished) == 0 &&
	       atomic_load(&y->ring->arrived) < y->ntasks;
}

/* Tell task `next`, just made the holder, that it is. */
static int wake(struct yield_state *y, int me, int next, int medium, struct rt *rt)
{
	struct yield_task *n = &y->tasks[next];
	if (medium == HANDOFF_CONDVAR) {
		pthread_cond_signal(&n->cond);
	} else if (medium == HANDOFF_FUTEX) {
		atomic_store_explicit(&n->go, 1, memory_order_release);
		int op = FUTEX_WAKE | (y->tasks[me].futex_private ? FUTEX_PRIVATE_FLAG : 0);
		syscall(SYS_futex, &n->go, op, 1, NULL, NULL, 0);
	} else if (medium == HANDOFF_PIPE) {
		char token = 1;
		if (write(n->pipe_wr, &token, 1) != 1)
			return err_set(rt->err, "yield: waking task %d: %s", next, strerror(errno));
	}
	return 0;
}

/* After a turn: hand the baton to the next waiting task, or keep it (or,
 * when `last`, drop it) if nobody waits. 0, or -1 with rt->err set. */
static int pass_turn(struct yield_state *y, int me, int medium, int last, struct rt *rt)
{
	int locked = medium != HANDOFF_YIELD;
	if (locked) {
		rt_native_begin(rt);
		pthread_mutex_lock(&y->ring->mutex);
	}
	int next = take_next_waiter(y, me, locked), rc = 0;
	if (next < 0 && !last && awaiting_arrivals(y)) {
		if (locked) {
			pthread_mutex_unlock(&y->ring->mutex);
			rt_native_end(rt);
		}
		wait_for_arrivals(y, me, medium, rt);
		if (locked) {
			rt_native_begin(rt);
			pthread_mutex_lock(&y->ring->mutex);
		}
		next = take_next_waiter(y, me, locked);
	}
	if (next >= 0) {
		/* Wait-listed before letting go: the next holder finds us. */
		if (!last)
			set_waiting(y, me, locked);
		atomic_store_explicit(&y->ring->holder, next, memory_order_release);
		y->tasks[me].result.handoffs++;
	} else if (last) {
		atomic_store_explicit(&y->ring->holder, -1, memory_order_release);
	}
	if (locked)
		pthread_mutex_unlock(&y->ring->mutex);
	/* Wake the next holder only now that the mutex is free (see the top). */
	if (next >= 0)
		rc = wake(y, me, next, medium, rt);
	if (locked)
		rt_native_end(rt);
	if (last)
		atomic_fetch_add(&y->ring->finished, 1);
	return rc;
}

static int yield_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct yield_state *y = state;
	struct yield_task *t = &y->tasks[task];
	int medium = choose_medium(y, task, rt);
	if (medium < 0)
		return STEP_ERROR;
	if (!t->arrived) {
		t->arrived = 1;
		atomic_fetch_add(&y->ring->arrived, 1);
	}
	uint64_t n = 0;
	while (n < budget && t->turns_left > 0) {
		if (wait_turn(y, task, medium, rt) != 0)
			return STEP_ERROR;
		t->turns_left--;
		t->result.turns++;
		n++;
		if (pass_turn(y, task, medium, t->turns_left == 0, rt) != 0)
			return STEP_ERROR;
	}
	*done = n;
	return t->turns_left > 0 ? STEP_MORE : STEP_DONE;
}

static void *yield_result(void *state, int task)
{
	return &((struct yield_state *)state)->tasks[task].result;
}

static int yield_verify(void *state, struct err *e)
{
	struct yield_state *y = state;
	uint64_t handoffs = 0;
	for (int i = 0; i < y->ntasks; i++) {
		const struct yield_result *r = &y->tasks[i].result;
		if (r->turns != y->rounds)
			return err_set(e, "yield: task %d took %llu turns, %llu expected", i,
				       (unsigned long long)r->turns, (unsigned long long)y->rounds);
		handoffs += r->handoffs;
	}
	if (handoffs > (uint64_t)y->ntasks * y->rounds)
		return err_set(e, "yield: %llu handoffs for %llu turns", (unsigned long long)handoffs,
			       (unsigned long long)((uint64_t)y->ntasks * y->rounds));
	if (atomic_load(&y->ring->holder) != -1)
		return err_set(e, "yield: task %d still holds the baton after every task finished",
			       atomic_load(&y->ring->holder));
	return 0;
}

static void yield_report(void *state, double seconds, json_t *fields)
{
	struct yield_state *y = state;
	uint64_t handoffs = 0, yields = 0;
	for (int i = 0; i < y->ntasks; i++) {
		handoffs += y->tasks[i].result.handoffs;
		yields += y->tasks[i].result.yields;
	}
	json_object_set_new(fields, "handoff",
			    json_string(handoff_names[atomic_load(&y->ring->medium)]));
	json_object_set_new(fields, "handoffs", json_integer((json_int_t)handoffs));
	json_object_set_new(fields, "yields", json_integer((json_int_t)yields));
	/* Only a real handoff is a switch: a lone task, or a model that runs
	 * the tasks one after another, switches nothing and gets no figure. */
	if (handoffs > 0 && seconds > 0) {
		json_object_set_new(fields, "ns_per_switch", json_real(seconds * 1e9 / (double)handoffs));
		json_object_set_new(fields, "switches_per_s", json_real((double)handoffs / seconds));
	}
}

static void yield_teardown(void *state)
{
	struct yield_state *y = state;
	for (int i = 0; i < y->ntasks; i++) {
		if (y->tasks[i].pipe_rd >= 0)
			close(y->tasks[i].pipe_rd);
		if (y->tasks[i].pipe_wr >= 0)
			close(y->tasks[i].pipe_wr);
		pthread_cond_destroy(&y->tasks[i].cond);
	}
	pthread_mutex_destroy(&y->ring->mutex);
	munmap(y->ring, y->map_size);
	free(y);
}

const struct bench bench_yield = {
	.name = "yield",
	.summary = "tasks that only hand control to each other: the cost of one switch",
	.kind = BENCH_CPU,
	/* the baton and the wait list: one ring that every task sees (MPI ranks
	 * would each pass a baton of their own, and measure no handoff) */
	.needs = RT_CAP_SHARED_MEMORY,
	.scaling = WORK_PER_WORKER,
	.headline = {"ns_per_switch", "ns per switch", "ns", METRIC_TIME},
	.params = yield_params,
	.result_size = sizeof(struct yield_result),
	.setup = yield_setup,
	.reset = yield_reset,
	.step = yield_step,
	.result = yield_result,
	.verify = yield_verify,
	.report = yield_report,
	.teardown = yield_teardown,
};
