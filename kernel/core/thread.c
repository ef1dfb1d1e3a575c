/*
 * Thread state changes that involve several objects: leaving whatever queue
 * a thread waits in, and waking it with an error.
 */
#include <core/message.h>
#include <core/sched.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/reply.h>

void thread_unblock_queues(tcb_t *t)
{
	switch (t->state) {
	case THREAD_BLOCKED_SEND:
	case THREAD_BLOCKED_RECV:
		endpoint_cancel(t->blocked_on, t);
		reply_drop_receiver(t);
		break;
	case THREAD_BLOCKED_REPLY:
		reply_unbind(t->blocked_on);
		break;
	case THREAD_BLOCKED_NOTIFICATION:
		notification_cancel(t->blocked_on, t);
		break;
	case THREAD_RUNNABLE:
		if (t != sched_current())
			sched_dequeue(t);
		break;
	default:
		break;
	}
	t->blocked_on = NULL;
}

void thread_release_with_error(tcb_t *t, atoll_error_t err)
{
	t->blocked_on = NULL;
	reply_drop_receiver(t);
	if (t->pending_fault) {
		t->pending_fault = 0;
		t->state = THREAD_INACTIVE;
		return;
	}
	syscall_set_result(t, err, 0);
	thread_make_runnable(t);
}
