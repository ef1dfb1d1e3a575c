#ifndef CORE_FAULT_H
#define CORE_FAULT_H

#include <atoll/errors.h>
#include <atoll/message.h>
#include <atoll/objects.h>
#include <object/structures.h>

/*
 * Faults become messages: the faulting thread "calls" its fault endpoint
 * with a message the kernel composes, and blocks until a reply resumes it.
 */
void fault_deliver(tcb_t *t, unsigned label, uint64_t addr, uint64_t code);
/* Write t's fault message into receiver's message words; returns the length. */
unsigned fault_message(tcb_t *t, tcb_t *receiver);
/* A reply to a faulting thread: apply its register words and resume it.
 * Returns an error, leaving t blocked, if a register value is invalid. */
atoll_error_t fault_reply(tcb_t *t, tcb_t *replier, uint64_t info);
/* Read and write user registers in atoll_register order. */
uint64_t context_get_register(const user_context_t *ctx, unsigned reg);
/* Registers ATOLL_MSG_REGS.. of an unknown-system-call fault message, the
 * part that travels in the IPC buffer, stored into words[ATOLL_MSG_REGS..]:
 * field by field, as a fault is every Linux system call. */
static inline void context_get_buffer_registers(const user_context_t *ctx, uint64_t *words)
{
	_Static_assert(ATOLL_MSG_REGS == ATOLL_REG_RSP && ATOLL_REG_GS_BASE == ATOLL_REG_COUNT - 1,
	               "the buffer part runs from rsp to gs_base");
	words[ATOLL_REG_RSP] = ctx->rsp;
	words[ATOLL_REG_RFLAGS] = ctx->rflags;
	words[ATOLL_REG_RBX] = ctx->rbx;
	words[ATOLL_REG_RCX] = ctx->rcx;
	words[ATOLL_REG_RBP] = ctx->rbp;
	words[ATOLL_REG_R11] = ctx->r11;
	words[ATOLL_REG_R12] = ctx->r12;
	words[ATOLL_REG_R13] = ctx->r13;
	words[ATOLL_REG_R14] = ctx->r14;
	words[ATOLL_REG_R15] = ctx->r15;
	words[ATOLL_REG_FS_BASE] = ctx->fs_base;
	words[ATOLL_REG_GS_BASE] = ctx->gs_base;
}
/* Set registers 0..n-1 from src's message words first_word..; every value is
 * checked first, and an illegal one changes nothing (INVALID_ARG). */
atoll_error_t context_write_registers(user_context_t *ctx, tcb_t *src, unsigned first_word,
                                      unsigned n);

#endif
