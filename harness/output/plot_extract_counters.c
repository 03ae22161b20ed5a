/* plot_extract_counters.c — what the kernel did per cell (perf counters):
 * context switches and futex calls, median with min..max whiskers. */
#include <math.h>
#include <string.h>
#include "plot_extract.h"

static int is_context_switches(const char *key)
{
	return !strcmp(key, "context-switches") || !strcmp(key, "context_switches") ||
	       !strcmp(key, "cs");
}

static int is_futex(const char *key)
{
	return strstr(key, "futex") != NULL;
}

/* A counter of the cell's median aggregate, whiskers from min/max aggregates.
 * Zero cannot be drawn on a log scale: no bar. */
static int counter_of(const struct plot_cell *c, int (*match)(const char *), double *v, double *lo,
		      double *hi)
{
	const char *key = entry_find_key(c->entry, "counters", match);
	if (!key)
		return 0;
	*v = entry_stat(c->entry, "counters", key);
	*lo = entry_stat(c->min_entry, "counters", key);
	*hi = entry_stat(c->max_entry, "counters", key);
	if (!(*lo > 0))
		*lo = *v;
	return *v > 0;
}

/* perf's count when the run had counters; else getrusage's voluntary plus
 * involuntary switches, which every run records. */
static int context_switches_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	if (counter_of(c, is_context_switches, v, lo, hi))
		return 1;
	double vol = entry_stat_top(c->entry, "voluntary_cs"), inv = entry_stat_top(c->entry, "involuntary_cs");
	*v = vol + inv;
	*lo = entry_stat_top(c->min_entry, "voluntary_cs") + entry_stat_top(c->min_entry, "involuntary_cs");
	*hi = entry_stat_top(c->max_entry, "voluntary_cs") + entry_stat_top(c->max_entry, "involuntary_cs");
	if (!(*lo > 0))
		*lo = *v;
	return *v > 0;
}

static int futex_of(const struct plot_cell *c, double *v, double *lo, double *hi)
{
	return counter_of(c, is_futex, v, lo, hi);
}

/* A log axis starts at the power of ten strictly below the smallest bar or
 * whisker end: bars grow from the bottom of the axis, so a median of 1 on an
 * axis starting at 1 would draw nothing and its whisker would float. */
static void log_axis_floor(struct chart *ch)
{
	double x = ch->low_positive;
	if (!(x > 0))
		return;
	double p = pow(10, floor(log10(x)));
	if (p >= x) /* x is itself a power of ten */
		p /= 10;
	chart_set_number(ch, "ymin", p);
}

void extract_context_switches(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	chart_write_bars(ch, cs, context_switches_of);
	chart_set_text(ch, "counter_label", "context switches");
	log_axis_floor(ch);
}

void extract_futex(struct chart *ch, const struct plot_cells *cs, json_t *ctx)
{
	(void)ctx;
	chart_write_bars(ch, cs, futex_of);
	chart_set_text(ch, "counter_label", "futex calls");
	log_axis_floor(ch);
}
