/* coroutines.c — stackful coroutines, on the calling thread or, M:N
 * (`--param threads=N`), on N scheduler threads that steal work from each
 * other.
 *
 * One coroutine per worker (tasks are taken from a shared counter, as in
 * `threads`), each on its own mmap'd stack with a guard page
 * (coro_stack.c), switched by inline assembly (coro_switch.h) or ucontext.
 * A CPU-bound task runs `yield` ticks at a time and then yields; a task
 * that waits for a file descriptor or a timer parks on its scheduler's
 * event loop (coro_loop.c: epoll or io_uring, `--param backend=`) and the
 * next coroutine runs. With threads=1 one OS thread does everything, so
 * CPU-bound workloads show no speedup, as they should; with threads=N the
 * coroutines' CPU work spreads over N threads, pinned like workers
 * (`--pin`: scheduler i is placed as worker i). */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "coro_sched.h"
#include "coro_stack.h"
#include "coro_word.h"
#include "gate.h"
#include "model.h"
#include "team.h"

/* A lone coroutine (nobody else could run) spaces its yields out, doubling
 * its budget up to this many times `yield`: a yield to nobody does
 * nothing, but every step still ends the workload's inner loop. */
#define ALONE_STRETCH_MAX 1024

struct coro_run;

/* With one scheduler every coroutine's rt->err is the run's (only one step
 * runs at a time, and the first failure ends the run: 512 bytes less per
 * coroutine); M:N, each has its own. */
struct coro_worker {
	struct coro co;
	struct rt rt;
	struct coro_run *run;
	struct err *own_err;
};

struct coro_run {
	struct model_run *mr;
	struct coro_sched solo;   /* threads=1 */
	struct coro_group group;  /* threads>1 */
	struct coro_group *g;
	struct gate gate;
	struct coro_words words;  /* coroutines parked on a lock, queue or event */
	uint64_t yield_every;
	atomic_int next_task;
	atomic_int failed;
	struct err *first_err;    /* M:N: the error of the first worker that failed */
};

/* The worker whose rt this is (rt is embedded in it: one load less than
 * rt->model on the yield path), and the scheduler running it. */
static inline struct coro_worker *worker_of(struct rt *rt)
{
	return (struct coro_worker *)((char *)rt - offsetof(struct coro_worker, rt));
}
static inline struct coro_sched *sched_of(struct rt *rt) { return worker_of(rt)->co.sched; }

static int coro_rt_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	return coro_wait_fd(sched_of(rt), fd, events, timeout_ns);
}

static int coro_rt_sleep(struct rt *rt, int64_t ns) { return coro_sleep(sched_of(rt), ns); }

/* One yield per switch kind, so that the kind is a constant on the yield
 * path (each worker gets the ops of the run's kind at spawn: coro_rt_ops[kind]). */
#define CORO_RT_YIELD(fn, kind)                                                                    \
	static int fn(struct rt *rt)                                                               \
	{                                                                                          \
		coro_yield_as(sched_of(rt), kind);                                                 \
		return 0;                                                                          \
	}
CORO_RT_YIELD(coro_rt_yield_full, CORO_SWITCH_FULL)
CORO_RT_YIELD(coro_rt_yield_minimal, CORO_SWITCH_MINIMAL)
CORO_RT_YIELD(coro_rt_yield_ucontext, CORO_SWITCH_UCONTEXT)

static int coro_rt_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	struct coro_worker *w = rt->model;
	return coro_wait_word(w->co.sched, &w->run->words, word, expected, timeout_ns);
}

static void coro_rt_wake_word(struct rt *rt, atomic_uint *word, int n)
{
	struct coro_worker *w = rt->model;
	coro_wake_word(w->co.sched, &w->run->words, word, n);
}

#define CORO_RT_OPS(extra_caps, yield_fn)                                                          \
	{                                                                                          \
		.caps = RT_CAP_YIELD | RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT | (extra_caps),    \
		.wait_word = coro_rt_wait_word, .wake_word = coro_rt_wake_word,                    \
		.wait_fd = coro_rt_wait_fd, .sleep = coro_rt_sleep,                                \
		/* nothing to release: a scheduler thread is no lock */                            \
		.native_begin = rt_nothing, .native_end = rt_nothing, .yield = yield_fn,           \
	}
