#include <atoll/errors.h>
#include <core/message.h>
#include <core/sched.h>
#include <core/thread_queue.h>
#include <object/endpoint.h>
#include <object/reply.h>

/* After a message reached its receiver: park a caller, or let the sender go. */
static void complete_send(tcb_t *sender, tcb_t *receiver, reply_t *reply)
{
	if (sender->send_is_call) {
		if (reply) {
			reply_bind(reply, sender, receiver);
			return;
		}
		/* The receiver offered nothing to reply through. A faulting
		 * thread could never be resumed: it stops. */
		if (sender->pending_fault) {
			sender->pending_fault = 0;
			sender->state = THREAD_INACTIVE;
			return;
		}
		syscall_set_result(sender, ATOLL_E_NO_REPLY, 0);
	} else {
		syscall_set_result(sender, ATOLL_E_OK, 0);
	}
	if (sender->state != THREAD_RUNNABLE)
		thread_make_runnable(sender);
}

void endpoint_send(endpoint_t *ep, tcb_t *sender, uint64_t info, uint64_t badge, bool blocking,
                   bool can_grant, bool is_call)
{
	sender->send_is_call = is_call;
	if (ep->state == EP_RECEIVERS) {
		tcb_t *receiver = endpoint_dequeue(ep);
		reply_t *reply = receiver->reply;
		reply_drop_receiver(receiver);
		ipc_transfer(sender, receiver, info, badge, can_grant);
		thread_make_runnable(receiver);
		complete_send(sender, receiver, reply);
		return;
	}
	if (!blocking) {
		syscall_set_result(sender, ATOLL_E_WOULD_BLOCK, 0);
		return;
	}
	sender->state = THREAD_BLOCKED_SEND;
	sender->blocked_on = ep;
	sender->send_info = info;
	sender->send_badge = badge;
	sender->send_can_grant = can_grant;
	thread_queue_append(&ep->queue, sender);
	ep->state = EP_SENDERS;
}

void endpoint_receive(endpoint_t *ep, tcb_t *receiver, reply_t *reply, bool blocking)
{
	if (ep->state == EP_SENDERS) {
		tcb_t *sender = endpoint_dequeue(ep);
		ipc_transfer(sender, receiver, sender->send_info, sender->send_badge,
		             sender->send_can_grant);
		complete_send(sender, receiver, reply);
		return;
	}
	if (!blocking) {
		syscall_set_result(receiver, ATOLL_E_WOULD_BLOCK, 0);
		return;
	}
	/* One receiver per Reply object: another thread waits with this one. */
	if (reply && reply->receiver && reply->receiver != receiver) {
		syscall_set_result(receiver, ATOLL_E_BUSY, 0);
		return;
	}
	receiver->state = THREAD_BLOCKED_RECV;
	receiver->blocked_on = ep;
	receiver->reply = reply;
	if (reply)
		reply->receiver = receiver;
	thread_queue_append(&ep->queue, receiver);
	ep->state = EP_RECEIVERS;
}

void endpoint_cancel(endpoint_t *ep, tcb_t *t)
{
	thread_queue_remove(&ep->queue, t);
	if (!ep->queue.head)
		ep->state = EP_IDLE;
	t->blocked_on = NULL;
}

void endpoint_finalize(endpoint_t *ep)
{
	while (ep->queue.head) {
		tcb_t *t = endpoint_dequeue(ep);
		reply_drop_receiver(t);
		thread_release_with_error(t, ATOLL_E_CANCELLED);
	}
}
