/*
 * The server receive loop (see atoll_rt/server.h). The common path is one
 * reply_recv per request: the answer goes out through the Reply object the
 * request came in on, and the next request is received into that same,
 * now free, object. After a deferral or a notification there is nothing to
 * answer, so the loop receives into the lowest free Reply object; the last
 * one is the reserve, used only when all others are held.
 */
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/server.h>

void server_init(server_t *s, const server_ops_t *ops, void *data)
{
	s->ops = ops;
	s->data = data;
	s->endpoint = PROC_SLOT_SERVICE;
	s->reply_base = PROC_SLOT_REPLY;
	s->reply_count = PROC_REPLY_COUNT;
	s->cnode = PROC_SLOT_CNODE;
	s->cap_slot = 0;
	s->held = 0;
}

static unsigned reserve(const server_t *s)
{
	return s->reply_count - 1;
}

/* The Reply object to receive the next request into. */
static unsigned next_free(const server_t *s)
{
	for (unsigned i = 0; i < reserve(s); i++)
		if (!(s->held & (1u << i)))
			return i;
	return reserve(s);
}

bool server_can_defer(const server_t *s, unsigned reply)
{
	return reply < reserve(s);
}

atoll_error_t server_reply(server_t *s, unsigned reply, atoll_error_t err, atoll_msg_t *msg,
                           unsigned length)
{
	if (reply >= reserve(s) || !(s->held & (1u << reply)))
		return ATOLL_E_NO_REPLY;
	s->held &= ~(1u << reply);
	atoll_msg_t none = {0};
	if (!msg) {
		msg = &none;
		length = 0;
	}
	msg->info = atoll_msginfo(err, 0, length);
	return atoll_reply(s->reply_base + reply, msg);
}

atoll_error_t server_keep_cap(server_t *s, unsigned i, uint64_t dest)
{
	if (!s->cap_slot)
		return ATOLL_E_INVALID_CAP;
	return cnode_move(s->cnode, dest, s->cnode, s->cap_slot + i);
}

/* Empty the receive slots of whatever the handler did not keep. */
static void drop_caps(server_t *s, uint64_t info)
{
	unsigned caps = atoll_msginfo_caps(info);
	for (unsigned i = 0; i < caps && s->cap_slot; i++)
		cnode_delete(s->cnode, s->cap_slot + i);
}

static void offer_cap_slots(const server_t *s)
{
	atoll_ipc_buffer_ptr->recv_cnode = s->cnode;
	atoll_ipc_buffer_ptr->recv_index = s->cap_slot;
}

atoll_error_t server_run(server_t *s)
{
	if (s->reply_count < 2 || s->reply_count > SERVER_REPLY_MAX)
		return ATOLL_E_RANGE;
	atoll_msg_t m = {0};
	bool answer = false; /* m holds the answer for Reply object cur */
	unsigned cur = 0;
	for (;;) {
		unsigned next = next_free(s);
		if (answer && cur == reserve(s) && next != cur) {
			/* A Reply object came free while the reserve was in
			 * use: answer apart, so the next request may defer. */
			atoll_reply(s->reply_base + cur, &m);
			answer = false;
		}
		if (!answer)
			cur = next;
		offer_cap_slots(s);
		uint64_t reply = s->reply_base + cur;
		atoll_error_t err = answer ? atoll_reply_recv(s->endpoint, reply, &m) :
		                             atoll_recv(s->endpoint, reply, &m);
		answer = false;
		if (err)
			return err;
		if (m.info & ATOLL_MSG_FROM_NOTIFICATION) {
			if (s->ops->notify)
				s->ops->notify(s, m.badge);
			continue;
		}
		uint64_t info = m.info, label = atoll_msginfo_label(info);
		if (!(info & ATOLL_MSG_WAS_CALL)) {
			if (s->ops->message)
				s->ops->message(s, label, &m, m.badge);
			drop_caps(s, info);
			continue;
		}
		server_result_t r = s->ops->handle(s, label, &m, m.badge, cur);
		drop_caps(s, info);
		if (r.deferred && server_can_defer(s, cur)) {
			s->held |= 1u << cur;
			continue;
		}
		if (r.deferred) {
			printf("server: a request was deferred with no Reply object to spare\n");
			r = server_error(ATOLL_E_BUSY);
		}
		m.info = atoll_msginfo(r.err, 0, r.length);
		answer = true;
	}
}