/* What workers get, by switch kind: with threads=1 (the default; the first
 * is what the model advertises) ... */
static const struct rt_ops coro_rt_ops[] = {
	[CORO_SWITCH_FULL] = CORO_RT_OPS(0, coro_rt_yield_full),
	[CORO_SWITCH_MINIMAL] = CORO_RT_OPS(0, coro_rt_yield_minimal),
	[CORO_SWITCH_UCONTEXT] = CORO_RT_OPS(0, coro_rt_yield_ucontext),
};
/* ... and M:N, where two of them run at the same instant. */
static const struct rt_ops coro_rt_ops_mn[] = {
	[CORO_SWITCH_FULL] = CORO_RT_OPS(RT_CAP_PARALLEL, coro_rt_yield_full),
	[CORO_SWITCH_MINIMAL] = CORO_RT_OPS(RT_CAP_PARALLEL, coro_rt_yield_minimal),
	[CORO_SWITCH_UCONTEXT] = CORO_RT_OPS(RT_CAP_PARALLEL, coro_rt_yield_ucontext),
};

static void fail(struct coro_worker *w, int task)
{
	struct coro_run *r = w->run;
	const struct model_run *mr = r->mr;
	if (!w->rt.err->msg[0])
		err_set(w->rt.err, "%s: task %d failed", mr->bench->name, task);
	int none = 0;
	if (atomic_compare_exchange_strong(&r->failed, &none, 1)) {
		r->first_err = w->rt.err;
		coro_sched_stop(w->co.sched); /* the others may wait for it forever */
	}
}

static void worker_body(void *arg)
{
	struct coro_worker *w = arg;
	struct coro_run *r = w->run;
	const struct model_run *mr = r->mr;
	const uint64_t most = r->yield_every * ALONE_STRETCH_MAX;
	while (!atomic_load_explicit(&r->failed, memory_order_relaxed)) {
		int task = atomic_fetch_add_explicit(&r->next_task, 1, memory_order_relaxed);
		if (task >= mr->ntasks)
			return;
		uint64_t budget = r->yield_every;
		for (;;) {
			uint64_t done = 0;
			int st = mr->bench->step(mr->state, task, budget, &done, &w->rt);
			if (st == STEP_DONE)
				break;
			if (st == STEP_ERROR) {
				fail(w, task);
				return;
			}
			/* Alone: the next check comes later; someone else could
			 * run: back to `yield` ticks. */
			if (coro_yield(w->co.sched))
				budget = budget < most ? 2 * budget : most;
			else
				budget = r->yield_every;
		}
	}
}

static void put_stats(json_t *stats, const struct coro_group *g, int coroutines, size_t stack,
		      const char *backend)
{
	struct coro_stats st;
	coro_group_stats(g, &st);
	json_object_set_new(stats, "coroutines", json_integer(coroutines));
	json_object_set_new(stats, "schedulers", json_integer(g->nsched));
	json_object_set_new(stats, "backend", json_string(backend));
	json_object_set_new(stats, "stack_bytes", json_integer((json_int_t)stack));
	json_object_set_new(stats, "switches", json_integer((json_int_t)st.switches));
	json_object_set_new(stats, "yields", json_integer((json_int_t)st.yields));
	json_object_set_new(stats, "parks", json_integer((json_int_t)st.parks));
	json_object_set_new(stats, "steals", json_integer((json_int_t)st.steals));
	json_object_set_new(stats, "polls", json_integer((json_int_t)st.polls));
	json_object_set_new(stats, "fd_wakeups", json_integer((json_int_t)st.fd_wakeups));
	json_object_set_new(stats, "timer_wakeups", json_integer((json_int_t)st.timer_wakeups));
}

/* M:N: one team thread per scheduler, bound like worker i. */
struct sched_thread {
	struct coro_run *run;
	int index;
	int rc;
	struct err err;
};

