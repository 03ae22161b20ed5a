/* test_stats.c — statistics against values computed by hand. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "host_speed.h"
#include "noise.h"
#include "stats.h"

#define NEAR(got, want)                                                                     \
	do {                                                                                \
		double g_ = (got), w_ = (want);                                             \
		CHECK(fabs(g_ - w_) <= 1e-9 * fmax(1, fabs(w_)), "%s = %.12g, want %.12g", #got, \
		      g_, w_);                                                              \
	} while (0)

static void test_summary(void)
{
	/* mean 5; squares of deviations 9+1+1+1+0+0+4+16 = 32; sample sd sqrt(32/7). */
	const double x[] = {2, 4, 4, 4, 5, 5, 7, 9};
	struct summary s;
	stats_summarise(x, 8, &s);
	NEAR(s.mean, 5);
	NEAR(s.median, 4.5);
	NEAR(s.min, 2);
	NEAR(s.max, 9);
	NEAR(s.stddev, sqrt(32.0 / 7));
	NEAR(s.cv, sqrt(32.0 / 7) / 5);
	NEAR(stats_median((const double[]){3, 1, 2}, 3), 2);
}

static void test_quantiles_and_outliers(void)
{
	const double s[] = {1, 2, 3, 4, 5, 6, 7, 8};
	/* type 7: h = (n-1)p; Q1: h = 1.75 -> 2 + 0.75; Q3: h = 5.25 -> 6 + 0.25 */
	NEAR(stats_quantile_sorted(s, 8, 0.25), 2.75);
	NEAR(stats_quantile_sorted(s, 8, 0.75), 6.25);
	NEAR(stats_quantile_sorted(s, 8, 0), 1);
	NEAR(stats_quantile_sorted(s, 8, 1), 8);

	/* {1,2,3,4,100}: Q1 = 2, Q3 = 4, IQR 2, fences -1 and 7: one outlier. */
	double lo, hi;
	const double x[] = {4, 100, 2, 3, 1};
	NEAR((double)stats_iqr_outliers(x, 5, &lo, &hi), 1);
	NEAR(lo, -1);
	NEAR(hi, 7);
	NEAR((double)stats_iqr_outliers(s, 8, NULL, NULL), 0);
	/* Too few to call anything an outlier. */
	NEAR((double)stats_iqr_outliers((const double[]){1, 2, 100}, 3, NULL, NULL), 0);
}

static void test_median_ci(void)
{
	/* n = 10: P(B <= 1) = 11/1024, so [x(2), x(9)] covers 1 - 22/1024;
	 * P(B <= 2) = 56/1024 would give 0.89 < 0.95. */
	const double x[] = {7, 3, 10, 1, 9, 2, 8, 4, 6, 5};
	struct interval ci = stats_median_ci(x, 10, 0.95);
	NEAR(ci.lo, 2);
	NEAR(ci.hi, 9);
	NEAR(ci.level, 1 - 22.0 / 1024);

	/* n = 20: P(B <= 5) = 21700/2^20 -> k = 6, [x(6), x(15)], 0.9586. */
	double y[20];
	for (int i = 0; i < 20; i++)
		y[i] = 100 + i;
	ci = stats_median_ci(y, 20, 0.95);
	NEAR(ci.lo, 105);
	NEAR(ci.hi, 114);
	NEAR(ci.level, 1 - 2 * 21700.0 / 1048576);

	/* n = 5 cannot reach 95%: [min, max] at 1 - 2/32. n = 6 can: 1 - 2/64. */
	ci = stats_median_ci(x, 5, 0.95);
	NEAR(ci.lo, 1);
	NEAR(ci.hi, 10);
	NEAR(ci.level, 0.9375);
	ci = stats_median_ci(x, 6, 0.95);
	NEAR(ci.level, 1 - 2.0 / 64);
	ci = stats_median_ci(x, 1, 0.95);
	NEAR(ci.lo, 7);
	NEAR(ci.level, 0);
}

static void test_ratio_ci(void)
{
	/* Each median at 97.5%: n = 10 gives [x(2), x(9)] at 1 - 22/1024 >= 0.975.
	 * base 10..19 -> [11, 18]; cell 5..14 -> [6, 13]; ratio [11/13, 18/6]. */
	double base[10], cell[10];
	for (int i = 0; i < 10; i++)
		base[i] = 10 + i, cell[i] = 5 + i;
	struct interval r = stats_ratio_ci(base, 10, cell, 10, 0.95);
	NEAR(r.lo, 11.0 / 13);
	NEAR(r.hi, 3);
	NEAR(r.level, 1 - 2 * (22.0 / 1024));
}

