/* coro_guard.c — a stack overflow into a guard page becomes a clear report.
 *
 * Without this, overflowing a 64K coroutine stack is a bare "Segmentation
 * fault" (or, without guard pages, silent corruption of the neighbouring
 * stack). The handler runs on an alternate signal stack, since the faulting
 * stack is exhausted, and uses only async-signal-safe calls. Frames larger
 * than the guard page could jump over it: the build compiles with
 * -fstack-clash-protection where the compiler has it, so every page of a
 * large frame is probed in order. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "coro_stack.h"

#define ALT_STACK_SIZE (64 * 1024)

static struct {
	int armed;
	uintptr_t base, end, stride, guard;
	char message[160];
	size_t message_len;
	struct sigaction previous;
	stack_t previous_alt;
	void *alt;
} guard_state;

static void on_segv(int sig, siginfo_t *info, void *ucontext)
{
	(void)sig;
	(void)ucontext;
	uintptr_t a = (uintptr_t)info->si_addr;
	if (a >= guard_state.base && a < guard_state.end &&
	    (a - guard_state.base) % guard_state.stride < guard_state.guard) {
		ssize_t r = write(STDERR_FILENO, guard_state.message, guard_state.message_len);
		(void)r;
		_exit(128 + SIGSEGV);
	}
	/* Not ours: give the fault back to whoever handled SIGSEGV before
	 * (the default action, or a sanitizer); it recurs on return. */
	sigaction(SIGSEGV, &guard_state.previous, NULL);
}

int coro_guard_arm(const struct coro_stacks *s, const char *size_text, struct err *e)
{
	if (guard_state.armed)
		return err_set(e, "coroutine stack guard: already armed");
	guard_state.base = (uintptr_t)s->base;
	guard_state.end = guard_state.base + s->stride * (size_t)s->count;
	guard_state.stride = s->stride;
	guard_state.guard = s->guard;
	int n = snprintf(guard_state.message, sizeof guard_state.message,
			 "cmbench: coroutine stack overflow (stack=%s); raise --param stack\n",
			 size_text);
	guard_state.message_len = n < 0 ? 0 : (size_t)n < sizeof guard_state.message ? (size_t)n
										 : sizeof guard_state.message - 1;

	guard_state.alt = malloc(ALT_STACK_SIZE);
	if (!guard_state.alt)
		return err_set(e, "coroutine stack guard: out of memory for the signal stack");
	stack_t alt = {.ss_sp = guard_state.alt, .ss_size = ALT_STACK_SIZE, .ss_flags = 0};
	if (sigaltstack(&alt, &guard_state.previous_alt) != 0) {
		int saved = errno;
		free(guard_state.alt);
		return err_set(e, "coroutine stack guard: sigaltstack: %s", strerror(saved));
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &guard_state.previous) != 0) {
		int saved = errno;
		sigaltstack(&guard_state.previous_alt, NULL);
		free(guard_state.alt);
		return err_set(e, "coroutine stack guard: sigaction: %s", strerror(saved));
	}
	guard_state.armed = 1;
	return 0;
}

void coro_guard_disarm(void)
{
	if (!guard_state.armed)
		return;
	sigaction(SIGSEGV, &guard_state.previous, NULL);
	/* A previous alternate stack that was disabled is restored as such. */
	sigaltstack(&guard_state.previous_alt, NULL);
	free(guard_state.alt);
	guard_state.alt = NULL;
	guard_state.armed = 0;
}

void *coro_guard_thread_begin(struct err *e)
{
	void *alt = malloc(ALT_STACK_SIZE);
	if (!alt) {
		err_set(e, "coroutine stack guard: out of memory for a signal stack");
		return NULL;
	}
	stack_t ss = {.ss_sp = alt, .ss_size = ALT_STACK_SIZE, .ss_flags = 0};
	if (sigaltstack(&ss, NULL) != 0) {
		err_set(e, "coroutine stack guard: sigaltstack: %s", strerror(errno));
		free(alt);
		return NULL;
	}
	return alt;
}

void coro_guard_thread_end(void *alt)
{
	stack_t off = {.ss_flags = SS_DISABLE};
	sigaltstack(&off, NULL);
	free(alt);
}