static void *sched_thread_main(void *arg)
{
	struct sched_thread *t = arg;
	struct coro_run *r = t->run;
	void *alt = NULL;
	t->rc = model_bind_worker(r->mr, t->index, 0, &t->err);
	if (t->rc == 0 && !(alt = coro_guard_thread_begin(&t->err)))
		t->rc = -1;
	if (gate_arrive(&r->gate) < 0 || t->rc != 0) {
		if (t->rc != 0)
			coro_sched_stop(&r->g->scheds[0]);
	} else {
		t->rc = coro_group_thread(r->g, t->index, &t->err);
		/* Every coroutine has finished (or the run failed): scheduler 0
		 * reduces, inside the region that the team's join closes. */
		if (t->index == 0 && t->rc == 0 && !atomic_load(&r->failed))
			model_reduce(r->mr);
	}
	if (alt)
		coro_guard_thread_end(alt);
	return NULL;
}

static int run_schedulers(struct coro_run *r)
{
	struct model_run *mr = r->mr;
	int n = r->g->nsched, rc = 0;
	if (n == 1) {
		if (model_bind_worker(mr, 0, 0, mr->err) < 0)
			return -1;
		region_start(mr->region);
		rc = coro_sched_run(&r->solo, mr->err);
		if (rc == 0 && !atomic_load(&r->failed))
			model_reduce(mr);
		region_stop(mr->region);
		return rc;
	}
	struct sched_thread *t = calloc((size_t)n, sizeof *t);
	if (!t)
		return err_set(mr->err, "coroutines: out of memory for %d scheduler threads", n);
	for (int i = 0; i < n; i++)
		t[i] = (struct sched_thread){.run = r, .index = i};
	if (gate_init(&r->gate, 0) != 0) {
		free(t);
		return err_set(mr->err, "coroutines: cannot make the start gate");
	}
	struct model_run team_mr = *mr;
	team_mr.workers = n;
	rc = team_run(&team_mr, &r->gate, NULL, sched_thread_main, t, sizeof *t,
		      "coroutines (scheduler threads)", "");
	for (int i = 0; i < n && rc == 0; i++)
		if (t[i].rc != 0 && !atomic_load(&r->failed)) {
			*mr->err = t[i].err;
			rc = -1;
		}
	gate_destroy(&r->gate);
	free(t);
	return rc;
}

static int coroutines_run(struct model_run *mr)
{
	const char *switch_text = param_str(mr->params, "context");
	int kind = coro_switch_kind_parse(switch_text);
	if (kind < 0)
		return err_set(mr->err, "coroutines: --param context=%s is not built in (allowed: %s)",
			       switch_text, CORO_SWITCH_CHOICES);
	const char *backend_text = param_str(mr->params, "backend");
	const struct coro_backend_ops *backend = coro_backend_find(backend_text);
	if (!backend)
		return err_set(mr->err, "coroutines: --param backend=%s is unknown (allowed: %s)",
			       backend_text, CORO_BACKEND_CHOICES);
	int n = mr->workers < mr->ntasks ? mr->workers : mr->ntasks;
	int threads = (int)param_int(mr->params, "threads");
	if (threads > n)
		threads = n; /* a scheduler without a coroutine would only steal */
#ifdef CORO_TSAN
	/* Every fiber is a thread to TSan, whose registry stops at 8128; the
	 * scheduler threads and the harness's own take some of it. */
	if (n + threads > 8064)
		return err_set(mr->err, "coroutines: %d coroutines, but a ThreadSanitizer build "
					"supports at most %d here (its thread limit)", n, 8064 - threads);
#endif
	struct coro_run *run = calloc(1, sizeof *run);
	struct coro_worker *w = calloc((size_t)n, sizeof *w);
	struct err *errs = threads > 1 ? calloc((size_t)n, sizeof *errs) : NULL;
	struct coro_stacks stacks = {0};
	int rc = 0, spawned = 0, have_sched = 0;
	if (!run || !w || (threads > 1 && !errs)) {
		rc = err_set(mr->err, "coroutines: out of memory for %d coroutines", n);
		goto out;
	}
	run->mr = mr;
	run->yield_every = (uint64_t)param_int(mr->params, "yield");
	if (coro_stacks_create(&stacks, n, (size_t)param_int(mr->params, "stack"), mr->err) != 0) {
		rc = -1;
		goto out;
	}
	if (threads == 1) {
		rc = coro_sched_init_backend(&run->solo, (enum coro_switch_kind)kind, backend, mr->err);
		run->g = run->solo.group;
	} else {
		rc = coro_group_init(&run->group, threads, (enum coro_switch_kind)kind, backend,
				     mr->err);
		run->g = &run->group;
	}
	if (rc != 0)
		goto out;
	have_sched = 1;
	/* Round robin over the schedulers; stealing evens out the rest. */
	for (; spawned < n && rc == 0; spawned++) {
		struct coro_worker *x = &w[spawned];
		x->run = run;
		x->rt = (struct rt){.ops = threads > 1 ? &coro_rt_ops_mn[kind] : &coro_rt_ops[kind],
				    .model = x, .worker = spawned,
				    .err = errs ? &errs[spawned] : mr->err};
		rc = model_worker_setup(mr, &x->rt);
		if (rc == 0)
			rc = coro_spawn(&run->g->scheds[spawned % threads], &x->co,
					coro_stack_lo(&stacks, spawned), stacks.usable, worker_body, x,
					mr->err);
	}
	if (rc == 0)
		rc = coro_guard_arm(&stacks, param_str(mr->params, "stack"), mr->err);
	if (rc == 0) {
		rc = run_schedulers(run);
		coro_guard_disarm();
		if (atomic_load(&run->failed)) {
			if (run->first_err != mr->err)
				*mr->err = *run->first_err;
			rc = -1;
		}
		put_stats(mr->stats, run->g, n, stacks.usable, backend->name);
	}
out:
	for (int i = 0; i < spawned; i++)
		coro_release(&w[i].co);
	if (have_sched) {
		if (threads == 1)
			coro_sched_destroy(&run->solo);
		else
			coro_group_destroy(&run->group);
	}
	coro_stacks_destroy(&stacks);
	free(errs);
	free(w);
	free(run);
	return rc;
}

