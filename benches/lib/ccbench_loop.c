/* ccbench_loop.c — see ccbench_loop.h. */
#include <time.h>
#include "bench.h"
#include "ccbench_loop.h"
#include "clock.h"

#define YIELD_AFTER_NS 10000000LL /* ccbench: t2 - t1 >= 0.01 */
#define YIELD_SLEEP_NS 100000LL   /* ccbench: time.sleep(0.0001) */

int64_t ccb_loop_since_start(struct ccb_loop_shared *s)
{
	long long now = clock_now_ns();
	long long zero = 0;
	atomic_compare_exchange_strong(&s->start_ns, &zero, now);
	return now - atomic_load(&s->start_ns);
}

#define FIRST_BATCH 20 /* ccbench: step = 20 */

int ccb_loop_step(struct ccb_loop_shared *s, struct ccb_loop_task *t, uint64_t iter_units,
		  int64_t duration_ns, const atomic_int *stop_flag, int do_yield, uint64_t budget,
		  uint64_t *done, struct rt *rt)
{
	uint64_t units = 0;
	if (t->batch == 0) {
		t->batch = FIRST_BATCH;
		t->last_look_ns = ccb_loop_since_start(s);
	}
	while (units < budget) {
		if (t->left == 0)
			t->left = iter_units;
		uint64_t n = t->left < budget - units ? t->left : budget - units;
		uint64_t left = t->left;
		for (uint64_t i = 0; i < n; i++) {
			left--;
			__asm__ volatile("" : "+r"(left));
		}
		t->left = left;
		units += n;
		t->result.units += n;
		if (t->left > 0 || ++t->in_batch < t->batch)
			continue;
		/* A batch is complete: look at the clock and the others. */
		t->in_batch = 0;
		int64_t since = ccb_loop_since_start(s);
		if (atomic_load_explicit(&s->ended, memory_order_relaxed) ||
		    (stop_flag && atomic_load_explicit(stop_flag, memory_order_relaxed))) {
			*done = units; /* the measurement ended meanwhile: keep the previous one */
			return STEP_DONE;
		}
		t->result.iterations += t->batch;
		t->result.elapsed_ns = since;
		if (duration_ns > 0 && since >= duration_ns) {
			atomic_store(&s->ended, 1);
			*done = units;
			return STEP_DONE;
		}
		if (since - t->last_look_ns < YIELD_AFTER_NS) {
			t->batch = t->batch * 3 / 2;
		} else if (do_yield) {
			int r = rt_sleep(rt, YIELD_SLEEP_NS);
			if (r < 0) {
				*done = units;
				err_set(rt->err, "ccbench loop: sleep failed: %d", r);
				return STEP_ERROR;
			}
		}
		t->last_look_ns = since;
	}
	*done = units;
	return STEP_MORE;
}

int ccb_loop_verify(const struct ccb_loop_result *r, uint64_t iter_units, const char *who, int task,
		    struct err *e)
{
	uint64_t counted = r->iterations * iter_units;
	if (r->units < counted || (r->iterations > 0 && r->elapsed_ns <= 0))
		return err_set(e, "%s: task %d did %llu units for %llu iterations of %llu in %lld ns",
			       who, task, (unsigned long long)r->units, (unsigned long long)r->iterations,
			       (unsigned long long)iter_units, (long long)r->elapsed_ns);
	return 0;
}
