/* floor_switch.c — the coroutine-switch floor: a main context and one
 * coroutine on one thread switch to each other `ops` times, directly (no
 * scheduler in between), with the minimal switch of floor_switch_*.S; on
 * other architectures, or built with CMBENCH_CORO_UCONTEXT, with
 * swapcontext (which also saves the signal mask: a syscall per switch).
 * Sanitizer builds tell ASan and TSan about each stack switch, as
 * models/coro does; their figures are not floors, only a check that the
 * code runs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "clock.h"
#include "floor_measure.h"

#if (defined(__x86_64__) || defined(__aarch64__)) && !defined(CMBENCH_CORO_UCONTEXT)
#define FLOOR_ASM_SWITCH 1
void floor_switch(void **save_sp, void *load_sp);
void *floor_make(void *stack_top, void (*entry)(void *), void *arg);
#else
#include <ucontext.h>
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FLOOR_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define FLOOR_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(FLOOR_ASAN)
#define FLOOR_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(FLOOR_TSAN)
#define FLOOR_TSAN 1
#endif
#ifdef FLOOR_ASAN
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef FLOOR_TSAN
#include <sanitizer/tsan_interface.h>
#endif

#define FLOOR_STACK (64 * 1024)

struct two_contexts {
#ifdef FLOOR_ASM_SWITCH
	void *main_sp, *coro_sp;
#else
	ucontext_t main_uc, coro_uc;
#endif
	void *stack;
	void *main_fiber, *coro_fiber; /* TSan */
	const void *main_stack_lo;     /* ASan: learnt on the first switch */
	size_t main_stack_size;
	void *fake; /* ASan fake stack of the side switching away */
};

/* Switch from one side to the other (coro = 1: main -> coroutine). */
static inline void switch_to(struct two_contexts *c, int coro)
{
#ifdef FLOOR_ASAN
	void *fake = NULL;
	if (coro)
		__sanitizer_start_switch_fiber(&fake, c->stack, FLOOR_STACK);
	else
		__sanitizer_start_switch_fiber(&fake, c->main_stack_lo, c->main_stack_size);
#endif
#ifdef FLOOR_TSAN
	__tsan_switch_to_fiber(coro ? c->coro_fiber : c->main_fiber, 0);
#endif
#ifdef FLOOR_ASM_SWITCH
	if (coro)
		floor_switch(&c->main_sp, c->coro_sp);
	else
		floor_switch(&c->coro_sp, c->main_sp);
#else
	if (coro)
		swapcontext(&c->main_uc, &c->coro_uc);
	else
		swapcontext(&c->coro_uc, &c->main_uc);
#endif
#ifdef FLOOR_ASAN
	const void *lo;
	size_t size;
	__sanitizer_finish_switch_fiber(fake, &lo, &size);
	if (coro && !c->main_stack_lo) {
		c->main_stack_lo = lo;
		c->main_stack_size = size;
	}
#endif
}

static void coro_body(void *arg)
{
	struct two_contexts *c = arg;
#ifdef FLOOR_ASAN
	const void *lo;
	size_t size;
	__sanitizer_finish_switch_fiber(NULL, &lo, &size);
	c->main_stack_lo = lo;
	c->main_stack_size = size;
#endif
	for (;;)
		switch_to(c, 0);
}

#ifndef FLOOR_ASM_SWITCH
static struct two_contexts *ucontext_arg; /* makecontext passes ints only */
static void coro_body_ucontext(void) { coro_body(ucontext_arg); }
#endif

const char *floor_coro_switch_impl(void)
{
#if defined(FLOOR_ASM_SWITCH) && defined(__x86_64__)
	return "x86-64 asm, 6 registers, pop+jmp";
#elif defined(FLOOR_ASM_SWITCH)
	return "aarch64 asm, x19-x30 d8-d15, br";
#else
	return "ucontext swapcontext";
#endif
}

int floor_coro_switch(void *unused, uint64_t ops, int64_t *elapsed_ns, struct err *e)
{
	(void)unused;
	struct two_contexts c;
	memset(&c, 0, sizeof c);
	c.stack = mmap(NULL, FLOOR_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c.stack == MAP_FAILED)
		return err_set(e, "coroutine switch: stack: %s", strerror(errno));
#ifdef FLOOR_TSAN
	c.main_fiber = __tsan_get_current_fiber();
	c.coro_fiber = __tsan_create_fiber(0);
#endif
#ifdef FLOOR_ASM_SWITCH
	c.coro_sp = floor_make((char *)c.stack + FLOOR_STACK, coro_body, &c);
#else
	getcontext(&c.coro_uc);
	c.coro_uc.uc_stack.ss_sp = c.stack;
	c.coro_uc.uc_stack.ss_size = FLOOR_STACK;
	c.coro_uc.uc_link = NULL;
	ucontext_arg = &c;
	makecontext(&c.coro_uc, coro_body_ucontext, 0);
#endif
	switch_to(&c, 1); /* the first entry is not timed */
	uint64_t pairs = ops / 2 ? ops / 2 : 1;
	int64_t start = clock_now_ns();
	for (uint64_t i = 0; i < pairs; i++)
		switch_to(&c, 1);
	int64_t elapsed = clock_now_ns() - start;
	*elapsed_ns = (int64_t)((double)elapsed * (double)ops / (double)(2 * pairs));
#ifdef FLOOR_TSAN
	__tsan_destroy_fiber(c.coro_fiber);
#endif
	munmap(c.stack, FLOOR_STACK); /* the coroutine is suspended forever: nothing runs on it */
	return 0;
}
