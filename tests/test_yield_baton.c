/* test_yield_baton.c — the yield handoff's turns (baton_take_turns, whose
 * steady state keeps its counts in registers and skips the checks it need
 * not repeat):
 *  - two coroutines on one scheduler pass the baton in steps of a few turns
 *    (a yield between steps, as the coroutines model does): each takes all
 *    its turns, every turn but the very last is a handoff, the holder
 *    counted every turn, nobody holds the baton at the end — also when both
 *    joined before either took a turn; with every context switch this
 *    build has;
 *  - a task that waits for a baton nobody passes (a yield that switches to
 *    nobody) fails by the stall limit, both from the general wait (not yet
 *    wait-listed) and from the steady state's own spin (listed, the baton
 *    held by another), and promptly;
 *  - threads with the futex handoff, one of three late after joining: the
 *    first holder waits until it is wait-listed too, so every turn but the
 *    last is a handoff (the two early ones passed the baton between
 *    themselves through all their rounds, and the late one took its own
 *    alone: 2 x ROUNDS - 1 handoffs of 3 x ROUNDS turns). */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include "baton.h"
#include "check.h"
#include "clock.h"
#include "coro_sched.h"
#include "coro_stack.h"

#define ROUNDS 1000
#define STEP 7 /* turns per step: steps end mid-ring, and the last one short */

static struct coro_sched sched;
static struct baton *baton;
static struct rt rts[2];
static struct err errs[2];
static int step_failures, finished[2], steps[2];

static int sched_yield_op(struct rt *rt)
{
	(void)rt;
	coro_yield(&sched);
	return 0;
}

static const struct rt_ops coro_test_ops = {
	.caps = RT_CAP_YIELD | RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT,
	.yield = sched_yield_op,
};

static void ring_body(void *arg)
{
	int me = (int)(intptr_t)arg;
	struct rt *rt = &rts[me];
	if (baton_join(baton, me, rt) != BATON_YIELD) {
		step_failures++;
		return;
	}
	/* Both join before either takes a turn: the first holder then finds
	 * the other arrived but not yet waiting, and must wait for it rather
	 * than take turns alone (it took a whole step's turns alone before). */
	coro_yield(&sched);
	int more;
	do {
		uint64_t done = 0;
		more = baton_take_turns(baton, me, BATON_YIELD, STEP, &done, rt);
		steps[me]++;
		if (more < 0 || done > STEP || (more > 0 && done != STEP))
			step_failures++;
		if (more > 0)
			coro_yield(&sched);
	} while (more > 0);
	finished[me]++;
}

static void test_ring(enum coro_switch_kind kind, const char *name)
{
	static struct coro cs[2];
	struct err e = {{0}};
	struct coro_stacks stacks;
	step_failures = finished[0] = finished[1] = steps[0] = steps[1] = 0;
	baton = baton_create(2, ROUNDS, BATON_YIELD, 10 * 1000000000LL, 1, 0, &e);
	CHECK(baton, "%s", e.msg);
	if (!baton)
		return;
	baton_reset(baton);
	CHECK(coro_sched_init(&sched, kind, &e) == 0, "%s", e.msg);
	CHECK(coro_stacks_create(&stacks, 2, 64 * 1024, &e) == 0, "%s", e.msg);
	for (int i = 0; i < 2; i++) {
		errs[i].msg[0] = 0;
		rts[i] = (struct rt){.ops = &coro_test_ops, .worker = i, .err = &errs[i]};
		CHECK(coro_spawn(&sched, &cs[i], coro_stack_lo(&stacks, i), stacks.usable, ring_body,
				 (void *)(intptr_t)i, &e) == 0, "%s", e.msg);
	}
	CHECK(coro_sched_run(&sched, &e) == 0, "%s: %s", name, e.msg);
	CHECK(step_failures == 0, "%s: %d steps failed or took a wrong number of turns (%s %s)",
	      name, step_failures, errs[0].msg, errs[1].msg);
	uint64_t handoffs = 0;
	for (int i = 0; i < 2; i++) {
		const struct baton_counts *c = baton_counts(baton, i);
		CHECK(finished[i] == 1, "%s: task %d finished %d times", name, i, finished[i]);
		CHECK(c->turns == ROUNDS, "%s: task %d took %llu turns", name, i,
		      (unsigned long long)c->turns);
		/* After each handoff the task yields until the baton is back,
		 * except after a step's last one, where the model yields. */
		CHECK(c->yields + (uint64_t)steps[i] >= c->handoffs, "%s: task %d yielded %llu "
		      "times in %d steps for %llu handoffs", name, i, (unsigned long long)c->yields,
		      steps[i], (unsigned long long)c->handoffs);
		handoffs += c->handoffs;
	}
	/* Strict alternation: the last turn of all is the only one kept. */
	CHECK(handoffs == 2 * ROUNDS - 1, "%s: %llu handoffs for %d turns", name,
	      (unsigned long long)handoffs, 2 * ROUNDS);
	CHECK(baton_turns_taken(baton) == 2 * ROUNDS, "%s: the holders counted %llu turns", name,
	      (unsigned long long)baton_turns_taken(baton));
	CHECK(baton_holder(baton) == -1, "%s: task %d still holds the baton", name,
	      baton_holder(baton));
	for (int i = 0; i < 2; i++)
		coro_release(&cs[i]);
	coro_stacks_destroy(&stacks);
	coro_sched_destroy(&sched);
	baton_destroy(baton);
}

