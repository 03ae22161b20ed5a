/* answer_results.h — the end-of-run answer's rows (answer.h) from the run's
 * typed results (harness/results/cell_result.h): what `cmbench run` prints
 * after its summary. Each workload is answered by its declared work kind
 * (fixed work: speedup over the baseline; work per worker: its headline
 * metric in its direction). */
#pragma once
#include "answer_cells.h"
#include "cell_result.h"

struct answer_rows *answer_rows_from_results(const struct run_results *r);
