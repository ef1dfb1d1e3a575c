#ifndef OBJECT_ENDPOINT_H
#define OBJECT_ENDPOINT_H

#include <core/thread_queue.h>
#include <object/structures.h>

/*
 * Synchronous rendezvous. A sender and a receiver meet at an endpoint; the
 * one that arrives first waits in its queue. A call additionally parks the
 * sender in the receiver's Reply object until someone replies through it.
 */
void endpoint_send(endpoint_t *ep, tcb_t *sender, uint64_t info, uint64_t badge, bool blocking,
                   bool can_grant, bool is_call);
void endpoint_receive(endpoint_t *ep, tcb_t *receiver, reply_t *reply, bool blocking);
/* Take a blocked thread out of the endpoint's queue. */
void endpoint_cancel(endpoint_t *ep, tcb_t *t);
/* The last capability is gone: release every waiting thread with an error. */
void endpoint_finalize(endpoint_t *ep);

/* The first thread waiting at a non-empty endpoint, taken out of the queue. */
static inline tcb_t *endpoint_dequeue(endpoint_t *ep)
{
	tcb_t *t = thread_queue_pop(&ep->queue);
	if (!ep->queue.head)
		ep->state = EP_IDLE;
	return t;
}

#endif
