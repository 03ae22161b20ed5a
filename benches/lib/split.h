/* split.h — share `total` units out to `ntasks` contiguous chunks whose sizes
 * differ by at most one. */
#pragma once
#include <stdint.h>

static inline uint64_t split_begin(uint64_t total, int ntasks, int task)
{
	uint64_t base = total / (uint64_t)ntasks, extra = total % (uint64_t)ntasks;
	uint64_t t = (uint64_t)task;
	return t * base + (t < extra ? t : extra);
}

static inline uint64_t split_size(uint64_t total, int ntasks, int task)
{
	return split_begin(total, ntasks, task + 1) - split_begin(total, ntasks, task);
}

/* Task `task`'s share of [0, total): [begin, end). */
struct share {
	uint64_t begin, end;
};

static inline struct share split_share(uint64_t total, int ntasks, int task)
{
	return (struct share){split_begin(total, ntasks, task), split_begin(total, ntasks, task + 1)};
}
