/* summary.h — the table printed at the end of a run, a renderer of the
 * typed cells (harness/results/cell_result.h). */
#pragma once
#include <stdio.h>
#include "cell_result.h"

/* One row per cell: workload, model, workers, median, spread, ratios, verified. */
void summary_print(FILE *f, const struct run_results *r);
