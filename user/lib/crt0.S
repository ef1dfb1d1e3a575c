/* Entry of a native Atoll program: rdi holds the start argument (the boot
 * info page for the root task, the argument block for programs proc
 * starts), rsi says who started it. The stack is 16-byte aligned on entry. */
	.text
	.global _start
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	mov %rsi, atoll_started_by(%rip)
	call atoll_main
	mov %eax, %edi
	call atoll_exit
1:	jmp 1b
