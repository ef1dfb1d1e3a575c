#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

/*
 * A thread's user registers, saved by the entry code straight into its TCB:
 * the CPU pushes the iret frame at the TSS's rsp0 (the end of this frame),
 * the stubs push the rest. Field order is the push order, reversed.
 */
#ifndef __ASSEMBLY__
#include <stdint.h>

typedef struct user_context {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint64_t vector; /* CONTEXT_SYSCALL for the syscall instruction */
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* the iret frame */
	uint64_t fs_base, gs_base;
	uint64_t resume_by_iret; /* nonzero: rcx/r11 must be restored exactly */
	uint8_t fpu[512] __attribute__((aligned(16))); /* fxsave area */
} user_context_t;
#endif

#define CONTEXT_SYSCALL 0x100

/* The system calls entry.S sends to the fast path (checked in api/syscall.c). */
#define SYSCALL_NUMBER_CALL (-1)
#define SYSCALL_NUMBER_REPLY_RECV (-2)
#define SYSCALL_NUMBER_SEND (-3)
#define SYSCALL_NUMBER_NBSEND (-4)
#define SYSCALL_NUMBER_RECV (-5)
#define SYSCALL_NUMBER_NBRECV (-6)
#define SYSCALL_NUMBER_REPLY (-7)
#define SYSCALL_FAST_COUNT (SYSCALL_NUMBER_CALL - SYSCALL_NUMBER_REPLY + 1)

/* A TCB starts with its user_context_t; right after it, the count of
 * numbers from SYSCALL_NUMBER_REPLY up that may try a fast path: one
 * compare in the entry code keeps foreign-ABI threads, whose count is 0,
 * off the fast paths (checked in object/structures.h). */
#define TCB_FAST_SYSCALLS 720

/* Offsets used by entry.S, checked below. */
#define CTX_VECTOR 120
#define CTX_RIP 136
#define CTX_RSP 160
#define CTX_IRET_END 176 /* where the CPU starts pushing: &ctx->fs_base */
#define CTX_RESUME_BY_IRET 192

#ifndef __ASSEMBLY__
#include <stddef.h>
_Static_assert(offsetof(user_context_t, vector) == CTX_VECTOR, "entry.S offset");
_Static_assert(offsetof(user_context_t, rip) == CTX_RIP, "entry.S offset");
_Static_assert(offsetof(user_context_t, rsp) == CTX_RSP, "entry.S offset");
_Static_assert(offsetof(user_context_t, fs_base) == CTX_IRET_END, "entry.S offset");
_Static_assert(offsetof(user_context_t, resume_by_iret) == CTX_RESUME_BY_IRET, "entry.S offset");
#endif

#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_USER_DS 0x1b /* 0x18 | RPL 3: sysret loads SS = STAR[63:48] + 8 */
#define GDT_USER_CS 0x23 /* 0x20 | RPL 3: sysret loads CS = STAR[63:48] + 16 */
#define GDT_TSS 0x28

#endif
