/* coro_ucontext.c — the portable context switch: getcontext, makecontext,
 * swapcontext. It saves the whole register file and the signal mask (a
 * sigprocmask system call on every switch), which is why the assembly
 * switch exists; it is what runs on architectures without one, or when the
 * build asks for it (cmake -DCMBENCH_CORO_UCONTEXT=ON). */
#include <stdint.h>
#include <stdlib.h>
#include <ucontext.h>
#include "coro_switch.h"

/* makecontext passes only int arguments, so pointers travel in halves. */
static void ucontext_start(unsigned entry_hi, unsigned entry_lo, unsigned arg_hi, unsigned arg_lo)
{
	uintptr_t entry = ((uintptr_t)entry_hi << 16 << 16) | entry_lo;
	uintptr_t arg = ((uintptr_t)arg_hi << 16 << 16) | arg_lo;
	((coro_entry_fn)entry)((void *)arg);
	abort(); /* an entry function must switch away for good, never return */
}

int coro_ucontext_make(struct coro_ctx *ctx, void *lo, size_t size, coro_entry_fn entry, void *arg)
{
	ucontext_t *uc = calloc(1, sizeof *uc);
	if (!uc)
		return -1;
	/* getcontext captures the caller's floating-point environment, so the
	 * new context starts with its creator's rounding mode and masks. */
	if (getcontext(uc) != 0) {
		free(uc);
		return -1;
	}
	uc->uc_stack.ss_sp = lo;
	uc->uc_stack.ss_size = size;
	uc->uc_link = NULL;
	uintptr_t e = (uintptr_t)entry, a = (uintptr_t)arg;
	makecontext(uc, (void (*)(void))ucontext_start, 4, (unsigned)(e >> 16 >> 16),
		    (unsigned)(e & 0xffffffffu), (unsigned)(a >> 16 >> 16), (unsigned)(a & 0xffffffffu));
	ctx->uc = uc;
	return 0;
}

int coro_ucontext_init_current(struct coro_ctx *ctx)
{
	ctx->uc = calloc(1, sizeof(ucontext_t));
	return ctx->uc ? 0 : -1;
}

void coro_ucontext_switch(struct coro_ctx *from, struct coro_ctx *to)
{
	swapcontext(from->uc, to->uc);
}
