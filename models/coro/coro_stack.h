/* coro_stack.h — coroutine stacks: one mmap arena of equal slots, each a
 * PROT_NONE guard page below a read-write stack, and the SIGSEGV handler
 * that turns a fault in a guard page into a clear report. */
#pragma once
#include <stddef.h>
#include "err.h"

struct coro_stacks {
	char *base;    /* first slot; slot i is base + i * stride */
	size_t stride; /* guard + usable */
	size_t guard;  /* PROT_NONE bytes at the bottom of each slot */
	size_t usable; /* bytes of stack in each slot */
	int count;
};

/* Map `count` stacks of at least `size` bytes (rounded up to pages), each
 * with a guard page below. Pages are touched only when used. 0, or -1 with e. */
int coro_stacks_create(struct coro_stacks *s, int count, size_t size, struct err *e);
void coro_stacks_destroy(struct coro_stacks *s);

/* The lowest usable address of stack i (its top is that + s->usable). */
static inline void *coro_stack_lo(const struct coro_stacks *s, int i)
{
	return s->base + (size_t)i * s->stride + s->guard;
}

/* While armed, a SIGSEGV whose address lies in a guard page of `s` prints
 * "cmbench: coroutine stack overflow (stack=SIZE_TEXT); raise --param stack"
 * and exits with status 128 + SIGSEGV; any other SIGSEGV goes to whatever
 * handled it before. The handler runs on an alternate signal stack of the
 * calling thread (the overflowing stack has no room left). Only one arena
 * is armed at a time. 0, or -1 with e. */
int coro_guard_arm(const struct coro_stacks *s, const char *size_text, struct err *e);
/* Restore the previous SIGSEGV action and alternate stack. */
void coro_guard_disarm(void);
/* Another thread that runs coroutines of the armed arena (M:N) needs an
 * alternate signal stack of its own: returns it, or NULL with e. */
void *coro_guard_thread_begin(struct err *e);
/* Remove the calling thread's alternate stack and free it. */
void coro_guard_thread_end(void *alt);
