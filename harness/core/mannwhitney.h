/* mannwhitney.h — two-sided Mann–Whitney U test (Wilcoxon rank-sum).
 *
 * Decides the way scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
 * method='auto') does, which is what Google Benchmark's tools/compare.py
 * calls: the exact distribution of U when there are no ties and at least one
 * sample has 8 values or fewer; otherwise the normal approximation with
 * continuity correction and tie correction. */
#pragma once
#include <stddef.h>

struct mwu_result {
	double u1;    /* U of the first sample: pairs (x_i, y_j) with x_i > y_j, ties 1/2 */
	double p;     /* two-sided p-value in [0, 1] */
	int exact;    /* 1: exact distribution; 0: normal approximation */
	int has_ties; /* some value occurs more than once in x ∪ y */
};

/* Test x[0..n1) against y[0..n2); both n1 and n2 must be >= 1.
 * Returns 0, or -1 (with *out untouched) for an empty sample or a NaN. */
int mwu_test(const double *x, size_t n1, const double *y, size_t n2, struct mwu_result *out);

/* The smallest two-sided p-value any data can give with these sample sizes
 * (complete separation, no ties): 2 / C(n1 + n2, n1), at most 1. A pair of
 * samples too small for this to fall below alpha can never be significant. */
double mwu_min_p(size_t n1, size_t n2);
