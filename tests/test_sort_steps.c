/* test_sort_steps.c — the resumable radix sort and k-way merge of
 * benches/lib (samplesort's parts): stopped after every key or after odd
 * budgets, they must give what qsort gives, spend one unit per key and
 * pass, and never write past the output. */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "kmerge.h"
#include "radix_sort.h"
#include "rng.h"

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static void fill(uint32_t *k, uint64_t m, uint64_t seed, uint32_t mask)
{
	uint64_t st = seed;
	for (uint64_t i = 0; i < m; i++)
		k[i] = (uint32_t)rng_mix(st++) & mask;
}

static void test_radix(uint64_t m, uint64_t budget, uint32_t mask)
{
	uint32_t *keys = malloc(m * sizeof *keys + 1), *tmp = malloc(m * sizeof *tmp + 1);
	uint32_t *want = malloc(m * sizeof *want + 1);
	fill(keys, m, 7 + m, mask);
	for (uint64_t i = 0; i < m; i++)
		want[i] = keys[i];
	qsort(want, m, sizeof *want, cmp_u32);
	struct radix_sort r;
	radix_sort_begin(&r);
	int sorted = 0;
	uint64_t units = 0, calls = 0;
	while (!sorted && calls++ < 10 * m + 10) {
		uint64_t u = radix_sort_step(&r, keys, tmp, m, budget, &sorted);
		CHECK(u <= budget, "a step spent %llu units of a budget of %llu", (unsigned long long)u,
		      (unsigned long long)budget);
		units += u;
	}
	CHECK(sorted, "m=%llu budget=%llu: not sorted after %llu calls", (unsigned long long)m,
	      (unsigned long long)budget, (unsigned long long)calls);
	CHECK_INT(units, 5 * m);
	uint64_t bad = 0;
	for (uint64_t i = 0; i < m; i++)
		bad += keys[i] != want[i];
	CHECK(bad == 0, "m=%llu budget=%llu: %llu keys differ from qsort's", (unsigned long long)m,
	      (unsigned long long)budget, (unsigned long long)bad);
	free(keys);
	free(tmp);
	free(want);
}

static void test_kmerge(int k, uint64_t budget)
{
	struct kmerge_run runs[8];
	int heap[8];
	uint32_t store[8][64], out[8 * 64 + 1], want[8 * 64];
	uint64_t total = 0;
	for (int r = 0; r < k; r++) {
		uint64_t len = (uint64_t)(r * 13 % 64); /* one run may be empty */
		fill(store[r], len, 100 + (uint64_t)r, 0xff); /* small keys: many ties */
		qsort(store[r], len, sizeof store[r][0], cmp_u32);
		runs[r] = (struct kmerge_run){store[r], len, 0};
		for (uint64_t i = 0; i < len; i++)
			want[total++] = store[r][i];
	}
	qsort(want, total, sizeof want[0], cmp_u32);
	out[total] = 0xdeadbeef;
	struct kmerge m = {.runs = runs, .heap = heap, .k = k};
	kmerge_begin(&m);
	int merged = total == 0 && m.heaped == 0;
	uint64_t units = 0, calls = 0;
	while (!merged && calls++ < 10 * total + 10)
		units += kmerge_step(&m, out, budget, &merged);
	CHECK(merged, "k=%d: not merged", k);
	CHECK_INT(units, total);
	uint64_t bad = 0;
	for (uint64_t i = 0; i < total; i++)
		bad += out[i] != want[i];
	CHECK(bad == 0, "k=%d budget=%llu: %llu keys out of place", k, (unsigned long long)budget,
	      (unsigned long long)bad);
	CHECK(out[total] == 0xdeadbeef, "k=%d: wrote past the output", k);
}

int main(void)
{
	for (uint64_t m = 0; m <= 3; m++)
		test_radix(m, 1, ~0u);
	test_radix(1000, 1, ~0u);
	test_radix(1000, 7, 0xff00ff);
	test_radix(100000, 4096, ~0u);
	test_radix(5000, 1u << 30, 3); /* all in one call, heavy ties */
	for (int k = 1; k <= 8; k++) {
		test_kmerge(k, 1);
		test_kmerge(k, 5);
		test_kmerge(k, 1000);
	}
	return check_report("sort_steps");
}
