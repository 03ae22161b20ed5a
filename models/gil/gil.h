/* gil.h — the pieces of the `gil` model: an emulated CPython global
 * interpreter lock, in its CPython 2 (legacy) and CPython 3.2+ (modern)
 * forms, and the emulated interpreter work that one tick costs.
 *
 * models/gil/gil.c runs the workers and owns nothing but the loop; each policy
 * (gil_legacy.c, gil_modern.c, gil_io_priority.c, gil_bfs.c,
 * gil_free_threaded.c) owns its lock and decides, after each step, whether
 * the holder must let another thread in. gil.c finds the policies in a table
 * (gil_policies.c); the policies use only the bookkeeping in gil_stats.c,
 * never gil.c, so the layer has no link-level cycle. */
#pragma once
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include "err.h"
#include "params.h"

/* What one thread saw of the lock during one repetition. Each thread writes
 * only its own copy; the model sums them after the workers are joined. */
struct gil_stats {
	uint64_t acquisitions;    /* the lock taken (every take, also a re-take by the same thread) */
	uint64_t switches;        /* taken by a thread other than the last holder */
	uint64_t forced_switches; /* the holder dropped the lock because of a drop request */
	uint64_t timed_out_waits; /* waits for the lock that ran out their switch interval */
	uint64_t timed_out_waits_max; /* most of them in one take: how many switch
				       * intervals the longest wait lasted */
	uint64_t wait_ns_total;   /* time spent in take, summed */
	uint64_t wait_ns_max;     /* longest single take */
	uint64_t hold_ns_max;     /* longest time from a take to the next drop */
	/* Timed-out waits by where the take came from (gil_rt.c): after a
	 * native region (a send) or after a blocking wait (a reply). A convoy
	 * whose round-trips cost two switch intervals shows them after sends. */
	uint64_t timeouts_after_native;
	uint64_t timeouts_after_wait;
	/* modern, io-priority: the most switch intervals one take waited
	 * because of the lock itself: timed-out waits that found the lock held
	 * and no drop request pending (the first interval, or a new one after
	 * the lock changed hands meanwhile). A timed-out wait that finds its
	 * request still pending (the holder was kept off a CPU) or the lock
	 * free (the waiter woke late) is the scheduler's, not the lock's. */
	uint64_t lock_intervals_max;
	uint64_t cold_takes;      /* take-overs that paid `cold-take`, `cold-lines` or
				   * `own-pages` (every switch, when one is set) */
};

struct gil;

/* What a policy is built from: the model's parameters, with the interpreter
 * profile (`python=`, gil_profiles.def) filling every one the user did not
 * give (gil_config.c). */
struct gil_config {
	int policy;            /* index into gil_policy_table */
	int64_t tick_ns;       /* emulated interpreter work per unit */
	/* The tick's loop rate when the profile's tick was calibrated, in loops
	 * per us: a unit then spends tick_ns at that rate, a fixed count of
	 * turns, and takes longer or shorter as the host is slower or faster,
	 * as the interpreter's iteration does. 0 (a tick or working set given,
	 * or no profile): tick_ns of now, at the rate measured at start. */
	int64_t tick_loops_per_us;
	int64_t switch_ns;     /* modern, io-priority: the switch interval */
	int64_t check;         /* legacy: check interval in ticks */
	int64_t unit_ticks;    /* legacy: ticks per unit */
	int lock_condvar;      /* legacy: macOS's lock instead of the semaphore */
	int64_t slice_ns;      /* bfs: the time slice */
	int64_t ft_overhead_pct; /* free-threaded: extra cost per unit, % of tick */
	int64_t cold_take_ns;  /* work after taking the lock from another thread */
	int64_t cold_lines;    /* shared cache lines a take-over reads and writes (gil_lines.c) */
	int64_t own_pages;     /* pages of its own state a take-over touches, a line each (gil_lines.c) */
	int64_t working_set;   /* bytes each thread's emulated work reads and writes (gil_tick.c) */
	const char *profile;   /* the interpreter profile's name, or "none" */
};

