/* coro_switch.h — save one execution context, resume another.
 *
 * Three ways to switch, chosen per run (`--param context=`; `switch` is the gil model's):
 *  - full:     hand-written assembly (coro_switch_<arch>.S) that saves exactly
 *              what the ABI says survives a call: callee-saved registers, the
 *              stack pointer, and the floating-point control state (MXCSR and
 *              the x87 control word on x86-64, FPCR on AArch64), as
 *              boost.context and minicoro do;
 *  - minimal:  the same without the floating-point control state — only for
 *              measuring what that state costs; a task that changes its
 *              rounding mode would leak it into the others;
 *  - ucontext: getcontext/makecontext/swapcontext, the portable fallback
 *              (saves everything and makes a sigprocmask system call per switch).
 * The assembly exists on x86-64 and AArch64 unless the build asks for
 * ucontext only (cmake -DCMBENCH_CORO_UCONTEXT=ON); elsewhere only ucontext
 * is built. */
#pragma once
#include <stddef.h>

#if !defined(CMBENCH_CORO_UCONTEXT) && (defined(__x86_64__) || defined(__aarch64__))
#define CORO_HAVE_ASM 1
#define CORO_SWITCH_CHOICES "full|minimal|ucontext"
#define CORO_SWITCH_DEFAULT "full"
#else
#define CORO_HAVE_ASM 0
#define CORO_SWITCH_CHOICES "ucontext"
#define CORO_SWITCH_DEFAULT "ucontext"
#endif

enum coro_switch_kind { CORO_SWITCH_FULL, CORO_SWITCH_MINIMAL, CORO_SWITCH_UCONTEXT };

/* One saved context. The assembly keeps everything on the context's own
 * stack and only the stack pointer here; ucontext needs a ucontext_t. */
struct coro_ctx {
	void *sp;
	void *uc; /* ucontext_t *, only for CORO_SWITCH_UCONTEXT */
};

typedef void (*coro_entry_fn)(void *arg);

/* Parse a `switch` parameter value; -1 if unknown or not built. */
int coro_switch_kind_parse(const char *text);

/* Make `ctx` start entry(arg) on the stack [lo, lo + size) when first
 * switched to. The new context's floating-point control state is the
 * caller's. entry must never return. 0, or -1 if out of memory. */
int coro_ctx_make(struct coro_ctx *ctx, enum coro_switch_kind kind, void *lo, size_t size,
		  coro_entry_fn entry, void *arg);

/* Prepare a context that will only be switched away from (the scheduler's
 * own thread context). 0, or -1 if out of memory. */
int coro_ctx_init_current(struct coro_ctx *ctx, enum coro_switch_kind kind);

void coro_ctx_release(struct coro_ctx *ctx);

/* The backends: assembly (coro_switch_<arch>.S) and ucontext (coro_ucontext.c). */
#if CORO_HAVE_ASM
void coro_switch_full(void **save_sp, void *load_sp);
void coro_switch_minimal(void **save_sp, void *load_sp);
void *coro_make_full(void *stack_top, coro_entry_fn entry, void *arg);
void *coro_make_minimal(void *stack_top, coro_entry_fn entry, void *arg);
#endif
int coro_ucontext_make(struct coro_ctx *ctx, void *lo, size_t size, coro_entry_fn entry, void *arg);
int coro_ucontext_init_current(struct coro_ctx *ctx);
void coro_ucontext_switch(struct coro_ctx *from, struct coro_ctx *to);

/* Save the running context into `from` and resume `to`; returns when
 * something switches back to `from`. */
static inline void coro_ctx_switch(enum coro_switch_kind kind, struct coro_ctx *from,
				   struct coro_ctx *to)
{
#if CORO_HAVE_ASM
	if (kind == CORO_SWITCH_FULL) {
		coro_switch_full(&from->sp, to->sp);
		return;
	}
	if (kind == CORO_SWITCH_MINIMAL) {
		coro_switch_minimal(&from->sp, to->sp);
		return;
	}
#endif
	(void)kind;
	coro_ucontext_switch(from, to);
}
