/* test_coro_switch.c — the context switch keeps what the ABI says survives
 * a call, for every switch this build has:
 *  - callee-saved registers: an assembly helper loads a known pattern into
 *    every callee-saved register, switches to the other context (which
 *    loads its own pattern the same way), and stores the registers when
 *    control comes back; each side must find its own pattern;
 *  - floating-point control state (full and ucontext switches): a new
 *    context starts with its creator's rounding mode; a rounding mode set
 *    in one context does not leak into the other and survives switches;
 *    on x86-64 MXCSR and the x87 control word are checked separately. */
#include <fenv.h>
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "coro_sanitize.h"
#include "coro_switch.h"

#if defined(__x86_64__)
#define NREGS 6 /* rbx rbp r12 r13 r14 r15 */
/* void load_regs_and_call(void (*fn)(void *), void *arg, uint64_t seed, uint64_t *out):
 * callee-saved register i = seed + i; call fn(arg); out[i] = register i. */
__asm__(".text\n"
	".type load_regs_and_call, @function\n"
	"load_regs_and_call:\n"
	"	pushq %rbx\n	pushq %rbp\n	pushq %r12\n	pushq %r13\n	pushq %r14\n	pushq %r15\n"
	"	pushq %rcx\n" /* out; 7 pushes keep the call 16-byte aligned */
	"	movq %rdx, %rbx\n"
	"	leaq 1(%rdx), %rbp\n	leaq 2(%rdx), %r12\n	leaq 3(%rdx), %r13\n"
	"	leaq 4(%rdx), %r14\n	leaq 5(%rdx), %r15\n"
	"	movq %rdi, %rax\n	movq %rsi, %rdi\n	callq *%rax\n"
	"	popq %rcx\n"
	"	movq %rbx, 0(%rcx)\n	movq %rbp, 8(%rcx)\n	movq %r12, 16(%rcx)\n"
	"	movq %r13, 24(%rcx)\n	movq %r14, 32(%rcx)\n	movq %r15, 40(%rcx)\n"
	"	popq %r15\n	popq %r14\n	popq %r13\n	popq %r12\n	popq %rbp\n	popq %rbx\n"
	"	ret\n"
	".size load_regs_and_call, .-load_regs_and_call\n");
#elif defined(__aarch64__)
#define NREGS 18 /* x19-x28, d8-d15 */
__asm__(".text\n"
	".type load_regs_and_call, %function\n"
	"load_regs_and_call:\n"
	"	stp x29, x30, [sp, #-176]!\n"
	"	stp x19, x20, [sp, #16]\n	stp x21, x22, [sp, #32]\n	stp x23, x24, [sp, #48]\n"
	"	stp x25, x26, [sp, #64]\n	stp x27, x28, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n	stp d10, d11, [sp, #112]\n	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n	str x3, [sp, #160]\n"
	"	add x19, x2, #0\n	add x20, x2, #1\n	add x21, x2, #2\n	add x22, x2, #3\n"
	"	add x23, x2, #4\n	add x24, x2, #5\n	add x25, x2, #6\n	add x26, x2, #7\n"
	"	add x27, x2, #8\n	add x28, x2, #9\n"
	"	add x9, x2, #10\n	fmov d8, x9\n	add x9, x2, #11\n	fmov d9, x9\n"
	"	add x9, x2, #12\n	fmov d10, x9\n	add x9, x2, #13\n	fmov d11, x9\n"
	"	add x9, x2, #14\n	fmov d12, x9\n	add x9, x2, #15\n	fmov d13, x9\n"
	"	add x9, x2, #16\n	fmov d14, x9\n	add x9, x2, #17\n	fmov d15, x9\n"
	"	mov x9, x0\n	mov x0, x1\n	blr x9\n"
	"	ldr x3, [sp, #160]\n"
	"	stp x19, x20, [x3, #0]\n	stp x21, x22, [x3, #16]\n	stp x23, x24, [x3, #32]\n"
	"	stp x25, x26, [x3, #48]\n	stp x27, x28, [x3, #64]\n"
	"	stp d8, d9, [x3, #80]\n	stp d10, d11, [x3, #96]\n	stp d12, d13, [x3, #112]\n"
	"	stp d14, d15, [x3, #128]\n"
	"	ldp x19, x20, [sp, #16]\n	ldp x21, x22, [sp, #32]\n	ldp x23, x24, [sp, #48]\n"
	"	ldp x25, x26, [sp, #64]\n	ldp x27, x28, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n	ldp d10, d11, [sp, #112]\n	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	ldp x29, x30, [sp], #176\n"
	"	ret\n"
	".size load_regs_and_call, .-load_regs_and_call\n");
#endif

