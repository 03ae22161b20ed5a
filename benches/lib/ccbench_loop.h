/* ccbench_loop.h — the background CPU work of CPython's Tools/ccbench
 * (2.7 to 3.11), as cmbench workloads run it: a task repeats an
 * "iteration" (`iter` units, one decrement each, as count-down's) in
 * batches and counts them until its time is up or another task ended the
 * measurement, the rules of ccbench's TimedLoop:
 *   - every task measures from one shared start (the first step of any task);
 *   - the clock and the end flag are looked at after each batch; a batch
 *     starts at 20 iterations and grows by half while it takes under 10 ms;
 *   - the first task whose duration is reached ends the measurement for all;
 *     the others keep the count of their last complete batch (the batch
 *     under way when the end came is not counted);
 *   - with `do_yield`, after a batch of 10 ms or more the task sleeps 100 us
 *     (ccbench's throughput test with several threads does it, "to force
 *     thread switching").
 * The state lives in a MAP_SHARED mapping so that the processes model's
 * children share the start and the end flag. */
#pragma once
#include <stdatomic.h>
#include <stdint.h>
#include "err.h"
#include "runtime.h"

struct ccb_loop_result {
	uint64_t iterations;  /* iterations of the counted batches */
	uint64_t units;       /* every decrement done, counted or not */
	int64_t elapsed_ns;   /* from the shared start to this task's last counted batch */
};

struct ccb_loop_task {
	uint64_t left;        /* units left in the current iteration */
	uint64_t batch;       /* iterations per batch (20, growing) */
	uint64_t in_batch;    /* iterations done in the current batch */
	int64_t last_look_ns; /* end of the previous batch */
	struct ccb_loop_result result;
};

struct ccb_loop_shared {
	atomic_llong start_ns; /* 0 until the first step */
	atomic_int ended;
};

/* ns since the shared start, starting it on the first call. */
int64_t ccb_loop_since_start(struct ccb_loop_shared *s);

/* Run at most `budget` units of task t's loop; *done counts them. Returns
 * STEP_MORE or STEP_DONE (time up, or `stop_flag` set by another task, or
 * the shared end), or STEP_ERROR with rt->err set. `duration_ns` <= 0: run
 * until stop_flag. */
int ccb_loop_step(struct ccb_loop_shared *s, struct ccb_loop_task *t, uint64_t iter_units,
		  int64_t duration_ns, const atomic_int *stop_flag, int do_yield, uint64_t budget,
		  uint64_t *done, struct rt *rt);

/* The task's counts are consistent (at least iterations x iter_units units,
 * and a time for any counted iteration): 0, or -1 with e set. */
int ccb_loop_verify(const struct ccb_loop_result *r, uint64_t iter_units, const char *who, int task,
		    struct err *e);
