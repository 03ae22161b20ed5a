/* gil.c — `-m gil`: pthreads that must hold an emulated CPython global
 * interpreter lock to run workload steps.
 *
 * Each worker takes the lock when it starts (as a new CPython thread does in
 * t_bootstrap), then runs tasks from a shared queue. Between steps the
 * policy (gil_legacy.c or gil_modern.c) decides whether the holder lets go;
 * every unit of work also costs `tick` ns of emulated interpreter work
 * (gil_tick.c). The policies come from a table (gil_policies.c) and the
 * interpreter profile (`python=`) fills the parameters not given
 * (gil_config.c). The workload's blocking waits and native regions release
 * the lock, as Py_BEGIN/END_ALLOW_THREADS does (gil_rt.c). */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "clock.h"
#include "gate.h"
#include "team.h"
#include "gil.h"
#include "gil_worker.h"
#include "worker_loop.h"
#include "model.h"

/* gil_tick_loops_per_ns pins the thread to each allowed CPU in turn; were
 * its affinity not put back, every worker would run where it was left. */
#define CALIBRATION_FAILED "the tick's calibration could not restore the thread's CPU affinity"

/* Run one task to completion under the lock, which t holds. */
static int gil_run_task(struct gil_worker *w, int task)
{
	struct gil_shared *s = w->shared;
	const struct model_run *mr = s->mr;
	for (;;) {
		uint64_t budget = s->policy->budget(s->gil, &w->thread);
		uint64_t done = 0;
		int st = mr->bench->step(mr->state, task, budget, &done, &w->rt);
		if (st == STEP_ERROR) {
			if (!w->err.msg[0])
				err_set(&w->err, "%s: task %d failed", mr->bench->name, task);
			return -1;
		}
		gil_tick_spend(&w->tick, done);
		if (!s->breaker || atomic_load_explicit(s->breaker, memory_order_relaxed))
			s->policy->after_units(s->gil, &w->thread, done);
		if (st == STEP_DONE)
			return 0;
		if (atomic_load_explicit(&s->failed, memory_order_relaxed))
			return 0;
	}
}

/* worker_loop.h's hooks: a new CPython thread takes the GIL before its
 * first bytecode (t_bootstrap) and drops it for good when it ends. */
static void gil_worker_begin(void *ctx)
{
	struct gil_worker *w = ctx;
	w->shared->policy->take(w->shared->gil, &w->thread);
}

static void gil_worker_end(void *ctx)
{
	struct gil_worker *w = ctx;
	w->shared->policy->drop(w->shared->gil, &w->thread, 1);
}

static int gil_worker_task(void *ctx, int task, struct rt *rt)
{
	(void)rt; /* w->rt: the queue is read under the GIL, as a Python work queue would be */
	return gil_run_task(ctx, task);
}

static void *gil_worker_main(void *arg)
{
	struct gil_worker *w = arg;
	if (worker_loop_run(&w->shared->loop, &w->rt, w) == WORKER_LOOP_FAILED)
		w->rc = -1;
	return NULL;
}

