/* profiles.h — what --profile sets besides the workloads' sizes (those are
 * each parameter's per-profile default, harness/core/params.h): repetitions,
 * warm-ups and the per-cell timeout. */
#pragma once
#include "cell.h"

/* Fill o->reps, o->warmup, o->timeout_s from o->profile where the user gave
 * none (the *_given flags). */
void profile_run_defaults(struct run_opts *o, int reps_given, int warmup_given, int timeout_given);
