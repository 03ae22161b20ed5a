/* region.h — the measured region. The harness owns every clock and counter;
 * a model only says when its workers are ready to go and when the last one
 * has finished. Everything before region_start (creating threads, forking,
 * building inputs) and after region_stop (joining, merging) is excluded. */
#pragma once

struct region;

void region_start(struct region *r);
void region_stop(struct region *r);

/* For a model whose region runs outside the cell process, where
 * region_start/stop cannot bracket it (mpi: the ranks, started by mpirun,
 * are not the cell's children until it reaps mpirun; rank 0 times the
 * region between two barriers). Instead of region_start and region_stop,
 * the model reports what was measured there: the wall time, and the CPU
 * time, peak RSS and context switches summed over its workers. The cell's
 * perf counters cannot see those processes: they are recorded as
 * unsupported, with `why`. */
struct rep_measure;
void region_report_external(struct region *r, const struct rep_measure *m, const char *why);
