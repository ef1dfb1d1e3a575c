/*
 * The root as a fault handler for one helper thread (see fault.h).
 */
#include "fault.h"

static void fault_entry(void *arg)
{
	fault_run_t *r = arg;
	r->body(r);
}

void fault_run_start(fault_run_t *r, fault_body_t body, uint64_t fault_ep)
{
	r->owns_ep = !fault_ep;
	r->ep = fault_ep ? fault_ep : make_object(ATOLL_OBJ_ENDPOINT, 0);
	r->reply = make_object(ATOLL_OBJ_REPLY, 0);
	r->body = body;
	r->done = 0;
	r->err = ATOLL_E_WOULD_BLOCK;
	memset(&r->msg, 0, sizeof(r->msg));
	KCHECK_EQ(helper_prepare(&r->h, 0, fault_entry, r, HELPER_PRIO, r->ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(r->h.tcb), ATOLL_E_OK);
	if (!r->done)
		r->err = recv_soon(r->ep, r->reply, &r->msg);
}

atoll_error_t fault_run_reply(fault_run_t *r, atoll_msg_t *m)
{
	return atoll_reply(r->reply, m);
}

atoll_error_t fault_run_next(fault_run_t *r)
{
	memset(&r->msg, 0, sizeof(r->msg));
	r->err = r->done ? ATOLL_E_WOULD_BLOCK : recv_soon(r->ep, r->reply, &r->msg);
	return r->err;
}

uint64_t fault_label(const atoll_msg_t *m)
{
	return atoll_msginfo_label(m->info);
}

atoll_error_t fault_reply_words(fault_run_t *r, uint64_t label, unsigned n, const uint64_t *w)
{
	atoll_msg_t m = {.info = atoll_msginfo(label, 0, n)};
	for (unsigned i = 0; i < n && i < ATOLL_MSG_REGS; i++)
		m.w[i] = w[i];
	return fault_run_reply(r, &m);
}

atoll_error_t fault_reply_stop(fault_run_t *r)
{
	return fault_reply_words(r, ATOLL_FAULT_REPLY_STOP, 0, NULL);
}

void fault_run_end(fault_run_t *r)
{
	helper_stop(&r->h);
	release(r->reply);
	if (r->owns_ep)
		release(r->ep);
}

static void body_read(fault_run_t *r)
{
	r->value = ktest_read64(r->arg);
	r->done = 1;
}

static void body_write(fault_run_t *r)
{
	ktest_write64(r->arg, r->arg2);
	r->done = 1;
}

static void body_exec(fault_run_t *r)
{
	ktest_call(r->arg);
	r->done = 1;
}

uint64_t try_access(uint64_t va, unsigned kind)
{
	static const fault_body_t bodies[] = {body_read, body_write, body_exec};
	fault_run_t r = {.arg = va, .arg2 = 0x5a5a};
	fault_run_start(&r, bodies[kind], 0);
	uint64_t result;
	if (r.done)
		result = 0;
	else if (r.err == ATOLL_E_OK && atoll_msginfo_label(r.msg.info) == ATOLL_FAULT_PAGE &&
	         r.msg.w[0] == va)
		result = ACCESS_FAULTED | r.msg.w[1];
	else
		result = ACCESS_OTHER;
	fault_run_end(&r);
	return result;
}