static int noop_yield(struct rt *rt)
{
	(void)rt;
	return 0;
}

static const struct rt_ops noop_ops = {
	.caps = RT_CAP_YIELD | RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT,
	.yield = noop_yield,
};

static void test_stall(void)
{
	struct err e = {{0}}, e0 = {{0}}, e1 = {{0}};
	struct rt rt0 = {.ops = &noop_ops, .worker = 0, .err = &e0};
	struct rt rt1 = {.ops = &noop_ops, .worker = 1, .err = &e1};
	struct baton *b = baton_create(2, 10, BATON_YIELD, 2000000 /* 2 ms */, 1, 0, &e);
	CHECK(b, "%s", e.msg);
	if (!b)
		return;
	baton_reset(b);
	CHECK_INT(baton_join(b, 0, &rt0), BATON_YIELD);
	CHECK_INT(baton_join(b, 1, &rt1), BATON_YIELD);
	/* Task 0 takes a turn and, nobody waiting, keeps the baton. */
	uint64_t done = 99;
	CHECK_INT(baton_take_turns(b, 0, BATON_YIELD, 1, &done, &rt0), 1);
	CHECK_INT(done, 1);
	CHECK_INT(baton_holder(b), 0);
	int64_t start = clock_now_ns();
	/* Task 1 is not wait-listed yet: the general wait lists it, then stalls. */
	done = 99;
	CHECK_INT(baton_take_turns(b, 1, BATON_YIELD, 5, &done, &rt1), -1);
	CHECK_INT(done, 0);
	CHECK_STR_CONTAINS(e1.msg, "task 1 waited");
	CHECK_STR_CONTAINS(e1.msg, "stall limit");
	/* Listed now, the baton held by task 0: the steady state's spin stalls. */
	e1.msg[0] = 0;
	CHECK_INT(baton_take_turns(b, 1, BATON_YIELD, 5, &done, &rt1), -1);
	CHECK_STR_CONTAINS(e1.msg, "stall limit");
	int64_t took = clock_now_ns() - start;
	CHECK(took < 2000000000LL, "two 2 ms stalls took %.3f s", (double)took / 1e9);
	CHECK_INT(baton_counts(b, 1)->turns, 0);
	CHECK(baton_counts(b, 1)->yields > 0, "the stalled task never yielded");
	CHECK_INT(baton_turns_taken(b), 1);
	baton_destroy(b);
}

static int thread_sleep(struct rt *rt, int64_t ns)
{
	(void)rt;
	struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
	nanosleep(&ts, NULL);
	return 0;
}

static void no_region(struct rt *rt) { (void)rt; }

static const struct rt_ops thread_test_ops = {
	.caps = RT_CAP_SHARED_MEMORY | RT_CAP_CONCURRENT,
	.sleep = thread_sleep,
	.native_begin = no_region,
	.native_end = no_region,
};

#define LATE_TASK 2
static struct baton *late_baton;
static struct rt late_rts[3];
static struct err late_errs[3];
static int late_failures;

static void *late_body(void *arg)
{
	int me = (int)(intptr_t)arg;
	struct rt *rt = &late_rts[me];
	if (baton_join(late_baton, me, rt) != BATON_FUTEX) {
		late_failures++;
		return NULL;
	}
	/* Joined, but held up before it lists itself, as a thread the OS
	 * runs late (or one that loses the ring's mutex to the others). */
	if (me == LATE_TASK)
		thread_sleep(rt, 100000000);
	uint64_t done;
	if (baton_take_turns(late_baton, me, BATON_FUTEX, ROUNDS, &done, rt) != 0 || done != ROUNDS)
		late_failures++;
	return NULL;
}

static void test_late_joiner(void)
{
	struct err e = {{0}};
	late_baton = baton_create(3, ROUNDS, BATON_FUTEX, 10 * 1000000000LL, 1, 0, &e);
	CHECK(late_baton, "%s", e.msg);
	if (!late_baton)
		return;
	baton_reset(late_baton);
	pthread_t th[3];
	for (int i = 0; i < 3; i++) {
		late_rts[i] = (struct rt){.ops = &thread_test_ops, .worker = i, .err = &late_errs[i]};
		CHECK_INT(pthread_create(&th[i], NULL, late_body, (void *)(intptr_t)i), 0);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	CHECK(late_failures == 0, "late joiner: %d tasks failed (%s | %s | %s)", late_failures,
	      late_errs[0].msg, late_errs[1].msg, late_errs[2].msg);
	uint64_t handoffs = 0;
	for (int i = 0; i < 3; i++)
		handoffs += baton_counts(late_baton, i)->handoffs;
	CHECK(handoffs == 3 * ROUNDS - 1, "late joiner: %llu handoffs for %d turns",
	      (unsigned long long)handoffs, 3 * ROUNDS);
	baton_destroy(late_baton);
}

int main(void)
{
	static const char *const names[] = {"full", "minimal", "ucontext"};
	for (int k = CORO_SWITCH_FULL; k <= CORO_SWITCH_UCONTEXT; k++) {
		if (coro_switch_kind_parse(names[k]) != k)
			continue; /* not built in */
		test_ring((enum coro_switch_kind)k, names[k]);
		printf("context=%s: baton ring checked\n", names[k]);
	}
	test_stall();
	test_late_joiner();
	return check_report("yield_baton");
}