static void gil_stats_to_json(const struct gil_worker *w, int n, double end_loops_per_ns,
			      int64_t profile_loops_per_us, json_t *out)
{
	struct gil_stats sum = {0};
	for (int i = 0; i < n; i++) {
		const struct gil_stats *x = &w[i].thread.stats;
		sum.acquisitions += x->acquisitions;
		sum.switches += x->switches;
		sum.forced_switches += x->forced_switches;
		sum.timed_out_waits += x->timed_out_waits;
		if (x->timed_out_waits_max > sum.timed_out_waits_max)
			sum.timed_out_waits_max = x->timed_out_waits_max;
		sum.wait_ns_total += x->wait_ns_total;
		if (x->wait_ns_max > sum.wait_ns_max)
			sum.wait_ns_max = x->wait_ns_max;
		if (x->hold_ns_max > sum.hold_ns_max)
			sum.hold_ns_max = x->hold_ns_max;
		sum.timeouts_after_native += x->timeouts_after_native;
		sum.timeouts_after_wait += x->timeouts_after_wait;
		if (x->lock_intervals_max > sum.lock_intervals_max)
			sum.lock_intervals_max = x->lock_intervals_max;
		sum.cold_takes += x->cold_takes;
	}
	if (!out)
		return;
	json_object_set_new(out, "acquisitions", json_integer((json_int_t)sum.acquisitions));
	json_object_set_new(out, "switches", json_integer((json_int_t)sum.switches));
	json_object_set_new(out, "forced_switches", json_integer((json_int_t)sum.forced_switches));
	json_object_set_new(out, "timed_out_waits", json_integer((json_int_t)sum.timed_out_waits));
	json_object_set_new(out, "timed_out_waits_max",
			    json_integer((json_int_t)sum.timed_out_waits_max));
	json_object_set_new(out, "wait_ns_total", json_integer((json_int_t)sum.wait_ns_total));
	json_object_set_new(out, "wait_ns_max", json_integer((json_int_t)sum.wait_ns_max));
	json_object_set_new(out, "hold_ns_max", json_integer((json_int_t)sum.hold_ns_max));
	json_object_set_new(out, "timeouts_after_native",
			    json_integer((json_int_t)sum.timeouts_after_native));
	json_object_set_new(out, "timeouts_after_wait", json_integer((json_int_t)sum.timeouts_after_wait));
	json_object_set_new(out, "lock_intervals_max", json_integer((json_int_t)sum.lock_intervals_max));
	json_object_set_new(out, "cold_takes", json_integer((json_int_t)sum.cold_takes));
	/* The busy loop's rate the ticks were sized with: the same in every cell
	 * of a run (gil_check_cell), 0 when no tick is spent; timed on the fastest
	 * of the tick_calibration_cpus CPUs the runner was allowed (gil_tick.c). */
	json_object_set_new(out, "tick_loops_per_us",
			    json_integer(n > 0 && w[0].tick.loops_per_ns > 0
						 ? (json_int_t)(w[0].tick.loops_per_ns * 1000.0 + 0.5) : 0));
	json_object_set_new(out, "tick_calibration_cpus",
			    json_integer(n > 0 && w[0].tick.loops_per_ns > 0 ? w[0].tick.calibration_cpus : 0));
	/* The same loop timed again after the repetition: where it differs from
	 * the rate above by more than the few per cent a quiet machine shows,
	 * the host's speed moved (on 5 Dec 2026 this guest calibrated 1,163 to
	 * 3,759 loops/µs within minutes, steal time reading 0), and the
	 * repetition's units cost that much more or less time than at its
	 * start: than asked, for a tick given in ns; as an interpreter's
	 * iteration would, for a profile's turns (docs/GIL.md, "Round twenty",
	 * "Round twenty-three"). */
	json_object_set_new(out, "tick_loops_per_us_end",
			    json_integer((json_int_t)(end_loops_per_ns * 1000.0 + 0.5)));
	/* What a unit spent: the profile's turns (its tick at the rate it was
	 * calibrated at; tick_profile_loops_per_us > 0), or the tick's ns at
	 * the rate above (0). */
	json_object_set_new(out, "tick_loops_per_unit",
			    json_integer(n > 0 ? (json_int_t)w[0].tick.loops_per_unit : 0));
	json_object_set_new(out, "tick_profile_loops_per_us", json_integer((json_int_t)profile_loops_per_us));
}

