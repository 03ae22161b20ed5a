/* coroutines.c — stackful coroutines on the calling thread.
 *
 * One coroutine per worker (tasks are taken from a shared counter, as in
 * `threads`), each on its own mmap'd stack with a guard page
 * (coro_stack.c), switched by hand-written assembly (coro_switch_*.S) or
 * ucontext. A CPU-bound task runs `yield` ticks at a time and then yields;
 * a task that waits for a file descriptor or a timer parks on the epoll
 * event loop (coro_loop.c) and the next coroutine runs. There is no thread
 * pool behind it: one OS thread does everything, so CPU-bound workloads
 * show no speedup, as they should. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "coro_sched.h"
#include "coro_stack.h"
#include "coro_word.h"
#include "model.h"

struct coro_run;

/* Every coroutine's rt->err is the run's: only one step runs at a time, and
 * the first failure ends the run (512 bytes less per coroutine). */
struct coro_worker {
	struct coro co;
	struct rt rt;
	struct coro_run *run;
};

struct coro_run {
	struct model_run *mr;
	struct coro_sched sched;
	struct coro_words words; /* coroutines parked on a lock, queue or event */
	uint64_t yield_every;
	int next_task;
	int failed;
};

static int coro_rt_wait_fd(struct rt *rt, int fd, int events, int64_t timeout_ns)
{
	return coro_wait_fd(rt->model, fd, events, timeout_ns);
}

static int coro_rt_sleep(struct rt *rt, int64_t ns) { return coro_sleep(rt->model, ns); }

static int coro_rt_yield(struct rt *rt)
{
	coro_yield(rt->model);
	return 0;
}

/* rt->model is the run's scheduler, inside its coro_run. */
static struct coro_run *run_of(struct rt *rt)
{
	return (struct coro_run *)((char *)rt->model - offsetof(struct coro_run, sched));
}

static int coro_rt_wait_word(struct rt *rt, atomic_uint *word, unsigned expected, int64_t timeout_ns)
{
	return coro_wait_word(rt->model, &run_of(rt)->words, word, expected, timeout_ns);
}

static void coro_rt_wake_word(struct rt *rt, atomic_uint *word, int n)
{
	coro_wake_word(rt->model, &run_of(rt)->words, word, n);
}

static const struct rt_ops coro_rt_ops = {
	.caps = RT_CAP_YIELD | RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT,
	.wait_word = coro_rt_wait_word,
	.wake_word = coro_rt_wake_word,
	.wait_fd = coro_rt_wait_fd,
	.sleep = coro_rt_sleep,
	.native_begin = rt_nothing, /* nothing to release: no other thread runs tasks */
	.native_end = rt_nothing,
	.yield = coro_rt_yield,
};

static void worker_body(void *arg)
{
	struct coro_worker *w = arg;
	struct coro_run *r = w->run;
	const struct model_run *mr = r->mr;
	while (!r->failed) {
		int task = r->next_task++;
		if (task >= mr->ntasks)
			return;
		for (;;) {
			uint64_t done = 0;
			int st = mr->bench->step(mr->state, task, r->yield_every, &done, &w->rt);
			if (st == STEP_DONE)
				break;
			if (st == STEP_ERROR) {
				if (!mr->err->msg[0])
					err_set(mr->err, "%s: task %d failed", mr->bench->name, task);
				r->failed = 1;
				coro_sched_stop(&r->sched); /* the others may wait for it forever */
				return;
			}
			coro_yield(&r->sched);
		}
	}
}

static void put_stats(json_t *stats, const struct coro_sched *s, int coroutines, size_t stack)
{
	json_object_set_new(stats, "coroutines", json_integer(coroutines));
	json_object_set_new(stats, "stack_bytes", json_integer((json_int_t)stack));
	json_object_set_new(stats, "switches", json_integer((json_int_t)s->switches));
	json_object_set_new(stats, "yields", json_integer((json_int_t)s->yields));
	json_object_set_new(stats, "parks", json_integer((json_int_t)s->parks));
	json_object_set_new(stats, "epoll_waits", json_integer((json_int_t)s->epoll_waits));
	json_object_set_new(stats, "fd_wakeups", json_integer((json_int_t)s->fd_wakeups));
	json_object_set_new(stats, "timer_wakeups", json_integer((json_int_t)s->timer_wakeups));
}

