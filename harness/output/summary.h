/* summary.h — the table printed at the end of a run, a renderer of the
 * typed cells (harness/results/cell_result.h). */
#pragma once
#include <stdio.h>
#include "cell_result.h"

/* One row per cell: its headline metric with its direction, spread, speedups
 * (fixed-work workloads) or gain over one worker (work per worker), verified. */
void summary_print(FILE *f, const struct run_results *r);
