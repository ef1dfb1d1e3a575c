/*
 * Endpoints: send, call, receive, reply, reply_recv and their non-blocking
 * forms; message words, labels, badges and the WAS_CALL flag; error paths.
 * Helpers at HELPER_PRIO block at once, so the root finds them queued; the
 * fast path is exercised by a caller below the server.
 */
#include "ipc.h"

void test_ipc_send_recv_transfers_words_and_label(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0x77, 8);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_send, HELPER_PRIO), ATOLL_E_OK);
	KCHECK(!op.done); /* blocked: nobody receives yet */
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), 0x77);
	KCHECK_EQ(atoll_msginfo_length(m.info), 8);
	KCHECK_EQ(atoll_msginfo_caps(m.info), 0);
	KCHECK(!(m.info & ATOLL_MSG_WAS_CALL));
	KCHECK(!(m.info & ATOLL_MSG_FROM_NOTIFICATION));
	KCHECK_EQ(m.badge, 0);
	for (unsigned i = 0; i < 8; i++)
		KCHECK_EQ(m.w[i], 0x100 + i);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	helper_stop(&h);
	release(ep);
}

void test_ipc_nbsend_without_receiver_would_block(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	atoll_msg_t m = {.info = atoll_msginfo(1, 0, 1), .w = {5}};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_WOULD_BLOCK);
	/* Nothing was queued. */
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_WOULD_BLOCK);
	release(ep);
}

void test_ipc_nbrecv_without_sender_would_block(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(atoll_nbrecv(ep, reply, &m), ATOLL_E_WOULD_BLOCK);
	/* A failed receive leaves no receiver behind. */
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_WOULD_BLOCK);
	release(reply);
	release(ep);
}

void test_ipc_nbsend_to_waiting_receiver_delivers(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 0);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	KCHECK(!op.done);
	atoll_msg_t m = {.info = atoll_msginfo(3, 0, 2), .w = {42, 43}};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	KCHECK_EQ(op.got.w[0], 42);
	KCHECK_EQ(op.got.w[1], 43);
	KCHECK_EQ(atoll_msginfo_label(op.got.info), 3);
	helper_stop(&h);
	release(ep);
}

void test_ipc_call_reply_roundtrip(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 4, 1);
	op.w[0] = 5;
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 5);
	KCHECK(m.info & ATOLL_MSG_WAS_CALL);
	KCHECK(!op.done); /* waits for the reply */
	m.info = atoll_msginfo(9, 0, 3);
	m.w[0] = 6;
	m.w[1] = 7;
	m.w[2] = 8;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(op.err, ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(op.got.info), 9);
	KCHECK_EQ(atoll_msginfo_length(op.got.info), 3);
	KCHECK_EQ(op.got.w[0], 6);
	KCHECK_EQ(op.got.w[2], 8);
	/* The reply was used up. */
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_NO_REPLY);
	helper_stop(&h);
	release(reply);
	release(ep);
}

void test_ipc_was_call_flag_only_on_call(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h1, h2;
	ipc_op_t send = ipc_op_to(ep, 1, 1), call = ipc_op_to(ep, 2, 1);
	KCHECK_EQ(ipc_op_start(&h1, &send, ipc_op_send, HELPER_PRIO), ATOLL_E_OK);
	KCHECK_EQ(ipc_op_start(&h2, &call, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), 1);
	KCHECK(!(m.info & ATOLL_MSG_WAS_CALL));
	/* A send leaves nothing to reply to. */
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_NO_REPLY);
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), 2);
	KCHECK(m.info & ATOLL_MSG_WAS_CALL);
	m.info = 0;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	KCHECK(call.done);
	helper_stop(&h1);
	helper_stop(&h2);
	release(reply);
	release(ep);
}

typedef struct client {
	uint64_t ep;
	unsigned calls, good;
	volatile int done;
} client_t;

