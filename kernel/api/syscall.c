/*
 * System-call entry. Negative numbers are Atoll's own calls; every other
 * number is an unknown system call and becomes a fault message to the
 * thread's handler (how the Linux personality receives Linux system calls).
 */
#include <atoll/invocations.h>
#include <atoll/syscall.h>
#include <core/cspace.h>
#include <core/fault.h>
#include <core/invariants.h>
#include <core/log.h>
#include <core/message.h>
#include <core/sched.h>
#include <fastpath/fastpath.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/objecttype.h>
#include <object/reply.h>
#include <object/vspace.h>

/* The slow path of every system call; entry.S has tried the fast paths. */
user_context_t *syscall_handler(user_context_t *ctx);

_Static_assert(ATOLL_SYS_CALL == SYSCALL_NUMBER_CALL, "entry.S fast path dispatch");
_Static_assert(ATOLL_SYS_REPLY_RECV == SYSCALL_NUMBER_REPLY_RECV, "entry.S fast path dispatch");
_Static_assert(ATOLL_SYS_SEND == SYSCALL_NUMBER_SEND, "entry.S fast path dispatch");
_Static_assert(ATOLL_SYS_NBSEND == SYSCALL_NUMBER_NBSEND, "entry.S fast path dispatch");
_Static_assert(ATOLL_SYS_RECV == SYSCALL_NUMBER_RECV, "entry.S fast path dispatch");
_Static_assert(ATOLL_SYS_NBRECV == SYSCALL_NUMBER_NBRECV, "entry.S fast path dispatch");
_Static_assert(ATOLL_SYS_REPLY == SYSCALL_NUMBER_REPLY, "entry.S fast path dispatch");

#define DEBUG_PUTS_MAX 4096

static atoll_error_t lookup_reply(tcb_t *t, uint64_t cptr, reply_t **out)
{
	cte_t *slot;
	atoll_error_t err = cspace_lookup_cap(t, cptr, ATOLL_OBJ_REPLY, 0, &slot);
	if (!err)
		*out = (reply_t *)slot->cap.obj;
	return err;
}

static void do_send(tcb_t *t, bool blocking, bool is_call)
{
	cte_t *slot;
	atoll_error_t err = cspace_lookup_cap(t, t->ctx.rdi, ATOLL_OBJ_NULL, 0, &slot);
	if (err) {
		syscall_set_result(t, err, 0);
		return;
	}
	cap_t *cap = &slot->cap;
	uint64_t info = t->ctx.rsi;
	if (cap->type == ATOLL_OBJ_ENDPOINT) {
		if (!(cap->rights & ATOLL_RIGHT_WRITE)) {
			syscall_set_result(t, ATOLL_E_NO_RIGHTS, 0);
			return;
		}
		endpoint_send((endpoint_t *)cap->obj, t, info, cap->data, blocking || is_call,
		              cap->rights & ATOLL_RIGHT_GRANT, is_call);
		return;
	}
	if (cap->type == ATOLL_OBJ_NOTIFICATION && !is_call) {
		if (!(cap->rights & ATOLL_RIGHT_WRITE)) {
			syscall_set_result(t, ATOLL_E_NO_RIGHTS, 0);
			return;
		}
		notification_signal((notification_t *)cap->obj, cap->data);
		syscall_set_result(t, ATOLL_E_OK, 0);
		return;
	}
	if (!is_call) {
		syscall_set_result(t, ATOLL_E_ILLEGAL_OP, 0);
		return;
	}
	unsigned out_len = 0;
	err = object_invoke(t, slot, atoll_msginfo_label(info), atoll_msginfo_length(info),
	                    &out_len);
	syscall_set_result(t, err, atoll_msginfo(0, 0, out_len));
}

