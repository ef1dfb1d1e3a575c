/* Entry of a native Atoll program: rdi holds the start argument (the boot
 * info page for the root task). The stack is 16-byte aligned on entry. */
	.text
	.global _start
_start:
	xor %ebp, %ebp
	and $-16, %rsp
	call atoll_main
	mov %eax, %edi
	call atoll_exit
1:	hlt
	jmp 1b
