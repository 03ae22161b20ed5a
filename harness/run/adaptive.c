/* adaptive.c — the stopping rule of adaptive repetitions (adaptive.h). */
#include "adaptive.h"
#include "stats.h"

enum reps_verdict reps_enough(const struct rep_policy *p, const double *times_s, int n)
{
	if (n < p->min)
		return REPS_MORE;
	if (n >= p->max)
		return REPS_AT_MAX;
	if (p->precision > 0 && n >= 6) { /* fewer than 6: no 95% interval of the median */
		struct interval ci = stats_median_ci(times_s, (size_t)n, 0.95);
		double med = stats_median(times_s, (size_t)n);
		if (ci.level >= 0.95 && med > 0 && (ci.hi - ci.lo) / 2 <= p->precision * med)
			return REPS_PRECISE;
	}
	double spent = 0;
	for (int i = 0; i < n; i++)
		spent += times_s[i];
	if (p->budget_s > 0 && spent >= p->budget_s)
		return REPS_BUDGET;
	return REPS_MORE;
}

const char *reps_verdict_name(enum reps_verdict v)
{
	switch (v) {
	case REPS_PRECISE: return "precision";
	case REPS_BUDGET: return "budget";
	case REPS_AT_MAX: return "max";
	default: return "more";
	}
}