static void test_noise_warnings(void)
{
	const double quiet[] = {1.00, 1.01, 0.99, 1.00, 1.00, 1.01};
	const double noisy[] = {1.0, 1.0, 1.0, 1.0, 1.0, 2.0};
	struct summary s;
	struct load_report calm = {1, 0.01, 0, 0.1, 0.1, 0, 0, -1, -1}, busy = {1, 0.9, 0.10, 1.5, 1.7, 0, 0, -1, -1};
	json_t *w = json_array();
	stats_summarise(quiet, 6, &s);
	NEAR(noise_warnings(quiet, 6, &s, &calm, w), 0);
	stats_summarise(noisy, 6, &s);
	/* sd = sqrt((5/36 + 25/36) / 5) = 0.408, cv = 0.35: noisy; 2.0 is an outlier;
	 * 0.9 other CPUs; 10% steal. */
	NEAR(noise_warnings(noisy, 6, &s, &busy, w), 4);
	const char *first = json_string_value(json_array_get(w, 0));
	CHECK_STR_CONTAINS(first, "CV");
	CHECK_STR_CONTAINS(first, "--pin");
	json_decref(w);
	/* The CPU's speed: within a quarter of the run's at both ends, nothing;
	 * a host that slowed (or sped up) at either end, one warning naming
	 * both; unknown (0), nothing. */
	stats_summarise(quiet, 6, &s);
	struct load_report steady = calm, slowed = calm, faster = calm, unknown = calm;
	steady.cpu_speed_start = 0.97, steady.cpu_speed_end = 1.08;
	slowed.cpu_speed_start = 1.0, slowed.cpu_speed_end = 0.40;
	slowed.cpu_start = 0, slowed.cpu_end = 1;
	faster.cpu_speed_start = 1.5, faster.cpu_speed_end = 1.0;
	unknown.cpu_speed_start = 0.40;
	w = json_array();
	NEAR(noise_warnings(quiet, 6, &s, &steady, w), 0);
	NEAR(noise_warnings(quiet, 6, &s, &unknown, w), 0);
	NEAR(noise_warnings(quiet, 6, &s, &slowed, w), 1);
	CHECK_STR_CONTAINS(json_string_value(json_array_get(w, 0)), "100% and 40% of the run's speed");
	CHECK_STR_CONTAINS(json_string_value(json_array_get(w, 0)), "(CPU 0, CPU 1;");
	NEAR(noise_warnings(quiet, 6, &s, &faster, w), 1);
	CHECK_STR_CONTAINS(json_string_value(json_array_get(w, 1)), "150% and 100%");
	json_decref(w);
}

static void test_load_compare(void)
{
	/* Over 2 s the machine was busy 3 CPU-seconds, 1 of them ours: 1 CPU of
	 * others on average. Steal 20 ticks of 400. */
	double hz = (double)sysconf(_SC_CLK_TCK);
	struct load_sample a = {.wall_ns = 0, .loadavg1 = 0.5, .busy_ticks = 1000,
				.steal_ticks = 10, .total_ticks = 5000, .own_cpu_ns = 0};
	struct load_sample b = a;
	b.wall_ns = 2000000000;
	b.loadavg1 = 1.5;
	b.busy_ticks = a.busy_ticks + (uint64_t)(3 * hz);
	b.steal_ticks = a.steal_ticks + 20;
	b.total_ticks = a.total_ticks + 400;
	b.own_cpu_ns = 1000000000;
	/* The speeds: each a share of its own CPU's at the run's start. */
	double by_cpu[] = {3.0, 2.0};
	struct host_speeds run = {.n = 2, .by_cpu = by_cpu};
	a.cpu_speed = 3.0, a.cpu = 1, b.cpu_speed = 1.5, b.cpu = 0;
	struct load_report r;
	load_compare(&a, &b, &run, &r);
	NEAR(r.seconds, 2);
	NEAR(r.cpu_speed_start, 1.5);
	NEAR(r.cpu_speed_end, 0.5);
	CHECK_INT(r.cpu_start, 1);
	CHECK_INT(r.cpu_end, 0);
	NEAR(r.other_cpus, 1);
	NEAR(r.steal_fraction, 0.05);
	NEAR(r.loadavg_end, 1.5);
	/* Too short a window to judge from 10 ms ticks: unknown, not 0. */
	b.wall_ns = 100000000;
	load_compare(&a, &b, &run, &r);
	NEAR(r.other_cpus, -1);
	/* No run speeds, or a CPU they lack or one the probe moved off: the
	 * shares are unknown (0), and so printed as null. */
	load_compare(&a, &b, NULL, &r);
	NEAR(r.cpu_speed_start, 0);
	NEAR(r.cpu_speed_end, 0);
	json_t *j = load_report_json(&r);
	CHECK(json_is_null(json_object_get(j, "cpu_speed_start")), "an unknown speed is null");
	CHECK(json_is_null(json_array_get(json_object_get(j, "cpu_speed_cpus"), 0)), "its CPU too");
	json_decref(j);
	a.cpu = 2, b.cpu = -1;
	load_compare(&a, &b, &run, &r);
	NEAR(r.cpu_speed_start, 0);
	NEAR(r.cpu_speed_end, 0);
	/* And a measured one reads back. */
	a.cpu = 1, b.cpu = 0;
	load_compare(&a, &b, &run, &r);
	j = load_report_json(&r);
	struct load_report back;
	load_report_from_json(j, &back);
	NEAR(back.cpu_speed_start, 1.5);
	NEAR(back.cpu_speed_end, 0.5);
	CHECK_INT(back.cpu_start, 1);
	CHECK_INT(back.cpu_end, 0);
	json_decref(j);
}

int main(void)
{
	test_summary();
	test_quantiles_and_outliers();
	test_median_ci();
	test_ratio_ci();
	test_noise_warnings();
	test_load_compare();
	return check_report("stats");
}
