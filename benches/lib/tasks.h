/* tasks.h — the per-task boilerplate every workload repeated: an array with
 * one element per task (its state and its result slot), allocated
 * zeroed and cache-line aligned with the usual out-of-memory message, zeroed
 * again by reset, and each task's contiguous share of a range (split.h).
 *
 *   struct foo_task { uint64_t next, end; struct foo_result result; }
 *           __attribute__((aligned(64)));    // one cache line (or more) each
 *   setup:  if (!TASKS_NEW(f->tasks, s->ntasks, "foo", e)) ...
 *   reset:  TASKS_ZERO(f->tasks, f->ntasks);
 *           struct share sh = split_share(f->n, f->ntasks, t);
 *   teardown: free(f->tasks);
 */
#pragma once
#include <stddef.h>
#include <string.h>
#include "err.h"
#include "split.h"

/* ntasks elements of `size` bytes, zeroed, the array 64-byte aligned
 * (free() it). NULL with e = "WHO: out of memory for N tasks". */
void *tasks_new(int ntasks, size_t size, const char *who, struct err *e);
#define TASKS_NEW(ptr, ntasks, who, e) ((ptr) = tasks_new((ntasks), sizeof *(ptr), (who), (e)))
/* Zero every element (reset). */
#define TASKS_ZERO(ptr, ntasks) memset((ptr), 0, sizeof *(ptr) * (size_t)(ntasks))
