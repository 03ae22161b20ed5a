/* coro_timer.h — a binary min-heap of deadlines (one entry per sleeping or
 * timing-out coroutine). O(log n) to add or remove, O(1) to see the
 * earliest; no system call per timer, unlike a timerfd per coroutine, and
 * no file descriptor per sleeper (10,000 sleepers would need 10,000). */
#pragma once
#include <stdint.h>

struct coro_timer {
	int64_t deadline; /* CLOCK_MONOTONIC ns */
	int index;        /* position in the heap, or -1 when not in it */
};

struct coro_timer_heap {
	struct coro_timer **items;
	int count, capacity;
};

/* 0, or -1 when out of memory. */
int coro_timer_add(struct coro_timer_heap *h, struct coro_timer *t, int64_t deadline);
void coro_timer_remove(struct coro_timer_heap *h, struct coro_timer *t);
/* The earliest timer, or NULL. */
static inline struct coro_timer *coro_timer_first(const struct coro_timer_heap *h)
{
	return h->count ? h->items[0] : NULL;
}
void coro_timer_heap_free(struct coro_timer_heap *h);
