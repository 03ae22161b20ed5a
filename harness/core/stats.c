/* stats.c — descriptive statistics of repetitions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "stats.h"

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double stats_median(const double *x, size_t n)
{
	if (n == 0)
		return NAN;
	double *s = malloc(n * sizeof *s);
	if (!s)
		abort();
	memcpy(s, x, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	double m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

void stats_summarise(const double *x, size_t n, struct summary *out)
{
	memset(out, 0, sizeof *out);
	out->n = n;
	if (n == 0)
		return;
	double sum = 0;
	out->min = out->max = x[0];
	for (size_t i = 0; i < n; i++) {
		sum += x[i];
		if (x[i] < out->min) out->min = x[i];
		if (x[i] > out->max) out->max = x[i];
	}
	out->mean = sum / (double)n;
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (x[i] - out->mean) * (x[i] - out->mean);
	out->stddev = n > 1 ? sqrt(ss / (double)(n - 1)) : 0; /* sample stddev, as Google Benchmark */
	out->cv = out->mean != 0 ? out->stddev / out->mean : 0;
	out->median = stats_median(x, n);
}
