/* rt_queue.h — queues between workers, in shared memory, under every model.
 *
 * rt_queue: a bounded FIFO of fixed-size items (Queue.Queue,
 * multiprocessing.Queue): put blocks while full, get while empty; close()
 * lets consumers drain and stop (get returns -ENODATA once closed and
 * empty) instead of counting sentinels.
 *
 * rt_workq: a work queue that grows while it is drained, for tasks that
 * create tasks (a quicksort pushes one half of its range): a worker pops an
 * item, may push new ones, and calls rt_workq_done when the item is
 * finished. rt_workq_pop returns 0 ("drained") only when the queue is
 * empty AND no popped item is still being worked on — until then an empty
 * queue makes a worker wait, because a running item may push more. Push
 * never blocks (a full work queue could deadlock every worker): it fails
 * with -ENOSPC, so size the queue for the most items that can be pending.
 *
 * Both live in the cell's shared arena; items are copied in and out, so
 * they cross processes (no pointers into one worker's memory, please).
 * Create and seed them in setup/reset (no worker runs then); use the rt
 * calls inside steps. */
#pragma once
#include <stdint.h>
#include "err.h"
#include "rt_sync.h"
#include "shared.h"

struct rt_queue {
	struct rt_lock lock;
	struct rt_cond not_empty, not_full;
	uint32_t capacity, item_size;
	uint32_t head, count;
	uint32_t closed;
	/* work queue only */
	uint32_t active;      /* popped and not yet done */
	uint64_t pushed;      /* items pushed since the last reset (seeds included) */
	uint32_t max_depth;   /* most items queued at once since the last reset */
	unsigned char items[] __attribute__((aligned(16)));
};

/* A queue of `capacity` items of item_size bytes in the arena; NULL with e. */
struct rt_queue *rt_queue_create(struct shared_arena *a, uint32_t capacity, uint32_t item_size,
				 struct err *e);
/* Empty it and reopen it (outside the measured region: no worker runs). */
void rt_queue_reset(struct rt_queue *q);
/* Copy item in; wait while full. 0, -EPIPE once closed, or the model's error. */
int rt_queue_put(struct rt *rt, struct rt_queue *q, const void *item);
/* Copy the oldest item out; wait while empty. 0, -ENODATA once closed and
 * empty, or the model's error. */
int rt_queue_get(struct rt *rt, struct rt_queue *q, void *item);
/* Without waiting: 0, -EAGAIN (full / empty), -EPIPE / -ENODATA when closed. */
int rt_queue_try_put(struct rt *rt, struct rt_queue *q, const void *item);
int rt_queue_try_get(struct rt *rt, struct rt_queue *q, void *item);
/* No more puts: wake every waiter; gets drain what is left. */
void rt_queue_close(struct rt *rt, struct rt_queue *q);
uint32_t rt_queue_count(struct rt_queue *q); /* a snapshot */

/* The work queue is an rt_queue used through these calls only. */
#define rt_workq rt_queue
struct rt_workq *rt_workq_create(struct shared_arena *a, uint32_t capacity, uint32_t item_size,
				 struct err *e);
void rt_workq_reset(struct rt_workq *q);
/* The first items, before the region (no rt: no worker can be waiting).
 * 0, or -ENOSPC. */
int rt_workq_seed(struct rt_workq *q, const void *item);
/* 1 with an item (the caller now works on it and must call rt_workq_done),
 * 0 when drained (empty and nobody working), or the model's error. */
int rt_workq_pop(struct rt *rt, struct rt_workq *q, void *item);
/* From a worker holding a popped item: add an item. 0, or -ENOSPC. */
int rt_workq_push(struct rt *rt, struct rt_workq *q, const void *item);
/* The popped item is finished (after pushing whatever it creates). */
int rt_workq_done(struct rt *rt, struct rt_workq *q);
