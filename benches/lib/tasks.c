/* tasks.c — per-task arrays for workloads (tasks.h). */
#include <stdint.h>
#include <stdlib.h>
#include "tasks.h"

void *tasks_new(int ntasks, size_t size, const char *who, struct err *e)
{
	void *p = NULL;
	size_t n = ntasks > 0 ? (size_t)ntasks : 1;
	if (size && n > SIZE_MAX / size)
		n = 0;
	if (!n || posix_memalign(&p, 64, n * size) != 0) {
		err_set(e, "%s: out of memory for %d tasks", who, ntasks);
		return NULL;
	}
	memset(p, 0, n * size);
	return p;
}
