/* summary.c — the end-of-run summary table, rendered from the typed cells.
 *
 * One block per workload (and headline metric), its name, metric, unit and
 * direction in a heading line; one row per cell: the model and its
 * parameters, workers, the headline's median, CV (marked '!' when the cell
 * has warnings), min..max, the speedups with their intervals (fixed work:
 * over the baseline and over one worker; work per worker: only its gain
 * over one worker, since each worker adds work) and the ratio to this
 * machine's floor. Every line fits TEXT_WIDTH columns: the cell's name,
 * workload and unit would repeat on every row, so they are said once per
 * block; a label too long for its column gets a line of its own, an error
 * message is wrapped. Everything else is in the results and the report. */
#include <math.h>
#include <string.h>
#include "summary.h"
#include "text_wrap.h"

/* The columns after the label: " %3d %7s %7s %12s %16s %16s %7s". */
#define FIGURES_WIDTH (4 + 8 + 8 + 13 + 17 + 17 + 8)
#define LABEL_MAX (TEXT_WIDTH - 2 - FIGURES_WIDTH)

/* A factor with 3 significant figures: 0.66, 25.3, 123. */
static void factor(char *buf, size_t len, double v)
{
	snprintf(buf, len, fabs(v) >= 100 ? "%.0f" : fabs(v) >= 10 ? "%.1f" : "%.2f", v);
}

static void ratio(char *buf, size_t len, const struct ratio *r)
{
	char v[24], lo[24], hi[24];
	if (!r->set) {
		snprintf(buf, len, "-");
		return;
	}
	factor(v, sizeof v, r->value);
	if (r->ci.level > 0) {
		factor(lo, sizeof lo, r->ci.lo);
		factor(hi, sizeof hi, r->ci.hi);
		snprintf(buf, len, "%s [%s,%s]", v, lo, hi);
	} else {
		snprintf(buf, len, "%s", v);
	}
}

/* A value in its unit with enough digits to read. */
static void amount(char *buf, size_t len, double v)
{
	snprintf(buf, len, fabs(v) >= 1000 ? "%.0f" : fabs(v) >= 10 ? "%.1f" : "%.3g", v);
}

/* The cell's name without what the block and the row already say:
 * "gil/n=2M/gil=legacy" for countdown/gil/workers:2/n=2M/gil=legacy. */
static void row_label(char *buf, size_t len, const struct cell_identity *id)
{
	const char *name = id->name;
	size_t wl = strlen(id->workload);
	if (!strncmp(name, id->workload, wl) && name[wl] == '/')
		name += wl + 1;
	char seg[48];
	int sl = snprintf(seg, sizeof seg, "/workers:%d", id->workers);
	const char *w = strstr(name, seg);
	while (w && w[sl] && w[sl] != '/')
		w = strstr(w + 1, seg);
	if (w)
		snprintf(buf, len, "%.*s%s", (int)(w - name), name, w + sl);
	else
		snprintf(buf, len, "%s", name);
}

/* "countdown — time (ms), lower is better" */
static void heading(FILE *f, const struct cell_identity *id)
{
	const char *label = id->headline.label, *unit = id->headline.unit;
	int d = metric_direction(id->headline.kind);
	char what[160];
	if (!strcmp(label, unit) || !*unit)
		snprintf(what, sizeof what, "%s", label);
	else
		snprintf(what, sizeof what, "%s (%s)", label, unit);
	char line[400];
	snprintf(line, sizeof line, "%s — %s%s%s", id->workload, what,
		 d < 0 ? ", lower is better" : d > 0 ? ", higher is better" : "",
		 id->per_worker ? " (work per worker)" : "");
	text_wrap_print(f, "", 2, line, TEXT_WIDTH);
}

static int same_block(const struct cell_identity *a, const struct cell_identity *b)
{
	return !strcmp(a->workload, b->workload) && !strcmp(a->headline.label, b->headline.label) &&
	       !strcmp(a->headline.unit, b->headline.unit) && a->per_worker == b->per_worker;
}

