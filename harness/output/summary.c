/* summary.c — the end-of-run summary table, rendered from the typed cells. */
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

void summary_print(FILE *f, const struct run_results *r)
{
	int noisy = 0;
	fprintf(f, "%-44s %8s %11s %7s %19s %19s %19s  %s\n", "cell", "workers", "median", "cv",
		"min .. max (ms)", "vs seq [95% CI]", "vs 1w [95% CI]", "verified");
	for (size_t i = 0; i < r->n; i++) {
		const struct cell_result *c = r->cells[i];
		const struct cell_outcome *o = &c->outcome;
		if (o->status == CELL_ERROR) {
			fprintf(f, "%-44s %8d  ERROR: %s\n", c->id.name, c->id.workers, o->message);
			continue;
		}
		if (o->status == CELL_SKIPPED) {
			fprintf(f, "%-44s %8d  skipped: %s\n", c->id.name, c->id.workers, o->message);
			continue;
		}
		if (o->n_samples == 0)
			continue;
		if (o->n_samples == 1) {
			fprintf(f, "%-44s %8d %8.1f ms %7s %19s %19s %19s  %s\n", c->id.name, c->id.workers,
				o->samples[0].real_ns / 1e6, "-", "-", "-", "-", "yes (1 rep)");
			continue;
		}
		char vs_seq[48], vs_one[48], range[40], cvs[16];
		ratio(vs_seq, sizeof vs_seq, &c->vs_baseline);
		ratio(vs_one, sizeof vs_one, &c->vs_1worker);
		snprintf(range, sizeof range, "%.1f .. %.1f", c->real.min / 1e6, c->real.max / 1e6);
		snprintf(cvs, sizeof cvs, "%.1f%%", 100 * c->real.cv);
		noisy += c->n_warnings > 0;
		fprintf(f, "%-44s %8d %8.1f ms %7s %19s %19s %19s  %s%s\n", c->id.name, c->id.workers,
			c->real.median / 1e6, cvs, range, vs_seq, vs_one, "yes",
			c->n_warnings ? "  (noisy: see warnings)" : "");
	}
	if (noisy)
		fprintf(f, "\n%d cell(s) were noisy: the warnings under their lines above (and "
			   "`warnings` in the results) say why and what to do\n", noisy);
}