/* Calls n times; the server answers w0 * 10. */
static void client_loop(void *arg)
{
	client_t *c = arg;
	for (unsigned i = 1; i <= c->calls; i++) {
		atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {i}};
		if (atoll_call(c->ep, &m) == ATOLL_E_OK && m.w[0] == i * 10 &&
		    atoll_msginfo_length(m.info) == 1)
			c->good++;
	}
	c->done = 1;
}

static void serve(uint64_t ep, uint64_t reply, atoll_msg_t *m, unsigned calls)
{
	for (unsigned i = 1; i <= calls; i++) {
		KCHECK_EQ(m->w[0], i);
		m->w[0] *= 10;
		m->info = atoll_msginfo(0, 0, 1);
		if (i < calls)
			KCHECK_EQ(atoll_reply_recv(ep, reply, m), ATOLL_E_OK);
		else
			KCHECK_EQ(atoll_reply(reply, m), ATOLL_E_OK);
	}
}

void test_ipc_reply_recv_server_loop(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	client_t c = {.ep = ep, .calls = 5};
	helper_t h;
	KCHECK_EQ(helper_start(&h, client_loop, &c, HELPER_PRIO, 0), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	serve(ep, reply, &m, c.calls);
	KCHECK(c.done);
	KCHECK_EQ(c.good, c.calls);
	helper_stop(&h);
	release(reply);
	release(ep);
}

/* A caller below the server's priority, with the server waiting: the
 * call and reply_recv fast paths. */
void test_ipc_fastpath_call_from_lower_priority(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	client_t c = {.ep = ep, .calls = 4};
	helper_t h;
	KCHECK_EQ(helper_start(&h, client_loop, &c, ROOT_PRIO - 10, 0), ATOLL_E_OK);
	atoll_msg_t m = {0};
	/* The client runs only once the root blocks here. */
	KCHECK_EQ(atoll_recv(ep, reply, &m), ATOLL_E_OK);
	KCHECK(m.info & ATOLL_MSG_WAS_CALL);
	serve(ep, reply, &m, c.calls);
	root_set_priority(ROOT_PRIO - 20); /* let the client see its last reply */
	root_set_priority(ROOT_PRIO);
	KCHECK(c.done);
	KCHECK_EQ(c.good, c.calls);
	helper_stop(&h);
	release(reply);
	release(ep);
}

static void long_call(void *arg)
{
	ipc_op_t *op = arg;
	for (unsigned i = ATOLL_MSG_REGS; i < 20; i++)
		op->self->ipc->mr[i] = 0x1000 + i;
	ipc_op_call(op);
}

void test_ipc_long_message_uses_ipc_buffer(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 5, 20);
	KCHECK_EQ(ipc_op_start(&h, &op, long_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_length(m.info), 20);
	KCHECK_EQ(m.w[7], 0x107);
	for (unsigned i = ATOLL_MSG_REGS; i < 20; i++)
		KCHECK_EQ(atoll_ipc_buffer_ptr->mr[i], 0x1000 + i);
	/* And a long reply back. */
	for (unsigned i = ATOLL_MSG_REGS; i < 12; i++)
		atoll_ipc_buffer_ptr->mr[i] = 0x2000 + i;
	m.info = atoll_msginfo(0, 0, 12);
	m.w[0] = 0x2000;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	KCHECK(op.done);
	KCHECK_EQ(atoll_msginfo_length(op.got.info), 12);
	KCHECK_EQ(op.got.w[0], 0x2000);
	for (unsigned i = ATOLL_MSG_REGS; i < 12; i++)
		KCHECK_EQ(h.ipc->mr[i], 0x2000 + i);
	helper_stop(&h);
	release(reply);
	release(ep);
}

void test_ipc_overlong_length_is_clamped(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 127); /* the most the length field holds */
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_send, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	atoll_error_t err = recv_soon(ep, 0, &m);
	if (err == ATOLL_E_OK)
		KCHECK_EQ(atoll_msginfo_length(m.info), ATOLL_MSG_MAX_WORDS);
	else
		KCHECK_EQ(op.err, ATOLL_E_INVALID_ARG); /* or refused outright */
	helper_stop(&h);
	release(ep);
}

