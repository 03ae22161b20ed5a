/* coro_table.h — arrays indexed by file descriptor (the loop's waiters,
 * the backends' per-fd state) grow by doubling to fit the largest fd seen. */
#pragma once
#include <stdlib.h>
#include <string.h>

/* The capacity that fits index fd: `cap` itself, or the next doubling. */
static inline int coro_table_capacity(int cap, int fd)
{
	int c = cap ? cap : 64;
	while (c <= fd)
		c *= 2;
	return c;
}

/* Resize *array (elements of `size` bytes) from `cap` to `new_cap` entries,
 * zeroing the new ones. 0, or -1 (the array is unchanged). */
static inline int coro_table_grow(void *array, size_t size, int cap, int new_cap)
{
	void **p = array;
	char *grown = realloc(*p, (size_t)new_cap * size);
	if (!grown)
		return -1;
	memset(grown + (size_t)cap * size, 0, (size_t)(new_cap - cap) * size);
	*p = grown;
	return 0;
}
