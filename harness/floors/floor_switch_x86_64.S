/* floor_switch_x86_64.S — the cheapest correct two-context switch on
 * x86-64 System V, for the coroutine-switch floor: push the six
 * callee-saved registers, swap stack pointers, pop them, and leave with
 * pop + indirect jmp instead of ret. Between two contexts that switch to
 * each other a ret would return to the other context's call site, which
 * the return-stack predictor never expects, so it misses on every switch;
 * the indirect jump is predicted from its own history and hits. MXCSR and
 * the x87 control word are not saved: both contexts share them (a model's
 * full-ABI switch must save them, see models/coro). */
#if defined(__x86_64__) && !defined(CMBENCH_CORO_UCONTEXT)

	.text

/* void floor_switch(void **save_sp, void *load_sp) */
	.globl	floor_switch
	.type	floor_switch, @function
	.p2align 4
floor_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popq	%rcx
	jmpq	*%rcx
	.size	floor_switch, .-floor_switch

/* A new context starts here with r13 = entry, r12 = arg; entry never returns. */
	.type	floor_trampoline, @function
	.p2align 4
floor_trampoline:
	.cfi_startproc
	.cfi_undefined rip
	movq	%r12, %rdi
	callq	*%r13
	ud2
	.cfi_endproc
	.size	floor_trampoline, .-floor_trampoline

/* void *floor_make(void *stack_top, void (*entry)(void *), void *arg):
 * the stack pointer of a suspended context that starts entry(arg), with
 * rsp 16-byte aligned when the trampoline's call pushes its return address. */
	.globl	floor_make
	.type	floor_make, @function
	.p2align 4
floor_make:
	andq	$-16, %rdi
	leaq	-72(%rdi), %rax
	movq	$0, 0(%rax)      /* r15 */
	movq	$0, 8(%rax)      /* r14 */
	movq	%rsi, 16(%rax)   /* r13 = entry */
	movq	%rdx, 24(%rax)   /* r12 = arg */
	movq	$0, 32(%rax)     /* rbx */
	movq	$0, 40(%rax)     /* rbp */
	leaq	floor_trampoline(%rip), %rcx
	movq	%rcx, 48(%rax)
	movq	$0, 56(%rax)
	movq	$0, 64(%rax)
	ret
	.size	floor_make, .-floor_make

#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack, "", %progbits
#endif