static void send_twice(void *arg)
{
	ipc_op_t *op = arg;
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {1}};
	atoll_send(op->cap, &m);
	m = (atoll_msg_t){.info = atoll_msginfo(0, 0, 1), .w = {2}};
	op->err = atoll_send(op->reply /* the unbadged cap */, &m);
	op->done = 1;
}

void test_ipc_badge_identifies_sender(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t b = mint_cap(ep, ATOLL_RIGHTS_ALL, 0xbeef);
	helper_t h;
	ipc_op_t op = {.cap = b, .reply = ep};
	KCHECK_EQ(ipc_op_start(&h, &op, send_twice, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 1);
	KCHECK_EQ(m.badge, 0xbeef);
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 2);
	KCHECK_EQ(m.badge, 0);
	KCHECK(op.done);
	helper_stop(&h);
	release(b);
	release(ep);
}

void test_ipc_senders_queue_in_order(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h[3];
	ipc_op_t op[3];
	for (unsigned i = 0; i < 3; i++) {
		op[i] = ipc_op_to(ep, 0, 1);
		op[i].w[0] = i + 1;
		KCHECK_EQ(ipc_op_start(&h[i], &op[i], ipc_op_send, HELPER_PRIO), ATOLL_E_OK);
	}
	for (unsigned i = 0; i < 3; i++) {
		atoll_msg_t m;
		KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
		KCHECK_EQ(m.w[0], i + 1);
	}
	for (unsigned i = 0; i < 3; i++)
		helper_stop(&h[i]);
	release(ep);
}

void test_ipc_receivers_served_in_order(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h[2];
	ipc_op_t op[2];
	for (unsigned i = 0; i < 2; i++) {
		op[i] = ipc_op_to(ep, 0, 0);
		KCHECK_EQ(ipc_op_start(&h[i], &op[i], ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	}
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {1}};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_OK);
	KCHECK(op[0].done && !op[1].done);
	m = (atoll_msg_t){.info = atoll_msginfo(0, 0, 1), .w = {2}};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_OK);
	KCHECK(op[1].done);
	KCHECK_EQ(op[0].got.w[0], 1);
	KCHECK_EQ(op[1].got.w[0], 2);
	for (unsigned i = 0; i < 2; i++)
		helper_stop(&h[i]);
	release(ep);
}

/* A receiver that offered no Reply object: the call is delivered, and the
 * caller learns at once that no reply can come. */
void test_ipc_call_to_receiver_without_reply_object(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 0);
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {8}};
	KCHECK_EQ(atoll_call(ep, &m), ATOLL_E_NO_REPLY);
	KCHECK(op.done);
	KCHECK_EQ(op.got.w[0], 8);
	KCHECK(op.got.info & ATOLL_MSG_WAS_CALL);
	helper_stop(&h);
	release(ep);
}

/* The flags in a received message info are the kernel's to set: a sender
 * that puts them in its own info must not fool the receiver, on the slow
 * path (send) or the fast one (call). */
void test_ipc_sender_cannot_forge_flags(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	uint64_t flags = ATOLL_MSG_FROM_NOTIFICATION | ATOLL_MSG_WAS_CALL;
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0x5, 1);
	op.info |= flags;
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_send, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.info & flags, 0);
	KCHECK_EQ(atoll_msginfo_label(m.info), 0x5);
	helper_stop(&h);
	/* A caller below the waiting root takes the fast path. */
	op = ipc_op_to(ep, 0x6, 1);
	op.info |= flags;
	KCHECK_EQ(helper_prepare(&h, 0, ipc_op_call, &op, ROOT_PRIO - 10, 0), ATOLL_E_OK);
	op.self = &h;
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	m = (atoll_msg_t){0};
	KCHECK_EQ(atoll_recv(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.info & flags, ATOLL_MSG_WAS_CALL);
	KCHECK_EQ(atoll_msginfo_label(m.info), 0x6);
	/* And the reply's flags are not the replier's either. */
	m = (atoll_msg_t){.info = atoll_msginfo(0x7, 0, 0) | flags};
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	root_set_priority(ROOT_PRIO - 20);
	root_set_priority(ROOT_PRIO);
	KCHECK(op.done);
	KCHECK_EQ(op.got.info & flags, 0);
	KCHECK_EQ(atoll_msginfo_label(op.got.info), 0x7);
	helper_stop(&h);
	release(reply);
	release(ep);
}

