/*
 * Capability transfer: a sender names caps in its IPC buffer's send_caps
 * and their count in the message info; a receiver offers a CNode and a
 * first slot (recv_cnode, recv_index). Only an endpoint capability with
 * GRANT carries caps, and the received count must match what arrived.
 */
#include "ipc.h"

#define ROOT ATOLL_SLOT_CNODE

typedef struct xfer {
	ipc_op_t op;
	unsigned ncaps;
	uint64_t caps[ATOLL_MSG_MAX_CAPS];
} xfer_t;

static void send_caps(void *arg)
{
	xfer_t *x = arg;
	for (unsigned i = 0; i < x->ncaps; i++)
		x->op.self->ipc->send_caps[i] = x->caps[i];
	ipc_op_send(&x->op);
}

/* Start a helper that sends the caps with one word (0x99) through cap. */
static void start_sender(helper_t *h, xfer_t *x, uint64_t cap)
{
	x->op.cap = cap;
	x->op.info = atoll_msginfo(1, x->ncaps, 1);
	x->op.w[0] = 0x99;
	/* send_caps reads op->self: ipc_op_start sets it before the thread runs. */
	KCHECK_EQ(helper_prepare(h, 0, send_caps, x, HELPER_PRIO, 0), ATOLL_E_OK);
	x->op.self = h;
	KCHECK_EQ(tcb_resume(h->tcb), ATOLL_E_OK);
}

static void accept_into(uint64_t cnode, uint64_t index)
{
	atoll_ipc_buffer_ptr->recv_cnode = cnode;
	atoll_ipc_buffer_ptr->recv_index = index;
}

static uint64_t signal_and_poll(uint64_t via, uint64_t ntfn)
{
	uint64_t bits = 0;
	if (atoll_signal(via) != ATOLL_E_OK || atoll_poll(ntfn, &bits) != ATOLL_E_OK)
		return ~0ULL;
	return bits;
}

void test_ipc_cap_transfer_with_grant(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x5);
	uint64_t s = slot_get();
	helper_t h;
	xfer_t x = {.ncaps = 1, .caps = {nb}};
	start_sender(&h, &x, ep);
	accept_into(ROOT, s);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_caps(m.info), 1);
	KCHECK_EQ(m.w[0], 0x99);
	KCHECK_EQ(atoll_ipc_buffer_ptr->recv_badges[0], 0x5);
	KCHECK_EQ(signal_and_poll(s, n), 0x5);  /* the received cap works */
	KCHECK_EQ(signal_and_poll(nb, n), 0x5); /* the sender kept its own */
	root_refuse_caps();
	helper_stop(&h);
	release(s);
	release(nb);
	release(n);
	release(ep);
}

void test_ipc_cap_transfer_without_grant_drops_caps(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t nogrant = mint_cap(ep, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t s = slot_get();
	helper_t h;
	xfer_t x = {.ncaps = 1, .caps = {n}};
	start_sender(&h, &x, nogrant);
	accept_into(ROOT, s);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 0x99); /* the words still arrive */
	KCHECK_EQ(atoll_msginfo_caps(m.info), 0);
	KCHECK_EQ(atoll_signal(s), ATOLL_E_INVALID_CAP);
	root_refuse_caps();
	helper_stop(&h);
	release(s);
	release(n);
	release(nogrant);
	release(ep);
}

void test_ipc_cap_transfer_three_caps(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x1);
	uint64_t ep2 = mint_cap(ep, ATOLL_RIGHTS_ALL, 0x22);
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 3);
	helper_t h;
	xfer_t x = {.ncaps = 3, .caps = {nb, ep2, f}};
	start_sender(&h, &x, ep);
	accept_into(c, 1);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_caps(m.info), 3);
	KCHECK_EQ(atoll_ipc_buffer_ptr->recv_badges[0], 0x1);
	KCHECK_EQ(atoll_ipc_buffer_ptr->recv_badges[1], 0x22);
	KCHECK_EQ(atoll_ipc_buffer_ptr->recv_badges[2], 0);
	root_refuse_caps();
	/* Bring them back to the root CNode to use them. */
	uint64_t s[3];
	for (unsigned i = 0; i < 3; i++) {
		s[i] = slot_get();
		KCHECK_EQ(cnode_move(ROOT, s[i], c, 1 + i), ATOLL_E_OK);
	}
	KCHECK_EQ(signal_and_poll(s[0], n), 0x1);
	atoll_msg_t probe = {0};
	KCHECK_EQ(atoll_nbsend(s[1], &probe), ATOLL_E_WOULD_BLOCK);
	uint64_t pa1 = 0, pa2 = 1;
	KCHECK_EQ(frame_get_address(s[2], &pa1), ATOLL_E_OK);
	KCHECK_EQ(frame_get_address(f, &pa2), ATOLL_E_OK);
	KCHECK_EQ(pa1, pa2);
	helper_stop(&h);
	for (unsigned i = 0; i < 3; i++)
		release(s[i]);
	release(c);
	release(f);
	release(ep2);
	release(nb);
	release(n);
	release(ep);
}