#ifdef NREGS
void load_regs_and_call(void (*fn)(void *), void *arg, uint64_t seed, uint64_t *out);
#endif

#define SEED_MAIN 0x1111000000000000ull
#define SEED_CORO 0x2222000000000000ull

static enum coro_switch_kind kind;
static struct coro_ctx main_ctx, coro_ctx;
static struct coro_san main_san, coro_san;
static char coro_stack[256 * 1024] __attribute__((aligned(64)));

/* Switch between the two contexts, telling the sanitizers. */
static void switch_between(struct coro_ctx *from, struct coro_ctx *to, struct coro_san *to_san)
{
	void *fake_stack = NULL;
	coro_san_start(&fake_stack, to_san);
	coro_ctx_switch(kind, from, to);
	coro_san_finish(fake_stack, to_san);
}
static void to_coro(void *unused) { (void)unused; switch_between(&main_ctx, &coro_ctx, &coro_san); }
static void to_main(void *unused) { (void)unused; switch_between(&coro_ctx, &main_ctx, &main_san); }

static void start_coro(coro_entry_fn body)
{
	CHECK(coro_ctx_init_current(&main_ctx, kind) == 0, "init_current");
	CHECK(coro_ctx_make(&coro_ctx, kind, coro_stack, sizeof coro_stack, body, NULL) == 0, "make");
	coro_san_init_thread(&main_san);
	coro_san_init_coro(&coro_san, coro_stack, sizeof coro_stack);
}

static void end_coro(void)
{
	coro_ctx_release(&main_ctx);
	coro_ctx_release(&coro_ctx);
	coro_san_release(&coro_san);
}

/* A coroutine body's last act: leave for good. */
static void leave_for_good(void)
{
	coro_san_start(NULL, &main_san);
	coro_ctx_switch(kind, &coro_ctx, &main_ctx);
	abort();
}

#ifdef NREGS
static uint64_t main_regs[NREGS], coro_regs[NREGS];

static void regs_body(void *unused)
{
	(void)unused;
	coro_san_finish(NULL, &main_san);
	load_regs_and_call(to_main, NULL, SEED_CORO, coro_regs);
	leave_for_good();
}

static void test_callee_saved(const char *name)
{
	start_coro(regs_body);
	/* main loads its pattern and switches; the coroutine loads its own and
	 * switches back; main stores what it finds. Then the coroutine is
	 * resumed to store what it finds. */
	load_regs_and_call(to_coro, NULL, SEED_MAIN, main_regs);
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	for (int i = 0; i < NREGS; i++) {
		CHECK(main_regs[i] == SEED_MAIN + (uint64_t)i, "%s: main's register %d = %#llx", name,
		      i, (unsigned long long)main_regs[i]);
		CHECK(coro_regs[i] == SEED_CORO + (uint64_t)i, "%s: coroutine's register %d = %#llx",
		      name, i, (unsigned long long)coro_regs[i]);
	}
	end_coro();
}
#endif

static volatile int coro_round_at_start, coro_round_after_switch;
#if defined(__x86_64__)
static unsigned get_mxcsr(void) { return __builtin_ia32_stmxcsr(); }
static void set_mxcsr(unsigned v) { __builtin_ia32_ldmxcsr(v); }
static unsigned short get_x87cw(void)
{
	unsigned short cw;
	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}
static void set_x87cw(unsigned short cw) { __asm__ volatile("fldcw %0" : : "m"(cw)); }
#define MXCSR_RC_MASK 0x6000u
#define X87_PC_MASK 0x0300u
static volatile unsigned coro_mxcsr_after;
static volatile unsigned short coro_x87_after;
#endif

static void fp_body(void *unused)
{
	(void)unused;
	coro_san_finish(NULL, &main_san);
	coro_round_at_start = fegetround();
	fesetround(FE_TOWARDZERO);
	to_main(NULL);
	coro_round_after_switch = fegetround();
#if defined(__x86_64__)
	/* Now each register on its own: MXCSR rounding up, x87 precision 24 bits. */
	set_mxcsr((get_mxcsr() & ~MXCSR_RC_MASK) | 0x4000u);
	set_x87cw((unsigned short)(get_x87cw() & ~X87_PC_MASK));
	to_main(NULL);
	coro_mxcsr_after = get_mxcsr();
	coro_x87_after = get_x87cw();
#endif
	leave_for_good();
}

