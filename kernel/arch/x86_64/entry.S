/*
 * Every way into and out of the kernel. A thread's registers are saved
 * directly into its TCB (the TSS rsp0 and CPU_CONTEXT_END point at the end
 * of the current thread's user_context_t); the kernel then runs on the one
 * per-CPU kernel stack and leaves through restore_user_context with
 * whichever thread the scheduler chose. The kernel itself is never
 * preempted: it runs with interrupts off except in the idle loop.
 */
#include <arch/context.h>
#include <arch/cpu_local.h>

.macro SAVE_GPRS
	push %rdi
	push %rsi
	push %rdx
	push %rcx
	push %rax
	push %r8
	push %r9
	push %r10
	push %r11
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
.endm

.macro RESTORE_GPRS
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rax
	pop %rcx
	pop %rdx
	pop %rsi
	pop %rdi
.endm

	.text
	.global syscall_entry
	.align 16
syscall_entry:
	swapgs
	mov %rsp, %gs:CPU_USER_RSP
	mov %gs:CPU_CONTEXT_END, %rsp
	push $GDT_USER_DS
	push %gs:CPU_USER_RSP
	push %r11
	push $GDT_USER_CS
	push %rcx
	push $0
	push $CONTEXT_SYSCALL
	SAVE_GPRS
	mov %rsp, %rdi
	movq $0, CTX_RESUME_BY_IRET(%rdi)
	mov %gs:CPU_KERNEL_STACK, %rsp
	/* reply, recv, nbsend, send, reply_recv and call (-7, -5..-1) try a
	 * fast path first; it returns NULL when the slow path must run. A
	 * foreign-ABI thread's count is 0: its every number goes to
	 * syscall_handler, which delivers it as a fault. */
	lea -SYSCALL_NUMBER_REPLY(%rax), %rcx
	cmp TCB_FAST_SYSCALLS(%rdi), %rcx
	jae 1f
	call *fast_paths(, %rcx, 8)
	test %rax, %rax
	jz 5f
	mov %rax, %rdi
	jmp restore_user_context
1:	call syscall_handler
	mov %rax, %rdi
	jmp restore_user_context
5:	mov %gs:CPU_CURRENT, %rdi
	jmp 1b

/* A number in the table's range without a fast path of its own. */
no_fast_path:
	xor %eax, %eax
	ret

/* void restore_user_context(user_context_t *ctx): enter user mode. */
	.global restore_user_context
restore_user_context:
	mov %rdi, %rsp
	cmpq $0, CTX_RESUME_BY_IRET(%rsp)
	jne 1f
	/* sysret faults in ring 0 on a non-canonical rip: such returns use iret. */
	mov CTX_RIP(%rsp), %rcx
	shr $47, %rcx
	jnz 1f
	RESTORE_GPRS
	mov 16(%rsp), %rcx
	mov 32(%rsp), %r11
	mov 40(%rsp), %rsp
	swapgs
	sysretq
1:	RESTORE_GPRS
	add $16, %rsp
	swapgs
	iretq

/* Interrupt and exception stubs: push a zero error code where the CPU
 * does not, then the vector. */
.macro STUB vec
	.align 16
stub_\vec:
	.if (\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30)
	.else
	push $0
	.endif
	push $\vec
	jmp interrupt_common
.endm

	.align 16
interrupt_common:
	testb $3, 24(%rsp)              /* the saved cs: did we come from user mode? */
	jz from_kernel
	swapgs
	SAVE_GPRS
	mov %rsp, %rdi
	/* The kernel stack first: rsp is at the start of the TCB, and a push
	 * there would land in whatever object lies below it in memory. */
	mov %gs:CPU_KERNEL_STACK, %rsp
	/* User mode may have set DF (string instructions would run backwards) or
	 * AC (SMAP would be off); an interrupt gate clears neither. */
	pushfq
	andq $~0x40400, (%rsp)
	popfq
	movq $1, CTX_RESUME_BY_IRET(%rdi)
	call trap_from_user
	mov %rax, %rdi
	jmp restore_user_context
from_kernel:
	SAVE_GPRS
	mov %rsp, %rdi
	cld
	call trap_from_kernel
	RESTORE_GPRS
	add $16, %rsp
	iretq

	.section .rodata
	.align 8
/* Indexed by system-call number - SYSCALL_NUMBER_REPLY. */
fast_paths:
	.quad fastpath_reply
	.quad no_fast_path       /* nbrecv */
	.quad fastpath_wait      /* recv */
	.quad fastpath_signal    /* nbsend */
	.quad fastpath_signal    /* send */
	.quad fastpath_reply_recv
	.quad fastpath_call

	.altmacro
.macro STUB_ADDRESS vec
	.quad stub_\vec
.endm

	.text
	.set i, 0
	.rept 256
	STUB %i
	.set i, i + 1
	.endr

	.section .rodata
	.align 8
	.global interrupt_stubs
interrupt_stubs:
	.set i, 0
	.rept 256
	STUB_ADDRESS %i
	.set i, i + 1
	.endr
