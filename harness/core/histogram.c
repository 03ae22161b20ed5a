/* histogram.c — log-linear latency buckets (see histogram.h). */
#include "histogram.h"
#include <math.h>
#include <string.h>

void hist_init(struct histogram *h)
{
	memset(h, 0, sizeof *h);
	h->min_ns = UINT64_MAX;
}

int hist_bucket_of(uint64_t ns)
{
	if (ns >= HIST_MAX_NS)
		ns = HIST_MAX_NS - 1;
	uint64_t units = ns >> HIST_UNIT_SHIFT;
	if (units < HIST_SUB_BUCKETS)
		return (int)units;
	int msb = 63 - __builtin_clzll(units);    /* >= HIST_SUB_BITS */
	int octave = msb - HIST_SUB_BITS;          /* 0 for [32, 64) units */
	int sub = (int)(units >> octave) - HIST_SUB_BUCKETS; /* 0..31 */
	return HIST_SUB_BUCKETS + octave * HIST_SUB_BUCKETS + sub;
}

uint64_t hist_bucket_lowest(int bucket)
{
	if (bucket < HIST_SUB_BUCKETS)
		return (uint64_t)bucket << HIST_UNIT_SHIFT;
	int octave = bucket / HIST_SUB_BUCKETS - 1;
	uint64_t sub = (uint64_t)(bucket % HIST_SUB_BUCKETS) + HIST_SUB_BUCKETS;
	return (sub << octave) << HIST_UNIT_SHIFT;
}

uint64_t hist_bucket_highest(int bucket)
{
	if (bucket + 1 >= HIST_BUCKETS)
		return UINT64_MAX;
	return hist_bucket_lowest(bucket + 1) - 1;
}

void hist_record(struct histogram *h, uint64_t ns)
{
	h->buckets[hist_bucket_of(ns)]++;
	h->count++;
	h->sum_ns += ns;
	if (ns < h->min_ns)
		h->min_ns = ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

void hist_merge(struct histogram *into, const struct histogram *from)
{
	if (!from->count)
		return;
	for (int i = 0; i < HIST_BUCKETS; i++)
		into->buckets[i] += from->buckets[i];
	into->count += from->count;
	into->sum_ns += from->sum_ns;
	if (from->min_ns < into->min_ns)
		into->min_ns = from->min_ns;
	if (from->max_ns > into->max_ns)
		into->max_ns = from->max_ns;
}

uint64_t hist_percentile(const struct histogram *h, double p)
{
	if (!h->count)
		return 0;
	if (p >= 100.0)
		return h->max_ns;
	uint64_t rank = (uint64_t)ceil(p / 100.0 * (double)h->count);
	if (rank < 1)
		rank = 1;
	uint64_t seen = 0;
	for (int i = 0; i < HIST_BUCKETS; i++) {
		seen += h->buckets[i];
		if (seen >= rank) {
			uint64_t v = hist_bucket_highest(i);
			if (v > h->max_ns)
				v = h->max_ns;
			if (v < h->min_ns)
				v = h->min_ns;
			return v;
		}
	}
	return h->max_ns;
}

double hist_mean(const struct histogram *h)
{
	return h->count ? (double)h->sum_ns / (double)h->count : 0.0;
}
