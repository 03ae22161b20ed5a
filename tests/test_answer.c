/* test_answer.c — the end-of-run answer: golden output for fixed-work and
 * work-per-worker workloads, intervals as ±, the baseline, a slower best,
 * a model alone, a metric where lower is better; no line wider than 100
 * columns, even with long names, and nothing cut (a line too long goes on
 * under it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "answer.h"
#include "check.h"

static const char golden[] =
	"countdown — fixed work (time, lower is better)\n"
	"  1 worker    sequential      is fastest (the baseline)\n"
	"  2 workers   processes       ran 1.92 ± 0.04 times faster than sequential\n"
	"  4 workers   threads         ran 2.00 ± 0.05 times slower than sequential (the best here)\n"
	"echo — work per worker (round-trips/s, higher is better)\n"
	"  1 worker    coroutines      41,200 round-trips/s, 2.3 ± 0.1 times as many as threads\n"
	"  4 workers   threads         9880 round-trips/s (the only model)\n";

static int columns(const char *s, size_t n)
{
	int c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static char *render(const struct answer_row *rows, size_t n)
{
	static char buf[8192];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	answer_print(f, rows, n);
	fclose(f);
	return buf;
}

int main(void)
{
	const struct answer_row rows[] = {
		{"countdown", ANSWER_FIXED_WORK, "sequential", 1, 1, 0.048, 1.0, 1.0, 1.0, NULL, 0, 0, 0, NULL, 0, 3},
		{"countdown", ANSWER_FIXED_WORK, "threads", 1, 0, 0.049, 0.98, 0.96, 1.0, NULL, 0, 0, 0, NULL, 0, 3},
		{"countdown", ANSWER_FIXED_WORK, "threads", 2, 0, 0.026, 1.85, 1.80, 1.90, NULL, 0, 0, 0, NULL, 0, 3},
		{"countdown", ANSWER_FIXED_WORK, "processes", 2, 0, 0.025, 1.92, 1.88, 1.96, NULL, 0, 0, 0, NULL, 0, 3},
		{"countdown", ANSWER_FIXED_WORK, "threads", 4, 0, 0.096, 0.5, 0.4878, 0.5128, NULL, 0, 0, 0, NULL, 0, 3},
		{"countdown", ANSWER_FIXED_WORK, "gil (legacy)", 4, 0, 0.5, 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 3},
		{"echo", ANSWER_WORK_PER_WORKER, "threads", 1, 0, 0.1, 0, 0, 0, "round-trips/s", 18000, 17500, 18500, NULL, 0, 3},
		{"echo", ANSWER_WORK_PER_WORKER, "coroutines", 1, 0, 0.1, 0, 0, 0, "round-trips/s", 41234, 40000, 42500, NULL, 0, 3},
		{"echo", ANSWER_WORK_PER_WORKER, "threads", 4, 0, 0.1, 0, 0, 0, "round-trips/s", 9876, 0, 0, NULL, 0, 3},
	};
	const char *out = render(rows, sizeof rows / sizeof rows[0]);
	CHECK(!strcmp(out, golden), "got:\n%s\nwant:\n%s", out, golden);

	/* 100 columns, whatever the names */
	char longw[200], longm[200];
	memset(longw, 'w', 150);
	longw[150] = 0;
	memset(longm, 'm', 150);
	longm[150] = 0;
	const struct answer_row wide[] = {
		{longw, ANSWER_FIXED_WORK, "sequential", 1, 1, 1, 1, 1, 1, NULL, 0, 0, 0, NULL, 0, 3},
		{longw, ANSWER_FIXED_WORK, longm, 100000, 0, 1, 12345.678, 12000, 12500, NULL, 0, 0, 0, NULL, 0, 3},
		{"x", ANSWER_WORK_PER_WORKER, longm, 8, 0, 1, 0, 0, 0, longm, 1e12, 9e11, 1.1e12, NULL, 0, 3},
		{"x", ANSWER_WORK_PER_WORKER, "threads", 8, 0, 1, 0, 0, 0, longm, 3, 2, 4, NULL, 0, 3},
	};
	out = render(wide, sizeof wide / sizeof wide[0]);
	static char joined[8192];
	size_t at = 0;
	for (const char *l = out; *l; l += strcspn(l, "\n") + 1) {
		CHECK(columns(l, strcspn(l, "\n")) <= ANSWER_WIDTH, "line of %d columns: %.*s",
		      columns(l, strcspn(l, "\n")), (int)strcspn(l, "\n"), l);
		size_t n = strcspn(l, "\n"), skip = at ? strspn(l, " ") : 0; /* the indent */
		memcpy(joined + at, l + skip, n - skip);
		at += n - skip;
	}
	joined[at] = 0;
	/* the names whole, the figures after them */
	CHECK(strstr(joined, longw) != NULL, "workload name cut: %s", out);
	CHECK(strstr(joined, longm) != NULL, "model name cut: %s", out);
	CHECK(strstr(joined, "times faster than sequential") != NULL, "%s", out);

	/* a lopsided interval is shown as its ends */
	const struct answer_row lop[] = {
		{"w", ANSWER_FIXED_WORK, "sequential", 1, 1, 1, 1, 1, 1, NULL, 0, 0, 0, NULL, 0, 3},
		{"w", ANSWER_FIXED_WORK, "threads", 2, 0, 1, 2.30, 0.80, 9.62, NULL, 0, 0, 0, NULL, 0, 3},
	};
	out = render(lop, 2);
	CHECK(strstr(out, "ran 2.30 [0.80, 9.62] times faster"), "%s", out);

	/* work per worker, lower is better (yield's ns per switch): the lowest
	 * wins, the factor is runner-up / best, its interval likewise */
	const struct answer_row low[] = {
		{"yield", ANSWER_WORK_PER_WORKER, "threads", 2, 0, 1, 0, 0, 0, "ns per switch", 2000,
		 1900, 2100, "ns", 1, 3},
		{"yield", ANSWER_WORK_PER_WORKER, "coroutines", 2, 0, 1, 0, 0, 0, "ns per switch", 100, 95,
		 105, "ns", 1, 3},
		{"yield", ANSWER_WORK_PER_WORKER, "processes", 2, 0, 1, 0, 0, 0, "ns per switch", 3000,
		 2900, 3100, "ns", 1, 3},
	};
	out = render(low, 3);
	CHECK(!strcmp(out, "yield — work per worker (ns per switch, lower is better)\n"
			   "  2 workers   coroutines      100 ns, 20 ± 2 times less than threads\n"),
	      "%s", out);

	/* measured but with nothing to compare against: what was measured and
	 * why there is no ratio, never "no model measured" (it said so after
	 * every --reps 1 run and every run without sequential) */
	const struct answer_row once[] = {
		{"c", ANSWER_FIXED_WORK, "sequential", 1, 1, 0.000316, 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 1},
		{"c", ANSWER_FIXED_WORK, "threads", 2, 0, 0.0312, 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 1},
		{"c", ANSWER_FIXED_WORK, "processes", 2, 0, 0.0298, 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 1},
	};
	out = render(once, 3);
	CHECK(!strcmp(out, "c — fixed work (time, lower is better)\n"
			   "  1 worker    sequential      took 316 us, one repetition: no ratio (--reps 2 or "
			   "more gives one)\n"
			   "  2 workers   processes       took 29.8 ms, one repetition: no ratio (--reps 2 or "
			   "more gives one)\n"),
	      "%s", out);
	const struct answer_row nobase[] = {
		{"c", ANSWER_FIXED_WORK, "threads", 1, 0, 0.0057, 0, 0, 0, NULL, 0, 0, 0, NULL, 0, 3},
	};
	out = render(nobase, 1);
	CHECK(strstr(out, "threads         took 5.70 ms: no ratio (the baseline, sequential, was not in "
			  "the run)"),
	      "%s", out);

	char b[32];
	answer_number(b, sizeof b, 41234);
	CHECK(!strcmp(b, "41,200"), "%s", b);
	answer_number(b, sizeof b, 1234567);
	CHECK(!strcmp(b, "1.23M"), "%s", b);
	answer_number(b, sizeof b, 0.987);
	CHECK(!strcmp(b, "0.99"), "%s", b);
	answer_number(b, sizeof b, 2.5e9);
	CHECK(!strcmp(b, "2.5G"), "%s", b);
	return check_report("answer");
}
