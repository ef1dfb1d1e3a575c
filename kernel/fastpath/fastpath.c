/*
 * Call and reply_recv without queue walks or allocation: look up the
 * capabilities, check that the partner is waiting and may run now, move
 * up to eight register words and switch straight to the partner.
 */
#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <atoll/invocations.h>
#include <atoll/objects.h>
#include <atoll/syscall.h>
#include <core/fault.h>
#include <core/message.h>
#include <core/sched.h>
#include <fastpath/fastpath.h>
#include <object/endpoint.h>
#include <object/reply.h>

/* The capability at cptr in t's CSpace if it has type and rights, else NULL. */
static inline const cap_t *fast_lookup(tcb_t *t, uint64_t cptr, unsigned type, unsigned rights)
{
	const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
	if (cptr - 1 >= (1ULL << root->size_bits) - 1) /* also rejects 0 */
		return NULL;
	const cap_t *cap = &((const cte_t *)root->obj)[cptr].cap;
	if (cap->type != type || (cap->rights & rights) != rights)
		return NULL;
	return cap;
}

/* Bits 9..11 of a message info are the kernel's to set on receive. */
#define KERNEL_INFO_BITS 0xe00ULL

/* Only register words and no capabilities. */
static inline bool fast_message(uint64_t info)
{
	return (info & ((1u << (ATOLL_MSG_LENGTH_BITS + ATOLL_MSG_CAPS_BITS)) - 1)) <=
	       ATOLL_MSG_REGS;
}

static inline void copy_words(user_context_t *to, const user_context_t *from)
{
	to->rdx = from->rdx;
	to->r8 = from->r8;
	to->r9 = from->r9;
	to->r10 = from->r10;
	to->r12 = from->r12;
	to->r13 = from->r13;
	to->r14 = from->r14;
	to->r15 = from->r15;
}

/* Can receiver, waiting at an endpoint, take a call from caller and run at
 * once? It needs a free Reply object, an address space, and no lower
 * priority than the caller's. */
static inline bool can_take_call(const tcb_t *receiver, const tcb_t *caller)
{
	const reply_t *reply = receiver->reply;
	return reply && !reply->caller && receiver->priority >= caller->priority &&
	       receiver->slots[TCB_SLOT_VSPACE].cap.type == ATOLL_OBJ_VSPACE;
}

/* The receiver leaves the endpoint; the caller waits in its Reply object. */
static inline void take_call(endpoint_t *ep, tcb_t *receiver, tcb_t *caller)
{
	reply_t *reply = receiver->reply;
	endpoint_dequeue(ep);
	reply_drop_receiver(receiver);
	reply->caller = caller;
	caller->state = THREAD_BLOCKED_REPLY;
	caller->blocked_on = reply;
	caller->send_is_call = 1;
}

user_context_t *fastpath_call(tcb_t *caller)
{
	uint64_t info = caller->ctx.rsi;
	if (!fast_message(info))
		return NULL;
	const cap_t *cap =
		fast_lookup(caller, caller->ctx.rdi, ATOLL_OBJ_ENDPOINT, ATOLL_RIGHT_WRITE);
	if (!cap)
		return NULL;
	endpoint_t *ep = (endpoint_t *)cap->obj;
	if (ep->state != EP_RECEIVERS)
		return NULL;
	tcb_t *server = ep->queue.head;
	if (!can_take_call(server, caller))
		return NULL;

	/* Everything checked: commit. */
	take_call(ep, server, caller);

	copy_words(&server->ctx, &caller->ctx);
	server->ctx.rax = ATOLL_E_OK;
	server->ctx.rdi = cap->data;
	server->ctx.rsi = (info & ~KERNEL_INFO_BITS) | ATOLL_MSG_WAS_CALL;
	server->state = THREAD_RUNNABLE;
	server->blocked_on = NULL;
	thread_switch(server);
	return &server->ctx;
}

/* Whether a reply may resume caller, which is delivering a fault, here: it
 * sets at most rax (an emulated system call's result; none for a page fault
 * the handler has mapped), as fault_reply would, and does not ask for the
 * thread to stay stopped. */
static inline bool fault_reply_fits(uint64_t info)
{
	return (info & ((1u << ATOLL_MSG_LENGTH_BITS) - 1)) <= 1 &&
	       atoll_msginfo_label(info) != ATOLL_FAULT_REPLY_STOP;
}

/* Give caller, waiting in a Reply object, the answer in replier's registers. */
static inline void deliver_reply(tcb_t *caller, const tcb_t *replier, uint64_t info)
{
	if (caller->pending_fault) {
		if (info & 1)
			caller->ctx.rax = replier->ctx.rdx;
		caller->pending_fault = 0;
	} else {
		copy_words(&caller->ctx, &replier->ctx);
		caller->ctx.rax = ATOLL_E_OK;
		caller->ctx.rdi = 0;
		caller->ctx.rsi =
			info & ~(uint64_t)(ATOLL_MSG_FROM_NOTIFICATION | ATOLL_MSG_WAS_CALL);
	}
	caller->state = THREAD_RUNNABLE;
	caller->blocked_on = NULL;
}

