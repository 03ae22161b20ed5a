/* gil_legacy.c — the GIL of CPython 2 (Python/ceval.c, Python/pystate.c).
 *
 * One tick counter (_Py_Ticker) shared by every thread, decremented at each
 * "slow" dispatch of the eval loop. When it falls below zero it is reset to
 * the check interval (sys.setcheckinterval, default 100) and the holder
 * releases the interpreter lock and immediately asks for it again, with
 * nothing in between: whether another thread gets in is up to the OS
 * scheduler. The lock (interpreter_lock) is created by PyEval_InitThreads
 * when a second thread starts; a lone thread has none and its checks only
 * reset the counter.
 *
 * A workload unit (one loop iteration of the workload) counts as
 * `unit-ticks` CPython ticks: count-down's `while n > 0: n -= 1` makes two
 * slow dispatches per iteration in CPython 2.7 (STORE_FAST after
 * INPLACE_SUBTRACT's `continue`, LOAD_FAST after JUMP_ABSOLUTE's; the other
 * opcodes go to fast_next_opcode or are PREDICTed), so the default is 2
 * and a check comes every 50 iterations, as in CPython. */
#include <stdlib.h>
#include "clock.h"
#include "gil.h"
#include "pythread_lock.h"

struct legacy_gil {
	struct pythread_lock lock;
	int has_lock;         /* interpreter_lock != NULL */
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
	L->has_lock = threads > 1;
	enum pythread_lock_kind kind = c->lock_condvar ? PYTHREAD_LOCK_CONDVAR : PYTHREAD_LOCK_SEM;
	if (L->has_lock && pythread_lock_init(&L->lock, kind) != 0) {
		free(L);
		return NULL;
	}
	return (struct gil *)L;
}

static void legacy_destroy(struct gil *g)
{
	struct legacy_gil *L = legacy(g);
	if (L->has_lock)
		pythread_lock_fini(&L->lock);
	free(L);
}

static void legacy_take(struct gil *g, struct gil_thread *t)
{
	struct legacy_gil *L = legacy(g);
	if (!L->has_lock)
		return;
	int64_t asked = clock_now_ns();
	pythread_lock_acquire(&L->lock);
	int switched = L->last_holder != t;
	L->last_holder = t;
	gil_note_taken(t, asked, switched);
}

static void legacy_drop(struct gil *g, struct gil_thread *t, int exiting)
{
	(void)exiting; /* CPython 2 never waits for a successor */
	struct legacy_gil *L = legacy(g);
	if (!L->has_lock)
		return;
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
	if (!L->has_lock)
		return;
	legacy_drop(g, t, 0);
	/* Other threads may run now */
	legacy_take(g, t);
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
