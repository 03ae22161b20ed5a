/* coro_sanitize.h — telling AddressSanitizer and ThreadSanitizer about stack
 * switches. Without it ASan reports false stack-buffer overflows (it thinks
 * the thread's stack moved) and TSan mixes up the shadow stacks of
 * different coroutines. In other builds every hook is an empty inline. */
#pragma once
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define CORO_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(CORO_ASAN)
#define CORO_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(CORO_TSAN)
#define CORO_TSAN 1
#endif

#ifdef CORO_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef CORO_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* What the sanitizers need to know about one context. */
struct coro_san {
	const void *stack_lo; /* ASan: the stack's lowest address (NULL until known) */
	size_t stack_size;
	void *tsan_fiber;     /* TSan: its fiber (the thread's own for the scheduler) */
};

/* The scheduler's own context: the thread's fiber; its stack bounds are
 * learnt on the first switch away from it (coro_san_finish). */
static inline void coro_san_init_thread(struct coro_san *s)
{
	s->stack_lo = NULL;
	s->stack_size = 0;
#ifdef CORO_TSAN
	s->tsan_fiber = __tsan_get_current_fiber();
#else
	s->tsan_fiber = NULL;
#endif
}

static inline void coro_san_init_coro(struct coro_san *s, const void *lo, size_t size)
{
	s->stack_lo = lo;
	s->stack_size = size;
#ifdef CORO_TSAN
	s->tsan_fiber = __tsan_create_fiber(0);
#else
	s->tsan_fiber = NULL;
#endif
}

static inline void coro_san_release(struct coro_san *s)
{
#ifdef CORO_TSAN
	if (s->tsan_fiber)
		__tsan_destroy_fiber(s->tsan_fiber);
#endif
	s->tsan_fiber = NULL;
}

/* Just before switching to `to`. *fake_save keeps the leaving context's
 * ASan fake stack; a context that will never run again passes NULL. */
static inline void coro_san_start(void **fake_save, const struct coro_san *to)
{
#ifdef CORO_ASAN
	__sanitizer_start_switch_fiber(fake_save, to->stack_lo, to->stack_size);
#else
	(void)fake_save;
#endif
#ifdef CORO_TSAN
	__tsan_switch_to_fiber(to->tsan_fiber, 0);
#else
	(void)to;
#endif
}

/* Just after a context resumes. `from` (the context that switched here)
 * learns its stack bounds if it did not know them yet. */
static inline void coro_san_finish(void *fake_save, struct coro_san *from)
{
#ifdef CORO_ASAN
	const void *lo;
	size_t size;
	__sanitizer_finish_switch_fiber(fake_save, &lo, &size);
	if (from && !from->stack_lo) {
		from->stack_lo = lo;
		from->stack_size = size;
	}
#else
	(void)fake_save;
	(void)from;
#endif
}
