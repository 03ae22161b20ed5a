/* compare_inputs.h — what `compare` refuses before comparing anything: a
 * file whose times are not positive numbers, and a --metric that neither
 * file holds (a typo made every row "not comparable" and the gate pass). */
#pragma once
#include "compare.h"

/* Every repetition and median of r has a finite real_time > 0 and, when
 * present, a finite cpu_time >= 0. -1 with e naming the file, cell and value. */
int compare_check_times(const struct result_cells *r, struct err *e);

/* Every metric of o other than times and speedups occurs in at least one
 * repetition of a or b (counters, counters_unsupported, model_stats,
 * workload_stats or top level). -1 with e naming the metric otherwise. */
int compare_check_metrics(const struct compare_options *o, const struct result_cells *a,
			  const struct result_cells *b, struct err *e);
