/* profiles.c — repetitions, warm-ups and timeouts of each profile. */
#include "profiles.h"

/* quick, default, full, ci (enum profile order). Repetitions from reps_min
 * to reps, adaptive (adaptive.h) where a precision or budget is set; quick
 * and ci fixed (ci's gate compares like with like). */
static const int reps_min[PROFILE_COUNT] = {3, 3, 5, 7};
static const int reps[PROFILE_COUNT] = {3, 10, 20, 7};
static const double precision[PROFILE_COUNT] = {0, 0.03, 0.02, 0};
static const double budget_s[PROFILE_COUNT] = {0, 0.3, 5, 0};
static const int warmups[PROFILE_COUNT] = {0, 1, 2, 1};
static const int timeouts_s[PROFILE_COUNT] = {60, 300, 1800, 120};

void profile_run_defaults(struct run_opts *o, int reps_given, int warmup_given, int timeout_given)
{
	if (!reps_given)
		o->reps = reps[o->profile];
	if (!warmup_given)
		o->warmup = warmups[o->profile];
	if (!timeout_given)
		o->timeout_s = timeouts_s[o->profile];
}

void profile_rep_policy(struct run_opts *o, int reps_given, double precision_given,
			double budget_given)
{
	struct rep_policy *p = &o->policy;
	if (reps_given) { /* --reps N: exactly N */
		*p = (struct rep_policy){.min = o->reps, .max = o->reps};
		return;
	}
	p->min = reps_min[o->profile];
	p->max = o->reps;
	p->precision = precision_given >= 0 ? precision_given : precision[o->profile];
	p->budget_s = budget_given >= 0 ? budget_given : budget_s[o->profile];
	if (p->precision == 0 && p->budget_s == 0)
		p->min = p->max; /* nothing to stop early on: the profile's count */
}
