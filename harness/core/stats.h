/* stats.h — descriptive statistics of a cell's repetitions. */
#pragma once
#include <stddef.h>

struct summary {
	size_t n;
	double mean, median, min, max, stddev, cv; /* cv = stddev / mean */
};

/* Summarise n samples (n >= 1); the input is not modified. */
void stats_summarise(const double *x, size_t n, struct summary *out);
double stats_median(const double *x, size_t n);

/* Order statistics (harness/core/stats_order.c): distribution-free intervals and
 * outliers, valid whatever the shape of the times (they are rarely normal:
 * a long right tail from interrupts and preemption). */

struct interval {
	double lo, hi;
	double level; /* the coverage actually achieved (>= the one asked, unless too few samples) */
};

/* Quantile p in [0, 1] of n sorted samples, by linear interpolation between
 * order statistics (Hyndman & Fan type 7, the default of R and NumPy). */
double stats_quantile_sorted(const double *sorted, size_t n, double p);

/* Confidence interval of the median by the binomial (order-statistic) method:
 * the narrowest symmetric pair [x(k), x(n+1-k)] (1-based, sorted) for which
 * P(k <= B <= n-k) >= level, B ~ Binomial(n, 1/2). With too few samples for
 * `level` (n < 6 for 95%), [min, max] and the smaller coverage it has. */
struct interval stats_median_ci(const double *x, size_t n, double level);

/* Samples outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR] (Tukey's rule); n >= 4, else 0.
 * Fences are stored when non-NULL. */
size_t stats_iqr_outliers(const double *x, size_t n, double *lo_fence, double *hi_fence);

/* Interval of median(base) / median(cell), e.g. a speedup. Each median's CI is
 * taken at 1 - (1 - level)/2, so both hold together with probability >= level
 * (Bonferroni) and then the ratio lies in [base.lo / cell.hi, base.hi / cell.lo].
 * `level` of the result is that lower bound, 1 - (1 - c_base) - (1 - c_cell). */
struct interval stats_ratio_ci(const double *base, size_t nb, const double *cell, size_t nc,
			       double level);
