#ifndef CORE_MESSAGE_H
#define CORE_MESSAGE_H

#include <atoll/errors.h>
#include <atoll/message.h>
#include <object/structures.h>

/* Message words of a thread: 0..7 in its saved registers, the rest in its
 * IPC buffer (read as 0 and dropped on write when it has none). */
uint64_t *context_mr(user_context_t *ctx, unsigned i); /* i < ATOLL_MSG_REGS */
atoll_ipc_buffer_t *thread_ipc_buffer(tcb_t *t);
uint64_t msg_get(tcb_t *t, unsigned i);
void msg_set(tcb_t *t, unsigned i, uint64_t v);

/* Finish a system call: error in rax, message info in rsi. */
void syscall_set_result(tcb_t *t, atoll_error_t err, uint64_t info);

/* Move a message from sender to receiver: words, then capabilities when
 * can_grant (the sender's endpoint capability has GRANT), or the sender's
 * fault message when it is faulting. Sets the receiver's rax, rdi, rsi. */
void ipc_transfer(tcb_t *sender, tcb_t *receiver, uint64_t info, uint64_t badge, bool can_grant);

#endif
