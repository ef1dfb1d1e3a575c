#ifndef OBJECT_REPLY_H
#define OBJECT_REPLY_H

#include <atoll/errors.h>
#include <object/structures.h>

/* A caller now waits in reply (any earlier caller is released with an error). */
void reply_bind(reply_t *reply, tcb_t *caller, tcb_t *receiver);
/* Answer the caller waiting in reply with replier's message. */
atoll_error_t reply_send(reply_t *reply, tcb_t *replier, uint64_t info);
/* A receiving thread leaves its Reply object (its receive ended or was
 * cancelled); the object's link is cleared only if it still names t. */
static inline void reply_drop_receiver(tcb_t *t)
{
	reply_t *reply = t->reply;
	if (!reply)
		return;
	if (reply->receiver == t)
		reply->receiver = NULL;
	t->reply = NULL;
}
/* Forget the caller (it is dying or cancelled). */
void reply_unbind(reply_t *reply);
void reply_finalize(reply_t *reply);

#endif
