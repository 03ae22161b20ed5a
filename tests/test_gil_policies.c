/* test_gil_policies.c — what the proposed GILs change, as counts:
 * - io-priority: a thread that keeps releasing the lock for I/O (1 ms
 *   sleeps) gets it back from a CPU-bound holder by preemption, not after a
 *   switch interval: with switch=200ms, ten returns see at most the first
 *   hand-over time out (the holder is marked CPU-bound only once forced);
 * - bfs: the I/O thread keeps its early deadline and preempts the CPU-bound
 *   holder likewise (slice=200ms: at most the first slice runs out; with
 *   50 ms a holder descheduled that long on a loaded machine timed out too);
 * - free-threaded: there is no lock: two tasks can be inside a step at the
 *   same time (each waits inside its step until the other is in its own,
 *   which under any GIL would never happen).
 * The modern GIL's figures for the same I/O pattern are printed beside. */
#include <stdatomic.h>
#include <time.h>
#include "clock.h"
#include "gil_test.h"

#define IO_ROUNDS 10

struct io_cpu {
	atomic_int io_done;
	int rounds;
	uint64_t results[2];
};

static int io_cpu_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	struct io_cpu *s = state;
	*done = 1;
	if (task == 0) {
		if (rt_sleep(rt, 1000000) < 0)
			return STEP_ERROR;
		if (++s->rounds < IO_ROUNDS)
			return STEP_MORE;
		atomic_store(&s->io_done, 1);
		s->results[0] = 1;
		return STEP_DONE;
	}
	for (volatile int i = 0; i < 100; i = i + 1)
		;
	if (!atomic_load_explicit(&s->io_done, memory_order_relaxed))
		return STEP_MORE;
	s->results[1] = 1;
	return STEP_DONE;
}

static void *io_cpu_result(void *state, int task) { return &((struct io_cpu *)state)->results[task]; }

static const struct bench io_cpu_bench = {
	.name = "io-cpu", .step = io_cpu_step, .result = io_cpu_result, .result_size = sizeof(uint64_t)};

static long long io_beside_cpu(const char *label, const char *const *settings)
{
	struct io_cpu s = {0};
	json_t *stats = gil_test_run(&io_cpu_bench, &s, 2, 2, settings);
	CHECK(s.results[0] == 1 && s.results[1] == 1 && s.rounds == IO_ROUNDS, "%s: unfinished", label);
	long long timeouts = gil_stat(stats, "timed_out_waits");
	printf("%-12s %d I/O returns: %lld timed-out waits, %lld forced switches, %lld switches\n",
	       label, IO_ROUNDS, timeouts, gil_stat(stats, "forced_switches"), gil_stat(stats, "switches"));
	json_decref(stats);
	return timeouts;
}

struct meet {
	atomic_int inside[2];
	atomic_int met;
	uint64_t results[2];
};

/* Wait inside the step until the other task is inside its own (5 s at most). */
static int meet_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	(void)budget;
	(void)rt;
	struct meet *m = state;
	atomic_store(&m->inside[task], 1);
	int64_t until = clock_now_ns() + 5000000000LL;
	while (!atomic_load(&m->inside[1 - task]) && clock_now_ns() < until)
		;
	if (atomic_load(&m->inside[1 - task]))
		atomic_fetch_add(&m->met, 1);
	*done = 1;
	m->results[task] = 1;
	return STEP_DONE;
}

static void *meet_result(void *state, int task) { return &((struct meet *)state)->results[task]; }

static const struct bench meet_bench = {
	.name = "meet", .step = meet_step, .result = meet_result, .result_size = sizeof(uint64_t)};

int main(void)
{
	const char *const modern[] = {"gil=modern", "switch=200ms", "tick=0", NULL};
	const char *const io_prio[] = {"gil=io-priority", "switch=200ms", "tick=0", NULL};
	const char *const bfs[] = {"gil=bfs", "slice=200ms", "tick=0", NULL};
	io_beside_cpu("modern", modern);
	long long t = io_beside_cpu("io-priority", io_prio);
	CHECK(t <= 2, "io-priority: %lld timed-out waits for %d I/O returns (preemption expected)", t,
	      IO_ROUNDS);
	t = io_beside_cpu("bfs", bfs);
	CHECK(t <= 3, "bfs: %lld timed-out waits for %d I/O returns (deadline preemption expected)", t,
	      IO_ROUNDS);

	const char *const ft[] = {"gil=free-threaded", "tick=0", NULL};
	struct meet m = {0};
	json_t *stats = gil_test_run(&meet_bench, &m, 2, 2, ft);
	CHECK(atomic_load(&m.met) == 2, "free-threaded: the two tasks were never inside a step together");
	CHECK(gil_stat(stats, "acquisitions") == 0, "free-threaded took a lock %lld times",
	      gil_stat(stats, "acquisitions"));
	json_decref(stats);
	return check_report("gil_policies");
}
