/* floor_switch_aarch64.S — the cheapest correct two-context switch on
 * AArch64 (AAPCS64), for the coroutine-switch floor: store x19-x30 and
 * d8-d15, swap stack pointers, load them, and leave with an indirect
 * branch (br x30) instead of ret, which would consult the return-stack
 * predictor and miss on every switch between two contexts. FPCR is not
 * saved: both contexts share it. Frame (160 bytes, sp stays 16-aligned):
 *   sp+0 x19 .. x28, x29, x30; sp+96 d8 .. d15 */
#if defined(__aarch64__) && !defined(CMBENCH_CORO_UCONTEXT)

	.text

/* void floor_switch(void **save_sp, void *load_sp) */
	.globl	floor_switch
	.type	floor_switch, %function
	.p2align 4
floor_switch:
	sub	sp, sp, #160
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
	mov	x10, sp
	str	x10, [x0]
	mov	sp, x1
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
	add	sp, sp, #160
	br	x30
	.size	floor_switch, .-floor_switch

/* A new context starts here with x19 = arg, x20 = entry; entry never returns. */
	.type	floor_trampoline, %function
	.p2align 4
floor_trampoline:
	.cfi_startproc
	.cfi_undefined x30
	mov	x0, x19
	blr	x20
	brk	#0
	.cfi_endproc
	.size	floor_trampoline, .-floor_trampoline

/* void *floor_make(void *stack_top, void (*entry)(void *), void *arg) */
	.globl	floor_make
	.type	floor_make, %function
	.p2align 4
floor_make:
	and	x0, x0, #~15
	sub	x0, x0, #160
	mov	x9, #0
1:	str	xzr, [x0, x9]
	add	x9, x9, #8
	cmp	x9, #160
	b.lt	1b
	stp	x2, x1, [x0, #0]     /* x19 = arg, x20 = entry */
	adr	x9, floor_trampoline
	str	x9, [x0, #88]        /* x30 */
	ret
	.size	floor_make, .-floor_make

#endif

#if defined(__linux__) && defined(__ELF__)
	.section .note.GNU-stack, "", %progbits
#endif
