/* mannwhitney.c — two-sided Mann–Whitney U test, scipy's decision rules. */
#include "mannwhitney.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many values in the smaller sample scipy switches to the
 * normal approximation even without ties. */
#define MWU_EXACT_MAX_N 8

struct ranked {
	double value;
	size_t from_x; /* 1 if the value came from the first sample */
};

static int ranked_cmp(const void *a, const void *b)
{
	double va = ((const struct ranked *)a)->value, vb = ((const struct ranked *)b)->value;
	return (va > vb) - (va < vb);
}

/* Rank x ∪ y with average ranks for ties; return the rank sum of x and,
 * through *tie_term, Σ (t³ − t) over groups of t equal values. */
static double rank_sum_x(const struct ranked *r, size_t n, double *tie_term)
{
	double sum = 0;
	*tie_term = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && r[j].value == r[i].value)
			j++;
		double t = (double)(j - i);
		double avg_rank = ((double)i + 1 + (double)j) / 2; /* ranks i+1 .. j */
		for (size_t k = i; k < j; k++)
			if (r[k].from_x)
				sum += avg_rank;
		*tie_term += t * t * t - t;
		i = j;
	}
	return sum;
}

/* P(U >= u) under H0 for sizes (m, n), no ties. The number of arrangements
 * with statistic k obeys N(m, n, k) = N(m-1, n, k-n) + N(m, n-1, k): the
 * largest value is either an x (beating all n y's) or a y. Rows are kept
 * for m' = 0..m and updated for n' = 1..n in place. Counts are doubles: with
 * m <= 8 they stay exact far beyond any repetition count we will see. */
static double exact_sf(size_t m, size_t n, size_t u)
{
	size_t kmax = m * n;
	double *c = calloc((m + 1) * (kmax + 1), sizeof *c);
	if (!c)
		abort();
#define N_(mm, k) c[(mm) * (kmax + 1) + (k)]
	for (size_t mm = 0; mm <= m; mm++)
		N_(mm, 0) = 1; /* n' = 0: one arrangement, U = 0 */
	for (size_t nn = 1; nn <= n; nn++)
		for (size_t mm = 1; mm <= m; mm++)
			for (size_t k = nn; k <= mm * nn; k++) /* row mm-1 already holds n' = nn */
				N_(mm, k) += N_(mm - 1, k - nn);
	double total = 0, tail = 0;
	for (size_t k = 0; k <= kmax; k++) {
		total += N_(m, k);
		if (k >= u)
			tail += N_(m, k);
	}
#undef N_
	free(c);
	return tail / total;
}

int mwu_test(const double *x, size_t n1, const double *y, size_t n2, struct mwu_result *out)
{
	if (n1 == 0 || n2 == 0)
		return -1;
	size_t n = n1 + n2;
	struct ranked *r = malloc(n * sizeof *r);
	if (!r)
		abort();
	for (size_t i = 0; i < n1; i++)
		r[i] = (struct ranked){x[i], 1};
	for (size_t i = 0; i < n2; i++)
		r[n1 + i] = (struct ranked){y[i], 0};
	for (size_t i = 0; i < n; i++)
		if (isnan(r[i].value)) {
			free(r);
			return -1;
		}
	qsort(r, n, sizeof *r, ranked_cmp);
	double tie_term;
	double u1 = rank_sum_x(r, n, &tie_term) - (double)n1 * ((double)n1 + 1) / 2;
	free(r);

	double mn = (double)n1 * (double)n2;
	struct mwu_result res = {.u1 = u1, .has_ties = tie_term > 0};
	int small = n1 <= MWU_EXACT_MAX_N || n2 <= MWU_EXACT_MAX_N;
	if (small && !res.has_ties) {
		/* Two-sided: twice the upper tail of the larger of U1 and U2. */
		double u = fmax(u1, mn - u1);
		size_t m = n1 < n2 ? n1 : n2, other = n1 < n2 ? n2 : n1;
		res.exact = 1;
		res.p = 2 * exact_sf(m, other, (size_t)llround(u));
	} else {
		double nd = (double)n;
		double var = mn / 12 * ((nd + 1) - tie_term / (nd * (nd - 1)));
		double num = u1 - mn / 2;
		if (var <= 0) {
			res.p = 1; /* every value equal: nothing tells the samples apart */
		} else {
			/* Continuity: move |U - mean| half a step towards the mean. */
			num -= 0.5 * ((num > 0) - (num < 0));
			res.p = erfc(fabs(num) / sqrt(var) / M_SQRT2);
		}
	}
	if (res.p > 1)
		res.p = 1;
	*out = res;
	return 0;
}

double mwu_min_p(size_t n1, size_t n2)
{
	if (n1 == 0 || n2 == 0)
		return 1;
	/* C(n1 + n2, n1) as a running product; exact in double for our sizes. */
	double comb = 1;
	size_t k = n1 < n2 ? n1 : n2;
	for (size_t i = 1; i <= k; i++)
		comb = comb * (double)(n1 + n2 - k + i) / (double)i;
	double p = 2 / comb;
	return p > 1 ? 1 : p;
}
