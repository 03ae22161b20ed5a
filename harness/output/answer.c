/* answer.c — the end-of-run answer (answer.h). */
#include <math.h>
#include <string.h>
#include "answer.h"
#include "report.h"
#include "text_wrap.h"

void answer_number(char *buf, size_t len, double v)
{
	double a = fabs(v);
	if (a >= 1e9)
		snprintf(buf, len, "%.3gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(buf, len, "%.3gM", v / 1e6);
	else if (a >= 1000) { /* 3 significant figures, thousands grouped: 41,200 */
		double unit = pow(10, floor(log10(a)) - 2);
		report_number(buf, len, copysign(round(a / unit) * unit, v));
	} else if (a >= 100)
		snprintf(buf, len, "%.0f", v);
	else if (a >= 10)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.2f", v);
}

/* "1.92 ± 0.04" (half the interval's width, rounded like the value), a
 * lopsided one "2.30 [0.80, 9.62]", or the value alone when there is none:
 * then 0, and the caller says "(no interval)" at the end of its line. */
static int with_interval(char *buf, size_t len, double v, double lo, double hi, int decimals)
{
	/* a lopsided interval (few repetitions, a long tail) as its two ends */
	double below = v - lo, above = hi - v;
	if (lo > 0 && hi > 0 && hi >= lo && below >= 0 && above >= 0 &&
	    fmax(below, above) <= 1.5 * fmin(below, above) + 0.5 * pow(10, -decimals))
		snprintf(buf, len, "%.*f ± %.*f", decimals, v, decimals, (hi - lo) / 2);
	else if (lo > 0 && hi > 0 && hi >= lo)
		snprintf(buf, len, "%.*f [%.*f, %.*f]", decimals, v, decimals, lo, decimals, hi);
	else {
		snprintf(buf, len, "%.*f", decimals, v);
		return 0;
	}
	return 1;
}

static void workers_text(char *buf, size_t len, int w)
{
	snprintf(buf, len, "%d worker%s", w, w == 1 ? "" : "s");
}

static int same(const char *a, const char *b) { return a && b && !strcmp(a, b); }

/* How good a row is, higher better: the speedup (fixed work), the rate, or
 * the inverse of a time (work per worker, lower is better). */
static double merit(const struct answer_row *r)
{
	if (r->work == ANSWER_FIXED_WORK)
		return r->speedup;
	if (r->lower_is_better)
		return r->rate > 0 ? 1 / r->rate : 0;
	return r->rate;
}

/* The best row of workload w at `workers` and the runner-up. */
static void best_two(const struct answer_row *rows, size_t n, const char *w, int workers,
		     const struct answer_row **best, const struct answer_row **second)
{
	*best = *second = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct answer_row *r = &rows[i];
		if (!same(r->workload, w) || r->workers != workers)
			continue;
		double x = merit(r);
		if (!(x > 0))
			continue;
		if (!*best || x > merit(*best)) {
			*second = *best;
			*best = r;
		} else if (!*second || x > merit(*second)) {
			*second = r;
		}
	}
}

/* The fastest measured row of workload w at `workers` (NULL: none). */
static const struct answer_row *fastest(const struct answer_row *rows, size_t n, const char *w,
					int workers)
{
	const struct answer_row *f = NULL;
	for (size_t i = 0; i < n; i++)
		if (same(rows[i].workload, w) && rows[i].workers == workers && rows[i].time_s > 0 &&
		    (!f || rows[i].time_s < f->time_s))
			f = &rows[i];
	return f;
}

/* Measured, but nothing to compare against: say what was measured and why
 * there is no ratio (it said "no model measured" after a --reps 1 run or a
 * run without the baseline model). */
static void unrated_line(char *line, size_t len, const struct answer_row *rows, size_t n,
			 const struct answer_row *f)
{
	char t[32];
	double ms = f->time_s * 1e3;
	answer_number(t, sizeof t, ms < 1 ? ms * 1e3 : ms);
	const char *unit = ms < 1 ? "us" : "ms";
	int baseline_in_run = 0;
	for (size_t i = 0; i < n; i++)
		baseline_in_run |= same(rows[i].workload, f->workload) && rows[i].baseline;
	if (f->reps < 2)
		snprintf(line, len, "took %s %s, one repetition: no ratio (--reps 2 or more gives one)", t,
			 unit);
	else if (!baseline_in_run)
		snprintf(line, len, "took %s %s: no ratio (the baseline, sequential, was not in the run)",
			 t, unit);
	else
		snprintf(line, len, "took %s %s: no ratio (no baseline cell of 2 or more repetitions)", t,
			 unit);
}

