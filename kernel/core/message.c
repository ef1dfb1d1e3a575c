/*
 * Moving message words and capabilities between threads. Words 0..7 go
 * register to register; later words need both threads' IPC buffers, which
 * the kernel reaches through the direct map of their frames, never through
 * user addresses.
 */
#include <arch/paging.h>
#include <core/cspace.h>
#include <core/fault.h>
#include <core/message.h>
#include <object/objecttype.h>

static const uint8_t mr_offset[ATOLL_MSG_REGS] = {
	offsetof(user_context_t, rdx) / 8, offsetof(user_context_t, r8) / 8,
	offsetof(user_context_t, r9) / 8,  offsetof(user_context_t, r10) / 8,
	offsetof(user_context_t, r12) / 8, offsetof(user_context_t, r13) / 8,
	offsetof(user_context_t, r14) / 8, offsetof(user_context_t, r15) / 8,
};

uint64_t *context_mr(user_context_t *ctx, unsigned i)
{
	return (uint64_t *)ctx + mr_offset[i];
}

atoll_ipc_buffer_t *thread_ipc_buffer(tcb_t *t)
{
	const cap_t *frame = &t->slots[TCB_SLOT_IPC_BUFFER].cap;
	if (cap_is_null(frame))
		return NULL;
	uint64_t offset = t->ipc_buffer_vaddr & ((1ULL << frame->size_bits) - 1);
	return phys_to_virt(frame->obj + offset);
}

uint64_t msg_get(tcb_t *t, unsigned i)
{
	if (i < ATOLL_MSG_REGS)
		return *context_mr(&t->ctx, i);
	atoll_ipc_buffer_t *buf = thread_ipc_buffer(t);
	return buf && i < ATOLL_MSG_MAX_WORDS ? buf->mr[i] : 0;
}

void msg_set(tcb_t *t, unsigned i, uint64_t v)
{
	if (i < ATOLL_MSG_REGS) {
		*context_mr(&t->ctx, i) = v;
		return;
	}
	atoll_ipc_buffer_t *buf = thread_ipc_buffer(t);
	if (buf && i < ATOLL_MSG_MAX_WORDS)
		buf->mr[i] = v;
}

void syscall_set_result(tcb_t *t, atoll_error_t err, uint64_t info)
{
	t->ctx.rax = err;
	t->ctx.rsi = info;
}

/* Copy capabilities named in the sender's IPC buffer into consecutive empty
 * slots the receiver offered. Stops at the first that cannot move; returns
 * how many moved. */
static unsigned transfer_caps(tcb_t *sender, tcb_t *receiver, unsigned count)
{
	atoll_ipc_buffer_t *sbuf = thread_ipc_buffer(sender);
	atoll_ipc_buffer_t *rbuf = thread_ipc_buffer(receiver);
	if (!sbuf || !rbuf || !rbuf->recv_index)
		return 0;
	unsigned moved = 0;
	for (; moved < count; moved++) {
		cte_t *src, *dst;
		if (cspace_lookup_cap(sender, sbuf->send_caps[moved], ATOLL_OBJ_NULL, 0, &src))
			break;
		if (cspace_lookup_in_cnode(receiver, rbuf->recv_cnode, rbuf->recv_index + moved,
		                           ATOLL_RIGHT_WRITE, &dst))
			break;
		if (!cap_is_null(&dst->cap) || !cap_can_copy(&src->cap))
			break;
		cap_copy(src, dst, src->cap.rights, src->cap.data, false);
		rbuf->recv_badges[moved] = cap_badge(&src->cap);
	}
	return moved;
}

void ipc_transfer(tcb_t *sender, tcb_t *receiver, uint64_t info, uint64_t badge, bool can_grant)
{
	unsigned length;
	uint64_t label;
	unsigned caps = 0;
	if (sender->pending_fault) {
		label = sender->pending_fault;
		length = fault_message(sender, receiver);
	} else {
		label = atoll_msginfo_label(info);
		length = atoll_msginfo_length(info);
		if (length > ATOLL_MSG_MAX_WORDS)
			length = ATOLL_MSG_MAX_WORDS;
		unsigned regs = length < ATOLL_MSG_REGS ? length : ATOLL_MSG_REGS;
		for (unsigned i = 0; i < regs; i++)
			*context_mr(&receiver->ctx, i) = *context_mr(&sender->ctx, i);
		if (length > ATOLL_MSG_REGS) {
			atoll_ipc_buffer_t *sbuf = thread_ipc_buffer(sender);
			atoll_ipc_buffer_t *rbuf = thread_ipc_buffer(receiver);
			if (sbuf && rbuf)
				for (unsigned i = ATOLL_MSG_REGS; i < length; i++)
					rbuf->mr[i] = sbuf->mr[i];
			else
				length = ATOLL_MSG_REGS;
		}
		unsigned want = atoll_msginfo_caps(info);
		if (can_grant && want)
			caps = transfer_caps(sender, receiver,
			                     want > ATOLL_MSG_MAX_CAPS ? ATOLL_MSG_MAX_CAPS : want);
	}
	receiver->ctx.rax = ATOLL_E_OK;
	receiver->ctx.rdi = badge;
	receiver->ctx.rsi = atoll_msginfo(label, caps, length) |
	                    (sender->send_is_call ? ATOLL_MSG_WAS_CALL : 0);
}
