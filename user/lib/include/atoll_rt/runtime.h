#ifndef ATOLL_RT_RUNTIME_H
#define ATOLL_RT_RUNTIME_H

#include <atoll/message.h>
#include <atoll_rt/syscall.h>

/* The calling thread's IPC buffer (one thread per program for now). */
extern atoll_ipc_buffer_t *atoll_ipc_buffer_ptr;

/* atoll_rpc for an answer that transfers capabilities: they land in the
 * caller's CNode from slot on. */
atoll_error_t atoll_rpc_receiving(uint64_t cptr, atoll_msg_t *m, uint64_t slot);

/* A program's entry point, called by crt0 with its start argument. */
int atoll_main(void *arg);
/* End the program: programs proc started report their status to proc; the
 * root task has no one to tell and stops its thread. */
_Noreturn void atoll_exit(int status);
/* rsi at entry: PROC_START_MAGIC for programs proc started, 0 for the root task. */
extern uint64_t atoll_started_by;

#endif
