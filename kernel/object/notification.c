#include <core/message.h>
#include <core/sched.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/objects.h>
#include <object/reply.h>

static void deliver(tcb_t *t, uint64_t word)
{
	t->ctx.rax = ATOLL_E_OK;
	t->ctx.rdi = word;
	t->ctx.rsi = ATOLL_MSG_FROM_NOTIFICATION;
	thread_make_runnable(t);
}

void notification_signal(notification_t *n, uint64_t badge)
{
	tcb_t *bound = n->bound_tcb;
	if (n->waiters.head) {
		tcb_t *t = n->waiters.head;
		thread_queue_remove(&n->waiters, t);
		deliver(t, n->word | badge);
		n->word = 0;
		n->active = 0;
		return;
	}
	if (bound && bound->state == THREAD_BLOCKED_RECV) {
		/* The bound thread waits on its endpoint: the signal ends that wait. */
		endpoint_cancel(bound->blocked_on, bound);
		reply_drop_receiver(bound);
		deliver(bound, n->word | badge);
		n->word = 0;
		n->active = 0;
		return;
	}
	n->word |= badge;
	n->active = 1;
}

void notification_wait(notification_t *n, tcb_t *t, bool blocking)
{
	if (n->active || !blocking) {
		t->ctx.rax = n->active ? ATOLL_E_OK : ATOLL_E_WOULD_BLOCK;
		t->ctx.rdi = n->word;
		t->ctx.rsi = ATOLL_MSG_FROM_NOTIFICATION;
		n->word = 0;
		n->active = 0;
		return;
	}
	t->state = THREAD_BLOCKED_NOTIFICATION;
	t->blocked_on = n;
	thread_queue_append(&n->waiters, t);
}

void notification_cancel(notification_t *n, tcb_t *t)
{
	thread_queue_remove(&n->waiters, t);
	t->blocked_on = NULL;
}

void notification_finalize(notification_t *n)
{
	while (n->waiters.head) {
		tcb_t *t = n->waiters.head;
		thread_queue_remove(&n->waiters, t);
		thread_release_with_error(t, ATOLL_E_CANCELLED);
	}
	irq_notification_gone(n);
	if (n->bound_tcb) {
		n->bound_tcb->bound_notification = NULL;
		n->bound_tcb = NULL;
	}
}
