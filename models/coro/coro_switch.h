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

/* The backends: assembly (coro_switch_<arch>.S, and inline below on
 * x86-64) and ucontext (coro_ucontext.c). */
#if CORO_HAVE_ASM
void *coro_make_full(void *stack_top, coro_entry_fn entry, void *arg);
void *coro_make_minimal(void *stack_top, coro_entry_fn entry, void *arg);
#if defined(__aarch64__)
void coro_switch_full(void **save_sp, void *load_sp);
void coro_switch_minimal(void **save_sp, void *load_sp);
#endif
#endif
int coro_ucontext_make(struct coro_ctx *ctx, void *lo, size_t size, coro_entry_fn entry, void *arg);
int coro_ucontext_init_current(struct coro_ctx *ctx);
void coro_ucontext_switch(struct coro_ctx *from, struct coro_ctx *to);

#if CORO_HAVE_ASM && defined(__x86_64__)
/* The x86-64 switch is inline assembly, entered without a call and left
 * with pop + indirect jmp. A switch that is a called function ending in ret
 * returns to another context's call site: the return-stack predictor
 * expects the caller's own, so it misses unless both contexts switched from
 * the same instruction, and a switch ending in jmp after a call leaves the
 * return stack one entry deep, so every later ret misses. Here nothing is
 * pushed on the return stack and nothing popped from it; the jmp is
 * predicted from its own history, and the rets that follow in the resumed
 * context find the entries its own calls pushed. The frame is the one
 * coro_make_* builds (coro_switch_x86_64.S): from sp up, [MXCSR, x87 control
 * word] (full only), r15, r14, r13, r12, rbx, rbp, resume address.
 * The 128-byte red zone below the caller's sp is stepped over first. The
 * compiler sees a call: every caller-saved register is clobbered. */
#define CORO_X86_CLOBBERS                                                                           \
	"rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc", "xmm0", "xmm1", "xmm2", "xmm3", \
	    "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",      \
	    "xmm14", "xmm15", "st", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)",            \
	    "st(7)" CORO_X86_CLOBBERS_AVX512
#ifdef __AVX512F__
#define CORO_X86_CLOBBERS_AVX512                                                                   \
	, "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25",   \
	    "xmm26", "xmm27", "xmm28", "xmm29", "xmm30", "xmm31", "k1", "k2", "k3", "k4", "k5", "k6", \
	    "k7"
#else
#define CORO_X86_CLOBBERS_AVX512
#endif
#define CORO_X86_SAVE                                                                              \
	"leaq	-128(%%rsp), %%rsp\n\t"                                                              \
	"leaq	1f(%%rip), %%rax\n\t"                                                                \
	"pushq	%%rax\n\t"                                                                           \
	"pushq	%%rbp\n\tpushq	%%rbx\n\tpushq	%%r12\n\tpushq	%%r13\n\tpushq	%%r14\n\tpushq	%%r15\n\t"
#define CORO_X86_RESUME                                                                            \
	"popq	%%r15\n\tpopq	%%r14\n\tpopq	%%r13\n\tpopq	%%r12\n\tpopq	%%rbx\n\tpopq	%%rbp\n\t"    \
	"popq	%%rcx\n\t"                                                                           \
	"jmpq	*%%rcx\n"                                                                             \
	"1:\tleaq	128(%%rsp), %%rsp\n\t"

/* Full: also the control bits of MXCSR and the x87 control word, which the
 * ABI makes callee-saved. They are loaded only when they differ from the
 * leaving context's (ldmxcsr and fldcw cost more than the compare; a new
 * context inherits its creator's, so they rarely differ). Each is read back
 * for the compare with a load of its own size, which the store buffer
 * forwards; the one 8-byte load over both (and a 2-byte zero) that this
 * switch used to make spans three stores, cannot be forwarded, and waited
 * on every switch for the stores to reach the cache. */
static inline __attribute__((always_inline)) void coro_switch_full(void **save_sp, void *load_sp)
{
	__asm__ volatile(CORO_X86_SAVE
			 "subq	$8, %%rsp\n\t"
			 "stmxcsr	(%%rsp)\n\t"
			 "fnstcw	4(%%rsp)\n\t"
			 "movl	(%%rsp), %%ecx\n\t"
			 "movzwl	4(%%rsp), %%edx\n\t"
			 "movq	%%rsp, (%0)\n\t"
			 "movq	%1, %%rsp\n\t"
			 "cmpl	(%%rsp), %%ecx\n\t"
			 "jne	3f\n\t"
			 "cmpw	4(%%rsp), %%dx\n\t"
			 "je	2f\n"
			 "3:\tldmxcsr	(%%rsp)\n\t"
			 "fldcw	4(%%rsp)\n"
			 "2:\taddq	$8, %%rsp\n\t" CORO_X86_RESUME
			 : "+D"(save_sp), "+S"(load_sp)
			 :
			 : CORO_X86_CLOBBERS);
}

/* Minimal: the callee-saved registers only (for measuring what the FP
 * control state costs). */
static inline __attribute__((always_inline)) void coro_switch_minimal(void **save_sp, void *load_sp)
{
	__asm__ volatile(CORO_X86_SAVE
			 "movq	%%rsp, (%0)\n\t"
			 "movq	%1, %%rsp\n\t" CORO_X86_RESUME
			 : "+D"(save_sp), "+S"(load_sp)
			 :
			 : CORO_X86_CLOBBERS);
}
#endif

/* Save the running context into `from` and resume `to`; returns when
 * something switches back to `from`. */
static inline __attribute__((always_inline)) void coro_ctx_switch(enum coro_switch_kind kind,
								  struct coro_ctx *from,
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