/* One worker thread as the lock sees it: CPython's PyThreadState. */
struct gil_thread {
	struct gil *gil;
	int worker;
	int64_t held_since_ns; /* when this thread last took the lock */
	/* Busy loops spent after taking the lock from another thread: the
	 * interpreter's shared objects it touches first are cold in its cache
	 * (`cold-take`; 0: none). */
	uint64_t cold_take_loops;
	/* The interpreter's shared state, which a take-over walks (`cold-lines`;
	 * NULL: none); one for all the run's threads. */
	struct gil_lines *lines;
	/* The thread's own state, a line in each of `own-pages` pages, which
	 * its take-overs walk too (NULL: none); cold after a long wait. */
	struct gil_lines *own;
	struct gil_stats stats;
	/* Policy state, touched only under the policy's own mutex. */
	int cpu_bound;          /* io-priority: last drop was forced (1) or voluntary (0) */
	int64_t deadline_ns;    /* bfs: virtual deadline; earliest runs first */
	int64_t slice_left_ns;  /* bfs: what is left of its time slice */
	int waiting;            /* io-priority, bfs: in take, not yet holding */
	struct gil_thread *next_waiter; /* bfs: the waiters' list */
};

/* A policy: how the lock is built and when the holder gives it up. */
struct gil_policy {
	const char *name;
	const char *source; /* where its rules come from (docs/GIL.md says more) */
	/* Build the lock for `threads` threads. */
	struct gil *(*create)(const struct gil_config *c, int threads);
	void (*destroy)(struct gil *g);
	/* Block until t holds the lock (PyEval_RestoreThread). */
	void (*take)(struct gil *g, struct gil_thread *t);
	/* Release the lock (PyEval_SaveThread); `exiting` when t will never
	 * take it again, so it must not wait for a successor. */
	void (*drop)(struct gil *g, struct gil_thread *t, int exiting);
	/* Units t may run before it must look at the lock again. */
	uint64_t (*budget)(struct gil *g, struct gil_thread *t);
	/* t ran `units` units: do what the interpreter does at that point
	 * (the legacy periodic check, the modern eval-breaker check). */
	void (*after_units)(struct gil *g, struct gil_thread *t, uint64_t units);
	/* Optional. A flag that is 0 whenever after_units has nothing to do,
	 * so the worker loop can test it inline after every unit (the modern
	 * eval breaker); NULL: call after_units after every step. */
	atomic_int *(*breaker)(struct gil *g);
	/* Optional. What one unit costs, as a multiple of `tick` (free-threaded:
	 * the per-object locking and reference counting overhead); NULL: 1. */
	double (*unit_cost)(const struct gil_config *c);
};

extern const struct gil_policy gil_policy_legacy;
extern const struct gil_policy gil_policy_modern;
extern const struct gil_policy gil_policy_io_priority;
extern const struct gil_policy gil_policy_bfs;
extern const struct gil_policy gil_policy_free_threaded;

/* The policies by `gil=` choice index (gil_policies.c); the choices string
 * lists them in the same order. */
#define GIL_POLICY_CHOICES "legacy|modern|io-priority|bfs|free-threaded"
extern const struct gil_policy *const gil_policy_table[];
extern const int gil_policy_count;

/* Abort with a message when a pthread call failed: a programming error,
 * fatal in CPython too (Py_FatalError). */
void gil_check(int status, const char *what);

/* Stats bookkeeping shared by every policy (gil_stats.c). */
void gil_note_taken(struct gil_thread *t, int64_t wait_started_ns, int switched);
void gil_note_dropped(struct gil_thread *t);
/* The same, for a hold that ended at ended_ns (a clock read already made). */
void gil_note_hold_ended(struct gil_thread *t, int64_t ended_ns);
/* The budget of the policies that look at the eval breaker after every unit. */
uint64_t gil_budget_one_unit(struct gil *g, struct gil_thread *t);
/* Wait on c (whose clock is CLOCK_MONOTONIC) for at most ns: 1 if the wait
 * ran out (COND_TIMED_WAIT), 0 if signalled. */
int gil_cond_timed_wait(pthread_cond_t *c, pthread_mutex_t *m, int64_t ns);

/* The default cost of one workload unit: python3.11's count-down on this
 * kind of machine, less what the emulation's own step costs (docs/GIL.md,
 * scripts/gil-calibrate; gil_profiles.def has one per interpreter). */
#define GIL_TICK_DEFAULT "15ns"

/* An interpreter profile (gil_profiles.def, written by scripts/gil-calibrate). */
struct gil_profile {
	const char *name;    /* "3.11": what --param python= takes */
	int64_t tick_ns;     /* count-down unit cost less the emulation's own */
	const char *policy;  /* its GIL: "legacy", "modern" or "free-threaded" */
	int64_t switch_ns;   /* default switch interval (modern) */
	int64_t check;       /* default check interval (legacy) */
	int64_t ft_overhead_pct;
	int64_t cold_lines;  /* shared cache lines a take-over touches (0: not measured) */
	int64_t own_pages;   /* pages of its own state a take-over touches (0: not measured) */
	int64_t working_set; /* bytes of memory a thread's work keeps in its cache (0: none) */
	int64_t tick_loops_per_us; /* the tick loop's rate at the calibration (0: not recorded) */
	const char *measured; /* date, machine and interpreter version of the calibration */
};
/* NULL when `name` is "none" or unknown. */
const struct gil_profile *gil_profile_find(const char *name);
extern const char gil_profile_choices[];

