#ifndef FASTPATH_FASTPATH_H
#define FASTPATH_FASTPATH_H

#include <object/structures.h>

/*
 * The IPC fast paths: call, reply_recv and reply with a register-only
 * message, between threads that can switch directly (or, for reply, need
 * no switch); notification signal and wait; unknown system calls. Each returns the context to
 * resume, or NULL when any condition fails; the slow path then handles the
 * call from the start, because the fast path changes nothing until every
 * check has passed.
 */
user_context_t *fastpath_call(tcb_t *caller);
user_context_t *fastpath_reply_recv(tcb_t *server);
user_context_t *fastpath_reply(tcb_t *t);
user_context_t *fastpath_unknown_syscall(tcb_t *t);
user_context_t *fastpath_signal(tcb_t *t);
user_context_t *fastpath_wait(tcb_t *t);

#endif
