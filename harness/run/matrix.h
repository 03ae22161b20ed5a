/* matrix.h — the cells of a run: workloads x models x swept parameters x
 * worker counts x pin policies, in the order they run.
 *
 * Every list is bounded (MATRIX_LIST_MAX items) and holds no duplicate: two
 * cells with one name would be merged by the summary, compare and plots, so
 * `-w countdown,countdown` or `-n 1,1` is a usage error, not a silent merge.
 * Every function reports a bad item as a one-line message in e. */
#pragma once
#include <hwloc.h>
#include "cell.h"
#include "err.h"
#include "pin.h"

/* Most items in one list (-w, -m, -n, --pin, one --param's values), and most
 * cells in a matrix. */
#define MATRIX_LIST_MAX 256
#define MATRIX_CELLS_MAX 100000
#define MATRIX_TASKS_MAX 100000000 /* per cell: each task has a result slot */

struct swept_param {
	char *scope; /* NULL: every cell; else only cells of this model or workload */
	char *key;
	char **values;
	int n;
};

struct matrix_spec {
	const struct bench **benches;
	int nbenches;
	const struct model **models;
	int nmodels;
	int *workers;
	int nworkers;
	struct pin_policy *pins;
	int npins;
	struct swept_param *params;
	int nparams;
	int tasks_per_worker;
	enum profile profile;
	struct binding **bindings; /* [pin * nworkers + worker]: see matrix_plan_bindings */
};

/* Append the items of a comma list (repeatable options add to the list).
 * 0; -1 on a bad item (nothing more is added); MATRIX_DUPLICATE when an
 * item is already in the list: the items are still added and e names the
 * first duplicate, so that a caller may first finish reading its options
 * (a list over the bound is then reported before a duplicate). */
#define MATRIX_DUPLICATE (-2)
int matrix_add_workloads(struct matrix_spec *m, const char *list, struct err *e);
int matrix_add_models(struct matrix_spec *m, const char *list, struct err *e);
int matrix_add_workers(struct matrix_spec *m, const char *list, struct err *e);
int matrix_add_pins(struct matrix_spec *m, const char *list, struct err *e);
/* --param [SCOPE:]KEY=V1,V2...: a swept parameter. */
int matrix_add_param(struct matrix_spec *m, const char *arg, struct err *e);

/* Fill what was not given: every workload, every model, no pinning, and
 * workers 1, 2, 4, ... up to `max_workers` (and it). */
void matrix_defaults(struct matrix_spec *m, int max_workers);
/* tasks = workers x tasks per worker stays within MATRIX_TASKS_MAX. */
int matrix_check_tasks(const struct matrix_spec *m, struct err *e);
/* Every --param declared by a selected workload or model, every value valid. */
int matrix_check_params(const struct matrix_spec *m, struct err *e);

/* Plan every pin policy for every worker count on the topology now, so that
 * a location the machine lacks is a usage error before anything runs.
 * *not_applied: why nothing will really be bound (a topology from a file),
 * or NULL. */
int matrix_plan_bindings(struct matrix_spec *m, hwloc_topology_t topo, const char **not_applied,
			 struct err *e);

/* All cells, in the order they run (workload, model, params, workers, pin);
 * NULL with e set if a name would be too long or repeat, or there are too
 * many. */
struct cell *matrix_build(const struct matrix_spec *m, int *ncells, struct err *e);

/* What a model cannot do with a cell (bench.tasks_exactly, model.check) is
 * a usage error, before anything runs. */
int matrix_check_cells(const struct cell *cells, int ncells, const char *cache_dir, struct err *e);
/* A cell as the model's optional hooks see it. */
struct model_cell matrix_model_cell(const struct cell *x, const char *cache_dir);

void matrix_free(struct matrix_spec *m);