static int gil_run(struct model_run *mr)
{
	int n = mr->workers, rc = 0;
	struct gil_config cfg;
	if (gil_config_resolve(mr->params, &cfg, mr->err) < 0)
		return -1;
	struct gil_shared s = {.mr = mr, .policy = gil_policy_table[cfg.policy]};
	struct gil_worker *w = calloc((size_t)n, sizeof *w);
	struct worker_where *where = worker_where_create(n);
	if (!w || !where || gate_init(&s.gate, 0) < 0) {
		free(w);
		free(where);
		return err_set(mr->err, "gil: out of memory for %d workers", n);
	}
	s.gil = s.policy->create(&cfg, n);
	struct gil_lines *lines = s.gil && cfg.cold_lines > 0 ? gil_lines_create(cfg.cold_lines, 64) : NULL;
	if (!s.gil || (cfg.cold_lines > 0 && !lines)) {
		int saved = errno;
		if (s.gil)
			s.policy->destroy(s.gil);
		gate_destroy(&s.gate);
		free(w);
		free(where);
		return err_set(mr->err, "gil: cannot create the %s lock: %s", s.policy->name,
			       strerror(saved));
	}
	s.breaker = s.policy->breaker ? s.policy->breaker(s.gil) : NULL;
	double cost = s.policy->unit_cost ? s.policy->unit_cost(&cfg) : 1.0;
	/* Not rounded to whole ns: 3.13t's 11 ns x 1.4 spent 15, not 15.4. */
	double tick_ns = (double)cfg.tick_ns * cost;
	int64_t page = sysconf(_SC_PAGESIZE);
	for (int i = 0; i < n; i++) {
		struct gil_worker *x = &w[i];
		*x = (struct gil_worker){.shared = &s};
		x->thread.gil = s.gil;
		x->thread.worker = i;
		x->rt = (struct rt){.ops = &gil_rt_ops, .model = x, .worker = i, .err = &x->err};
		if (gil_tick_init(&x->tick, tick_ns, cfg.working_set, cfg.tick_loops_per_us) < 0)
			rc = errno == ENOMEM
				     ? err_set(mr->err, "gil: out of memory for worker %d's working set of %lld bytes",
					       i, (long long)cfg.working_set)
				     : err_set(mr->err, "gil: %s", CALIBRATION_FAILED);
		double cold_rate = cfg.cold_take_ns > 0 ? gil_tick_loops_per_ns(0, NULL) : 0;
		if (cfg.cold_take_ns > 0 && cold_rate <= 0)
			rc = err_set(mr->err, "gil: %s", CALIBRATION_FAILED);
		x->thread.cold_take_loops = (uint64_t)(cold_rate * (double)cfg.cold_take_ns + 0.5);
		x->thread.lines = lines;
		/* Allocated here, with the tick's working set; each thread's own. */
		if (cfg.own_pages > 0 && rc == 0 && !(x->thread.own = gil_lines_create(cfg.own_pages, page)))
			rc = err_set(mr->err, "gil: out of memory for worker %d's own-pages=%lld", i,
				     (long long)cfg.own_pages);
	}
	s.dispatch = dispatch_create(mr);
	s.loop = (struct worker_loop){.mr = mr, .gate = &s.gate, .dispatch = s.dispatch, .failed = &s.failed,
				      .run_task = gil_worker_task, .begin = gil_worker_begin,
				      .end = gil_worker_end, .where = where};
	if (rc == 0)
		rc = s.dispatch ? team_run(mr, &s.gate, NULL, gil_worker_main, w, sizeof *w, "gil", "") : -1;
	for (int i = 0; rc == 0 && i < n; i++)
		if (w[i].rc) {
			snprintf(mr->err->msg, sizeof mr->err->msg, "%s", w[i].err.msg);
			rc = -1;
		}
	if (rc == 0) {
		double end_rate = w[0].tick.loops_per_ns > 0
					  ? gil_tick_measure_loops_per_ns(cfg.working_set) : 0;
		gil_stats_to_json(w, n, end_rate, cfg.tick_loops_per_us, mr->stats);
		worker_where_to_json(where, n, mr->stats);
	}
	for (int i = 0; i < n; i++) {
		gil_tick_fini(&w[i].tick);
		gil_lines_destroy(w[i].thread.own);
	}
	dispatch_destroy(s.dispatch);
	s.policy->destroy(s.gil);
	gil_lines_destroy(lines);
	gate_destroy(&s.gate);
	free(w);
	free(where);
	return rc;
}

