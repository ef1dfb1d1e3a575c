/*
 * Notifications: signal (send), wait (recv), poll (nbrecv); badges OR into
 * the word; a notification bound to a TCB ends that thread's endpoint
 * receive with ATOLL_MSG_FROM_NOTIFICATION and the bits as the badge.
 */
#include "ipc.h"

static uint64_t poll_bits(uint64_t n, atoll_error_t *err)
{
	uint64_t bits = 0;
	*err = atoll_poll(n, &bits);
	return bits;
}

void test_notification_signal_then_poll(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x10);
	atoll_error_t err;
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK_EQ(poll_bits(n, &err), 0x10);
	KCHECK_EQ(err, ATOLL_E_OK);
	/* Reading cleared the word. */
	KCHECK_EQ(poll_bits(n, &err), 0);
	KCHECK_EQ(err, ATOLL_E_WOULD_BLOCK);
	release(nb);
	release(n);
}

void test_notification_poll_empty_would_block(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(n, 0, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(m.badge, 0);
	release(n);
}

void test_notification_badges_or_together(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t b1 = mint_cap(n, ATOLL_RIGHTS_ALL, 0x1);
	uint64_t b4 = mint_cap(n, ATOLL_RIGHTS_ALL, 0x4);
	uint64_t hi = mint_cap(n, ATOLL_RIGHTS_ALL, 1ULL << 63);
	atoll_error_t err;
	KCHECK_EQ(atoll_signal(b1), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(b4), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(b1), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(hi), ATOLL_E_OK);
	KCHECK_EQ(poll_bits(n, &err), 0x5 | 1ULL << 63);
	release(hi);
	release(b4);
	release(b1);
	release(n);
}

void test_notification_wait_blocks_until_signal(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x8);
	helper_t h;
	ipc_op_t op = {.cap = n};
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	KCHECK(!op.done);
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	/* The waiter is above the root: it ran before signal returned. */
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	KCHECK_EQ(op.got.badge, 0x8);
	KCHECK(op.got.info & ATOLL_MSG_FROM_NOTIFICATION);
	atoll_error_t err;
	poll_bits(n, &err);
	KCHECK_EQ(err, ATOLL_E_WOULD_BLOCK); /* delivered, not also kept */
	helper_stop(&h);
	release(nb);
	release(n);
}

void test_notification_needs_rights(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t r = mint_cap(n, ATOLL_RIGHT_READ, 1);
	uint64_t w = mint_cap(n, ATOLL_RIGHT_WRITE, 1);
	uint64_t bits;
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_signal(r), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_nbsend(r, &m), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_poll(w, &bits), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_wait(w, &bits), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_signal(w), ATOLL_E_OK);
	KCHECK_EQ(atoll_poll(r, &bits), ATOLL_E_OK);
	KCHECK_EQ(bits, 1);
	release(w);
	release(r);
	release(n);
}

/* A signal through an unbadged capability wakes a thread that waits (with
 * no bits); with nobody waiting it must not simply vanish, or an interrupt
 * routed to an unbadged notification is lost whenever it beats the wait.
 * (Refusing unbadged signals outright would be consistent too.) */
void test_notification_unbadged_signal_is_not_lost(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	atoll_error_t err;
	if (atoll_signal(n) == ATOLL_E_OK) {
		poll_bits(n, &err);
		KCHECK_EQ(err, ATOLL_E_OK);
	}
	release(n);
}

void test_notification_nbsend_signals(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x2);
	atoll_msg_t m = {0};
	atoll_error_t err;
	KCHECK_EQ(atoll_nbsend(nb, &m), ATOLL_E_OK);
	KCHECK_EQ(poll_bits(n, &err), 0x2);
	release(nb);
	release(n);
}

/* A helper bound to n waits in a receive on ep. */
static void start_bound_receiver(helper_t *h, ipc_op_t *op, uint64_t ep, uint64_t n)
{
	*op = (ipc_op_t){.cap = ep};
	KCHECK_EQ(helper_prepare(h, 0, ipc_op_recv, op, HELPER_PRIO, 0), ATOLL_E_OK);
	op->self = h;
	op->err = 0xff;
	if (n)
		KCHECK_EQ(tcb_bind_notification(h->tcb, n), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h->tcb), ATOLL_E_OK);
}

