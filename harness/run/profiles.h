/* profiles.h — what --profile sets besides the workloads' sizes (those are
 * each parameter's per-profile default, harness/core/params.h): repetitions,
 * warm-ups, the per-cell timeout, and when repetitions stop (adaptive.h). */
#pragma once
#include "cell.h"

/* Fill o->reps, o->warmup, o->timeout_s from o->profile where the user gave
 * none (the *_given flags). */
void profile_run_defaults(struct run_opts *o, int reps_given, int warmup_given, int timeout_given);
/* o->policy (adaptive.h) from the profile, after profile_run_defaults:
 * --reps N given: exactly N; else the profile's min..max with its precision
 * and budget unless given (a value < 0: not given). */
void profile_rep_policy(struct run_opts *o, int reps_given, double precision_given,
			double budget_given);
