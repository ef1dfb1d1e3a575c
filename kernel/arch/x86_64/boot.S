/*
 * Multiboot entry: 32-bit protected mode, paging off. Build just enough
 * page tables to enter long mode with the first GiB mapped both at 0 and at
 * KERNEL_VMA, then jump to the higher half and call boot_main, which builds
 * the kernel's real page tables.
 */
#include <arch/boot_defs.h>

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS ((1 << 1) | (1 << 16)) /* memory map, a.out-kludge addresses */

	.section .multiboot, "a"
	.align 4
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
	.long mb_header             /* header_addr */
	.long _kernel_phys_start    /* load_addr */
	.long _load_end - KERNEL_VMA /* load_end_addr */
	.long _data_end - KERNEL_VMA /* bss_end_addr */
	.long boot_entry32          /* entry_addr */

	.section .boot.text, "ax"
	.code32
	.global boot_entry32
boot_entry32:
	cli
	cld
	mov %eax, %edi                  /* multiboot magic, first argument */
	mov %ebx, %esi                  /* multiboot info, second argument */
	mov $(boot_stack_top - KERNEL_VMA), %esp

	/* Long mode? */
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb no_long_mode
	mov $0x80000001, %eax
	cpuid
	test $(1 << 29), %edx
	jz no_long_mode

	/* PD: 512 x 2 MiB identity pages covering the first GiB. */
	mov $(boot_pd - KERNEL_VMA), %ebx
	xor %ecx, %ecx
1:	mov %ecx, %eax
	shl $21, %eax
	or $0x83, %eax                  /* present, writable, 2 MiB */
	mov %eax, (%ebx, %ecx, 8)
	movl $0, 4(%ebx, %ecx, 8)
	inc %ecx
	cmp $512, %ecx
	jne 1b

	mov $(boot_pd - KERNEL_VMA + 3), %eax
	mov %eax, (boot_pdpt_low - KERNEL_VMA)
	mov %eax, (boot_pdpt_high - KERNEL_VMA + 510 * 8)
	mov $(boot_pdpt_low - KERNEL_VMA + 3), %eax
	mov %eax, (boot_pml4 - KERNEL_VMA)
	mov $(boot_pdpt_high - KERNEL_VMA + 3), %eax
	mov %eax, (boot_pml4 - KERNEL_VMA + 511 * 8)

	mov %cr4, %eax
	or $(1 << 5), %eax              /* PAE */
	mov %eax, %cr4
	mov $(boot_pml4 - KERNEL_VMA), %eax
	mov %eax, %cr3
	mov $0xC0000080, %ecx           /* EFER: long mode enable */
	rdmsr
	or $(1 << 8), %eax
	wrmsr
	mov %cr0, %eax
	or $0x80010001, %eax            /* paging, write protect, protection */
	mov %eax, %cr0

	lgdt boot_gdt_ptr
	ljmp $0x08, $boot_entry64

no_long_mode:
	mov $no_long_mode_msg, %esi
	mov $0x3f8, %dx
2:	lodsb
	test %al, %al
	jz 3f
	outb %al, %dx
	jmp 2b
3:	hlt
	jmp 3b

	.code64
boot_entry64:
	xor %eax, %eax
	mov %ax, %ds
	mov %ax, %es
	mov %ax, %ss
	mov %ax, %fs
	mov %ax, %gs
	movabs $boot_stack_top, %rsp
	movabs $boot_main, %rax
	call *%rax
4:	hlt
	jmp 4b

	.section .boot.data, "a"
	.align 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff        /* 64-bit code */
	.quad 0x00cf92000000ffff        /* data */
boot_gdt_ptr:
	.word boot_gdt_ptr - boot_gdt - 1
	.long boot_gdt
no_long_mode_msg:
	.asciz "Atoll: this CPU has no 64-bit long mode; halted.\r\n"

	.section .bss
	.align 4096
boot_pml4:
	.skip 4096
boot_pdpt_low:
	.skip 4096
boot_pdpt_high:
	.skip 4096
boot_pd:
	.skip 4096
	.global boot_stack_top
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:
