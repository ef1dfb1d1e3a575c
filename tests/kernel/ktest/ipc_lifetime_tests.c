/*
 * IPC and object lifetimes: what happens to threads blocked on an endpoint,
 * waiting in a Reply object, or calling, when the endpoint, the Reply
 * object or the caller goes away, and how Reply objects hold callers.
 */
#include "ipc.h"

void test_ipc_reply_to_dead_caller_is_no_reply(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 1);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	helper_stop(&h); /* the caller's TCB is deleted while it waits */
	m.info = atoll_msginfo(0, 0, 1);
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_NO_REPLY);
	release(reply);
	release(ep);
}

/* A helper blocked in fn on ep; deleting the endpoint's only capability
 * must wake it with CANCELLED. */
static void cancelled_by_delete(void (*fn)(void *))
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 1);
	KCHECK_EQ(ipc_op_start(&h, &op, fn, HELPER_PRIO), ATOLL_E_OK);
	KCHECK(!op.done);
	KCHECK_EQ(cnode_delete(ATOLL_SLOT_CNODE, ep), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_CANCELLED);
	helper_stop(&h);
	release(ep);
}

void test_ipc_recv_on_deleted_endpoint_is_cancelled(void)
{
	cancelled_by_delete(ipc_op_recv);
}

void test_ipc_send_on_deleted_endpoint_is_cancelled(void)
{
	cancelled_by_delete(ipc_op_send);
}

void test_ipc_call_to_deleted_endpoint_is_cancelled(void)
{
	cancelled_by_delete(ipc_op_call);
}

void test_ipc_caller_cancelled_when_reply_deleted(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 1);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK(!op.done);
	release(reply);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_CANCELLED);
	helper_stop(&h);
	release(ep);
}

void test_ipc_endpoint_lives_while_a_copy_remains(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t copy = mint_cap(ep, ATOLL_RIGHTS_ALL, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 0);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	release(ep);
	KCHECK(!op.done); /* still waiting */
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {7}};
	KCHECK_EQ(atoll_nbsend(copy, &m), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	KCHECK_EQ(op.got.w[0], 7);
	helper_stop(&h);
	release(copy);
}

void test_ipc_two_callers_two_reply_objects(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t r1 = make_object(ATOLL_OBJ_REPLY, 0);
	uint64_t r2 = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t ha, hb;
	ipc_op_t a = ipc_op_to(ep, 0, 1), b = ipc_op_to(ep, 0, 1);
	a.w[0] = 1;
	b.w[0] = 2;
	KCHECK_EQ(ipc_op_start(&ha, &a, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	KCHECK_EQ(ipc_op_start(&hb, &b, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, r1, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 1);
	KCHECK_EQ(recv_soon(ep, r2, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 2);
	/* Answer in the other order: each reply object holds its own caller. */
	m = (atoll_msg_t){.info = atoll_msginfo(0, 0, 1), .w = {20}};
	KCHECK_EQ(atoll_reply(r2, &m), ATOLL_E_OK);
	KCHECK(b.done && !a.done);
	m = (atoll_msg_t){.info = atoll_msginfo(0, 0, 1), .w = {10}};
	KCHECK_EQ(atoll_reply(r1, &m), ATOLL_E_OK);
	KCHECK(a.done);
	KCHECK_EQ(a.got.w[0], 10);
	KCHECK_EQ(b.got.w[0], 20);
	helper_stop(&ha);
	helper_stop(&hb);
	release(r2);
	release(r1);
	release(ep);
}

/* A reply alone to a caller of the replier's own priority: the replier
 * keeps the processor (the reply fast path), the caller has every word,
 * the label and no WAS_CALL when it runs, and the Reply object is free. */
void test_ipc_reply_to_equal_priority_caller_replier_goes_on(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t r = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 1);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_call, ROOT_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, r, &m), ATOLL_E_OK);
	KCHECK(m.info & ATOLL_MSG_WAS_CALL);
	m = (atoll_msg_t){.info = atoll_msginfo(5, 0, 3), .w = {30, 31, 32}};
	KCHECK_EQ(atoll_reply(r, &m), ATOLL_E_OK);
	KCHECK(!op.done);
	for (unsigned i = 0; i < 100 && !op.done; i++)
		atoll_yield();
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(op.got.info), 5);
	KCHECK_EQ(atoll_msginfo_length(op.got.info), 3);
	KCHECK(!(op.got.info & ATOLL_MSG_WAS_CALL));
	KCHECK_EQ(op.got.w[0], 30);
	KCHECK_EQ(op.got.w[1], 31);
	KCHECK_EQ(op.got.w[2], 32);
	KCHECK_EQ(atoll_reply(r, &m), ATOLL_E_NO_REPLY);
	helper_stop(&h);
	release(r);
	release(ep);
}