void summary_print(FILE *f, const struct run_results *r)
{
	int noisy = 0, per_worker = 0, floors = 0, width = 5;
	char label[512];
	for (size_t i = 0; i < r->n; i++) {
		row_label(label, sizeof label, &r->cells[i]->id);
		int n = text_columns(label);
		if (n > width)
			width = n > LABEL_MAX ? width : n;
		floors += r->cells[i]->floor.set;
	}
	if (!r->n)
		return;
	fprintf(f, "  %-*s %3s %7s %7s %12s %16s %16s%s\n", width, "model", "w", "median", "cv ",
		"min..max", "vs seq [95% CI]", "vs 1w [95% CI]", floors ? " x floor" : "");
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *c = r->cells[i];
		const struct cell_outcome *o = &c->outcome;
		if (!i || !same_block(&r->cells[i - 1]->id, &c->id))
			heading(f, &c->id);
		row_label(label, sizeof label, &c->id);
		if (text_columns(label) > width) { /* a line of its own, the figures under it */
			text_wrap_print(f, "  ", 4, label, TEXT_WIDTH);
			label[0] = 0;
		}
		char prefix[600];
		snprintf(prefix, sizeof prefix, "  %-*s %3d  ", width, label, c->id.workers);
		if (o->status == CELL_ERROR || o->status == CELL_SKIPPED) {
			char text[1200];
			snprintf(text, sizeof text, "%s: %s", o->status == CELL_ERROR ? "ERROR" : "skipped",
				 o->message);
			text_wrap_print(f, prefix, 4, text, TEXT_WIDTH);
			continue;
		}
		if (o->n_samples == 0)
			continue;
		per_worker |= c->id.per_worker;
		char med[24] = "-", range[64] = "-", cvs[16] = "-", lo[24], hi[24];
		char vs_seq[96], vs_one[96], fl[24] = "";
		if (c->headline.numeric) {
			amount(med, sizeof med, c->headline.s.median);
			if (o->n_samples > 1) {
				amount(lo, sizeof lo, c->headline.s.min);
				amount(hi, sizeof hi, c->headline.s.max);
				snprintf(range, sizeof range, "%s..%s", lo, hi);
				snprintf(cvs, sizeof cvs, "%.1f%%", 100 * c->headline.s.cv);
			}
		}
		noisy += c->n_warnings > 0;
		snprintf(cvs + strlen(cvs), sizeof cvs - strlen(cvs), c->n_warnings ? "!" : " ");
		ratio(vs_seq, sizeof vs_seq, &c->vs_baseline);
		ratio(vs_one, sizeof vs_one, &c->vs_1worker);
		if (c->floor.set)
			factor(fl, sizeof fl, c->floor.ratio);
		char row[1400];
		snprintf(row, sizeof row, "  %-*s %3d %7s %7s %12s %16s %16s %7s", width, label,
			 c->id.workers, med, cvs, range, c->id.per_worker ? "-" : vs_seq, vs_one, fl);
		/* no trailing blanks when the row has no floor */
		size_t end = strlen(row);
		while (end && row[end - 1] == ' ')
			row[--end] = 0;
		fprintf(f, "%s\n", row);
	}
	if (per_worker)
		text_wrap_print(f, "\n", 2,
				"(work per worker) each worker adds its own work: no speedup over "
				"sequential; \"vs 1w\" is the headline's gain over the same model with "
				"one worker (throughput n/1, latency 1/n)", TEXT_WIDTH);
	if (floors)
		text_wrap_print(f, "\n", 2,
				"\"x floor\": the cell's handoff, round trip or unit of work as a multiple "
				"of the bare code that does only that on this machine (cmbench limits; "
				"`floor` in the results)", TEXT_WIDTH);
	if (noisy) {
		char line[300];
		snprintf(line, sizeof line, "\"!\": %d noisy cell(s), named by kind in the warnings "
					    "before this table; `warnings` in the results and the "
					    "report say why and what to do", noisy);
		text_wrap_print(f, "\n", 2, line, TEXT_WIDTH);
	}
}
