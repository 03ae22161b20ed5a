/* shared.c — the shared arena: one MAP_SHARED mapping per allocation
 * (rounded to pages), small blocks carved from a current chunk, so a
 * workload's dozen small objects cost one mapping, and a large array its
 * own. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "shared.h"

#define CHUNK_BYTES (64 * 1024)
#define ALIGN 64

struct shared_map {
	struct shared_map *next;
	void *base;
	size_t size;
};

struct shared_arena {
	struct shared_map *maps;
	char *chunk;      /* current chunk for small blocks */
	size_t chunk_left;
	size_t used;
};

static void *map_new(struct shared_arena *a, size_t size, struct err *e)
{
	struct shared_map *m = malloc(sizeof *m);
	void *base = m ? mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0)
		       : MAP_FAILED;
	if (base == MAP_FAILED) {
		err_set(e, "shared memory: cannot map %zu bytes: %s", size,
			m ? strerror(errno) : "out of memory");
		free(m);
		return NULL;
	}
	*m = (struct shared_map){.next = a->maps, .base = base, .size = size};
	a->maps = m;
	return base;
}

struct shared_arena *shared_arena_create(struct err *e)
{
	struct shared_arena *a = calloc(1, sizeof *a);
	if (!a)
		err_set(e, "shared memory: out of memory");
	return a;
}

void shared_arena_destroy(struct shared_arena *a)
{
	if (!a)
		return;
	for (struct shared_map *m = a->maps, *next; m; m = next) {
		next = m->next;
		munmap(m->base, m->size);
		free(m);
	}
	free(a);
}

void *shared_arena_alloc(struct shared_arena *a, size_t size, struct err *e)
{
	if (size == 0)
		size = 1;
	if (size > SIZE_MAX - CHUNK_BYTES) {
		err_set(e, "shared memory: %zu bytes is too large", size);
		return NULL;
	}
	size_t rounded = (size + ALIGN - 1) / ALIGN * ALIGN;
	void *p;
	if (rounded > CHUNK_BYTES / 4) {
		size_t page = 4096;
		p = map_new(a, (rounded + page - 1) / page * page, e);
	} else {
		if (rounded > a->chunk_left) {
			a->chunk = map_new(a, CHUNK_BYTES, e);
			a->chunk_left = a->chunk ? CHUNK_BYTES : 0;
			if (!a->chunk)
				return NULL;
		}
		p = a->chunk;
		a->chunk += rounded;
		a->chunk_left -= rounded;
	}
	if (p)
		a->used += rounded;
	return p; /* fresh anonymous mappings are zero */
}

size_t shared_arena_used(const struct shared_arena *a) { return a->used; }
