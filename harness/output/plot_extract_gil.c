/* plot_extract_gil.c — the emulated GIL's own figures (model_stats of the gil
 * model): how often it changed hands, and how long workers waited for it. */
#include <math.h>
#include "plot_extract.h"

static int switches_per_second(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	(void)lo;
	(void)hi;
	/* GIL cells only: coroutines count switches too, of another kind */
	if (!isfinite(entry_stat(c->entry, "model_stats", "acquisitions")))
		return 0;
	double switches = entry_stat(c->entry, "model_stats", "switches");
	*v = switches / (c->time_ms / 1e3);
	return switches > 0 && c->time_ms > 0; /* none at 1 worker: nothing to draw on log y */
}

static int wait_percent(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	(void)lo;
	(void)hi;
	double wait_ns = entry_stat(c->entry, "model_stats", "wait_ns_total");
	*v = 100.0 * wait_ns / (c->workers * c->time_ms * 1e6);
	return isfinite(wait_ns) && c->time_ms > 0 && c->workers > 0;
}

void extract_gil_switches(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	chart_write_lines(ch, cs, switches_per_second);
	chart_set_workers_axis(ch);
}

void extract_gil_wait(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	chart_write_lines(ch, cs, wait_percent);
	chart_set_workers_axis(ch);
}
