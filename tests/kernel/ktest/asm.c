/*
 * Machine-code routines for the fault tests. Each labels the instruction
 * that traps, so a test can check the rip a fault message reports, and
 * knows the instruction's length when it wants to skip it.
 */
#include "ktest.h"

#define FUNC(name) ".globl " #name "\n.type " #name ", @function\n" #name ":\n"
#define LABEL(name) ".globl " #name "\n" #name ":\n"

/* clang-format off */
__asm__(".text\n"
	/* A Linux-style system call: rax nr, rdi rsi rdx r10 r8 r9 arguments. */
	FUNC(ktest_linux_syscall)
	"	mov %rdi, %rax\n"
	"	mov %rsi, %rdi\n"
	"	mov %rdx, %rsi\n"
	"	mov %rcx, %rdx\n"
	"	mov %r8, %r10\n"
	"	mov %r9, %r8\n"
	"	mov 8(%rsp), %r9\n"
	LABEL(ktest_linux_syscall_insn)
	"	syscall\n"
	"	ret\n"

	FUNC(ktest_read64)
	LABEL(ktest_read64_insn)
	"	mov (%rdi), %rax\n"
	"	ret\n"

	FUNC(ktest_write64)
	LABEL(ktest_write64_insn)
	"	mov %rsi, (%rdi)\n"
	"	ret\n"

	FUNC(ktest_ud2)
	"	ud2\n"
	"	ret\n"

	FUNC(ktest_div0)
	"	mov $1, %eax\n"
	"	xor %edx, %edx\n"
	"	xor %ecx, %ecx\n"
	LABEL(ktest_div0_insn)
	"	div %ecx\n"
	"	ret\n"

	FUNC(ktest_hlt)
	"	hlt\n"
	"	ret\n"

	FUNC(ktest_int80)
	"	int $0x80\n"
	"	ret\n"

	/* The first IOAPIC vector: user code must not fake a device interrupt. */
	FUNC(ktest_int30)
	"	int $0x30\n"
	"	ret\n"

	FUNC(ktest_int3)
	LABEL(ktest_int3_insn)
	"	int3\n"
	"	ret\n"

	FUNC(ktest_inb)
	"	mov %edi, %edx\n"
	LABEL(ktest_inb_insn)
	"	inb %dx, %al\n"
	"	movzbl %al, %eax\n"
	"	ret\n"

	/* Jump to code the test placed in a frame; its ret comes back to our caller. */
	FUNC(ktest_call)
	"	jmp *%rdi\n"

	FUNC(ktest_single_step)
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	nop\n"
	"	nop\n"
	"	ret\n"

	FUNC(ktest_single_step_syscall)
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	mov $-10, %rax\n" /* ATOLL_SYS_NULL */
	"	syscall\n"
	"	nop\n"
	"	ret\n"

	FUNC(ktest_simd_div0)
	"	sub $8, %rsp\n"
	"	stmxcsr (%rsp)\n"
	"	andl $~0x200, (%rsp)\n" /* unmask divide-by-zero */
	"	ldmxcsr (%rsp)\n"
	"	xorps %xmm1, %xmm1\n"
	"	mov $1, %eax\n"
	"	cvtsi2ss %eax, %xmm0\n"
	"	divss %xmm1, %xmm0\n"
	"	add $8, %rsp\n"
	"	ret\n"

	FUNC(ktest_x87_div0)
	"	sub $8, %rsp\n"
	"	fnstcw (%rsp)\n"
	"	andw $~0x4, (%rsp)\n" /* unmask divide-by-zero */
	"	fldcw (%rsp)\n"
	"	movl $0, 4(%rsp)\n"
	"	fld1\n"
	"	fidivl 4(%rsp)\n"
	"	fwait\n"
	"	add $8, %rsp\n"
	"	ret\n"

	FUNC(ktest_std_ud2)
	"	std\n"
	"	ud2\n"

	FUNC(ktest_bad_rsp_push)
	"	mov %rdi, %rsp\n"
	"	push %rax\n"
	"	ud2\n");
/* clang-format on */
