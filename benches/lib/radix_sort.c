/* radix_sort.c — the resumable LSD radix sort (radix_sort.h). Counting the
 * four digits in one read of the keys, then four stable placements: 5 reads
 * and 4 writes of every key, no comparisons, the same work for any input. */
#include <string.h>
#include "radix_sort.h"

void radix_sort_begin(struct radix_sort *r)
{
	r->pass = -1;
	r->i = 0;
	memset(r->next, 0, sizeof r->next);
}

uint64_t radix_sort_step(struct radix_sort *r, uint32_t *keys, uint32_t *tmp, uint64_t m,
			 uint64_t budget, int *sorted)
{
	uint64_t units = 0;
	while (r->pass < 4 && units < budget) {
		if (r->pass < 0) {
			for (; r->i < m && units < budget; r->i++, units++) {
				uint32_t v = keys[r->i];
				for (int b = 0; b < 4; b++)
					r->next[b][(v >> (8 * b)) & 255]++;
			}
			if (r->i < m)
				break;
			for (int b = 0; b < 4; b++) /* counts -> first place of each digit */
				for (uint32_t d = 0, sum = 0; d < 256; d++) {
					uint32_t c = r->next[b][d];
					r->next[b][d] = sum;
					sum += c;
				}
		} else { /* digit `pass`: keys <-> tmp; after four, back in keys */
			const uint32_t *from = r->pass & 1 ? tmp : keys;
			uint32_t *to = r->pass & 1 ? keys : tmp, *next = r->next[r->pass];
			int shift = 8 * r->pass;
			for (; r->i < m && units < budget; r->i++, units++) {
				uint32_t v = from[r->i];
				to[next[(v >> shift) & 255]++] = v;
			}
			if (r->i < m)
				break;
		}
		r->pass++;
		r->i = 0;
	}
	*sorted = r->pass == 4;
	return units;
}
