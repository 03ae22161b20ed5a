/* radix_sort.h — an LSD radix sort of 32-bit keys that can stop after any
 * key and resume (a workload's step runs within a budget of units): one
 * pass counts all four digits, then four passes place the keys, between
 * `keys` and a scratch array of the same length, ending back in `keys`. */
#ifndef CMBENCH_RADIX_SORT_H
#define CMBENCH_RADIX_SORT_H

#include <stdint.h>

struct radix_sort {
	int pass;              /* -1: counting; 0..3: the byte being placed; 4: sorted */
	uint64_t i;            /* where the pass is */
	uint32_t next[4][256]; /* counts, then where each digit goes */
};

/* Start sorting afresh. */
void radix_sort_begin(struct radix_sort *r);
/* Sort on, one unit per key counted or placed, until `budget` units are
 * spent; returns the units spent and sets *sorted when the m keys are in
 * order in `keys` (tmp: scratch room for m keys). */
uint64_t radix_sort_step(struct radix_sort *r, uint32_t *keys, uint32_t *tmp, uint64_t m,
			 uint64_t budget, int *sorted);

#endif