user_context_t *fastpath_reply_recv(tcb_t *server)
{
	uint64_t info = server->ctx.rsi;
	if (!fast_message(info))
		return NULL;
	const cap_t *rcap = fast_lookup(server, server->ctx.rbx, ATOLL_OBJ_REPLY, 0);
	const cap_t *ecap =
		fast_lookup(server, server->ctx.rdi, ATOLL_OBJ_ENDPOINT, ATOLL_RIGHT_READ);
	if (!rcap || !ecap)
		return NULL;
	reply_t *reply = (reply_t *)rcap->obj;
	endpoint_t *ep = (endpoint_t *)ecap->obj;
	tcb_t *caller = reply->caller;
	if (!caller || ep->state == EP_SENDERS || (reply->receiver && reply->receiver != server))
		return NULL;
	if (caller->pending_fault && !fault_reply_fits(info))
		return NULL;
	if (server->bound_notification && server->bound_notification->active)
		return NULL;
	if ((int)caller->priority < sched_highest_priority() ||
	    caller->slots[TCB_SLOT_VSPACE].cap.type != ATOLL_OBJ_VSPACE)
		return NULL;

	/* Commit: the caller gets the reply, the server waits on the endpoint. */
	reply->caller = NULL;
	deliver_reply(caller, server, info);

	server->state = THREAD_BLOCKED_RECV;
	server->blocked_on = ep;
	server->reply = reply;
	reply->receiver = server;
	thread_queue_append(&ep->queue, server);
	ep->state = EP_RECEIVERS;

	thread_switch(caller);
	return &caller->ctx;
}

/*
 * A reply alone (a server answering a request it had deferred): the caller
 * becomes runnable and the replier goes on, which is what the slow path's
 * schedule() decides when the caller is not above the replier, nothing
 * runnable is, the replier's timeslice is not used up and its address
 * space needs no reload. Anything else is left to the slow path.
 */
user_context_t *fastpath_reply(tcb_t *t)
{
	uint64_t info = t->ctx.rsi;
	if (!fast_message(info))
		return NULL;
	const cap_t *rcap = fast_lookup(t, t->ctx.rbx, ATOLL_OBJ_REPLY, 0);
	if (!rcap)
		return NULL;
	reply_t *reply = (reply_t *)rcap->obj;
	tcb_t *caller = reply->caller;
	if (!caller)
		return NULL;
	if (caller->pending_fault && !fault_reply_fits(info))
		return NULL;
	if (caller->priority > t->priority || sched_highest_priority() > (int)t->priority ||
	    !t->timeslice_left || this_cpu()->reload_current ||
	    t->slots[TCB_SLOT_VSPACE].cap.type != ATOLL_OBJ_VSPACE)
		return NULL;

	/* Commit, as reply_send and schedule would. */
	reply->caller = NULL;
	if (!caller->pending_fault)
		t->send_is_call = 0;
	deliver_reply(caller, t, info);
	sched_enqueue(caller);
	t->ctx.rax = ATOLL_E_OK;
	t->ctx.rsi = 0;
	return &t->ctx;
}

/*
 * An unknown system call (a Linux program's syscall) to a handler that is
 * waiting: the fault message is composed straight into the handler's
 * registers and IPC buffer.
 */
user_context_t *fastpath_unknown_syscall(tcb_t *t)
{
	const cap_t *cap = &t->slots[TCB_SLOT_FAULT_ENDPOINT].cap;
	if (cap->type != ATOLL_OBJ_ENDPOINT)
		return NULL;
	endpoint_t *ep = (endpoint_t *)cap->obj;
	if (ep->state != EP_RECEIVERS)
		return NULL;
	tcb_t *handler = ep->queue.head;
	atoll_ipc_buffer_t *buf = thread_ipc_buffer(handler);
	if (!buf || !can_take_call(handler, t))
		return NULL;

	take_call(ep, handler, t);
	t->pending_fault = ATOLL_FAULT_UNKNOWN_SYSCALL;

	const user_context_t *c = &t->ctx;
	user_context_t *h = &handler->ctx;
	h->rdx = c->rax;
	h->r8 = c->rdi;
	h->r9 = c->rsi;
	h->r10 = c->rdx;
	h->r12 = c->r10;
	h->r13 = c->r8;
	h->r14 = c->r9;
	h->r15 = c->rip;
	context_get_buffer_registers(c, buf->mr);
	h->rax = ATOLL_E_OK;
	h->rdi = cap->data;
	h->rsi =
		atoll_msginfo(ATOLL_FAULT_UNKNOWN_SYSCALL, 0, ATOLL_REG_COUNT) | ATOLL_MSG_WAS_CALL;
	handler->state = THREAD_RUNNABLE;
	handler->blocked_on = NULL;
	thread_switch(handler);
	return h;
}

