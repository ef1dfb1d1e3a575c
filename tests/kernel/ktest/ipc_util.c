/*
 * Helper-thread bodies that perform one IPC operation for a test (ipc.h).
 */
#include "ipc.h"

void ipc_op_send(void *arg)
{
	ipc_op_t *op = arg;
	atoll_msg_t m = {.info = op->info};
	memcpy(m.w, op->w, sizeof(m.w));
	op->err = atoll_send(op->cap, &m);
	op->got = m;
	op->done = 1;
}

void ipc_op_call(void *arg)
{
	ipc_op_t *op = arg;
	atoll_msg_t m = {.info = op->info};
	memcpy(m.w, op->w, sizeof(m.w));
	op->err = atoll_call(op->cap, &m);
	op->got = m;
	op->done = 1;
}

void ipc_op_recv(void *arg)
{
	ipc_op_t *op = arg;
	atoll_msg_t m = {0};
	op->err = atoll_recv(op->cap, op->reply, &m);
	op->got = m;
	op->done = 1;
}

atoll_error_t ipc_op_start(helper_t *h, ipc_op_t *op, void (*fn)(void *), unsigned prio)
{
	atoll_error_t err = helper_prepare(h, 0, fn, op, prio, 0);
	op->self = h;
	op->done = 0;
	op->err = 0xff;
	return err ? err : tcb_resume(h->tcb);
}

ipc_op_t ipc_op_to(uint64_t cap, uint64_t label, unsigned len)
{
	ipc_op_t op = {.cap = cap, .info = atoll_msginfo(label, 0, len)};
	for (unsigned i = 0; i < ATOLL_MSG_REGS; i++)
		op.w[i] = 0x100 + i;
	return op;
}
