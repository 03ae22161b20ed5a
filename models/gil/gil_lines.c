/* gil_lines.c — interpreter state as a chain of cache lines that a thread
 * walks right after taking the lock over from another thread. Two uses:
 *
 * `cold-lines`: the interpreter's shared state, one run's set for all its
 * threads, the lines side by side. After a take-over CPython's first
 * instructions touch state the previous holder wrote: reference counts of
 * shared objects, the allocator's pools, the thread and interpreter
 * structures. Those lines sit in the other core's cache, and fetching them
 * costs what this machine's topology charges at that moment: a few ns a
 * line between two hardware threads of a core, tens of ns across cores,
 * more across sockets. Timed with one instrument on both sides
 * (scripts/lock-trace.c), CPython's I/O thread held the lock 3.6-4.4 µs
 * after a take-over on most of one day here and 26-29 µs while the host was
 * busy, the emulation's own hold 2.7-2.9 and 5.1-5.6 µs: a fixed
 * `cold-take` fits one of the two at most. These lines make the emulation
 * pay the transfer itself, so it moves with the machine as CPython does
 * (partly: docs/GIL.md, "Round seven").
 *
 * `own-pages`: each thread's own state (its frames, its objects, the code
 * its own path runs), one line in each page. Written only by its thread,
 * these lines cost what its wait let them go cold: warm after a wait of
 * half a millisecond, missed in cache and in the TLB after 50 ms, when the
 * core has slept and the host has run other work on it. CPython's I/O
 * thread held the lock after a take-over 1-3 µs at 0.5 ms, 4-7 at 5 ms and
 * 18-20 at 50 ms (5 Dec, traced unplaced beside two CPU threads); shared
 * lines cost the same after any wait, and lines side by side share pages
 * and their translations, so neither grew with the wait as CPython's hold
 * does (docs/GIL.md, "Round twenty-four").
 *
 * The chain runs through the lines in a fixed shuffled order, each load
 * naming the next line, so the misses come one after another as in an
 * interpreter following pointers (independent loads would overlap, and
 * cost a fraction). Each step also writes the line: a shared line must
 * then be fetched back by the next take-over, on another core. Only the
 * lock holder walks them. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "gil.h"

struct gil_line {
	_Alignas(64) uint64_t next; /* index of the next line in the chain */
	uint64_t writes;
};

struct gil_lines {
	struct gil_line *line;
	int64_t n;
};

/* Where the k-th line of the chain sits, in lines from the start. */
static uint64_t slot(uint64_t k, int64_t per)
{
	return per > 1 ? k * (uint64_t)per + k % (uint64_t)per : k;
}

struct gil_lines *gil_lines_create(int64_t n, int64_t stride)
{
	struct gil_lines *l = malloc(sizeof *l);
	uint64_t *order = malloc((size_t)n * sizeof *order);
	/* A line every `stride` bytes; in a page of its own (stride: the page
	 * size) each sits at another offset, so that the chain spreads over the
	 * cache's sets instead of fighting for one. */
	int64_t per = stride / (int64_t)sizeof(struct gil_line);
	size_t align = stride > 4096 ? (size_t)stride : 4096;
	struct gil_line *line = aligned_alloc(align, ((size_t)n * (size_t)stride + align - 1) / align * align);
	if (!l || !order || !line) {
		free(l);
		free(order);
		free(line);
		errno = ENOMEM;
		return NULL;
	}
	/* A fixed shuffle (Fisher-Yates, a 64-bit LCG): neighbours in memory
	 * are not neighbours in the chain, so the prefetcher cannot run ahead. */
	uint64_t seed = 0x9e3779b97f4a7c15u;
	for (int64_t i = 0; i < n; i++)
		order[i] = (uint64_t)i;
	for (int64_t i = n - 1; i > 0; i--) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		int64_t j = (int64_t)((seed >> 33) % (uint64_t)(i + 1));
		uint64_t x = order[i];
		order[i] = order[j];
		order[j] = x;
	}
	for (int64_t i = 0; i < n; i++) {
		uint64_t a = order[i], b = order[(i + 1) % n];
		line[slot(a, per)] = (struct gil_line){.next = slot(b, per)};
	}
	free(order);
	*l = (struct gil_lines){.line = line, .n = n};
	return l;
}

void gil_lines_destroy(struct gil_lines *l)
{
	if (l) {
		free(l->line);
		free(l);
	}
}

void gil_lines_touch(struct gil_lines *l)
{
	uint64_t k = 0;
	for (int64_t i = 0; i < l->n; i++) {
		struct gil_line *x = &l->line[k];
		x->writes++;
		k = x->next;
	}
}