/* Receiving a second call into a Reply object that still holds a caller
 * must not leave the first caller waiting forever. */
void test_ipc_rebinding_reply_object_releases_old_caller(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t r = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t ha, hb;
	ipc_op_t a = ipc_op_to(ep, 0, 1), b = ipc_op_to(ep, 0, 1);
	KCHECK_EQ(ipc_op_start(&ha, &a, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	KCHECK_EQ(ipc_op_start(&hb, &b, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, r, &m), ATOLL_E_OK);
	atoll_error_t err = recv_soon(ep, r, &m);
	m = (atoll_msg_t){.info = atoll_msginfo(0, 0, 1), .w = {3}};
	KCHECK_EQ(atoll_reply(r, &m), ATOLL_E_OK);
	if (err == ATOLL_E_OK) {
		KCHECK(a.done);
		KCHECK_EQ(a.err, ATOLL_E_CANCELLED);
		KCHECK(b.done);
		KCHECK_EQ(b.got.w[0], 3);
	} else {
		KCHECK(a.done); /* refused the second receive: the first caller got the reply */
		KCHECK_EQ(a.got.w[0], 3);
	}
	helper_stop(&ha);
	helper_stop(&hb);
	release(r);
	release(ep);
}

/* A Reply object serves one receiver at a time: a second thread receiving
 * with it is refused, so no two threads can ever be bound through it. */
void test_reply_object_serves_one_receiver(void)
{
	uint64_t e1 = make_object(ATOLL_OBJ_ENDPOINT, 0), e2 = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(e1, 0, 0);
	op.reply = reply;
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m = {0};
	/* The helper now waits on e1 with the Reply object. */
	KCHECK_EQ(atoll_nbrecv(e2, reply, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(atoll_debug_check(), 0);
	/* Deleting the endpoint releases the helper and unlinks the Reply object. */
	release(e1);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_CANCELLED);
	KCHECK_EQ(atoll_debug_check(), 0);
	helper_stop(&h);
	release(e2);
	release(reply);
}

/* A page table is never copied: a copy mapped elsewhere would carry the
 * table's entries into another place. */
void test_page_table_capabilities_cannot_be_copied(void)
{
	uint64_t pt = make_object(ATOLL_OBJ_PT, 0), pd = make_object(ATOLL_OBJ_PD, 0);
	uint64_t dst = slot_alloc();
	KCHECK_EQ(cnode_copy(ATOLL_SLOT_CNODE, dst, ATOLL_SLOT_CNODE, pt, ATOLL_RIGHTS_ALL),
	          ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_mint(ATOLL_SLOT_CNODE, dst, ATOLL_SLOT_CNODE, pd, ATOLL_RIGHTS_ALL, 0),
	          ATOLL_E_ILLEGAL_OP);
	/* Moving is fine: the table stays in one place. */
	KCHECK_EQ(cnode_move(ATOLL_SLOT_CNODE, dst, ATOLL_SLOT_CNODE, pt), ATOLL_E_OK);
	release(dst);
	release(pd);
}