static int coroutines_run(struct model_run *mr)
{
	const char *switch_text = param_str(mr->params, "context");
	int kind = coro_switch_kind_parse(switch_text);
	if (kind < 0)
		return err_set(mr->err, "coroutines: --param context=%s is not built in (allowed: %s)",
			       switch_text, CORO_SWITCH_CHOICES);
	int n = mr->workers < mr->ntasks ? mr->workers : mr->ntasks;
#ifdef CORO_TSAN
	/* Every fiber is a thread to TSan, whose registry stops at 8128. */
	if (n > 8000)
		return err_set(mr->err, "coroutines: %d coroutines, but a ThreadSanitizer build "
					"supports at most 8000 (its thread limit)", n);
#endif
	if (model_bind_worker(mr, 0, 0, mr->err) < 0)
		return -1;

	struct coro_run run = {.mr = mr, .yield_every = (uint64_t)param_int(mr->params, "yield")};
	struct coro_stacks stacks;
	struct coro_worker *w = calloc((size_t)n, sizeof *w);
	if (!w)
		return err_set(mr->err, "coroutines: out of memory for %d coroutines", n);
	if (coro_stacks_create(&stacks, n, (size_t)param_int(mr->params, "stack"), mr->err) != 0) {
		free(w);
		return -1;
	}
	if (coro_sched_init(&run.sched, (enum coro_switch_kind)kind, mr->err) != 0) {
		coro_stacks_destroy(&stacks);
		free(w);
		return -1;
	}
	int spawned = 0, rc = 0;
	for (; spawned < n && rc == 0; spawned++) {
		struct coro_worker *x = &w[spawned];
		x->run = &run;
		x->rt = (struct rt){.ops = &coro_rt_ops, .model = &run.sched, .worker = spawned,
				    .err = mr->err};
		rc = model_worker_setup(mr, &x->rt);
		if (rc == 0)
			rc = coro_spawn(&run.sched, &x->co, coro_stack_lo(&stacks, spawned),
					stacks.usable, worker_body, x, mr->err);
	}
	if (rc == 0)
		rc = coro_guard_arm(&stacks, param_str(mr->params, "stack"), mr->err);
	if (rc == 0) {
		region_start(mr->region);
		rc = coro_sched_run(&run.sched, mr->err);
		if (rc == 0 && !run.failed)
			model_reduce(mr);
		region_stop(mr->region);
		coro_guard_disarm();
		if (run.failed)
			rc = -1; /* mr->err already says why */
		put_stats(mr->stats, &run.sched, n, stacks.usable);
	}
	for (int i = 0; i < spawned; i++)
		coro_release(&w[i].co);
	coro_sched_destroy(&run.sched);
	coro_stacks_destroy(&stacks);
	free(w);
	return rc;
}

static const struct param_spec coroutines_params[] = {
	{.name = "stack", .type = PARAM_SIZE, .defaults = {[PROFILE_DEFAULT] = "64K"},
	 .min = 16 * 1024, .max = 1LL << 30,
	 .help = "stack size of each coroutine (a guard page below each catches overflow)"},
	{.name = "yield", .type = PARAM_INT, .defaults = {[PROFILE_DEFAULT] = "1000"},
	 .min = 1, .max = 1LL << 40,
	 .help = "ticks a CPU-bound task runs before yielding to the next coroutine"},
	{.name = "context", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = CORO_SWITCH_DEFAULT},
	 .choices = CORO_SWITCH_CHOICES,
	 .help = "context switch: full (assembly, ABI-complete), minimal (assembly without the "
		 "FP control state, for measurement), ucontext (swapcontext)"},
	{0},
};

const struct model model_coroutines = {
	.name = "coroutines",
	.summary = "stackful coroutines on one thread: assembly switch, epoll event loop",
	.flags = MODEL_SINGLE_THREAD,
	.params = coroutines_params,
	.rt_ops = &coro_rt_ops,
	.run = coroutines_run,
};