/*
 * Signalling a notification: no queue walk, and a switch only when the
 * woken waiter has a higher priority than the signaller.
 */
user_context_t *fastpath_signal(tcb_t *t)
{
	const cap_t *cap = fast_lookup(t, t->ctx.rdi, ATOLL_OBJ_NOTIFICATION, ATOLL_RIGHT_WRITE);
	if (!cap)
		return NULL;
	notification_t *n = (notification_t *)cap->obj;
	tcb_t *waiter = n->waiters.head;
	if (n->bound_tcb || (waiter && waiter->slots[TCB_SLOT_VSPACE].cap.type != ATOLL_OBJ_VSPACE))
		return NULL;
	t->ctx.rax = ATOLL_E_OK;
	t->ctx.rsi = 0;
	if (!waiter) {
		n->word |= cap->data;
		n->active = 1;
		return &t->ctx;
	}
	thread_queue_pop(&n->waiters);
	waiter->ctx.rax = ATOLL_E_OK;
	waiter->ctx.rdi = n->word | cap->data;
	waiter->ctx.rsi = ATOLL_MSG_FROM_NOTIFICATION;
	n->word = 0;
	n->active = 0;
	waiter->state = THREAD_RUNNABLE;
	waiter->blocked_on = NULL;
	if (waiter->priority <= t->priority) {
		sched_enqueue(waiter);
		return &t->ctx;
	}
	sched_enqueue_front(t); /* preempted: it keeps its turn */
	thread_switch(waiter);
	return &waiter->ctx;
}

/*
 * A blocking receive on an endpoint no sender waits at (a server with
 * nothing to answer, after it deferred a request): block and switch to the
 * next thread, as endpoint_receive and schedule would. The slow path takes
 * a waiting sender, a pending bound notification, a Reply object another
 * thread receives with, and the idle case.
 */
/* Out of line: the notification wait keeps its own short frame. */
__attribute__((noinline)) static user_context_t *recv_endpoint(tcb_t *t)
{
	const cap_t *cap = fast_lookup(t, t->ctx.rdi, ATOLL_OBJ_ENDPOINT, ATOLL_RIGHT_READ);
	if (!cap)
		return NULL;
	endpoint_t *ep = (endpoint_t *)cap->obj;
	if (ep->state == EP_SENDERS)
		return NULL;
	reply_t *reply = NULL;
	if (t->ctx.rbx) {
		const cap_t *rcap = fast_lookup(t, t->ctx.rbx, ATOLL_OBJ_REPLY, 0);
		if (!rcap)
			return NULL;
		reply = (reply_t *)rcap->obj;
		if (reply->receiver && reply->receiver != t)
			return NULL;
	}
	if (t->bound_notification && t->bound_notification->active)
		return NULL;
	if (sched_highest_priority() < 0)
		return NULL;
	tcb_t *next = sched_dequeue_highest();
	if (!next)
		return NULL;

	t->state = THREAD_BLOCKED_RECV;
	t->blocked_on = ep;
	t->reply = reply;
	if (reply)
		reply->receiver = t;
	thread_queue_append(&ep->queue, t);
	ep->state = EP_RECEIVERS;
	this_cpu()->reload_current = 0;
	thread_switch(next);
	return &next->ctx;
}

/*
 * Waiting on a notification: take pending bits at once, or block and switch
 * to the next thread (the slow path idles when there is none). A receive on
 * an endpoint goes to recv_endpoint.
 */
user_context_t *fastpath_wait(tcb_t *t)
{
	const cap_t *cap = fast_lookup(t, t->ctx.rdi, ATOLL_OBJ_NOTIFICATION, ATOLL_RIGHT_READ);
	if (!cap)
		return recv_endpoint(t);
	notification_t *n = (notification_t *)cap->obj;
	if (n->active) {
		t->ctx.rax = ATOLL_E_OK;
		t->ctx.rdi = n->word;
		t->ctx.rsi = ATOLL_MSG_FROM_NOTIFICATION;
		n->word = 0;
		n->active = 0;
		return &t->ctx;
	}
	if (sched_highest_priority() < 0)
		return NULL;
	tcb_t *next = sched_dequeue_highest();
	if (!next)
		return NULL; /* the slow path blocks t and idles */
	t->state = THREAD_BLOCKED_NOTIFICATION;
	t->blocked_on = n;
	thread_queue_append(&n->waiters, t);
	thread_switch(next);
	return &next->ctx;
}