static void answer_workload(const struct answer_row *rows, size_t n, const char *w,
			    const struct answer_row *first, answer_emit_fn emit, void *arg)
{
	char line[512];
	if (first->work == ANSWER_FIXED_WORK)
		snprintf(line, sizeof line, "%s — fixed work (time, lower is better)", w);
	else
		snprintf(line, sizeof line, "%s — work per worker (%s, %s is better)", w,
			 first->metric ? first->metric : "rate", first->lower_is_better ? "lower" : "higher");
	emit(arg, line, NULL, NULL, NULL);
	/* the worker counts of this workload, ascending */
	int done[64], ndone = 0;
	for (;;) {
		int next = 0;
		for (size_t i = 0; i < n; i++) {
			if (!same(rows[i].workload, w))
				continue;
			int seen = 0;
			for (int k = 0; k < ndone; k++)
				seen |= done[k] == rows[i].workers;
			if (!seen && (!next || rows[i].workers < next))
				next = rows[i].workers;
		}
		if (!next || ndone == 64)
			break;
		done[ndone++] = next;
		const struct answer_row *b, *s;
		best_two(rows, n, w, next, &b, &s);
		char wt[32], fig[96];
		workers_text(wt, sizeof wt, next);
		const struct answer_row *f = b ? NULL : fastest(rows, n, w, next);
		if (!b && !f) {
			snprintf(line, sizeof line, "no model measured");
		} else if (!b) {
			unrated_line(line, sizeof line, rows, n, f);
			b = f; /* its model names the line */
		} else if (b->work == ANSWER_FIXED_WORK) {
			const char *base = NULL;
			for (size_t i = 0; i < n && !base; i++)
				if (same(rows[i].workload, w) && rows[i].baseline)
					base = rows[i].model;
			int faster = b->speedup >= 1;
			/* slower: the inverse factor, its interval inverted too */
			double v = faster ? b->speedup : 1 / b->speedup;
			double lo = faster ? b->speedup_lo : b->speedup_hi > 0 ? 1 / b->speedup_hi : 0;
			double hi = faster ? b->speedup_hi : b->speedup_lo > 0 ? 1 / b->speedup_lo : 0;
			int ci = with_interval(fig, sizeof fig, v, lo, hi, v >= 100 ? 0 : v >= 10 ? 1 : 2);
			if (b->baseline && b->workers == 1)
				snprintf(line, sizeof line, "is fastest (the baseline)");
			else
				snprintf(line, sizeof line, "ran %s times %s than %s%s%s", fig,
					 faster ? "faster" : "slower", base ? base : "the baseline",
					 faster ? "" : " (the best here)", ci ? "" : " (no interval)");
		} else {
			char rate[32];
			answer_number(rate, sizeof rate, b->rate);
			const char *unit = b->unit ? b->unit : b->metric ? b->metric : "";
			if (s && s->rate > 0) {
				/* the factor in the better direction, its interval from the
				 * two values' intervals */
				const struct answer_row *num = b->lower_is_better ? s : b;
				const struct answer_row *den = b->lower_is_better ? b : s;
				double fac = num->rate / den->rate, lo = 0, hi = 0;
				if (num->rate_lo > 0 && den->rate_hi > 0 && num->rate_hi > 0 && den->rate_lo > 0) {
					lo = num->rate_lo / den->rate_hi;
					hi = num->rate_hi / den->rate_lo;
				}
				int ci = with_interval(fig, sizeof fig, fac, lo, hi,
						       fac >= 10 ? 0 : fac >= 2 ? 1 : 2);
				/* "2.3 ± 0.1 times as many as threads" (a rate), "20 ± 2
				 * times less than threads" (a time or latency) */
				snprintf(line, sizeof line, "%s %s, %s times %s %s%s", rate, unit, fig,
					 b->lower_is_better ? "less than" : "as many as", s->model,
					 ci ? "" : " (no interval)");
			} else {
				snprintf(line, sizeof line, "%s %s (the only model)", rate, unit);
			}
		}
		emit(arg, NULL, wt, b ? b->model : "", line);
	}
}

void answer_each(const struct answer_row *rows, size_t n, answer_emit_fn emit, void *arg)
{
	for (size_t i = 0; i < n; i++) {
		int first = 1;
		for (size_t k = 0; k < i && first; k++)
			first = !same(rows[k].workload, rows[i].workload);
		if (first)
			answer_workload(rows, n, rows[i].workload, &rows[i], emit, arg);
	}
}

/* A line longer than ANSWER_WIDTH (long model names) goes on under its text
 * column, broken at a space: nothing is cut. */
static void print_line(void *arg, const char *workload_line, const char *workers,
		       const char *model, const char *text)
{
	char prefix[200];
	if (workload_line) {
		text_wrap_print(arg, "", 2, workload_line, ANSWER_WIDTH);
		return;
	}
	int n = snprintf(prefix, sizeof prefix, "  %-11s %-15s ", workers, model);
	text_wrap_print(arg, prefix, n > 40 ? 30 : n, text, ANSWER_WIDTH);
}

void answer_print(FILE *f, const struct answer_row *rows, size_t n)
{
	answer_each(rows, n, print_line, f);
}
