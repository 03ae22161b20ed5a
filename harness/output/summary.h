/* summary.h — the table printed at the end of a run. */
#pragma once
#include <jansson.h>
#include <stdio.h>

/* One row per cell: workload, model, workers, median, spread, speedups, verified. */
void summary_print(FILE *f, json_t *doc);
