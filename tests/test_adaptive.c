/* test_adaptive.c — adaptive repetitions stop at the right time: not before
 * min, at max, when the median's 95% interval is tight (from 6 on), when
 * the budget is spent; a noisy cell goes on. */
#include "adaptive.h"
#include "check.h"

int main(void)
{
	struct rep_policy p = {.min = 3, .max = 10, .precision = 0.03, .budget_s = 1.0};
	double quiet[10] = {0.050, 0.0501, 0.0499, 0.0502, 0.0498, 0.0500, 0.0501, 0.05, 0.05, 0.05};
	CHECK_INT(reps_enough(&p, quiet, 2), REPS_MORE);
	CHECK_INT(reps_enough(&p, quiet, 5), REPS_MORE); /* tight, but no 95% interval yet */
	CHECK_INT(reps_enough(&p, quiet, 6), REPS_PRECISE);
	/* noisy: +-20%, 6 reps of 50 ms: neither precise nor over budget */
	double noisy[10] = {0.040, 0.060, 0.050, 0.045, 0.058, 0.042, 0.061, 0.039, 0.055, 0.048};
	CHECK_INT(reps_enough(&p, noisy, 6), REPS_MORE);
	CHECK_INT(reps_enough(&p, noisy, 9), REPS_MORE);
	CHECK_INT(reps_enough(&p, noisy, 10), REPS_AT_MAX);
	/* slow: 3 reps of 400 ms spend the 1 s budget; 2 do not (min) */
	double slow[3] = {0.4, 0.41, 0.39};
	CHECK_INT(reps_enough(&p, slow, 2), REPS_MORE);
	CHECK_INT(reps_enough(&p, slow, 3), REPS_BUDGET);
	/* fixed --reps 5: min = max = 5, nothing else */
	struct rep_policy fixed = {.min = 5, .max = 5};
	CHECK_INT(reps_enough(&fixed, noisy, 4), REPS_MORE);
	CHECK_INT(reps_enough(&fixed, noisy, 5), REPS_AT_MAX);
	CHECK_INT(reps_enough(&fixed, quiet, 4), REPS_MORE);
	/* precision 0: never stops early */
	struct rep_policy noprec = {.min = 3, .max = 8};
	CHECK_INT(reps_enough(&noprec, quiet, 7), REPS_MORE);
	CHECK(!strcmp(reps_verdict_name(REPS_BUDGET), "budget"), "name");
	return check_report("adaptive");
}