static void test_fp_control(const char *name)
{
	fesetround(FE_UPWARD); /* the creator's mode when the coroutine is made */
	start_coro(fp_body);
	fesetround(FE_TONEAREST);
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	CHECK(coro_round_at_start == FE_UPWARD, "%s: a new coroutine starts in rounding mode %d, "
		"its creator's was %d", name, coro_round_at_start, FE_UPWARD);
	CHECK(fegetround() == FE_TONEAREST, "%s: the coroutine's rounding mode leaked into main "
		"(%d)", name, fegetround());
	fesetround(FE_DOWNWARD);
#if defined(__x86_64__)
	unsigned mxcsr = get_mxcsr();
	unsigned short x87 = get_x87cw();
#endif
	/* The coroutine checks its mode, then changes MXCSR and the x87 control
	 * word separately and switches back. */
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	CHECK(coro_round_after_switch == FE_TOWARDZERO, "%s: the coroutine's rounding mode did "
		"not survive a switch (%d)", name, coro_round_after_switch);
	CHECK(fegetround() == FE_DOWNWARD, "%s: main's rounding mode did not survive (%d)", name,
	      fegetround());
#if defined(__x86_64__)
	CHECK(get_mxcsr() == mxcsr, "%s: main's MXCSR %#x became %#x", name, mxcsr, get_mxcsr());
	CHECK(get_x87cw() == x87, "%s: main's x87 control word %#x became %#x", name, x87,
	      get_x87cw());
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	CHECK((coro_mxcsr_after & MXCSR_RC_MASK) == 0x4000u, "%s: the coroutine's MXCSR %#x",
	      name, coro_mxcsr_after);
	CHECK((coro_x87_after & X87_PC_MASK) == 0, "%s: the coroutine's x87 control word %#x",
	      name, coro_x87_after);
#endif
	fesetround(FE_TONEAREST);
	end_coro();
}

#if defined(__x86_64__)
/* Each half of the FP control state on its own: the full switch compares
 * MXCSR and the x87 control word separately (a load of each one's size) and
 * loads both when either differs; a context whose x87 control word alone
 * differs (or MXCSR alone) must still get its own back. */
static volatile unsigned short halves_coro_x87;
static volatile unsigned halves_coro_mxcsr;

static void halves_body(void *unused)
{
	(void)unused;
	coro_san_finish(NULL, &main_san);
	unsigned short x87 = get_x87cw();
	set_x87cw((unsigned short)(x87 & ~X87_PC_MASK)); /* 24-bit precision, MXCSR as main's */
	to_main(NULL);
	halves_coro_x87 = get_x87cw();
	set_x87cw(x87);
	set_mxcsr((get_mxcsr() & ~MXCSR_RC_MASK) | 0x2000u); /* round down, x87 as main's */
	to_main(NULL);
	halves_coro_mxcsr = get_mxcsr();
	leave_for_good();
}

static void test_fp_halves(const char *name)
{
	unsigned mxcsr = get_mxcsr();
	unsigned short x87 = get_x87cw();
	start_coro(halves_body);
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	CHECK(get_x87cw() == x87, "%s: only the x87 control word differed, and main's %#x became "
	      "%#x", name, x87, get_x87cw());
	CHECK(get_mxcsr() == mxcsr, "%s: main's MXCSR %#x became %#x", name, mxcsr, get_mxcsr());
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	CHECK(halves_coro_x87 == (unsigned short)(x87 & ~X87_PC_MASK), "%s: the coroutine's x87 "
	      "control word came back as %#x", name, halves_coro_x87);
	CHECK(get_mxcsr() == mxcsr, "%s: only MXCSR differed, and main's %#x became %#x", name,
	      mxcsr, get_mxcsr());
	CHECK(get_x87cw() == x87, "%s: main's x87 control word %#x became %#x", name, x87,
	      get_x87cw());
	switch_between(&main_ctx, &coro_ctx, &coro_san);
	CHECK((halves_coro_mxcsr & MXCSR_RC_MASK) == 0x2000u, "%s: the coroutine's MXCSR came "
	      "back as %#x", name, halves_coro_mxcsr);
	end_coro();
}
#endif

int main(void)
{
	static const char *const names[] = {"full", "minimal", "ucontext"};
	int tested = 0;
	for (int k = CORO_SWITCH_FULL; k <= CORO_SWITCH_UCONTEXT; k++) {
		if (coro_switch_kind_parse(names[k]) != k)
			continue; /* not built in */
		kind = (enum coro_switch_kind)k;
		tested++;
#ifdef NREGS
		test_callee_saved(names[k]);
#endif
		/* The minimal switch leaves the FP control state alone on purpose. */
		if (kind != CORO_SWITCH_MINIMAL) {
			test_fp_control(names[k]);
#if defined(__x86_64__)
			test_fp_halves(names[k]);
#endif
		}
		printf("context=%s checked\n", names[k]);
	}
	CHECK(tested >= 1, "no context switch is built in");
#if CORO_HAVE_ASM
	CHECK(tested == 3, "only %d of 3 switches built", tested);
#endif
	return check_report("coro_switch");
}
