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
 * The kernel handoffs' waits and wakes (condvar, futex, pipe) are
 * baton_kernel.c; the ring's layout, shared by both, baton_ring.h. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "baton.h"
#include "baton_ring.h"
#include "clock.h"
#include "rlimits.h"

const char *const baton_handoff_names[] = {"auto", "yield", "condvar", "futex", "pipe"};

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
	atomic_store(&b->ring->gathered, 0);
	b->ring->turns = 0;
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

void baton_set_waiting(struct baton *b, int me, int counted)
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
int baton_take_if_free(struct baton *b, int me, int counted)
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

int baton_stalled(struct baton *b, struct rt *rt, int me)
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

/* Wait until `me` holds the baton. 0, or -1 with rt->err set. */
static int wait_turn(struct baton *b, int me, int medium, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	if (medium == BATON_YIELD) {
		if (baton_take_if_free(b, me, 0))
			return 0;
		if (!atomic_load_explicit(&t->waiting, memory_order_relaxed))
			baton_set_waiting(b, me, 0);
		int64_t deadline = 0; /* set by spin_stalled */
		for (uint64_t spins = 1; !baton_take_if_free(b, me, 0); spins++) {
			t->counts.yields++;
			int r = rt_yield(rt);
			if (r < 0)
				return err_set(rt->err, "yield: rt_yield: %s", strerror(-r));
			if (spin_stalled(b, spins, &deadline))
				return baton_stalled(b, rt, me);
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
		return baton_wait_pipe(b, me, rt);
	rt_native_begin(rt);
	int rc = medium == BATON_CONDVAR ? baton_wait_condvar(b, me, rt)
					 : baton_wait_futex(b, me, rt);
	rt_native_end(rt);
	return rc;
}

/* How many tasks besides `me` wait for the baton. */
static int others_waiting(struct baton *b, int me, int counted)
{
	if (counted)
		return atomic_load_explicit(&b->ring->nwaiting, memory_order_acquire);
	int n = 0;
	for (int j = 0; j < b->ntasks; j++)
		n += j != me && atomic_load_explicit(&b->tasks[j].waiting, memory_order_acquire);
	return n;
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
	/* And when every task is live, wait until all the others are on the
	 * list (gathering), not for the first. */
	const int want = b->all_live ? b->ntasks - 1 : 1;
	while (others_waiting(b, me, counted) < want) {
		if (clock_now_ns() > deadline) {
			atomic_store(&b->ring->solo, 1);
			return;
		}
		if (medium == BATON_YIELD)
			rt_yield(rt);
		else
			rt_sleep(rt, 20000);
	}
	if (b->all_live)
		atomic_store(&b->ring->gathered, 1);
}

/* Whether the first holder must still wait for the others before it hands
 * the baton on at all: every task runs at once, and not all of them have
 * been wait-listed yet (this happens only at the start). Handing over to
 * the first that was listed let two early tasks pass the baton between
 * themselves through all their rounds while a late one — a thread the OS
 * started late, or one that kept losing the ring's mutex to the two (glibc's
 * mutex is not fair) between joining and listing itself — found the baton
 * dropped and took all its turns alone: turns that are not handoffs, in a
 * cell that measures handoffs (8 threads on 2 CPUs under ASan: 399 handoffs
 * of 1,600 turns in 5 runs of 60, failing test_yield_handoff). Counting a
 * joined task as present, before that, failed the same way. */
static int gathering(struct baton *b)
{
	if (!b->all_live || b->ntasks < 2 || atomic_load(&b->ring->gathered))
		return 0;
	return !atomic_load(&b->ring->solo) && atomic_load(&b->ring->finished) == 0;
}

/* Whether a holder should wait for the others (wait_for_arrivals) rather
 * than hand over or keep the baton: gathering, or — tasks that need not all
 * be live at once — nobody waits and some have not arrived. */
static int awaiting_arrivals(struct baton *b, int me, int counted)
{
	if (b->all_live)
		return gathering(b);
	if (atomic_load(&b->ring->solo) || atomic_load(&b->ring->finished) != 0)
		return 0;
	return atomic_load(&b->ring->arrived) < b->ntasks && others_waiting(b, me, counted) == 0;
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
	if (!last && awaiting_arrivals(b, me, locked)) {
		if (locked) {
			pthread_mutex_unlock(&b->ring->mutex);
			rt_native_end(rt);
		}
		wait_for_arrivals(b, me, medium, rt);
		if (locked) {
			rt_native_begin(rt);
			pthread_mutex_lock(&b->ring->mutex);
		}
	}
	int next = take_next_waiter(b, me, locked), rc = 0;
	if (next >= 0) {
		/* Wait-listed before letting go: the next holder finds us. */
		if (!last)
			baton_set_waiting(b, me, locked);
		atomic_store_explicit(&b->ring->holder, next, memory_order_release);
		b->tasks[me].counts.handoffs++;
	} else if (last) {
		atomic_store_explicit(&b->ring->holder, -1, memory_order_release);
	}
	if (locked)
		pthread_mutex_unlock(&b->ring->mutex);
	/* Wake the next holder only now that the mutex is free (see the top). */
	if (next >= 0 && locked)
		rc = baton_wake(b, me, next, medium, rt);
	if (locked)
		rt_native_end(rt);
	if (last)
		atomic_fetch_add(&b->ring->finished, 1);
	return rc;
}


/* A yield wait past the steady state's first look (holder: what that look
 * found): spin — look at the clock every 4096th spin only, count the yields
 * in memory — while `me` is listed and another task holds the baton, else
 * the general wait. 0 once `me` holds the baton, or -1 with rt->err set.
 * Out of line: inlined, its state crowded the steady state's registers. */
static __attribute__((noinline)) int spin_for_baton(struct baton *b, int me, int holder,
						   rt_yield_fn yield, struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	int64_t deadline = 0; /* set by spin_stalled */
	for (uint64_t spins = 1; holder != me; spins++) {
		if (holder == -1 || !atomic_load_explicit(&t->waiting, memory_order_relaxed))
			return wait_turn(b, me, BATON_YIELD, rt);
		if (spin_stalled(b, spins, &deadline))
			return baton_stalled(b, rt, me);
		t->counts.yields++;
		int r = yield(rt);
		if (r < 0)
			return err_set(rt->err, "yield: rt_yield: %s", strerror(-r));
		holder = atomic_load_explicit(&b->ring->holder, memory_order_acquire);
	}
	return 0;
}

/* Always 0: the "task after me" of a ring of one, who never waits. */
static atomic_int nobody_waits;

/* The yield handoff's turns, written out for its steady state: `me` hands
 * the baton to the task after it in ring order, which waits for it (the
 * other of two), lists itself and yields; the yield switches to the next
 * task, so the look after it usually finds the baton back. The handoff's
 * cost is the switch plus this loop, so a turn is kept to a few loads and
 * stores: no lock, no clock read, nothing looked up that the step cannot
 * keep (the yield, the next task's flag), the counts in registers until
 * the step ends. Anything else — the baton not back after one yield, free,
 * `me` not listed, the next task not waiting — goes the long way
 * (spin_for_baton, wait_turn, pass_turn, which count in memory: the
 * counts add up). */
static int take_turns_yield(struct baton *b, int me, uint64_t budget, uint64_t *done,
			    struct rt *rt)
{
	struct baton_task *t = &b->tasks[me];
	struct baton_ring *ring = b->ring;
	rt_yield_fn yield = rt_yield_target(rt);
	const int after = b->ntasks > 1 ? (me + 1) % b->ntasks : -1;
	atomic_int *after_waits = after >= 0 ? &b->tasks[after].waiting : &nobody_waits;
	const uint64_t left0 = t->turns_left, todo = left0 < budget ? left0 : budget;
	const int final = left0 <= budget; /* this step ends with the task's last turn */
	/* k: turns still to take in this step; long_way: turns passed by
	 * pass_turn, which counts its own handoffs. */
	uint64_t k = todo, yields = 0, long_way = 0;
	int handed = 0, rc = 0; /* handed: `me` just handed the baton on, listed */
	int direct = !gathering(b); /* 0 until every task is listed: pass_turn waits for them */
	while (k > 0) {
		int holder;
		if (handed) {
			/* No look first: the baton comes back only after another
			 * task's turn. */
			yields++;
			int r = yield(rt);
			if (r < 0) {
				rc = err_set(rt->err, "yield: rt_yield: %s", strerror(-r));
				break;
			}
		}
		holder = atomic_load_explicit(&ring->holder, memory_order_acquire);
		if (holder != me && (rc = spin_for_baton(b, me, holder, yield, rt)) != 0)
			break;
		k--;
		ring->turns++; /* only the holder counts */
		int last = k == 0 && final, next = after;
		if (direct && atomic_load_explicit(after_waits, memory_order_acquire))
			atomic_store_explicit(after_waits, 0, memory_order_relaxed);
		else if (!direct || (next = take_next_waiter(b, me, 0)) < 0) {
			long_way++;
			handed = 0;
			if ((rc = pass_turn(b, me, BATON_YIELD, last, rt)) != 0)
				break;
			direct = !gathering(b);
			continue;
		}
		handed = !last;
		if (handed) /* listed before letting go: the next holder finds us (set_waiting) */
			atomic_store_explicit(&t->waiting, 1, memory_order_release);
		atomic_store_explicit(&ring->holder, next, memory_order_release);
		if (last)
			atomic_fetch_add(&ring->finished, 1);
	}
	uint64_t taken = todo - k;
	t->turns_left = left0 - taken;
	t->counts.turns += taken;
	t->counts.yields += yields;
	t->counts.handoffs += taken - long_way; /* a turn that failed in pass_turn is in long_way */
	*done = taken;
	return rc < 0 ? -1 : t->turns_left > 0;
}

int baton_take_turns(struct baton *b, int me, int handoff, uint64_t budget, uint64_t *done,
		     struct rt *rt)
{
	if (handoff == BATON_YIELD)
		return take_turns_yield(b, me, budget, done, rt);
	struct baton_task *t = &b->tasks[me];
	uint64_t n = 0;
	int rc = 0;
	while (rc == 0 && n < budget && t->turns_left > 0) {
		rc = wait_turn(b, me, handoff, rt);
		if (rc != 0)
			break;
		t->turns_left--;
		n++;
		b->ring->turns++; /* only the holder counts */
		rc = pass_turn(b, me, handoff, t->turns_left == 0, rt);
	}
	t->counts.turns += n;
	*done = n;
	return rc < 0 ? -1 : t->turns_left > 0;
}

struct baton_counts *baton_counts(struct baton *b, int me)
{
	return &b->tasks[me].counts;
}

int baton_holder(const struct baton *b) { return atomic_load(&b->ring->holder); }

uint64_t baton_turns_taken(const struct baton *b) { return b->ring->turns; }

enum baton_handoff baton_chosen(const struct baton *b)
{
	return (enum baton_handoff)atomic_load(&b->ring->medium);
}
