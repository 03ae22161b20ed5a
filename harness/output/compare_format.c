/* compare_format.c — write a comparison as a terminal table, Markdown, JSON or CSV. */
#include "compare_format.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

int compare_format_parse(const char *text, enum compare_format *out, struct err *e)
{
	static const char *const names[] = {"table", "markdown", "json", "csv"};
	for (int i = 0; i < 4; i++)
		if (!strcmp(text, names[i])) {
			*out = (enum compare_format)i;
			return 0;
		}
	return err_set(e, "--format '%s' is not known (allowed: table, markdown, json, csv)", text);
}

static const char *fmt_value(char *buf, size_t len, const struct compare_row *r, double v)
{
	if (isnan(v))
		snprintf(buf, len, "-");
	else if (compare_metric_is_time(r->metric))
		snprintf(buf, len, "%.4g ms", v);
	else if (!strncmp(r->metric, "speedup_vs_", 11))
		snprintf(buf, len, "%.3fx", v);
	else
		snprintf(buf, len, "%.6g", v);
	return buf;
}

static const char *fmt_change(char *buf, size_t len, double change)
{
	if (isnan(change))
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%+.1f%%", 100 * change);
	return buf;
}

static const char *fmt_p(char *buf, size_t len, double p)
{
	if (isnan(p))
		snprintf(buf, len, "-");
	else if (p < 0.0001)
		snprintf(buf, len, "<0.0001");
	else
		snprintf(buf, len, "%.4f", p);
	return buf;
}

static const char *fmt_reps(char *buf, size_t len, const struct compare_row *r)
{
	if (r->n_base || r->n_new)
		snprintf(buf, len, "%zu/%zu", r->n_base, r->n_new);
	else
		snprintf(buf, len, "-");
	return buf;
}

enum { COL_NAME, COL_METRIC, COL_BASE, COL_NEW, COL_CHANGE, COL_P, COL_REPS, COL_VERDICT, COL_NOTE,
       NCOLS };
static const char *const headers[NCOLS] = {"Benchmark", "Metric", "Base", "New", "Change",
					   "p", "Reps", "Verdict", "Note"};

struct cells {
	char s[NCOLS][256];
};

static void row_cells(const struct compare_row *r, struct cells *c)
{
	snprintf(c->s[COL_NAME], sizeof c->s[0], "%s", r->name);
	snprintf(c->s[COL_METRIC], sizeof c->s[0], "%s", r->metric);
	fmt_value(c->s[COL_BASE], sizeof c->s[0], r, r->base_median);
	fmt_value(c->s[COL_NEW], sizeof c->s[0], r, r->new_median);
	fmt_change(c->s[COL_CHANGE], sizeof c->s[0], r->change);
	fmt_p(c->s[COL_P], sizeof c->s[0], r->p);
	fmt_reps(c->s[COL_REPS], sizeof c->s[0], r);
	snprintf(c->s[COL_VERDICT], sizeof c->s[0], "%s", compare_verdict_name(r->verdict));
	snprintf(c->s[COL_NOTE], sizeof c->s[0], "%s", r->note);
}

static void print_summary(FILE *f, const struct comparison *c, const char *prefix)
{
	fprintf(f, "%s%zu compared: %zu slower, %zu faster, %zu unchanged, %zu not comparable\n",
		prefix, c->n_rows, c->count[VERDICT_SLOWER], c->count[VERDICT_FASTER],
		c->count[VERDICT_UNCHANGED], c->count[VERDICT_NOT_COMPARABLE]);
}

static void print_table(FILE *f, const struct comparison *c, const struct compare_options *o)
{
	size_t width[NCOLS];
	struct cells cl;
	for (int k = 0; k < NCOLS; k++)
		width[k] = strlen(headers[k]);
	for (size_t i = 0; i < c->n_rows; i++) {
		row_cells(&c->rows[i], &cl);
		for (int k = 0; k < NCOLS; k++)
			if (strlen(cl.s[k]) > width[k])
				width[k] = strlen(cl.s[k]);
	}
	fprintf(f, "BASE %s\nNEW  %s\nthreshold %g%%, alpha %g (two-sided Mann-Whitney U over repetitions)\n",
		c->base_desc, c->new_desc, 100 * o->threshold, o->alpha);
	if (c->warning[0])
		fprintf(f, "WARNING: not comparable: %s\n", c->warning);
	fputc('\n', f);
	for (int k = 0; k < NCOLS - 1; k++)
		fprintf(f, (k >= COL_BASE && k <= COL_P) ? "%*s  " : "%-*s  ", (int)width[k], headers[k]);
	fprintf(f, "%s\n", headers[COL_NOTE]);
	for (size_t i = 0; i < c->n_rows; i++) {
		row_cells(&c->rows[i], &cl);
		for (int k = 0; k < COL_VERDICT; k++)
			fprintf(f, (k >= COL_BASE && k <= COL_P) ? "%*s  " : "%-*s  ", (int)width[k],
				cl.s[k]);
		if (cl.s[COL_NOTE][0]) /* no trailing blanks after the last column */
			fprintf(f, "%-*s  %s\n", (int)width[COL_VERDICT], cl.s[COL_VERDICT], cl.s[COL_NOTE]);
		else
			fprintf(f, "%s\n", cl.s[COL_VERDICT]);
	}
	fputc('\n', f);
	print_summary(f, c, "");
}

static void md_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', f);
		fputc(*s, f);
	}
}

static void print_markdown(FILE *f, const struct comparison *c, const struct compare_options *o)
{
	fprintf(f, "### cmbench compare\n\n- BASE: `%s`\n- NEW: `%s`\n", c->base_desc, c->new_desc);
	fprintf(f, "- A cell is *slower* or *faster* when the change is at least %g%% and a two-sided "
		   "Mann–Whitney U test over the repetitions gives p < %g.\n\n",
		100 * o->threshold, o->alpha);
	if (c->warning[0])
		fprintf(f, "> **Warning:** not comparable: %s\n\n", c->warning);
	fprintf(f, "| Benchmark | Metric | Base | New | Change | p | Reps | Verdict | Note |\n"
		   "|---|---|---:|---:|---:|---:|---:|---|---|\n");
	struct cells cl;
	for (size_t i = 0; i < c->n_rows; i++) {
		row_cells(&c->rows[i], &cl);
		fputc('|', f);
		for (int k = 0; k < NCOLS; k++) {
			int bold = k == COL_VERDICT && c->rows[i].verdict == VERDICT_SLOWER;
			fputs(bold ? " **" : " ", f);
			md_escape(f, cl.s[k]);
			fputs(bold ? "** |" : " |", f);
		}
		fputc('\n', f);
	}
	fputc('\n', f);
	print_summary(f, c, "**Summary:** ");
}

static json_t *json_num_or_null(double v) { return isnan(v) ? json_null() : json_real(v); }

static void print_json(FILE *f, const struct comparison *c, const struct compare_options *o)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct compare_row *r = &c->rows[i];
		json_array_append_new(
			rows, json_pack("{s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:I, s:I, s:s, s:s}", "name",
					r->name, "metric", r->metric, "bigger_is_better",
					r->bigger_is_better, "base_median",
					json_num_or_null(r->base_median), "new_median",
					json_num_or_null(r->new_median), "change",
					json_num_or_null(r->change), "p_value", json_num_or_null(r->p),
					"repetitions_base", (json_int_t)r->n_base, "repetitions_new",
					(json_int_t)r->n_new, "verdict", compare_verdict_name(r->verdict),
					"note", r->note));
	}
	json_t *doc = json_pack(
		"{s:s, s:s, s:f, s:f, s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "base", c->base_desc, "new",
		c->new_desc, "threshold", o->threshold, "alpha", o->alpha, "warning",
		c->warning[0] ? json_string(c->warning) : json_null(), "rows", rows, "summary", "slower",
		(json_int_t)c->count[VERDICT_SLOWER], "faster", (json_int_t)c->count[VERDICT_FASTER],
		"unchanged", (json_int_t)c->count[VERDICT_UNCHANGED], "not_comparable",
		(json_int_t)c->count[VERDICT_NOT_COMPARABLE]);
	json_dumpf(doc, f, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	fputc('\n', f);
	json_decref(doc);
}

static void csv_field(FILE *f, const char *s, int last)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\n" : "\",", f);
}

static void print_csv(FILE *f, const struct comparison *c)
{
	fprintf(f, "name,metric,base_median,new_median,change,p_value,repetitions_base,"
		   "repetitions_new,verdict,note\n");
	for (size_t i = 0; i < c->n_rows; i++) {
		const struct compare_row *r = &c->rows[i];
		csv_field(f, r->name, 0);
		csv_field(f, r->metric, 0);
		const double nums[] = {r->base_median, r->new_median, r->change, r->p};
		for (int k = 0; k < 4; k++) {
			if (!isnan(nums[k]))
				fprintf(f, "%.10g", nums[k]);
			fputc(',', f);
		}
		fprintf(f, "%zu,%zu,", r->n_base, r->n_new);
		csv_field(f, compare_verdict_name(r->verdict), 0);
		csv_field(f, r->note, 1);
	}
}

void compare_print(FILE *f, const struct comparison *c, const struct compare_options *o,
		   enum compare_format format)
{
	switch (format) {
	case COMPARE_TABLE: print_table(f, c, o); break;
	case COMPARE_MARKDOWN: print_markdown(f, c, o); break;
	case COMPARE_JSON: print_json(f, c, o); break;
	case COMPARE_CSV: print_csv(f, c); break;
	}
}
