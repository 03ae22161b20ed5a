/* floor_match.h — which floor a measured cell is held against, and its
 * cost as a multiple of that floor ("1.08x floor").
 *
 *   yield under coroutines (handoff=yield)    -> coro_switch
 *   yield, handoff=futex / condvar / pipe     -> futex_* / condvar_* / pipe_*,
 *       _same_cpu when every worker ran on one PU, _cross_cpu when each ran
 *       on a PU of its own core, _unpinned otherwise (held against the
 *       lowest of the three: floor_bound)
 *   echo with 1 client                        -> tcp_round_trip
 *   sha512 with 1 worker                      -> sha512_evp
 *   countdown under sequential                -> countdown */
#pragma once
#include "floors.h"

enum floor_cell_placement {
	CELL_PLACED_UNKNOWN,  /* unpinned, or pinned some other way */
	CELL_PLACED_SAME_PU,  /* every worker bound to the same single PU */
	CELL_PLACED_OWN_CORE, /* each worker bound to one PU, no two on one core */
};

struct floor_cell {
	const char *workload;
	const char *model;
	int workers;
	const char *handoff; /* yield's handoff as recorded; NULL for other workloads */
	enum floor_cell_placement placement;
};

/* The floor for the cell, or -1 when none fits. */
int floor_match(const struct floor_cell *c);

/* The workload_stats key that holds a matched cell's figure in the floor's
 * unit: "ns_per_switch" (yield), "latency_p50_us" (echo), "mb_per_s"
 * (sha512), "ns_per_unit" (countdown); NULL for a floor no cell matches. */
const char *floor_figure_key(int id);

/* The floor a figure matched to `id` is held against: a floor the cell's
 * handoff cannot beat. For an _unpinned floor, the lowest available of its
 * kind (same PU, two cores, unpinned: the OS may have placed the workers
 * either way); else id itself. -1 when unavailable. */
int floor_bound(const struct floors *f, int id);

/* The cell's figure (in the floor's unit) as a multiple of floor_bound: for a
 * time figure / floor, for a rate floor / figure, so that 1.0 is "at the
 * floor" and more is slower either way. 0 when the floor is unavailable or
 * the figure is not positive. */
double floor_ratio(const struct floors *f, int id, double figure);
