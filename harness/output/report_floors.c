/* report_floors.c — the report's section on this machine's floors: what
 * each bare operation costs here (context.floors, `cmbench limits`), then
 * every cell that has a floor, with its figure and the ratio ("1.08x"). */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "floors.h"
#include "report.h"

static void floors_table(struct doc *d, json_t *floors)
{
	static const char *const headers[] = {"floor", "median", "unit", "min – max", "what"};
	d->ops->table_begin(d, 5, headers, "lrlrl");
	const char *name;
	json_t *f;
	json_object_foreach(json_object_get(floors, "floors"), name, f) {
		char col[5][200], a[32], b[32];
		const char *row[5] = {col[0], col[1], col[2], col[3], col[4]};
		snprintf(col[0], sizeof col[0], "%s", name);
		snprintf(col[2], sizeof col[2], "%s", json_string_value(json_object_get(f, "unit")) ?: "");
		int id = floor_by_name(name);
		snprintf(col[4], sizeof col[4], "%s", id >= 0 ? floor_infos[id].what : "");
		json_t *median = json_object_get(f, "median");
		if (!json_is_number(median)) {
			const char *why = json_string_value(json_object_get(f, "why"));
			snprintf(col[1], sizeof col[1], "unavailable");
			snprintf(col[3], sizeof col[3], "%.190s", why ? why : "");
		} else {
			report_number(col[1], sizeof col[1], json_number_value(median));
			report_number(a, sizeof a, json_number_value(json_object_get(f, "min")));
			report_number(b, sizeof b, json_number_value(json_object_get(f, "max")));
			snprintf(col[3], sizeof col[3], "%s – %s", a, b);
		}
		d->ops->table_row(d, row);
	}
	d->ops->table_end(d);
}

static size_t cells_table(struct doc *d, const struct plot_cells *cs)
{
	static const char *const headers[] = {"cell", "figure", "floor", "unit", "x floor"};
	size_t n = 0;
	for (size_t i = 0; i < cs->n; i++) {
		json_t *fl = cs->v[i].entry ? json_object_get(cs->v[i].entry, "floor") : NULL;
		if (!json_is_object(fl))
			continue;
		if (n++ == 0)
			d->ops->table_begin(d, 5, headers, "lrlll");
		char col[5][160];
		const char *row[5] = {col[0], col[1], col[2], col[3], col[4]};
		snprintf(col[0], sizeof col[0], "%.150s", cs->v[i].run_name);
		report_number(col[1], sizeof col[1], json_number_value(json_object_get(fl, "figure")));
		char v[32];
		report_number(v, sizeof v, json_number_value(json_object_get(fl, "floor")));
		snprintf(col[2], sizeof col[2], "%.100s %s",
			 json_string_value(json_object_get(fl, "name")) ?: "?", v);
		snprintf(col[3], sizeof col[3], "%s", json_string_value(json_object_get(fl, "unit")) ?: "");
		snprintf(col[4], sizeof col[4], "%.2f×", json_number_value(json_object_get(fl, "ratio")));
		d->ops->table_row(d, row);
	}
	if (n)
		d->ops->table_end(d);
	return n;
}

void report_floors(struct doc *d, json_t *context, const struct plot_cells *cs)
{
	json_t *floors = json_object_get(context, "floors");
	if (!json_is_object(floors))
		return;
	d->ops->heading(d, 1, "Against this machine's floors");
	d->ops->paragraph(d, "What the bare operation costs on this machine, measured at the start "
			     "of the run with no model around it (cmbench limits). A cell's \"x floor\" "
			     "is its own figure as a multiple of its floor: 1.00× is as fast as the "
			     "machine allows, more is the model's own cost.");
	floors_table(d, floors);
	if (!cells_table(d, cs))
		d->ops->paragraph(d, "No cell of this run has a floor (yield with 2 or more workers, "
				     "echo with one client, sha512 with one worker, countdown under "
				     "the baseline model have one).");
}
