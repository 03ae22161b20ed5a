/* report_tables.c — the summary table of a workload and the tables of the
 * numbers models, workloads and the kernel reported. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "report.h"

void report_number(char *buf, size_t len, double v)
{
	if (!isfinite(v)) {
		snprintf(buf, len, "–");
		return;
	}
	double a = fabs(v);
	if (a >= 10000) {
		/* group thousands: 2400000 -> 2,400,000 */
		char digits[32];
		snprintf(digits, sizeof digits, "%.0f", a);
		size_t n = strlen(digits), at = 0;
		if (v < 0 && at + 1 < len)
			buf[at++] = '-';
		for (size_t i = 0; i < n && at + 2 < len; i++) {
			buf[at++] = digits[i];
			if ((n - i - 1) % 3 == 0 && i + 1 < n)
				buf[at++] = ',';
		}
		buf[at] = '\0';
	} else if (a >= 100 || a == floor(a)) {
		snprintf(buf, len, "%.0f", v);
	} else if (a >= 10) {
		snprintf(buf, len, "%.1f", v);
	} else if (a >= 0.01) {
		snprintf(buf, len, "%.2f", v);
	} else {
		snprintf(buf, len, "%.2g", v);
	}
}

/* Speedups: always two decimals, so that columns line up. */
static void ratio(char *buf, size_t len, double v)
{
	snprintf(buf, len, isfinite(v) ? "%.2f×" : "–", v);
}

enum { SUMMARY_COLS = 10 };

void report_summary_table(struct doc *d, const struct plot_cells *cs, const char *workload)
{
	static const char *const headers[SUMMARY_COLS] = {
		"model", "workers", "median time (ms)", "min – max (ms)", "cv",
		"speedup vs sequential [CI] (level)", "speedup vs 1 worker", "efficiency",
		"peak RSS (MiB)", "verified"};
	d->ops->table_begin(d, SUMMARY_COLS, headers, "lrrrrrrrrl");
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		if (strcmp(c->workload, workload))
			continue;
		char col[SUMMARY_COLS][128], a[32], b[32], s[32];
		const char *row[SUMMARY_COLS];
		for (int k = 0; k < SUMMARY_COLS; k++)
			row[k] = col[k];
		snprintf(col[0], sizeof col[0], "%s", c->label);
		snprintf(col[1], sizeof col[1], "%d", c->workers);
		if (c->error) {
			snprintf(col[2], sizeof col[2], "failed");
			snprintf(col[3], sizeof col[3], "%.90s", c->error);
			for (int k = 4; k < SUMMARY_COLS; k++)
				snprintf(col[k], sizeof col[k], "–");
			d->ops->table_row(d, row);
			continue;
		}
		report_number(col[2], sizeof col[2], c->time_ms);
		report_number(a, sizeof a, c->time_min_ms);
		report_number(b, sizeof b, c->time_max_ms);
		snprintf(col[3], sizeof col[3], "%s – %s", a, b);
		if (isfinite(c->cv))
			snprintf(col[4], sizeof col[4], "%.1f%%", 100 * c->cv);
		else
			snprintf(col[4], sizeof col[4], "–");
		ratio(s, sizeof s, c->speedup);
		if (isfinite(c->speedup_lo) && isfinite(c->speedup_hi) && isfinite(c->speedup_ci_level))
			snprintf(col[5], sizeof col[5], "%s [%.2f, %.2f] (%.0f%%)", s, c->speedup_lo,
				 c->speedup_hi, 100 * c->speedup_ci_level);
		else if (isfinite(c->speedup_lo) && isfinite(c->speedup_hi))
			snprintf(col[5], sizeof col[5], "%s [%.2f, %.2f]", s, c->speedup_lo,
				 c->speedup_hi);
		else
			snprintf(col[5], sizeof col[5], "%s", s);
		ratio(col[6], sizeof col[6], c->speedup_1w);
		if (isfinite(c->speedup) && c->workers > 0)
			snprintf(col[7], sizeof col[7], "%.0f%%", 100 * c->speedup / c->workers);
		else
			snprintf(col[7], sizeof col[7], "–");
		report_number(col[8], sizeof col[8], c->max_rss_kb / 1024);
		snprintf(col[9], sizeof col[9], "%s", c->verified ? "yes" : "NO");
		d->ops->table_row(d, row);
	}
	d->ops->table_end(d);
}

enum { OBJECT_KEYS_MAX = 16 };

void report_object_table(struct doc *d, const struct plot_cells *cs, const char *workload,
			 const char *object, const char *heading)
{
	const char *keys[OBJECT_KEYS_MAX];
	size_t nkeys = 0;
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		const char *key;
		json_t *v;
		if (strcmp(c->workload, workload) || !c->entry)
			continue;
		json_object_foreach(json_object_get(c->entry, object), key, v) {
			size_t k = 0;
			while (k < nkeys && strcmp(keys[k], key))
				k++;
			if (k == nkeys && nkeys < OBJECT_KEYS_MAX && json_is_number(v))
				keys[nkeys++] = key;
		}
	}
	if (!nkeys)
		return;
	const char *headers[OBJECT_KEYS_MAX + 2] = {"model", "workers"};
	char align[OBJECT_KEYS_MAX + 3] = "lr";
	for (size_t k = 0; k < nkeys; k++) {
		headers[k + 2] = keys[k];
		align[k + 2] = 'r';
	}
	align[nkeys + 2] = '\0';
	d->ops->heading(d, 2, heading);
	d->ops->table_begin(d, (int)nkeys + 2, headers, align);
	for (size_t i = 0; i < cs->n; i++) {
		const struct plot_cell *c = &cs->v[i];
		json_t *obj = c->entry ? json_object_get(c->entry, object) : NULL;
		if (strcmp(c->workload, workload) || !json_object_size(obj))
			continue;
		char col[OBJECT_KEYS_MAX + 2][48];
		const char *row[OBJECT_KEYS_MAX + 2];
		snprintf(col[0], sizeof col[0], "%.47s", c->label);
		snprintf(col[1], sizeof col[1], "%d", c->workers);
		for (size_t k = 0; k < nkeys; k++)
			report_number(col[k + 2], sizeof col[0], entry_stat(c->entry, object, keys[k]));
		for (size_t k = 0; k < nkeys + 2; k++)
			row[k] = col[k];
		d->ops->table_row(d, row);
	}
	d->ops->table_end(d);
}
