/* summary.c — the end-of-run summary table, rendered from the typed cells.
 *
 * Each row shows the cell's headline metric (bench.h) with its direction:
 * the time of a fixed-work workload, with its speedup over the baseline and
 * over one worker; for a work-per-worker workload its throughput, latency or
 * ns per switch, with its gain over one worker, and no speedup (each worker
 * adds work, so a time ratio would read as a slowdown). */
#include <math.h>
#include <string.h>
#include "summary.h"

static void ratio(char *buf, size_t len, const struct ratio *r)
{
	if (r->set && r->ci.level > 0)
		snprintf(buf, len, "%.2fx [%.2f,%.2f]", r->value, r->ci.lo, r->ci.hi);
	else if (r->set)
		snprintf(buf, len, "%.2fx", r->value);
	else
		snprintf(buf, len, "-");
}

/* A value in its unit with enough digits to read. */
static void amount(char *buf, size_t len, double v)
{
	snprintf(buf, len, fabs(v) >= 1000 ? "%.0f" : fabs(v) >= 10 ? "%.1f" : "%.3g", v);
}

static const char *arrow(const struct cell_identity *id)
{
	int d = metric_direction(id->headline.kind);
	return d < 0 ? "lower" : d > 0 ? "higher" : "";
}

void summary_print(FILE *f, const struct run_results *r)
{
	int noisy = 0, per_worker = 0, floors = 0;
	fprintf(f, "%-44s %7s %-34s %6s %19s %19s %19s  %s\n", "cell", "workers",
		"headline (median; better)", "cv", "min .. max", "vs seq [95% CI]", "vs 1w [95% CI]",
		"verified");
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *c = r->cells[i];
		const struct cell_outcome *o = &c->outcome;
		if (o->status == CELL_ERROR) {
			fprintf(f, "%-44s %7d  ERROR: %s\n", c->id.name, c->id.workers, o->message);
			continue;
		}
		if (o->status == CELL_SKIPPED) {
			fprintf(f, "%-44s %7d  skipped: %s\n", c->id.name, c->id.workers, o->message);
			continue;
		}
		if (o->n_samples == 0)
			continue;
		per_worker |= c->id.per_worker;
		char head[200], range[64], cvs[16], lo[24], hi[24], vs_seq[48], vs_one[48];
		if (c->headline.numeric) {
			char v[24];
			amount(v, sizeof v, c->headline.s.median);
			/* "time 12.6 ms", "ns per switch 24.7 ns", but "5414 round-trips/s" */
			int same = !strcmp(c->id.headline.label, c->id.headline.unit);
			snprintf(head, sizeof head, "%s%s%s %s (%s)", same ? "" : c->id.headline.label,
				 same ? "" : " ", v, c->id.headline.unit, arrow(&c->id));
			amount(lo, sizeof lo, c->headline.s.min);
			amount(hi, sizeof hi, c->headline.s.max);
			snprintf(range, sizeof range, "%s .. %s", lo, hi);
			snprintf(cvs, sizeof cvs, "%.1f%%", 100 * c->headline.s.cv);
		} else {
			snprintf(head, sizeof head, "%s: none (time %.1f ms)", c->id.headline.label,
				 c->real.median / 1e6);
			snprintf(range, sizeof range, "-");
			snprintf(cvs, sizeof cvs, "-");
		}
		if (o->n_samples == 1) {
			snprintf(cvs, sizeof cvs, "-");
			snprintf(range, sizeof range, "-");
		}
		ratio(vs_seq, sizeof vs_seq, &c->vs_baseline);
		ratio(vs_one, sizeof vs_one, &c->vs_1worker);
		if (c->id.per_worker)
			snprintf(vs_seq, sizeof vs_seq, "n/a (per worker)");
		noisy += c->n_warnings > 0;
		char floor[48] = "";
		if (c->floor.set) {
			snprintf(floor, sizeof floor, "  %.2fx floor", c->floor.ratio);
			floors++;
		}
		fprintf(f, "%-44s %7d %-34s %6s %19s %19s %19s  %s%s%s\n", c->id.name, c->id.workers,
			head, cvs, range, vs_seq, vs_one, o->n_samples == 1 ? "yes (1 rep)" : "yes",
			floor, c->n_warnings ? "  (noisy: see warnings)" : "");
	}
	if (per_worker)
		fprintf(f, "\nwork per worker (each worker adds its own work): no speedup; \"vs 1w\" "
			   "is the headline's gain over the same model with one worker (throughput n/1, "
			   "latency 1/n)\n");
	if (floors)
		fprintf(f, "\n\"x floor\": the cell's handoff, round trip or unit of work as a multiple "
			   "of the bare code that does only that on this machine (cmbench limits; "
			   "`floor` in the results)\n");
	if (noisy)
		fprintf(f, "\n%d cell(s) were noisy: the warnings before this table name them by "
			   "kind; `warnings` in the results and the report say why and what to do\n",
			noisy);
}
