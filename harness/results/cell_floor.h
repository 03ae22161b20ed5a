/* cell_floor.h — a measured cell held against this machine's floor for its
 * kind of work (harness/floors: `cmbench limits`): "1.08x floor" means the
 * model's handoff, round trip or unit of work costs 8% more than the bare
 * code that does only that, measured on the same machine in the same run.
 *
 * The floor comes from the results' context ("floors", written at the start
 * of a run), so a cell read back from a file gets the same ratio as when it
 * was measured. */
#pragma once
#include <jansson.h>
#include "floors.h"

struct cell_result;

struct cell_floor {
	int set;         /* a floor fits the cell and both figures exist */
	int id;          /* enum floor_id */
	double figure;   /* the cell's median, in the floor's unit */
	double floor;    /* the floor's median */
	double ratio;    /* >= 1 is slower than the floor (time / floor, or floor / rate) */
};

/* The floor of c (from its identity, its workload's figures and where its
 * workers ran); out->set = 0 when none fits or a figure is missing. */
void cell_floor_of(const struct cell_result *c, const struct floors *f, struct cell_floor *out);

/* {"name", "unit", "floor", "figure", "ratio"}: the entry's "floor" field. */
json_t *cell_floor_json(const struct cell_floor *cf);
