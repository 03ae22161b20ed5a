/* rt_queue.c — a ring of fixed-size items under an rt_lock, with two
 * conditions (not empty, not full), used as a bounded queue or as a work
 * queue with an "items in progress" count. */
#include <string.h>
#include "rt_queue.h"

static struct rt_queue *create(struct shared_arena *a, uint32_t capacity, uint32_t item_size,
			       struct err *e)
{
	if (capacity == 0 || item_size == 0) {
		err_set(e, "queue: capacity %u and item size %u must be positive", capacity, item_size);
		return NULL;
	}
	size_t bytes = sizeof(struct rt_queue) + (size_t)capacity * item_size;
	struct rt_queue *q = shared_arena_alloc(a, bytes, e);
	if (!q)
		return NULL;
	q->capacity = capacity;
	q->item_size = item_size;
	return q;
}

struct rt_queue *rt_queue_create(struct shared_arena *a, uint32_t capacity, uint32_t item_size,
				 struct err *e)
{
	return create(a, capacity, item_size, e);
}

void rt_queue_reset(struct rt_queue *q)
{
	atomic_store(&q->lock.word, 0);
	q->head = q->count = q->closed = q->active = q->max_depth = 0;
	q->pushed = 0;
}

uint32_t rt_queue_count(struct rt_queue *q) { return __atomic_load_n(&q->count, __ATOMIC_RELAXED); }

/* Under the lock. */
static void push_item(struct rt_queue *q, const void *item)
{
	uint32_t tail = (q->head + q->count) % q->capacity;
	memcpy(q->items + (size_t)tail * q->item_size, item, q->item_size);
	__atomic_store_n(&q->count, q->count + 1, __ATOMIC_RELAXED);
	q->pushed++;
	if (q->count > q->max_depth)
		q->max_depth = q->count;
}

static void pop_item(struct rt_queue *q, void *item)
{
	memcpy(item, q->items + (size_t)q->head * q->item_size, q->item_size);
	q->head = (q->head + 1) % q->capacity;
	__atomic_store_n(&q->count, q->count - 1, __ATOMIC_RELAXED);
}

static int put(struct rt *rt, struct rt_queue *q, const void *item, int wait)
{
	int r = rt_lock(rt, &q->lock);
	if (r < 0)
		return r;
	while (r == 0 && q->count == q->capacity && !q->closed)
		r = wait ? rt_cond_wait(rt, &q->not_full, &q->lock) : -EAGAIN;
	if (r == 0 && q->closed)
		r = -EPIPE;
	if (r == 0) {
		push_item(q, item);
		rt_cond_notify(rt, &q->not_empty, 1);
	}
	rt_unlock(rt, &q->lock);
	return r;
}

static int get(struct rt *rt, struct rt_queue *q, void *item, int wait)
{
	int r = rt_lock(rt, &q->lock);
	if (r < 0)
		return r;
	while (r == 0 && q->count == 0 && !q->closed)
		r = wait ? rt_cond_wait(rt, &q->not_empty, &q->lock) : -EAGAIN;
	if (r == 0 && q->count == 0)
		r = -ENODATA; /* closed and drained */
	if (r == 0) {
		pop_item(q, item);
		rt_cond_notify(rt, &q->not_full, 1);
	}
	rt_unlock(rt, &q->lock);
	return r;
}

int rt_queue_put(struct rt *rt, struct rt_queue *q, const void *item) { return put(rt, q, item, 1); }
int rt_queue_get(struct rt *rt, struct rt_queue *q, void *item) { return get(rt, q, item, 1); }
int rt_queue_try_put(struct rt *rt, struct rt_queue *q, const void *item) { return put(rt, q, item, 0); }
int rt_queue_try_get(struct rt *rt, struct rt_queue *q, void *item) { return get(rt, q, item, 0); }

void rt_queue_close(struct rt *rt, struct rt_queue *q)
{
	if (rt_lock(rt, &q->lock) < 0)
		return;
	q->closed = 1;
	rt_cond_notify_all(rt, &q->not_empty);
	rt_cond_notify_all(rt, &q->not_full);
	rt_unlock(rt, &q->lock);
}

/* ---- the work queue ---- */

struct rt_workq *rt_workq_create(struct shared_arena *a, uint32_t capacity, uint32_t item_size,
				 struct err *e)
{
	return create(a, capacity, item_size, e);
}

void rt_workq_reset(struct rt_workq *q) { rt_queue_reset(q); }

int rt_workq_seed(struct rt_workq *q, const void *item)
{
	if (q->count == q->capacity)
		return -ENOSPC;
	push_item(q, item);
	return 0;
}

int rt_workq_pop(struct rt *rt, struct rt_workq *q, void *item)
{
	int r = rt_lock(rt, &q->lock);
	if (r < 0)
		return r;
	/* Empty but someone is working: they may push more, or finish last. */
	while (r == 0 && q->count == 0 && q->active > 0)
		r = rt_cond_wait(rt, &q->not_empty, &q->lock);
	int got = 0;
	if (r == 0 && q->count > 0) {
		pop_item(q, item);
		q->active++;
		got = 1;
	}
	rt_unlock(rt, &q->lock);
	return r < 0 ? r : got;
}

int rt_workq_push(struct rt *rt, struct rt_workq *q, const void *item)
{
	int r = rt_lock(rt, &q->lock);
	if (r < 0)
		return r;
	if (q->count == q->capacity)
		r = -ENOSPC;
	if (r == 0) {
		push_item(q, item);
		rt_cond_notify(rt, &q->not_empty, 1);
	}
	rt_unlock(rt, &q->lock);
	return r;
}

int rt_workq_done(struct rt *rt, struct rt_workq *q)
{
	int r = rt_lock(rt, &q->lock);
	if (r < 0)
		return r;
	q->active--;
	/* The last item finished with nothing queued: the work is over,
	 * release everyone waiting for more. */
	if (q->active == 0 && q->count == 0)
		rt_cond_notify_all(rt, &q->not_empty);
	rt_unlock(rt, &q->lock);
	return 0;
}