static void do_receive(tcb_t *t, bool blocking)
{
	cte_t *slot;
	atoll_error_t err =
		cspace_lookup_cap(t, t->ctx.rdi, ATOLL_OBJ_NULL, ATOLL_RIGHT_READ, &slot);
	if (err) {
		syscall_set_result(t, err, 0);
		return;
	}
	if (slot->cap.type == ATOLL_OBJ_NOTIFICATION) {
		notification_wait((notification_t *)slot->cap.obj, t, blocking);
		return;
	}
	if (slot->cap.type != ATOLL_OBJ_ENDPOINT) {
		syscall_set_result(t, ATOLL_E_WRONG_TYPE, 0);
		return;
	}
	reply_t *reply = NULL;
	if (t->ctx.rbx && (err = lookup_reply(t, t->ctx.rbx, &reply))) {
		syscall_set_result(t, err, 0);
		return;
	}
	notification_t *bound = t->bound_notification;
	if (bound && bound->active) {
		notification_wait(bound, t, false);
		return;
	}
	endpoint_receive((endpoint_t *)slot->cap.obj, t, reply, blocking);
}

static atoll_error_t do_reply(tcb_t *t)
{
	reply_t *reply;
	atoll_error_t err = lookup_reply(t, t->ctx.rbx, &reply);
	if (err)
		return err;
	return reply_send(reply, t, t->ctx.rsi);
}

/* Out of line: its buffer must not widen every system call's stack frame. */
__attribute__((noinline)) static void do_debug_puts(tcb_t *t)
{
	char buf[256];
	uint64_t va = t->ctx.rdi, len = t->ctx.rsi;
	vspace_t *vs = (vspace_t *)t->slots[TCB_SLOT_VSPACE].cap.obj;
	if (len > DEBUG_PUTS_MAX) {
		syscall_set_result(t, ATOLL_E_RANGE, 0);
		return;
	}
	while (len) {
		size_t chunk = len < sizeof(buf) ? len : sizeof(buf);
		atoll_error_t err = vspace_read_user(vs, va, buf, chunk);
		if (err) {
			syscall_set_result(t, err, 0);
			return;
		}
		klog_write(buf, chunk);
		va += chunk;
		len -= chunk;
	}
	syscall_set_result(t, ATOLL_E_OK, 0);
}

user_context_t *syscall_handler(user_context_t *ctx)
{
	tcb_t *t = (tcb_t *)ctx;
	/* A foreign-ABI thread reaches its fault handler with every number. */
	int64_t number = t->flags & ATOLL_TCB_FLAG_FOREIGN_SYSCALLS ? 0 : (int64_t)ctx->rax;
	user_context_t *next;
	switch (number) {
	case ATOLL_SYS_CALL:
		do_send(t, true, true);
		break;
	case ATOLL_SYS_SEND:
		do_send(t, true, false);
		break;
	case ATOLL_SYS_NBSEND:
		do_send(t, false, false);
		break;
	case ATOLL_SYS_RECV:
		do_receive(t, true);
		break;
	case ATOLL_SYS_NBRECV:
		do_receive(t, false);
		break;
	case ATOLL_SYS_REPLY:
		syscall_set_result(t, do_reply(t), 0);
		break;
	case ATOLL_SYS_REPLY_RECV: {
		atoll_error_t err = do_reply(t);
		/* A failed reply (no caller) still receives: the server loop goes on. */
		(void)err;
		do_receive(t, true);
		break;
	}
	case ATOLL_SYS_YIELD:
		sched_yield();
		syscall_set_result(t, ATOLL_E_OK, 0);
		break;
	case ATOLL_SYS_DEBUG_PUTS:
		do_debug_puts(t);
		break;
	case ATOLL_SYS_DEBUG_CHECK:
		ctx->rdx = invariants_check(t);
		syscall_set_result(t, ATOLL_E_OK, atoll_msginfo(0, 0, 1));
		break;
	case ATOLL_SYS_NULL:
		ctx->rax = ATOLL_E_OK;
		return ctx;
	default:
		if ((next = fastpath_unknown_syscall(t)))
			return next;
		fault_deliver(t, ATOLL_FAULT_UNKNOWN_SYSCALL, 0, 0);
		break;
	}
	return schedule();
}
