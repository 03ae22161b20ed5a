/* adaptive.h — how many repetitions a cell gets: spend them where the noise
 * is. After each measured repetition the runner asks whether it has enough:
 * at least `min`; then stop as soon as the median's 95% interval is within
 * `precision` of the median (order statistics: from 6 repetitions on), or
 * the cell's time budget is spent, or `max` is reached. A quiet, fast cell
 * stops at 6; a noisy one goes on to `max` or its budget; a slow one stops
 * at `min`. `--reps N` sets min = max = N (a fixed count, no budget). */
#pragma once

struct rep_policy {
	int min, max;      /* repetitions, 1 <= min <= max */
	double precision;  /* stop when the 95% CI half-width / median <= this (0.03 = 3%); 0: never */
	double budget_s;   /* stop when this much region time was measured; 0: no budget */
};

enum reps_verdict {
	REPS_MORE,      /* measure another one */
	REPS_PRECISE,   /* the median's interval is tight enough */
	REPS_BUDGET,    /* the cell's time budget is spent */
	REPS_AT_MAX,       /* max repetitions reached (or a fixed --reps count) */
};

/* Given the n region times measured so far (seconds, any order). */
enum reps_verdict reps_enough(const struct rep_policy *p, const double *times_s, int n);
/* "precision", "budget", "max" (what the results record as reps_stop); "more" */
const char *reps_verdict_name(enum reps_verdict v);