static const struct param_spec coroutines_params[] = {
	{.name = "stack", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "64K"},
	 .min = 16 * 1024, .max = 1LL << 30,
	 .help = "stack size of each coroutine (a guard page below each catches overflow)"},
	{.name = "yield", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1000"},
	 .min = 1, .max = 1LL << 40,
	 .help = "ticks a CPU-bound task runs before yielding to the next coroutine (a coroutine "
		 "that nobody else could displace doubles this, up to 1024x)"},
	{.name = "context", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = CORO_SWITCH_DEFAULT},
	 .choices = CORO_SWITCH_CHOICES,
	 .help = "context switch: full (assembly, ABI-complete), minimal (assembly without the "
		 "FP control state, for measurement), ucontext (swapcontext)"},
	{.name = "threads", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1"},
	 .min = 1, .max = 1024,
	 .help = "scheduler threads (M:N): each runs coroutines from its own queue and steals "
		 "from the others when idle; placed by --pin like workers"},
	{.name = "backend", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "epoll"},
	 .choices = CORO_BACKEND_CHOICES,
	 .help = "event loop backend: epoll, or io_uring (poll requests; an error where the "
		 "kernel or the build refuses it)"},
	{0},
};

/* backend=io_uring where the kernel (seccomp, io_uring_disabled) or the
 * build refuses it: the cell is skipped with the reason, before anything
 * is set up — never run on epoll instead. */
static int coroutines_supports(const struct bench *b, const struct params *model_params,
			       int workers, struct err *why)
{
	(void)b;
	(void)workers;
	const struct coro_backend_ops *ops = coro_backend_find(param_str(model_params, "backend"));
	struct coro_backend *probe;
	if (!ops)
		return err_set(why, "coroutines: no backend %s", param_str(model_params, "backend"));
	if (ops->create(&probe, why) != 0)
		return -1;
	ops->destroy(probe);
	return 0;
}

const struct model model_coroutines = {
	.name = "coroutines",
	.summary = "stackful coroutines: assembly switch, epoll or io_uring event loop, M:N threads",
	.flags = MODEL_SINGLE_THREAD,
	.params = coroutines_params,
	.rt_ops = &coro_rt_ops[CORO_SWITCH_FULL],
	.supports = coroutines_supports,
	.run = coroutines_run,
};
