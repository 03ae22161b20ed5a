/* coro_switch_aarch64.S — the context switch for AArch64 (AAPCS64).
 *
 * A context is its stack pointer; everything else is stored on its own
 * stack. Saved: the callee-saved registers x19-x28, the frame pointer x29,
 * the link register x30, the low halves d8-d15 of v8-v15, and in the full
 * switch FPCR (rounding mode, flush-to-zero, trap enables). Layout of a
 * suspended full context, from its sp up (176 bytes, sp stays 16-aligned):
 *
 *   sp+0   x19 x20 x21 x22 x23 x24 x25 x26 x27 x28 x29 x30
 *   sp+96  d8 .. d15
 *   sp+160 FPCR, padding
 *
 * The minimal switch uses the first 160 bytes only. A new context is built
 * with x19 = arg, x20 = entry and x30 = coro_trampoline. */
#if defined(__aarch64__) && !defined(CMBENCH_CORO_UCONTEXT)

	.text

.macro save_callee_saved
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
.endm

.macro load_callee_saved
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
.endm

/* void coro_switch_full(void **save_sp, void *load_sp) */
	.globl	coro_switch_full
	.type	coro_switch_full, %function
	.p2align 4
coro_switch_full:
	sub	sp, sp, #176
	save_callee_saved
	mrs	x9, fpcr
	str	x9, [sp, #160]
	mov	x10, sp
	str	x10, [x0]
	mov	sp, x1
	load_callee_saved
	/* Writing FPCR can be slow; skip it when nothing changes (the usual
	 * case, since a new context inherits its creator's). */
	ldr	x10, [sp, #160]
	cmp	x9, x10
	b.eq	1f
	msr	fpcr, x10
1:	add	sp, sp, #176
	ret
	.size	coro_switch_full, .-coro_switch_full

/* void coro_switch_minimal(void **save_sp, void *load_sp) */
	.globl	coro_switch_minimal
	.type	coro_switch_minimal, %function
	.p2align 4
coro_switch_minimal:
	sub	sp, sp, #160
	save_callee_saved
	mov	x10, sp
	str	x10, [x0]
	mov	sp, x1
	load_callee_saved
	add	sp, sp, #160
	ret
	.size	coro_switch_minimal, .-coro_switch_minimal

/* First code of every new context: entry(arg) must never return. */
	.type	coro_trampoline, %function
	.p2align 4
coro_trampoline:
	.cfi_startproc
	.cfi_undefined x30
	mov	x0, x19
	blr	x20
	brk	#0
	.cfi_endproc
	.size	coro_trampoline, .-coro_trampoline

/* Fill a new frame at x0 - size: zeros, x19 = arg (x2), x20 = entry (x1),
 * x30 = trampoline, x29 = 0. Leaves the frame pointer in x0. */
.macro make_frame size
	and	x0, x0, #~15
	sub	x0, x0, #\size
	mov	x9, #0
1:	str	xzr, [x0, x9]
	add	x9, x9, #8
	cmp	x9, #\size
	b.lt	1b
	stp	x2, x1, [x0, #0]
	adr	x9, coro_trampoline
	str	x9, [x0, #88]
.endm

/* void *coro_make_full(void *stack_top, coro_entry_fn entry, void *arg) */
	.globl	coro_make_full
	.type	coro_make_full, %function
	.p2align 4
coro_make_full:
	make_frame 176
	mrs	x9, fpcr          /* the creator's FP control state */
	str	x9, [x0, #160]
	ret
	.size	coro_make_full, .-coro_make_full

/* void *coro_make_minimal(void *stack_top, coro_entry_fn entry, void *arg) */
	.globl	coro_make_minimal
	.type	coro_make_minimal, %function
	.p2align 4
coro_make_minimal:
	make_frame 160
	ret
	.size	coro_make_minimal, .-coro_make_minimal

#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack, "", %progbits
#endif
