/*
 * Reply objects hold the caller of a call until the server answers. A server
 * that keeps several callers waiting (a pipe reader, a sleeping process)
 * simply receives each call into a different Reply object.
 */
#include <core/fault.h>
#include <core/message.h>
#include <core/sched.h>
#include <object/reply.h>

void reply_bind(reply_t *reply, tcb_t *caller, tcb_t *receiver)
{
	if (reply->caller)
		thread_release_with_error(reply->caller, ATOLL_E_CANCELLED);
	reply->caller = caller;
	caller->state = THREAD_BLOCKED_REPLY;
	caller->blocked_on = reply;
}

void reply_unbind(reply_t *reply)
{
	if (reply->caller)
		reply->caller->blocked_on = NULL;
	reply->caller = NULL;
}

atoll_error_t reply_send(reply_t *reply, tcb_t *replier, uint64_t info)
{
	tcb_t *caller = reply->caller;
	if (!caller)
		return ATOLL_E_NO_REPLY;
	if (caller->pending_fault) {
		atoll_error_t err = fault_reply(caller, replier, info);
		if (err)
			return err;
	} else {
		/* A reply may carry capabilities: the caller opted in by offering
		 * receive slots in its IPC buffer. */
		replier->send_is_call = false;
		ipc_transfer(replier, caller, info, 0, true);
		thread_make_runnable(caller);
	}
	reply->caller = NULL;
	return ATOLL_E_OK;
}

void reply_finalize(reply_t *reply)
{
	if (reply->caller) {
		tcb_t *caller = reply->caller;
		reply->caller = NULL;
		thread_release_with_error(caller, ATOLL_E_CANCELLED);
	}
	if (reply->receiver) {
		reply->receiver->reply = NULL;
		reply->receiver = NULL;
	}
}
