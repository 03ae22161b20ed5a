/* kmerge.c — the resumable k-way merge (kmerge.h): log2(k) comparisons a
 * key, the runs read once in order. */
#include "kmerge.h"

static inline uint32_t head(const struct kmerge_run *r) { return r->k[r->pos]; }

static void sift_down(struct kmerge *m, int i)
{
	int *h = m->heap, n = m->heaped;
	for (;;) {
		int c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && head(&m->runs[h[c + 1]]) < head(&m->runs[h[c]]))
			c++;
		if (head(&m->runs[h[i]]) <= head(&m->runs[h[c]]))
			return;
		int x = h[i];
		h[i] = h[c];
		h[c] = x;
		i = c;
	}
}

void kmerge_begin(struct kmerge *m)
{
	m->heaped = 0;
	m->out = 0;
	for (int r = 0; r < m->k; r++) {
		m->runs[r].pos = 0;
		if (m->runs[r].len)
			m->heap[m->heaped++] = r;
	}
	for (int i = m->heaped / 2 - 1; i >= 0; i--)
		sift_down(m, i);
}

uint64_t kmerge_step(struct kmerge *m, uint32_t *out, uint64_t budget, int *merged)
{
	uint64_t units = 0;
	for (; m->heaped && units < budget; units++) {
		struct kmerge_run *r = &m->runs[m->heap[0]];
		out[m->out++] = head(r);
		if (++r->pos == r->len)
			m->heap[0] = m->heap[--m->heaped];
		sift_down(m, 0);
	}
	*merged = m->heaped == 0;
	return units;
}