/* Interpreter state as `n` (> 0) cache lines, one every `stride` bytes: 64
 * for the shared state (`cold-lines`), the page size for a thread's own, a
 * line in each page (`own-pages`; gil_lines.c). create: NULL with errno set
 * when out of memory. touch: read and write every line, one after another;
 * call it holding the lock. */
struct gil_lines;
struct gil_lines *gil_lines_create(int64_t n, int64_t stride);
void gil_lines_destroy(struct gil_lines *l);
void gil_lines_touch(struct gil_lines *l);

/* Resolve the model's parameters and profile into *c: 0, or -1 with e set. */
int gil_config_resolve(const struct params *p, struct gil_config *c, struct err *e);

/* Emulated interpreter work (gil_tick.c): a calibrated busy loop, so that a
 * tick costs what an interpreter tick costs instead of a fraction of a ns,
 * and, with a working set, that reads and writes the thread's own memory as
 * an interpreter does, so that the lock's lines compete with it in the
 * cache (docs/GIL.md, "Round ten"). */
struct gil_tick {
	double loops_per_ns; /* calibrated once per process and working set */
	int calibration_cpus; /* the CPUs timed for it: loops_per_ns is the fastest's */
	/* Whole loops: a constant trip count the branch predictor learns (a
	 * fraction carried from unit to unit made it alternate, 65 and 66, and
	 * each unit paid a mispredicted exit); rounding costs < 1 %. */
	uint64_t loops_per_unit;
	uint64_t chain;      /* the last spin's result, the next one's start */
	uint64_t *ws;        /* the thread's working set, NULL for none */
	uint64_t ws_mask;    /* its size in 8-byte words, less one (a power of two) */
};
/* Calibrate (once per process and working set) and prepare to spend
 * `ns_per_unit` per unit over `working_set` bytes (0: registers only; else
 * a power of two): at `loops_per_us` if > 0 (a profile's rate: a fixed
 * count of turns), else at the calibrated rate (that many ns now). 0, or
 * -1 with errno set: ENOMEM when out of memory, EPERM when the calibration
 * could not restore the thread's affinity. */
int gil_tick_init(struct gil_tick *k, double ns_per_unit, int64_t working_set, int64_t loops_per_us);
void gil_tick_fini(struct gil_tick *k);
/* Busy-loop iterations per nanosecond over a working set of that many
 * bytes, on the fastest CPU this thread may use (calibrated once per size:
 * host_speed.h's reference loop on each allowed CPU in turn, ~1.2 ms each,
 * then this loop on the fastest; the affinity restored). *cpus (if not
 * NULL): how many CPUs were compared. 0 when the affinity could not be
 * restored. */
double gil_tick_loops_per_ns(int64_t working_set, int *cpus);
/* The same rate measured now on the CPU this thread runs on, not cached
 * (~6 ms): the host's speed moves
 * under a VM's guest, unseen by it, and a rate calibrated in a slow minute
 * makes every unit that much cheaper for the whole process. */
double gil_tick_measure_loops_per_ns(int64_t working_set);

/* Spin `loops` turns, starting from `chain`, and return where the chain
 * ended (gil_tick.c): one dependent add per turn and, with a working set
 * (ws, ws_mask as in struct gil_tick), one word of it read and written per
 * eight turns, after the chain. Each spin starts from the last one's
 * result, so two spins never overlap: short independent loops ran two at a
 * time in the out-of-order core, their cost swinging with branch
 * prediction between 12 and 21 ns for 65 loops that one long loop spends
 * in 18.6 (3 Dec 2026); chained, 18.5-19.1, as calibrated. A barrier (lfence, isb) keeps it from
 * overlapping the step before it. */
uint64_t gil_tick_spin(uint64_t loops, uint64_t chain, uint64_t *ws, uint64_t ws_mask);

/* Spin for `units` units of emulated interpreter work. Inline: it runs
 * after every unit under the modern GIL. */
static inline void gil_tick_spend(struct gil_tick *k, uint64_t units)
{
	if (k->loops_per_unit == 0)
		return;
	k->chain = gil_tick_spin(k->loops_per_unit * units, k->chain, k->ws, k->ws_mask);
}
