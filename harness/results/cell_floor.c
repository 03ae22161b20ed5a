/* cell_floor.c — a cell's ratio to its floor (cell_floor.h). */
#include <stdio.h>
#include <string.h>
#include "cell_floor.h"
#include "cell_result.h"
#include "floor_match.h"

/* Where the workers ran, from the binding the last repetition read back:
 * a list of groups {"workers", "count", "object": "package:0 core:1 pu:1",
 * "applied": cpus}. Every worker on one PU, or each on a core of its own;
 * anything else (unpinned, a binding that failed) is unknown. */
static enum floor_cell_placement placement_of(json_t *binding, int workers)
{
	size_t n = json_array_size(binding);
	if (n == 0)
		return CELL_PLACED_UNKNOWN;
	char cores[64][96];
	size_t ncores = 0;
	int counted = 0;
	const char *first_applied = NULL;
	int same_pu = 1;
	for (size_t i = 0; i < n; i++) {
		json_t *g = json_array_get(binding, i);
		const char *applied = json_string_value(json_object_get(g, "applied"));
		const char *object = json_string_value(json_object_get(g, "object"));
		int count = (int)json_integer_value(json_object_get(g, "count"));
		if (!applied || !object || count < 1 || strpbrk(applied, ",-"))
			return CELL_PLACED_UNKNOWN; /* not bound, or bound to several PUs */
		counted += count;
		if (!first_applied)
			first_applied = applied;
		same_pu &= !strcmp(first_applied, applied);
		/* the object up to its PU: "package:0 core:1" */
		const char *pu = strstr(object, " pu:");
		size_t len = pu ? (size_t)(pu - object) : strlen(object);
		if (count != 1 || ncores == sizeof cores / sizeof cores[0] || len >= sizeof cores[0])
			continue;
		snprintf(cores[ncores], sizeof cores[0], "%.*s", (int)len, object);
		size_t k = 0;
		while (k < ncores && strcmp(cores[k], cores[ncores]))
			k++;
		ncores += k == ncores; /* a core already listed: two workers share it */
	}
	if (counted != workers)
		return CELL_PLACED_UNKNOWN;
	if (same_pu)
		return CELL_PLACED_SAME_PU;
	return (int)ncores == workers ? CELL_PLACED_OWN_CORE : CELL_PLACED_UNKNOWN;
}

/* The median of a workload figure over the repetitions, or 0. */
static double workload_median(const struct cell_result *c, const char *key)
{
	const struct named_values *first = &c->outcome.samples[0].workload_stats;
	const struct named_value *v = named_values_find(first, key);
	if (!v || !c->workload_stats)
		return 0;
	const struct value_summary *s = &c->workload_stats[v - first->v];
	return s->numeric ? s->s.median : 0;
}

void cell_floor_of(const struct cell_result *c, const struct floors *f, struct cell_floor *out)
{
	memset(out, 0, sizeof *out);
	const struct cell_outcome *o = &c->outcome;
	if (!f || o->status != CELL_OK || o->n_samples == 0)
		return;
	const struct named_value *handoff = named_values_find(&o->samples[0].workload_stats, "handoff");
	struct floor_cell fc = {
		.workload = c->id.workload,
		.model = c->id.model,
		.workers = c->id.workers,
		.handoff = handoff && handoff->kind == VALUE_TEXT ? handoff->text : NULL,
		.placement = placement_of(o->samples[o->n_samples - 1].binding, c->id.workers),
	};
	int id = floor_match(&fc);
	const char *key = id >= 0 ? floor_figure_key(id) : NULL;
	if (!key)
		return;
	id = floor_bound(f, id); /* the same key: a floor of the same kind */
	if (id < 0)
		return;
	double figure = workload_median(c, key);
	double ratio = floor_ratio(f, id, figure);
	if (!(ratio > 0))
		return;
	*out = (struct cell_floor){.set = 1, .id = id, .figure = figure,
				   .floor = f->r[id].median, .ratio = ratio};
}

json_t *cell_floor_json(const struct cell_floor *cf)
{
	return json_pack("{s:s, s:s, s:f, s:f, s:f}", "name", floor_infos[cf->id].name, "unit",
			 floor_infos[cf->id].unit, "floor", cf->floor, "figure", cf->figure, "ratio",
			 cf->ratio);
}
