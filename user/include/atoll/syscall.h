#ifndef ATOLL_SYSCALL_H
#define ATOLL_SYSCALL_H

/*
 * System-call numbers (rax at the `syscall` instruction). Registers:
 *   in:  rax number, rdi capability (cptr), rsi message info,
 *        rdx r8 r9 r10 r12 r13 r14 r15 message words 0..7
 *   out: rax error (0 = ok), rdi badge of the sender, rsi message info,
 *        the same eight registers carry the message words back.
 * rcx and r11 are clobbered by the instruction; rbx, rbp and rsp are kept.
 */
enum atoll_syscall {
#define X(name, number) ATOLL_SYS_##name = (number),
#include <atoll/syscalls.def>
#undef X
};

#define ATOLL_SYS_FIRST (-11) /* lowest number in syscalls.def */

#endif
