/* histogram.h — a fixed-size, mergeable latency histogram in the manner of
 * HdrHistogram: log-linear buckets, each octave [2^m, 2^(m+1)) split into
 * HIST_SUB_BUCKETS equal parts, so every recorded value is kept to within
 * 1/HIST_SUB_BUCKETS (3.1%) of itself. Values are nanoseconds; the lowest
 * HIST_UNIT_SHIFT bits are dropped (64 ns resolution, far below any I/O
 * latency), and values of HIST_MAX_NS or more share the top bucket while
 * `max` stays exact.
 *
 * The struct is plain data with no pointers, smaller than a page, so it can
 * sit in a workload's per-task result slot, be copied back from a child
 * process, and be merged by adding counts. */
#pragma once
#include <stdint.h>

#define HIST_SUB_BITS 5
#define HIST_SUB_BUCKETS (1 << HIST_SUB_BITS) /* 32 */
#define HIST_UNIT_SHIFT 6                     /* bucket units of 64 ns */
#define HIST_MAX_SHIFT 36                     /* values >= 2^36 ns (68.7 s) clamp */
#define HIST_MAX_NS ((uint64_t)1 << HIST_MAX_SHIFT)
/* Units below HIST_SUB_BUCKETS are exact; each octave above adds
 * HIST_SUB_BUCKETS buckets, up to 2^(HIST_MAX_SHIFT - HIST_UNIT_SHIFT). */
#define HIST_BUCKETS \
	(HIST_SUB_BUCKETS + (HIST_MAX_SHIFT - HIST_UNIT_SHIFT - HIST_SUB_BITS) * HIST_SUB_BUCKETS)

struct histogram {
	uint64_t count;
	uint64_t sum_ns;
	uint64_t min_ns; /* UINT64_MAX while empty */
	uint64_t max_ns;
	uint32_t buckets[HIST_BUCKETS];
};

void hist_init(struct histogram *h);
void hist_record(struct histogram *h, uint64_t ns);
/* Add every count of `from` into `into`. */
void hist_merge(struct histogram *into, const struct histogram *from);
/* The value at percentile p (0 < p <= 100): the upper edge of the bucket
 * holding the ceil(p% * count)-th smallest value, kept within [min, max];
 * p = 100 is exactly max. 0 for an empty histogram. */
uint64_t hist_percentile(const struct histogram *h, double p);
double hist_mean(const struct histogram *h);

/* Bucket arithmetic, exposed for tests: the bucket of a value and the
 * range [lowest, highest] of values that fall into a bucket. */
int hist_bucket_of(uint64_t ns);
uint64_t hist_bucket_lowest(int bucket);
uint64_t hist_bucket_highest(int bucket);
