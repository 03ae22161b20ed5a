/* yield.c — the cost of one switch: tasks that only hand control to each
 * other.
 *
 * The tasks pass a baton around a ring: a task takes a turn only while it
 * holds the baton, then hands it to the next task (in ring order) that is
 * waiting for it, and waits for its own next turn. A turn does no work, so
 * the measured time divided by the number of handoffs is the cost of moving
 * control from one task to another: `ns_per_switch` in workload_stats.
 * How a task waits depends on what can wake it (`--param handoff=`: yield,
 * condvar, futex, pipe or auto): the ring and its handoffs are
 * benches/lib/baton.{h,c}, which also says where a kernel handoff's time
 * goes. When the tasks run one after another (the sequential model) nobody
 * ever waits: the run makes no handoffs and reports no switch cost. */
#include <stdlib.h>
#include "baton.h"
#include "bench.h"

struct yield_state {
	struct baton *baton;
	int ntasks;
	uint64_t rounds;
};

static const struct param_spec yield_params[] = {
	{.name = "rounds", .type = PARAM_INT,
	 .defaults = {[PROFILE_QUICK] = "500", [PROFILE_DEFAULT] = "2k", [PROFILE_FULL] = "100k",
		      [PROFILE_CI] = "2k"},
	 .min = 1, .max = 1000000000000, .help = "turns each task takes (handoffs = tasks x rounds)"},
	{.name = "handoff", .type = PARAM_CHOICE, .defaults = {[PROFILE_DEFAULT] = "auto"},
	 .choices = BATON_HANDOFF_CHOICES,
	 .help = "how a task waits for its turn: rt_yield spin, condition variable, futex word, "
		 "pipe; auto picks yield for models that offer it, pipe across processes, else "
		 "condvar"},
	{.name = "stall", .type = PARAM_DURATION, .defaults = {[PROFILE_DEFAULT] = "10s"},
	 .min = 1000000, .max = 3600000000000LL,
	 .help = "fail when a task waits this long for its turn"},
	{0},
};

static void *yield_setup(const struct bench_setup *s, struct err *e)
{
	struct yield_state *y = calloc(1, sizeof *y);
	if (!y) {
		err_set(e, "yield: out of memory");
		return NULL;
	}
	y->ntasks = s->ntasks;
	y->rounds = (uint64_t)param_int(s->params, "rounds");
	y->baton = baton_create(s->ntasks, y->rounds, (enum baton_handoff)param_int(s->params, "handoff"),
				param_int(s->params, "stall"),
				(s->caps & RT_CAP_CONCURRENT) && s->ntasks <= s->workers,
				!(s->caps & RT_CAP_CONCURRENT), e);
	if (!y->baton) {
		free(y);
		return NULL;
	}
	return y;
}

static void yield_reset(void *state) { baton_reset(((struct yield_state *)state)->baton); }

static int yield_step(void *state, int task, uint64_t budget, uint64_t *done, struct rt *rt)
{
	struct baton *b = ((struct yield_state *)state)->baton;
	int handoff = baton_join(b, task, rt);
	if (handoff < 0)
		return STEP_ERROR;
	int more = baton_take_turns(b, task, handoff, budget, done, rt);
	return more < 0 ? STEP_ERROR : more ? STEP_MORE : STEP_DONE;
}

static void *yield_result(void *state, int task)
{
	return baton_counts(((struct yield_state *)state)->baton, task);
}

static int yield_verify(void *state, struct err *e)
{
	struct yield_state *y = state;
	uint64_t handoffs = 0;
	for (int i = 0; i < y->ntasks; i++) {
		const struct baton_counts *r = baton_counts(y->baton, i);
		if (r->turns != y->rounds)
			return err_set(e, "yield: task %d took %llu turns, %llu expected", i,
				       (unsigned long long)r->turns, (unsigned long long)y->rounds);
		handoffs += r->handoffs;
	}
	if (baton_turns_taken(y->baton) != (uint64_t)y->ntasks * y->rounds)
		return err_set(e, "yield: %llu turns taken under the baton, %llu expected (two tasks "
				  "took turns at once)", (unsigned long long)baton_turns_taken(y->baton),
			       (unsigned long long)((uint64_t)y->ntasks * y->rounds));
	if (handoffs > (uint64_t)y->ntasks * y->rounds)
		return err_set(e, "yield: %llu handoffs for %llu turns", (unsigned long long)handoffs,
			       (unsigned long long)((uint64_t)y->ntasks * y->rounds));
	if (baton_holder(y->baton) != -1)
		return err_set(e, "yield: task %d still holds the baton after every task finished",
			       baton_holder(y->baton));
	return 0;
}

static void yield_report(void *state, double seconds, json_t *fields)
{
	struct yield_state *y = state;
	uint64_t handoffs = 0, yields = 0;
	for (int i = 0; i < y->ntasks; i++) {
		handoffs += baton_counts(y->baton, i)->handoffs;
		yields += baton_counts(y->baton, i)->yields;
	}
	json_object_set_new(fields, "handoff",
			    json_string(baton_handoff_names[baton_chosen(y->baton)]));
	json_object_set_new(fields, "handoffs", json_integer((json_int_t)handoffs));
	json_object_set_new(fields, "yields", json_integer((json_int_t)yields));
	/* Only a real handoff is a switch: a lone task, or a model that runs
	 * the tasks one after another, switches nothing and gets no figure. */
	if (handoffs > 0 && seconds > 0) {
		json_object_set_new(fields, "ns_per_switch", json_real(seconds * 1e9 / (double)handoffs));
		json_object_set_new(fields, "switches_per_s", json_real((double)handoffs / seconds));
	}
}

static void yield_teardown(void *state)
{
	struct yield_state *y = state;
	baton_destroy(y->baton);
	free(y);
}

const struct bench bench_yield = {
	.name = "yield",
	.summary = "tasks that only hand control to each other: the cost of one switch",
	.kind = BENCH_CPU,
	/* the baton and the wait list: one ring that every task sees (MPI ranks
	 * would each pass a baton of their own, and measure no handoff) */
	.needs = RT_CAP_SHARED_MEMORY,
	.scaling = WORK_PER_WORKER,
	.headline = {"ns_per_switch", "ns per switch", "ns", METRIC_TIME},
	.params = yield_params,
	.result_size = sizeof(struct baton_counts),
	.setup = yield_setup,
	.reset = yield_reset,
	.step = yield_step,
	.result = yield_result,
	.verify = yield_verify,
	.report = yield_report,
	.teardown = yield_teardown,
};
