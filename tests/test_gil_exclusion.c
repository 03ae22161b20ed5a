/* test_gil_exclusion.c — under every GIL policy no two workers ever run a
 * step at once (an owner flag claimed inside each step), and every worker
 * eventually runs: each task refuses to finish until every task has run. */
#include <stdatomic.h>
#include "gil_test.h"

#define MAX_TASKS 16

struct owner_state {
	atomic_int owner; /* task inside a step, or -1 */
	atomic_int violations;
	atomic_int started;
	int ntasks;
	int wait_for_all; /* finish only once every task has run a step */
	int native;       /* leave the lock for a native region every 64 units */
	uint64_t units;   /* per task */
	uint64_t left[MAX_TASKS];
	int seen[MAX_TASKS];
	uint64_t results[MAX_TASKS];
};

static void claim(struct owner_state *s, int task)
{
	int expect = -1;
	if (!atomic_compare_exchange_strong(&s->owner, &expect, task))
		atomic_fetch_add(&s->violations, 1);
}

static void unclaim(struct owner_state *s, int task)
{
	int expect = task;
	if (!atomic_compare_exchange_strong(&s->owner, &expect, -1))
		atomic_fetch_add(&s->violations, 1);
}

static void work(void)
{
	for (volatile int i = 0; i < 50; i = i + 1)
		;
}

static int owner_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct owner_state *s = state;
	claim(s, task);
	if (!s->seen[task]) {
		s->seen[task] = 1;
		atomic_fetch_add(&s->started, 1);
	}
	uint64_t n = 0;
	while (n < budget && s->left[task] > 0) {
		work();
		s->left[task]--;
		n++;
		if (s->native && s->left[task] % 64 == 0) {
			/* A native region: the lock is free, so are the others. */
			unclaim(s, task);
			rt_native_begin(rt);
			work();
			rt_native_end(rt);
			claim(s, task);
		}
	}
	int all = !s->wait_for_all || atomic_load(&s->started) == s->ntasks;
	unclaim(s, task);
	if (s->left[task] > 0 || !all) {
		*done = n > 0 ? n : 1; /* waiting costs a unit, so checks still come */
		return STEP_MORE;
	}
	*done = n;
	s->results[task] = 1;
	return STEP_DONE;
}

static void *owner_result(void *state, int task) { return &((struct owner_state *)state)->results[task]; }

static const struct bench owner_bench = {
	.name = "owner",
	.step = owner_step,
	.result = owner_result,
	.result_size = sizeof(uint64_t),
};

static void run(const char *label, int workers, int ntasks, int wait_for_all, int native,
		long long min_switches, const char *const *settings)
{
	struct owner_state s = {.ntasks = ntasks, .wait_for_all = wait_for_all, .native = native,
				.units = 20000};
	atomic_init(&s.owner, -1);
	for (int t = 0; t < ntasks; t++)
		s.left[t] = s.units;
	json_t *stats = gil_test_run(&owner_bench, &s, workers, ntasks, settings);
	CHECK(atomic_load(&s.violations) == 0, "%s: %d steps overlapped", label, atomic_load(&s.violations));
	for (int t = 0; t < ntasks; t++)
		CHECK(s.results[t] == 1 && s.left[t] == 0, "%s: task %d unfinished (%llu left)", label, t,
		      (unsigned long long)s.left[t]);
	CHECK(atomic_load(&s.started) == ntasks, "%s: %d of %d tasks ran", label, atomic_load(&s.started),
	      ntasks);
	long long acq = gil_stat(stats, "acquisitions"), sw = gil_stat(stats, "switches");
	CHECK(acq >= sw && sw >= min_switches, "%s: %lld acquisitions, %lld switches",
	      label, acq, sw);
	printf("%-32s ok: %lld acquisitions, %lld switches, %lld forced\n", label, acq, sw,
	       gil_stat(stats, "forced_switches"));
	json_decref(stats);
}

int main(void)
{
	const char *const legacy_sem[] = {"gil=legacy", "lock=sem", "tick=0", NULL};
	const char *const legacy_cv[] = {"gil=legacy", "lock=condvar", "tick=0", NULL};
	const char *const modern[] = {"gil=modern", "switch=200us", "tick=0", NULL};
	const char *const io_prio[] = {"gil=io-priority", "switch=200us", "tick=0", NULL};
	const char *const bfs[] = {"gil=bfs", "slice=200us", "tick=0", NULL};
	/* Every worker's first take is a switch (the last holder was another). */
	run("legacy/sem, 3 workers", 3, 3, 1, 1, 3, legacy_sem);
	run("legacy/condvar, 3 workers", 3, 3, 1, 1, 3, legacy_cv);
	run("modern, 3 workers", 3, 3, 1, 1, 3, modern);
	run("legacy/sem, 2 workers 6 tasks", 2, 6, 0, 1, 2, legacy_sem);
	run("modern, 2 workers 6 tasks", 2, 6, 0, 1, 2, modern);
	/* Pure CPU: only the policy's own checks can hand the lock over. */
	run("legacy/sem, CPU only", 2, 2, 1, 0, 2, legacy_sem);
	run("legacy/condvar, CPU only", 2, 2, 1, 0, 2, legacy_cv);
	run("modern, CPU only", 2, 2, 1, 0, 2, modern);
	run("io-priority, 3 workers", 3, 3, 1, 1, 3, io_prio);
	run("io-priority, CPU only", 2, 2, 1, 0, 2, io_prio);
	run("bfs, 3 workers", 3, 3, 1, 1, 3, bfs);
	run("bfs, 2 workers 6 tasks", 2, 6, 0, 1, 2, bfs);
	run("bfs, CPU only", 2, 2, 1, 0, 2, bfs);
	run("bfs, 1 worker", 1, 2, 0, 1, 1, bfs);
	/* One worker: a started thread, so CPython 2 has built the lock too. */
	run("legacy, 1 worker", 1, 2, 0, 1, 1, legacy_sem);
	run("modern, 1 worker", 1, 2, 0, 1, 1, modern);
	return check_report("gil_exclusion");
}
