/* stats_order.c — quantiles, confidence intervals and outliers from order
 * statistics (see stats.h). No assumption about the distribution. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double *sorted_copy(const double *x, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof *s);
	if (!s)
		abort();
	memcpy(s, x, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	return s;
}

double stats_quantile_sorted(const double *sorted, size_t n, double p)
{
	if (n == 0)
		return NAN;
	double h = (double)(n - 1) * p;
	size_t i = (size_t)floor(h);
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - (double)i) * (sorted[i + 1] - sorted[i]);
}

/* P(B <= k) for B ~ Binomial(n, 1/2), in logs so that large n cannot underflow. */
static double binomial_half_cdf(size_t n, size_t k)
{
	double sum = 0;
	for (size_t i = 0; i <= k && i <= n; i++)
		sum += exp(lgamma((double)n + 1) - lgamma((double)i + 1) -
			   lgamma((double)(n - i) + 1) - (double)n * log(2.0));
	return sum;
}

struct interval stats_median_ci(const double *x, size_t n, double level)
{
	struct interval ci = {NAN, NAN, 0};
	if (n == 0)
		return ci;
	double *s = sorted_copy(x, n);
	/* k = 1 is [min, max]; widen k while the coverage still holds. */
	size_t k = 1;
	double coverage = 1 - 2 * binomial_half_cdf(n, 0);
	while (k + 1 <= n + 1 - (k + 1)) {
		double next = 1 - 2 * binomial_half_cdf(n, k);
		if (next < level)
			break;
		k++;
		coverage = next;
	}
	ci.lo = s[k - 1];
	ci.hi = s[n - k];
	ci.level = n == 1 ? 0 : coverage;
	free(s);
	return ci;
}

size_t stats_iqr_outliers(const double *x, size_t n, double *lo_fence, double *hi_fence)
{
	if (n < 4)
		return 0;
	double *s = sorted_copy(x, n);
	double q1 = stats_quantile_sorted(s, n, 0.25), q3 = stats_quantile_sorted(s, n, 0.75);
	free(s);
	double lo = q1 - 1.5 * (q3 - q1), hi = q3 + 1.5 * (q3 - q1);
	if (lo_fence)
		*lo_fence = lo;
	if (hi_fence)
		*hi_fence = hi;
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		count += x[i] < lo || x[i] > hi;
	return count;
}

struct interval stats_ratio_ci(const double *base, size_t nb, const double *cell, size_t nc,
			       double level)
{
	double each = 1 - (1 - level) / 2;
	struct interval b = stats_median_ci(base, nb, each), c = stats_median_ci(cell, nc, each);
	struct interval r = {NAN, NAN, 0};
	if (nb == 0 || nc == 0 || !(c.lo > 0))
		return r;
	r.lo = b.lo / c.hi;
	r.hi = b.hi / c.lo;
	r.level = fmax(0, 1 - (1 - b.level) - (1 - c.level));
	return r;
}
