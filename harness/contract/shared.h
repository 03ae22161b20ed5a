/* shared.h — memory a workload allocates once, in setup, and every worker
 * of every model sees: threads of one process, coroutines, and processes
 * forked after setup (the arena is MAP_SHARED and made before any fork).
 * Ranks on other machines cannot share it: their model lacks
 * RT_CAP_SHARED_MEMORY, and a workload that needs it declares so.
 *
 * The harness owns the arena of a cell: it is made before bench->setup and
 * unmapped after bench->teardown, so a workload never frees what it took.
 * Blocks are zeroed and 64-byte aligned (one cache line: two blocks never
 * share a line); a zeroed lock, queue, event or semaphore of rt_sync.h is a
 * ready one. */
#pragma once
#include <stddef.h>
#include "err.h"

struct shared_arena;

/* The arena of one cell; NULL with e set when out of memory. */
struct shared_arena *shared_arena_create(struct err *e);
/* Unmap every block (after teardown: no worker may still use them). */
void shared_arena_destroy(struct shared_arena *a);
/* A zeroed, 64-byte-aligned block of `size` bytes; NULL with e set. */
void *shared_arena_alloc(struct shared_arena *a, size_t size, struct err *e);
/* Bytes handed out so far (for tests and statistics). */
size_t shared_arena_used(const struct shared_arena *a);
