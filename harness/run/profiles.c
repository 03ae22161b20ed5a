/* profiles.c — repetitions, warm-ups and timeouts of each profile. */
#include "profiles.h"

/* quick, default, full, ci (enum profile order) */
static const int reps[PROFILE_COUNT] = {3, 5, 10, 7};
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
