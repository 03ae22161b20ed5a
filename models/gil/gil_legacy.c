/* gil_legacy.c — the GIL of CPython 2 (Python/ceval.c, Python/pystate.c).
 *
 * One tick counter (_Py_Ticker) shared by every thread, decremented at each
 * "slow" dispatch of the eval loop. When it falls below zero it is reset to
 * the check interval (sys.setcheckinterval, default 100) and the holder
 * releases the interpreter lock and immediately asks for it again, with
 * nothing in between: whether another thread gets in is up to the OS
 * scheduler. The lock (interpreter_lock) is created by PyEval_InitThreads
 * when the first thread is started, and cmbench's workers are threads a
 * main thread started (as with `threading`: scripts/cpython-workloads.py,
 * ccbench), so even one worker has the lock and releases and re-takes it
 * at every check, uncontended.
 *
 * A workload unit (one loop iteration of the workload) counts as
 * `unit-ticks` CPython ticks. For count-down's `while n > 0: n -= 1`
 * python 2.7.18 posts the lock's semaphore 59,433 times in 2,000,000
 * iterations with the default check interval (one check per 101 ticks),
 * 3.00 ticks per iteration, and `for i in xrange(n): pass` 2.00 (counted
 * with scripts/lock-trace.c, 3 Dec 2026; docs/GIL.md "Round eight"), so the
 * default is 3 and a check comes every 34 iterations, as in CPython. */
#include <stdlib.h>
#include "clock.h"
#include "gil.h"
#include "pythread_lock.h"

struct legacy_gil {
	struct pythread_lock lock;
	int64_t ticker;       /* _Py_Ticker; only the holder touches it */
	int64_t check_interval;
	int64_t unit_ticks;
	const struct gil_thread *last_holder; /* for the switch count; under the lock */
};

static struct legacy_gil *legacy(struct gil *g) { return (struct legacy_gil *)g; }

static struct gil *legacy_create(const struct gil_config *c, int threads)
{
	struct legacy_gil *L = calloc(1, sizeof *L);
	if (!L)
		return NULL;
	L->check_interval = c->check;
	L->unit_ticks = c->unit_ticks;
	L->ticker = L->check_interval;
	(void)threads;
	enum pythread_lock_kind kind = c->lock_condvar ? PYTHREAD_LOCK_CONDVAR : PYTHREAD_LOCK_SEM;
	if (pythread_lock_init(&L->lock, kind) != 0) {
		free(L);
		return NULL;
	}
	return (struct gil *)L;
}

static void legacy_destroy(struct gil *g)
{
	struct legacy_gil *L = legacy(g);
	pythread_lock_fini(&L->lock);
	free(L);
}

static void legacy_take(struct gil *g, struct gil_thread *t)
{
	struct legacy_gil *L = legacy(g);
	int64_t asked = 0;
	if (!pythread_lock_acquire_timed(&L->lock, &asked))
		asked = clock_now_ns();
	int switched = L->last_holder != t;
	L->last_holder = t;
	gil_note_taken(t, asked, switched);
}

static void legacy_drop(struct gil *g, struct gil_thread *t, int exiting)
{
	(void)exiting; /* CPython 2 never waits for a successor */
	struct legacy_gil *L = legacy(g);
	gil_note_dropped(t);
	pythread_lock_release(&L->lock);
}

/* Units until the tick that takes the counter below zero. */
static uint64_t legacy_budget(struct gil *g, struct gil_thread *t)
{
	(void)t;
	struct legacy_gil *L = legacy(g);
	int64_t ticks = L->ticker + 1;
	return (uint64_t)((ticks + L->unit_ticks - 1) / L->unit_ticks);
}

static void legacy_after_units(struct gil *g, struct gil_thread *t, uint64_t units)
{
	struct legacy_gil *L = legacy(g);
	L->ticker -= (int64_t)units * L->unit_ticks;
	if (L->ticker >= 0)
		return;
	/* The periodic check: reset, then "give another thread a chance". */
	L->ticker = L->check_interval;
	pythread_lock_release(&L->lock);
	/* Other threads may run now */
	int64_t asked = 0;
	int waited = pythread_lock_acquire_timed(&L->lock, &asked);
	if (!waited && L->last_holder == t) {
		/* Won straight back, as at most checks: the hold goes on. No clock
		 * is read on this path, where CPython's lock costs ~20 ns: three
		 * reads (~70 ns here) would add ~15 % to count-down's 34 units. */
		t->stats.acquisitions++;
		return;
	}
	if (!waited) /* preempted after the release: another thread's take ended the hold */
		asked = L->last_holder->held_since_ns;
	gil_note_hold_ended(t, asked);
	int switched = L->last_holder != t;
	L->last_holder = t;
	gil_note_taken(t, asked, switched);
}

const struct gil_policy gil_policy_legacy = {
	.name = "legacy",
	.source = "CPython 2.7 Python/ceval.c (_Py_Ticker, sys.setcheckinterval), Python/thread_pthread.h",
	.create = legacy_create,
	.destroy = legacy_destroy,
	.take = legacy_take,
	.drop = legacy_drop,
	.budget = legacy_budget,
	.after_units = legacy_after_units,
};