/* One message, sent once on the slow path (send) and once on the fast path
 * (call to a waiting server): the receiver must see the same info word,
 * apart from WAS_CALL. Bit 11 is one the ABI does not define. */
void test_ipc_fast_and_slow_paths_deliver_same_info(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	uint64_t info = atoll_msginfo(0x9, 0, 2) | 1u << 11;
	helper_t h;
	ipc_op_t op = ipc_op_to(ep, 0, 0);
	op.info = info;
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_send, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t slow;
	KCHECK_EQ(recv_soon(ep, 0, &slow), ATOLL_E_OK);
	helper_stop(&h);
	op = ipc_op_to(ep, 0, 0);
	op.info = info;
	KCHECK_EQ(helper_prepare(&h, 0, ipc_op_call, &op, ROOT_PRIO - 10, 0), ATOLL_E_OK);
	op.self = &h;
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	atoll_msg_t fast = {0};
	KCHECK_EQ(atoll_recv(ep, reply, &fast), ATOLL_E_OK);
	KCHECK_EQ(fast.info & ~(uint64_t)ATOLL_MSG_WAS_CALL, slow.info);
	fast = (atoll_msg_t){.info = 0};
	KCHECK_EQ(atoll_reply(reply, &fast), ATOLL_E_OK);
	root_set_priority(ROOT_PRIO - 20);
	root_set_priority(ROOT_PRIO);
	helper_stop(&h);
	release(reply);
	release(ep);
}

void test_ipc_send_needs_write_recv_needs_read(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t r = mint_cap(ep, ATOLL_RIGHT_READ | ATOLL_RIGHT_GRANT, 0);
	uint64_t w = mint_cap(ep, ATOLL_RIGHT_WRITE | ATOLL_RIGHT_GRANT, 0);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_send(r, &m), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_nbsend(r, &m), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_call(r, &m), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_recv(w, 0, &m), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_nbrecv(w, 0, &m), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(atoll_reply_recv(w, 0, &m), ATOLL_E_NO_RIGHTS);
	release(w);
	release(r);
	release(ep);
}

void test_ipc_wrong_object_types(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(ATOLL_SLOT_TCB, 0, &m), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(atoll_nbrecv(ATOLL_SLOT_CNODE, 0, &m), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(atoll_nbrecv(ATOLL_SLOT_IPC_BUFFER, 0, &m), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(atoll_nbrecv(reply, 0, &m), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(atoll_nbsend(ATOLL_SLOT_TCB, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_send(reply, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_call(n, &m), ATOLL_E_ILLEGAL_OP);
	release(reply);
	release(n);
}

void test_ipc_recv_with_bad_reply_cap(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t empty = slot_get();
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(ep, empty, &m), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_nbrecv(ep, 1ULL << bi->cnode_radix, &m), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_nbrecv(ep, ep, &m), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(atoll_nbrecv(ep, ATOLL_SLOT_TCB, &m), ATOLL_E_WRONG_TYPE);
	release(empty);
	release(ep);
}

void test_ipc_reply_without_caller_is_no_reply(void)
{
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {1}};
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_NO_REPLY);
	release(reply);
}

void test_ipc_reply_with_bad_cap(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t empty = slot_get();
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_reply(0, &m), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_reply(empty, &m), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_reply(ep, &m), ATOLL_E_WRONG_TYPE);
	release(empty);
	release(ep);
}
