#ifndef ATOLL_RT_SERVER_H
#define ATOLL_RT_SERVER_H

/*
 * The server skeleton. A server fills a server_ops_t and calls server_run,
 * which owns the receive loop on the service endpoint; every server then
 * answers the same way.
 *
 * Requests are calls. Each one is received into a free Reply object of the
 * server (proc gives a service PROC_REPLY_COUNT of them, PROC_SLOT_REPLY on).
 * The handler either answers at once (server_ok, server_error) or defers
 * (server_defer): the caller then stays parked in that Reply object, which
 * the loop no longer receives into, until the server answers it with
 * server_reply from a later request or notification. One Reply object is
 * kept back: when all the others hold deferred callers, the next request is
 * received into it and must be answered at once. Handlers ask
 * server_can_defer before they queue a request; a request deferred without
 * room is answered ATOLL_E_BUSY by the loop.
 *
 * The answer's error is the reply's label (read by atoll_rpc); its words go
 * back in the request's own atoll_msg_t (words 8 and up in the IPC buffer,
 * msg_set_word), so a handler reads what it needs before it writes. A label
 * the server does not know gets server_unknown(): ATOLL_E_ILLEGAL_OP and no
 * words, from every server alike.
 *
 * Capabilities sent with a request land in s->cap_slot, s->cap_slot + 1, ...
 * (0: the server accepts none). They are valid while the handler runs; one
 * it wants to keep it moves away with server_keep_cap, and the loop deletes
 * the rest, so the slots are empty for the next request.
 *
 * A signal on the notification bound to the server's thread (a driver's
 * interrupts) ends the receive; ops->notify gets the bits.
 */
#include <atoll/errors.h>
#include <atoll/proto/proc.h>
#include <atoll_rt/syscall.h>
#include <stdbool.h>
#include <stdint.h>

#define SERVER_REPLY_MAX 32 /* Reply objects a server can use */

typedef struct server server_t;

/* What a handler did with a request. */
typedef struct server_result {
	bool deferred;     /* no answer yet: the Reply object stays held */
	atoll_error_t err; /* the answer's label */
	unsigned length;   /* the answer's words, already in the message */
} server_result_t;

static inline server_result_t server_ok(unsigned length)
{
	return (server_result_t){.deferred = false, .err = ATOLL_E_OK, .length = length};
}

static inline server_result_t server_error(atoll_error_t err)
{
	return (server_result_t){.deferred = false, .err = err, .length = 0};
}

static inline server_result_t server_unknown(void)
{
	return server_error(ATOLL_E_ILLEGAL_OP);
}

static inline server_result_t server_defer(void)
{
	return (server_result_t){.deferred = true, .err = ATOLL_E_OK, .length = 0};
}

typedef struct server_ops {
	/* A call with this label from a client with this badge; msg->info
	 * says how many words and capabilities came. reply names the Reply
	 * object holding the caller, for server_reply after a deferral. */
	server_result_t (*handle)(server_t *s, uint64_t label, atoll_msg_t *msg, uint64_t badge,
	                          unsigned reply);
	/* The bound notification was signalled with these bits. Optional. */
	void (*notify)(server_t *s, uint64_t bits);
	/* A one-way message (a send, not a call): nobody waits for an
	 * answer. Optional; without it such messages are ignored. */
	void (*message)(server_t *s, uint64_t label, atoll_msg_t *msg, uint64_t badge);
} server_ops_t;

struct server {
	const server_ops_t *ops;
	void *data;          /* the server's own state */
	uint64_t endpoint;   /* received on: PROC_SLOT_SERVICE */
	uint64_t reply_base; /* Reply objects reply_base .. + reply_count - 1 */
	unsigned reply_count;
	uint64_t cnode;    /* the CNode received capabilities land in */
	uint64_t cap_slot; /* first slot for them there; 0 accepts none */
	uint32_t held;     /* Reply objects with a deferred caller, one bit each */
};

/* The defaults of a service proc started (PROC_SLOT_*); a server adjusts
 * the fields (cap_slot, say) before server_run. */
void server_init(server_t *s, const server_ops_t *ops, void *data);

/* Serve until the endpoint fails (it was deleted, say); returns that error. */
atoll_error_t server_run(server_t *s);

/* Whether the request in Reply object reply may be deferred. */
bool server_can_defer(const server_t *s, unsigned reply);

/* Answer a deferred request: err as the label, length words from msg
 * (words 8 and up from the IPC buffer; msg may be NULL for none).
 * ATOLL_E_NO_REPLY if reply holds no deferred request or its caller is
 * gone; the Reply object is free again either way. */
atoll_error_t server_reply(server_t *s, unsigned reply, atoll_error_t err, atoll_msg_t *msg,
                           unsigned length);

/* Keep the i-th capability received with the current request: move it to
 * slot dest (empty) of s->cnode. */
atoll_error_t server_keep_cap(server_t *s, unsigned i, uint64_t dest);

#endif
