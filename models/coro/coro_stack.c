/* coro_stack.c — the stack arena: one mapping, slots of [guard | stack].
 *
 * One mapping instead of one per coroutine keeps creation to one mmap plus
 * one mprotect per guard and makes "is this address a guard page?" a
 * division. Each guard splits the mapping, so every stack is its own small
 * VMA and transparent huge pages never inflate a 64K stack to 2M. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "coro_sanitize.h"
#include "coro_stack.h"
#ifdef CORO_ASAN
#include <sanitizer/asan_interface.h>
#endif

int coro_stacks_create(struct coro_stacks *s, int count, size_t size, struct err *e)
{
	memset(s, 0, sizeof *s);
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t usable = (size + page - 1) / page * page;
	size_t stride = usable + page;
	if (count <= 0 || stride > SIZE_MAX / (size_t)count)
		return err_set(e, "coroutine stacks: %d stacks of %zu bytes do not fit in memory",
			       count, usable);
	size_t total = stride * (size_t)count;
	void *base = mmap(NULL, total, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
	if (base == MAP_FAILED)
		return err_set(e, "coroutine stacks: mmap of %d x %zu bytes failed: %s", count,
			       stride, strerror(errno));
	for (int i = 0; i < count; i++) {
		if (mprotect((char *)base + (size_t)i * stride, page, PROT_NONE) != 0) {
			int saved = errno;
			munmap(base, total);
			/* ENOMEM here is usually vm.max_map_count: two VMAs per stack. */
			return err_set(e, "coroutine stacks: guard page %d of %d refused: %s "
					  "(each stack is 2 memory mappings; see vm.max_map_count)",
				       i, count, strerror(saved));
		}
	}
	s->base = base;
	s->stride = stride;
	s->guard = page;
	s->usable = usable;
	s->count = count;
	return 0;
}

void coro_stacks_destroy(struct coro_stacks *s)
{
	if (s->base) {
#ifdef CORO_ASAN
		/* ASan leaves a stack's poisoned frames in its shadow after
		 * munmap; whatever is mapped here next (an io_uring ring, say,
		 * that only the kernel writes) would read as a stack overflow. */
		ASAN_UNPOISON_MEMORY_REGION(s->base, s->stride * (size_t)s->count);
#endif
		munmap(s->base, s->stride * (size_t)s->count);
	}
	memset(s, 0, sizeof *s);
}