static const struct param_spec gil_params[] = {
	{.name = "gil", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "modern"},
	 .choices = GIL_POLICY_CHOICES,
	 .help = "legacy: CPython 2 tick-counted checks; modern: CPython 3.2+ switch interval; "
		 "io-priority: bpo-7946's I/O-first proposal; bfs: Nir Aides' deadline scheduler; "
		 "free-threaded: PEP 703, no lock (docs/GIL.md)"},
	{.name = "python", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "none"},
	 .choices = gil_profile_choices,
	 .help = "interpreter profile (models/gil/gil_profiles.def): its tick, GIL and intervals "
		 "for every parameter not given"},
	{.name = "tick", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = GIL_TICK_DEFAULT},
	 .min = 0, .max = 1000000,
	 .help = "emulated interpreter work per workload unit (0 = native speed; default "
		 "calibrated to python3's count-down rate, see docs/GIL.md)"},
	{.name = "switch", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "5ms"},
	 .min = 1000, .max = 10000000000LL,
	 .help = "modern: switch interval (sys.setswitchinterval)"},
	{.name = "check", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "100"},
	 .min = 0, .max = 1000000000,
	 .help = "legacy: check interval in CPython ticks (sys.setcheckinterval)"},
	{.name = "unit-ticks", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "3"},
	 .min = 1, .max = 1000000,
	 .help = "legacy: CPython ticks one workload unit counts as (count-down: 3)"},
	{.name = "slice", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "10ms"},
	 .min = 1000, .max = 10000000000LL,
	 .help = "bfs: time slice; a thread's deadline is now + 8 slices when its slice is used up"},
	{.name = "ft-overhead", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "10"},
	 .min = 0, .max = 1000,
	 .help = "free-threaded: extra cost of each unit in % of tick (3.14t ~10, 3.13t ~40)"},
	{.name = "cold-lines", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 0, .max = 1000000,
	 .help = "cache lines of shared interpreter state a thread reads and writes, one after "
		 "another, right after taking the lock from another thread: their transfer from "
		 "the other core costs what the machine charges then (profiles: from "
		 "scripts/convoy-io-cost; docs/GIL.md)"},
	{.name = "own-pages", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 0, .max = 100000,
	 .help = "pages of a thread's own interpreter state it reads and writes, a cache line in "
		 "each, right after taking the lock from another thread: warm after a short wait, "
		 "missed in cache and TLB after a long one, as CPython's (profiles: from "
		 "scripts/convoy-io-cost --pages; docs/GIL.md, Round twenty-four)"},
	{.name = "cold-take", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 0, .max = 1000000000,
	 .help = "a fixed amount of emulated work a thread does right after taking the lock "
		 "from another thread, besides cold-lines (no profile sets it)"},
	{.name = "working-set", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "0"},
	 .min = 4096, .max = 64LL << 20, .zero_ok = 1,
	 .help = "bytes of each thread's own memory its emulated interpreter work reads and "
		 "writes, a power of two (0 = none): the lock's lines compete with it in the cache "
		 "as with CPython's (python=2.7 sets 8K; docs/GIL.md, Round ten)"},
	{.name = "lock", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "sem"},
	 .choices = "sem|condvar",
	 .help = "legacy: the interpreter lock as on Linux (POSIX semaphore) or macOS "
		 "(mutex + condition variable)"},
	DISPATCH_PARAMS,
	{0},
};

/* An interpreter profile's values are what runs, so they are what the
 * results record: without this a python=2.7 cell said gil=modern,
 * tick=15ns (the options' defaults) and was labelled "gil (modern)". */
static int gil_derive(struct params *p, struct err *e)
{
	struct gil_config c;
	if (gil_config_resolve(p, &c, e) < 0)
		return -1;
	if (!gil_profile_find(c.profile))
		return 0;
	if (params_derive(p, "gil", gil_policy_table[c.policy]->name, e) < 0 ||
	    params_derive_int(p, "tick", c.tick_ns, e) < 0 || params_derive_int(p, "switch", c.switch_ns, e) < 0 ||
	    params_derive_int(p, "check", c.check, e) < 0 ||
	    params_derive_int(p, "ft-overhead", c.ft_overhead_pct, e) < 0 ||
	    params_derive_int(p, "cold-lines", c.cold_lines, e) < 0 ||
	    params_derive_int(p, "own-pages", c.own_pages, e) < 0 ||
	    params_derive_int(p, "working-set", c.working_set, e) < 0)
		return -1;
	return 0;
}

/* Before the first cell forks: the tick's busy loop is calibrated here,
 * once, in the runner, so that every cell of a run inherits the same rate.
 * Calibrated in each cell, a unit's cost followed the machine's speed in
 * the moment of each calibration: 8.3 to 15.4 ns for tick=13ns in the
 * cells of one minute here (3 Dec 2026), and N threads ÷ 1 compared
 * different units. */
static int gil_check_cell(const struct model_cell *mc, struct err *e)
{
	struct gil_config cfg;
	if (gil_config_resolve(mc->model_params, &cfg, e) < 0)
		return -1;
	if ((cfg.tick_ns > 0 && gil_tick_loops_per_ns(cfg.working_set, NULL) <= 0) ||
	    (cfg.cold_take_ns > 0 && gil_tick_loops_per_ns(0, NULL) <= 0))
		return err_set(e, "gil: %s", CALIBRATION_FAILED);
	return 0;
}

const struct model model_gil = {
	.name = "gil",
	.summary = "pthreads that must hold an emulated CPython GIL (legacy, modern, or a proposed one)",
	.params = gil_params,
	.rt_ops = &gil_rt_ops,
	.supports = dispatch_supports,
	.derive = gil_derive,
	.check = gil_check_cell,
	.run = gil_run,
};