void test_notification_bound_ends_endpoint_recv(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x20);
	helper_t h;
	ipc_op_t op;
	start_bound_receiver(&h, &op, ep, n);
	KCHECK(!op.done);
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	KCHECK(op.got.info & ATOLL_MSG_FROM_NOTIFICATION);
	KCHECK_EQ(op.got.badge, 0x20);
	/* It left the endpoint's queue. */
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_WOULD_BLOCK);
	helper_stop(&h);
	release(nb);
	release(n);
	release(ep);
}

void test_notification_bound_pending_bits_return_at_once(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x40);
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK_EQ(tcb_bind_notification(ATOLL_SLOT_TCB, n), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_OK);
	KCHECK(m.info & ATOLL_MSG_FROM_NOTIFICATION);
	KCHECK_EQ(m.badge, 0x40);
	/* Consumed: the next receive finds nothing. */
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(tcb_unbind_notification(ATOLL_SLOT_TCB), ATOLL_E_OK);
	release(nb);
	release(n);
	release(ep);
}

void test_notification_bind_twice_is_busy(void)
{
	uint64_t n1 = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t n2 = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	KCHECK_EQ(tcb_bind_notification(ATOLL_SLOT_TCB, n1), ATOLL_E_OK);
	KCHECK_EQ(tcb_bind_notification(ATOLL_SLOT_TCB, n2), ATOLL_E_BUSY);
	KCHECK_EQ(tcb_bind_notification(t, n1), ATOLL_E_BUSY);
	KCHECK_EQ(tcb_unbind_notification(ATOLL_SLOT_TCB), ATOLL_E_OK);
	KCHECK_EQ(tcb_bind_notification(t, n1), ATOLL_E_OK);
	KCHECK_EQ(tcb_unbind_notification(t), ATOLL_E_OK);
	KCHECK_EQ(tcb_unbind_notification(t), ATOLL_E_OK); /* unbinding nothing is fine */
	release(t);
	release(n2);
	release(n1);
}

void test_notification_unbind_stops_wakeups(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x2);
	helper_t h;
	ipc_op_t op = {.cap = ep};
	KCHECK_EQ(helper_prepare(&h, 0, ipc_op_recv, &op, HELPER_PRIO, 0), ATOLL_E_OK);
	op.self = &h;
	KCHECK_EQ(tcb_bind_notification(h.tcb, n), ATOLL_E_OK);
	KCHECK_EQ(tcb_unbind_notification(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK(!op.done); /* the signal stayed in the word */
	atoll_error_t err;
	KCHECK_EQ(poll_bits(n, &err), 0x2);
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {5}};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK(!(op.got.info & ATOLL_MSG_FROM_NOTIFICATION));
	KCHECK_EQ(op.got.w[0], 5);
	helper_stop(&h);
	release(nb);
	release(n);
	release(ep);
}

void test_notification_bind_wrong_type_or_rights(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t w = mint_cap(n, ATOLL_RIGHT_WRITE, 0);
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	uint64_t empty = slot_get();
	KCHECK_EQ(tcb_bind_notification(t, ep), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(tcb_bind_notification(t, empty), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_bind_notification(t, w), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_bind_notification(n, n), ATOLL_E_ILLEGAL_OP); /* n is no TCB */
	release(empty);
	release(t);
	release(w);
	release(n);
	release(ep);
}

void test_notification_delete_cancels_waiter(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	helper_t h;
	ipc_op_t op = {.cap = n};
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	KCHECK(!op.done);
	release(n);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_CANCELLED);
	helper_stop(&h);
}

void test_notification_bound_tcb_deleted(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x1);
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	KCHECK_EQ(tcb_bind_notification(t, n), ATOLL_E_OK);
	release(t);
	/* The binding went with the thread: signals collect in the word, and the
	 * notification can be bound again. */
	atoll_error_t err;
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK_EQ(poll_bits(n, &err), 0x1);
	KCHECK_EQ(tcb_bind_notification(ATOLL_SLOT_TCB, n), ATOLL_E_OK);
	KCHECK_EQ(tcb_unbind_notification(ATOLL_SLOT_TCB), ATOLL_E_OK);
	release(nb);
	release(n);
}

void test_notification_delete_unbinds_tcb(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t n2 = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb2 = mint_cap(n2, ATOLL_RIGHTS_ALL, 0x4);
	helper_t h;
	ipc_op_t op;
	start_bound_receiver(&h, &op, ep, n);
	release(n);
	KCHECK(!op.done); /* still receiving on the endpoint */
	KCHECK_EQ(tcb_bind_notification(h.tcb, n2), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(nb2), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(op.got.badge, 0x4);
	helper_stop(&h);
	release(nb2);
	release(n2);
	release(ep);
}
