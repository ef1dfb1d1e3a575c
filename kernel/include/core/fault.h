#ifndef CORE_FAULT_H
#define CORE_FAULT_H

#include <atoll/errors.h>
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
/* Set registers 0..n-1 from src's message words first_word..; every value is
 * checked first, and an illegal one changes nothing (INVALID_ARG). */
atoll_error_t context_write_registers(user_context_t *ctx, tcb_t *src, unsigned first_word,
                                      unsigned n);

#endif
