/* coro_timer.c — the deadline heap of the coroutine event loop. */
#include <stdlib.h>
#include "coro_timer.h"

static void place(struct coro_timer_heap *h, int i, struct coro_timer *t)
{
	h->items[i] = t;
	t->index = i;
}

static void sift_up(struct coro_timer_heap *h, int i)
{
	struct coro_timer *t = h->items[i];
	while (i > 0) {
		int parent = (i - 1) / 2;
		if (h->items[parent]->deadline <= t->deadline)
			break;
		place(h, i, h->items[parent]);
		i = parent;
	}
	place(h, i, t);
}

static void sift_down(struct coro_timer_heap *h, int i)
{
	struct coro_timer *t = h->items[i];
	for (;;) {
		int child = 2 * i + 1;
		if (child >= h->count)
			break;
		if (child + 1 < h->count && h->items[child + 1]->deadline < h->items[child]->deadline)
			child++;
		if (t->deadline <= h->items[child]->deadline)
			break;
		place(h, i, h->items[child]);
		i = child;
	}
	place(h, i, t);
}

int coro_timer_add(struct coro_timer_heap *h, struct coro_timer *t, int64_t deadline)
{
	if (h->count == h->capacity) {
		int cap = h->capacity ? 2 * h->capacity : 64;
		struct coro_timer **items = realloc(h->items, (size_t)cap * sizeof *items);
		if (!items)
			return -1;
		h->items = items;
		h->capacity = cap;
	}
	t->deadline = deadline;
	h->items[h->count] = t;
	sift_up(h, h->count++);
	return 0;
}

void coro_timer_remove(struct coro_timer_heap *h, struct coro_timer *t)
{
	int i = t->index;
	if (i < 0)
		return;
	t->index = -1;
	struct coro_timer *last = h->items[--h->count];
	if (i == h->count)
		return;
	place(h, i, last);
	if (i > 0 && h->items[(i - 1) / 2]->deadline > last->deadline)
		sift_up(h, i);
	else
		sift_down(h, i);
}

void coro_timer_heap_free(struct coro_timer_heap *h)
{
	free(h->items);
	h->items = NULL;
	h->count = h->capacity = 0;
}
