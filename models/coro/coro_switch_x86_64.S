/* coro_switch_x86_64.S — the initial frame of a new context on x86-64
 * System V (the switch itself is inline assembly in coro_switch.h, entered
 * without a call so that the return-stack predictor stays in step).
 *
 * A context is its stack pointer; everything else is pushed on its own stack:
 * what the ABI says a callee must preserve — rbx, rbp, r12-r15, rsp — and, in
 * the full switch, the control bits of MXCSR and the x87 control word
 * (rounding mode, exception masks), which the ABI also makes callee-saved.
 * Layout of a suspended full context, from its sp up:
 *
 *   sp+0  MXCSR (4 bytes), sp+4 x87 control word (2 bytes), 2 bytes unused
 *   sp+8  r15, r14, r13, r12, rbx, rbp, resume address
 *
 * The minimal switch has the same layout without the first 8 bytes.
 * A new context is built with r13 = entry and r12 = arg and resumes at
 * coro_trampoline, which calls entry(arg) on a 16-byte aligned stack. */
#if defined(__x86_64__) && !defined(CMBENCH_CORO_UCONTEXT)

	.text

/* First code of every new context: entry(arg) must never return. The
 * unwinder is told there is no caller, so backtraces stop here. */
	.type	coro_trampoline, @function
	.p2align 4
coro_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.cfi_endproc
	.size	coro_trampoline, .-coro_trampoline

/* void *coro_make_full(void *stack_top, coro_entry_fn entry, void *arg)
 * Returns the stack pointer of a suspended context that starts entry(arg).
 * After the switch's final jmp, rsp = top - 16 (16-byte aligned), so the
 * trampoline's call leaves entry with the alignment the ABI promises. */
	.globl	coro_make_full
	.type	coro_make_full, @function
	.p2align 4
coro_make_full:
	andq	$-16, %rdi
	leaq	-80(%rdi), %rax
	stmxcsr	(%rax)           /* the creator's FP control state */
	fnstcw	4(%rax)
	movw	$0, 6(%rax)
	movq	$0, 8(%rax)      /* r15 */
	movq	$0, 16(%rax)     /* r14 */
	movq	%rsi, 24(%rax)   /* r13 = entry */
	movq	%rdx, 32(%rax)   /* r12 = arg */
	movq	$0, 40(%rax)     /* rbx */
	movq	$0, 48(%rax)     /* rbp = 0 ends frame-pointer walks */
	leaq	coro_trampoline(%rip), %rcx
	movq	%rcx, 56(%rax)
	movq	$0, 64(%rax)
	movq	$0, 72(%rax)
	ret
	.size	coro_make_full, .-coro_make_full

/* void *coro_make_minimal(void *stack_top, coro_entry_fn entry, void *arg) */
	.globl	coro_make_minimal
	.type	coro_make_minimal, @function
	.p2align 4
coro_make_minimal:
	andq	$-16, %rdi
	leaq	-72(%rdi), %rax
	movq	$0, 0(%rax)      /* r15 */
	movq	$0, 8(%rax)      /* r14 */
	movq	%rsi, 16(%rax)   /* r13 = entry */
	movq	%rdx, 24(%rax)   /* r12 = arg */
	movq	$0, 32(%rax)     /* rbx */
	movq	$0, 40(%rax)     /* rbp */
	leaq	coro_trampoline(%rip), %rcx
	movq	%rcx, 48(%rax)
	movq	$0, 56(%rax)
	movq	$0, 64(%rax)
	ret
	.size	coro_make_minimal, .-coro_make_minimal

#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack, "", %progbits
#endif
