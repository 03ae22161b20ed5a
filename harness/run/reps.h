/* reps.h — a cell's repetitions, once it is set up: warm-ups, then timed
 * repetitions until the rule says enough (adaptive.h; --reps N: exactly N;
 * --min-time may ask for more), then, when perf counters are counted apart
 * (the default), up to COUNTER_REPS repetitions of their own whose counts
 * go with the first timed samples: counting costs time inside the region
 * (every context switch saves and restores the counters, every futex hits
 * the tracepoint), so the timed repetitions run without it. Every
 * repetition is verified. */
#pragma once
#include "cell.h"
#include "cell_outcome.h"

/* Repetitions that count perf events when they are counted apart: up to
 * COUNTER_REPS, fewer once 1/COUNTER_BUDGET_SHARE of the cell's budget
 * (--budget) was spent counting. */
#define COUNTER_REPS 3
#define COUNTER_BUDGET_SHARE 6

/* Measure into out (samples, reps_stop, counter_reps); a failed repetition
 * leaves out as CELL_ERROR with its message. */
void reps_measure(const struct cell *c, const struct run_opts *o, void *state,
		  struct cell_outcome *out);
