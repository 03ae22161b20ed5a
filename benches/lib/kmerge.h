/* kmerge.h — a k-way merge of sorted runs of 32-bit keys through a binary
 * heap of the runs' next keys, resumable after any key (a workload's step
 * runs within a budget of units). */
#ifndef CMBENCH_KMERGE_H
#define CMBENCH_KMERGE_H

#include <stdint.h>

struct kmerge_run {
	const uint32_t *k;
	uint64_t len, pos;
};

struct kmerge {
	struct kmerge_run *runs; /* [k], set by the caller */
	int *heap;               /* [k]: runs not yet exhausted, by their next key */
	int k, heaped;
	uint64_t out; /* keys written so far */
};

/* Build the heap over runs[0, k) (their pos at 0). */
void kmerge_begin(struct kmerge *m);
/* Write the next keys in order to out[m->out ...], one unit each, until
 * `budget` units are spent or every run is exhausted; returns the units
 * spent and sets *merged when every run is. */
uint64_t kmerge_step(struct kmerge *m, uint32_t *out, uint64_t budget, int *merged);

#endif