void test_ipc_cap_transfer_refused_by_receiver(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	helper_t h;
	xfer_t x = {.ncaps = 1, .caps = {n}};
	start_sender(&h, &x, ep);
	root_refuse_caps(); /* recv_index 0: accept none */
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 0x99);
	KCHECK_EQ(atoll_msginfo_caps(m.info), 0);
	helper_stop(&h);
	release(n);
	release(ep);
}

void test_ipc_cap_transfer_into_occupied_slot_stops(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 2);
	KCHECK_EQ(cnode_copy(c, 2, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	helper_t h;
	xfer_t x = {.ncaps = 2, .caps = {n, n}};
	start_sender(&h, &x, ep);
	accept_into(c, 1);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	/* The first lands in slot 1; slot 2 is taken, so the second stops there. */
	KCHECK_EQ(atoll_msginfo_caps(m.info), 1);
	uint64_t s = slot_get();
	KCHECK_EQ(cnode_move(ROOT, s, c, 1), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(s), ATOLL_E_OK);
	root_refuse_caps();
	helper_stop(&h);
	release(s);
	release(c);
	release(n);
	release(ep);
}

/* Receiving into a CNode changes it: a receiver that names its CNode through
 * a capability without WRITE gets no capabilities. */
void test_ipc_cap_transfer_needs_write_on_receiver_cnode(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 2);
	uint64_t rc = mint_cap(c, ATOLL_RIGHT_READ, 0);
	helper_t h;
	xfer_t x = {.ncaps = 1, .caps = {n}};
	start_sender(&h, &x, ep);
	accept_into(rc, 1);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 0x99);
	KCHECK_EQ(atoll_msginfo_caps(m.info), 0);
	root_refuse_caps();
	uint64_t s = slot_get();
	KCHECK_EQ(cnode_move(ROOT, s, c, 1), ATOLL_E_INVALID_CAP);
	helper_stop(&h);
	release(s);
	release(rc);
	release(c);
	release(n);
	release(ep);
}

void test_ipc_cap_transfer_of_untyped_refused(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t s = slot_get(), obj = slot_get();
	helper_t h;
	xfer_t x = {.ncaps = 1, .caps = {ut}};
	start_sender(&h, &x, ep);
	accept_into(ROOT, s);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_caps(m.info), 0);
	root_refuse_caps();
	/* Nothing arrived and the sender still owns the untyped. */
	KCHECK_EQ(untyped_retype(s, ATOLL_OBJ_ENDPOINT, 0, ROOT, obj, 1), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, obj, 1), ATOLL_E_OK);
	helper_stop(&h);
	release(obj);
	release(s);
	release(ut);
	release(ep);
}

static void call_accepting_caps(void *arg)
{
	ipc_op_t *op = arg;
	op->self->ipc->recv_cnode = op->reply ? ROOT : 0;
	op->self->ipc->recv_index = op->reply; /* the slot it offers, 0 for none */
	ipc_op_call(op);
}

/* Answer a call from a helper that offers slot s (0: none) with one cap. */
static void reply_with_cap(uint64_t ep, uint64_t s, uint64_t cap, helper_t *h, ipc_op_t *op)
{
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	*op = (ipc_op_t){.cap = ep, .reply = s, .info = atoll_msginfo(0, 0, 0)};
	KCHECK_EQ(ipc_op_start(h, op, call_accepting_caps, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	atoll_ipc_buffer_ptr->send_caps[0] = cap;
	m = (atoll_msg_t){.info = atoll_msginfo(0, 1, 1), .w = {1}};
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	KCHECK(op->done);
	KCHECK_EQ(op->got.w[0], 1);
	release(reply);
}

/* A reply carries capabilities to a caller that offered slots for them
 * (how a server hands out a connection), and none to one that did not. */
void test_ipc_reply_carries_caps_to_accepting_caller(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 0x3);
	uint64_t s = slot_get();
	helper_t h;
	ipc_op_t op;
	reply_with_cap(ep, s, nb, &h, &op);
	KCHECK_EQ(atoll_msginfo_caps(op.got.info), 1);
	KCHECK_EQ(h.ipc->recv_badges[0], 0x3);
	KCHECK_EQ(signal_and_poll(s, n), 0x3);
	helper_stop(&h);
	reply_with_cap(ep, 0, nb, &h, &op);
	KCHECK_EQ(atoll_msginfo_caps(op.got.info), 0);
	helper_stop(&h);
	release(s);
	release(nb);
	release(n);
	release(ep);
}

/* Across address spaces: the child receives into its own CNode and uses it. */
void test_ipc_cap_transfer_to_child_process(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHT_WRITE, 0x9);
	process_t p;
	KCHECK_EQ(child_create(&p, CHILD_RECV_CAP, HELPER_PRIO, 0, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(p.tcb), ATOLL_E_OK);
	/* The child waits in its receive by now. */
	atoll_ipc_buffer_ptr->send_caps[0] = nb;
	atoll_msg_t m = {.info = atoll_msginfo(0, 1, 0)};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_OK);
	uint64_t bits = 0;
	KCHECK_EQ(poll_soon(n, &bits, 100), ATOLL_E_OK);
	KCHECK_EQ(bits, 0x9);
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 1); /* one cap arrived and signalling through it worked */
	KCHECK_EQ(m.w[1], 0x9);
	m.info = 0;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	child_destroy(&p);
	release(nb);
	release(n);
	release(reply);
	release(ep);
}
