#ifndef KTEST_IPC_H
#define KTEST_IPC_H

/*
 * One IPC operation a helper thread performs for a test: what to send, and
 * what came back. The root fills it, starts the helper, and reads err/got
 * once done is set.
 */
#include "ktest.h"

typedef struct ipc_op {
	uint64_t cap;   /* endpoint (or notification) to use */
	uint64_t reply; /* Reply object for receives, 0 for none */
	uint64_t info;  /* message info to send */
	uint64_t w[ATOLL_MSG_REGS];
	helper_t *self; /* the helper running it, for its IPC buffer */
	volatile int done;
	volatile uint64_t err;
	atoll_msg_t got;
} ipc_op_t;

/* Helper bodies: one operation each. */
void ipc_op_send(void *op);
void ipc_op_call(void *op);
void ipc_op_recv(void *op);

/* An operation on cap with this label and length; words 0x100, 0x101, ... */
ipc_op_t ipc_op_to(uint64_t cap, uint64_t label, unsigned len);
/* Start a helper at prio running fn on op (op->self is set). */
atoll_error_t ipc_op_start(helper_t *h, ipc_op_t *op, void (*fn)(void *), unsigned prio);

#endif
