/*
 * Thread control blocks: invocations to configure, control and inspect a
 * thread. Each decodes and checks every argument before changing anything.
 */
#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/fault.h>
#include <core/message.h>
#include <core/sched.h>
#include <core/string.h>
#include <object/objects.h>
#include <object/objecttype.h>
#include <object/reply.h>

#define USER_TOP 0x0000800000000000ULL
#define IPC_BUFFER_ALIGN 2048

_Static_assert(sizeof(atoll_ipc_buffer_t) <= IPC_BUFFER_ALIGN, "IPC buffer fits its alignment");

void tcb_init(tcb_t *t)
{
	t->ctx.cs = GDT_USER_CS;
	t->ctx.ss = GDT_USER_DS;
	t->ctx.rflags = 0x202;
	t->ctx.resume_by_iret = 1;
	/* x87 control word and MXCSR as after reset: every exception masked. */
	*(uint16_t *)&t->ctx.fpu[0] = 0x37f;
	*(uint32_t *)&t->ctx.fpu[24] = 0x1f80;
	t->state = THREAD_INACTIVE;
	t->fast_syscalls = SYSCALL_FAST_COUNT;
}

static void tcb_unbind_notification(tcb_t *t)
{
	if (t->bound_notification) {
		t->bound_notification->bound_tcb = NULL;
		t->bound_notification = NULL;
	}
}

void tcb_finalize(tcb_t *t)
{
	thread_unblock_queues(t);
	reply_drop_receiver(t);
	t->state = THREAD_INACTIVE;
	t->pending_fault = 0;
	tcb_unbind_notification(t);
	thread_forget(t);
	for (unsigned i = 0; i < TCB_SLOT_COUNT; i++)
		cte_delete(&t->slots[i]);
}

/* Replace one of the TCB's own slots with a copy of src (NULL: leave it empty). */
static void set_slot(tcb_t *t, unsigned which, cte_t *src)
{
	cte_delete(&t->slots[which]);
	/* Deleting the old capability may have finalised the CNode src lived in. */
	if (src && !cap_is_null(&src->cap))
		cap_copy(src, &t->slots[which], src->cap.rights, 0, false);
}

static atoll_error_t lookup_optional(tcb_t *caller, uint64_t cptr, unsigned type, unsigned rights,
                                     cte_t **out)
{
	*out = NULL;
	return cptr ? cspace_lookup_cap(caller, cptr, type, rights, out) : ATOLL_E_OK;
}

static atoll_error_t decode_configure(tcb_t *caller, tcb_t *t, unsigned length)
{
	if (length < 5)
		return ATOLL_E_INVALID_ARG;
	cte_t *fault_ep, *cspace, *vspace, *ipc_frame;
	atoll_error_t err;
	if ((err = lookup_optional(caller, msg_get(caller, 0), ATOLL_OBJ_ENDPOINT,
	                           ATOLL_RIGHT_WRITE, &fault_ep)))
		return err;
	if ((err = cspace_lookup_cap(caller, msg_get(caller, 1), ATOLL_OBJ_CNODE, 0, &cspace)))
		return err;
	if ((err = cspace_lookup_cap(caller, msg_get(caller, 2), ATOLL_OBJ_VSPACE, 0, &vspace)))
		return err;
	uint64_t buffer = msg_get(caller, 3);
	if ((err = lookup_optional(caller, msg_get(caller, 4), ATOLL_OBJ_NULL, ATOLL_RIGHT_WRITE,
	                           &ipc_frame)))
		return err;
	if (ipc_frame) {
		unsigned type = ipc_frame->cap.type;
		if (type != ATOLL_OBJ_FRAME && type != ATOLL_OBJ_LARGE_FRAME)
			return ATOLL_E_WRONG_TYPE;
		if (ipc_frame->cap.flags & CAP_DEVICE)
			return ATOLL_E_INVALID_ARG;
		if (buffer >= USER_TOP || !buffer)
			return ATOLL_E_BAD_ADDRESS;
		if (buffer % IPC_BUFFER_ALIGN)
			return ATOLL_E_ALIGNMENT;
	}

	set_slot(t, TCB_SLOT_FAULT_ENDPOINT, fault_ep);
	set_slot(t, TCB_SLOT_CSPACE, cspace);
	set_slot(t, TCB_SLOT_VSPACE, vspace);
	set_slot(t, TCB_SLOT_IPC_BUFFER, ipc_frame);
	t->ipc_buffer_vaddr = ipc_frame ? buffer : 0;
	if (t == sched_current())
		this_cpu()->reload_current = 1;
	return ATOLL_E_OK;
}

static atoll_error_t decode_priority(tcb_t *caller, tcb_t *t, uint64_t label, unsigned length)
{
	if (length < 2)
		return ATOLL_E_INVALID_ARG;
	cte_t *auth;
	atoll_error_t err = cspace_lookup_cap(caller, msg_get(caller, 0), ATOLL_OBJ_TCB, 0, &auth);
	if (err)
		return err;
	uint64_t prio = msg_get(caller, 1);
	if (prio >= ATOLL_PRIORITIES || prio > ((tcb_t *)auth->cap.obj)->mcp)
		return ATOLL_E_RANGE;
	if (label == ATOLL_TCB_SET_MCP) {
		t->mcp = prio;
		return ATOLL_E_OK;
	}
	bool queued = t->state == THREAD_RUNNABLE && t != sched_current();
	if (queued)
		sched_dequeue(t);
	t->priority = prio;
	if (queued)
		sched_enqueue(t);
	return ATOLL_E_OK;
}

static atoll_error_t decode_write_registers(tcb_t *caller, tcb_t *t, unsigned length)
{
	if (length < 1)
		return ATOLL_E_INVALID_ARG;
	if (t == caller)
		return ATOLL_E_ILLEGAL_OP; /* the system call's own result would overwrite them */
	atoll_error_t err = context_write_registers(&t->ctx, caller, 1, length - 1);
	if (err)
		return err;
	if (msg_get(caller, 0))
		return tcb_invoke_resume(t);
	return ATOLL_E_OK;
}

atoll_error_t tcb_invoke_resume(tcb_t *t)
{
	if (t->slots[TCB_SLOT_CSPACE].cap.type != ATOLL_OBJ_CNODE ||
	    t->slots[TCB_SLOT_VSPACE].cap.type != ATOLL_OBJ_VSPACE)
		return ATOLL_E_INVALID_ARG; /* not configured */
	if (t->state == THREAD_INACTIVE)
		thread_make_runnable(t);
	return ATOLL_E_OK;
}

static void tcb_invoke_suspend(tcb_t *t)
{
	/* A system call the thread was blocked in ends with CANCELLED when it resumes. */
	bool in_syscall = t->state >= THREAD_BLOCKED_SEND && !t->pending_fault;
	/* A foreign system call not yet answered is undone: rip is just past
	 * the 2-byte syscall instruction and rax still holds the number, so
	 * the thread makes the call again when resumed and a manager that
	 * suspends it in the middle of one loses nothing. */
	if (t->pending_fault == ATOLL_FAULT_UNKNOWN_SYSCALL)
		t->ctx.rip -= 2;
	thread_unblock_queues(t);
	if (in_syscall)
		syscall_set_result(t, ATOLL_E_CANCELLED, 0);
	t->pending_fault = 0;
	t->state = THREAD_INACTIVE;
}

_Static_assert(sizeof(((user_context_t *)0)->fpu) == ATOLL_TCB_FPU_WORDS * 8,
               "TCB_READ_FPU moves the whole fxsave area");

/* Offsets in the fxsave area. */
#define FXSAVE_MXCSR 24
#define FXSAVE_MXCSR_MASK 28
/* MXCSR bits every SSE2 CPU has, when fxsave never reported the mask. */
#define MXCSR_MASK_DEFAULT 0xffbfU

/* The CPU may hold t's FPU state rather than t's context. */
static void fpu_sync(tcb_t *t)
{
	cpu_t *cpu = this_cpu();
	if (cpu->fpu_owner == t) {
		__asm__ volatile("fxsave64 %0" : "=m"(t->ctx.fpu));
		cpu->fpu_owner = NULL; /* reloaded from the context when t runs */
	}
}

static atoll_error_t tcb_read_fpu(tcb_t *caller, tcb_t *t, unsigned *out_len)
{
	if (!thread_ipc_buffer(caller))
		return ATOLL_E_INVALID_ARG; /* the state does not fit in registers */
	fpu_sync(t);
	for (unsigned i = 0; i < ATOLL_TCB_FPU_WORDS; i++) {
		uint64_t w;
		memcpy(&w, &t->ctx.fpu[i * 8], 8);
		msg_set(caller, i, w);
	}
	*out_len = ATOLL_TCB_FPU_WORDS;
	return ATOLL_E_OK;
}

/* fxrstor faults on a reserved MXCSR bit: only the bits the CPU reported
 * (kept in the area, which a write never changes) pass. */
static atoll_error_t decode_write_fpu(tcb_t *caller, tcb_t *t, unsigned length)
{
	if (length < ATOLL_TCB_FPU_WORDS)
		return ATOLL_E_INVALID_ARG;
	if (t == caller)
		return ATOLL_E_ILLEGAL_OP; /* its state is live in the CPU */
	fpu_sync(t);
	uint32_t mask;
	memcpy(&mask, &t->ctx.fpu[FXSAVE_MXCSR_MASK], 4);
	if (!mask)
		mask = MXCSR_MASK_DEFAULT;
	for (unsigned i = 0; i < ATOLL_TCB_FPU_WORDS; i++) {
		if (i == FXSAVE_MXCSR / 8) {
			uint64_t w = msg_get(caller, i);
			uint32_t mxcsr = (uint32_t)w & mask;
			memcpy(&t->ctx.fpu[FXSAVE_MXCSR], &mxcsr, 4);
			continue; /* the mask half stays */
		}
		uint64_t w = msg_get(caller, i);
		memcpy(&t->ctx.fpu[i * 8], &w, 8);
	}
	return ATOLL_E_OK;
}

static atoll_error_t decode_bind(tcb_t *caller, tcb_t *t, unsigned length)
{
	if (length < 1)
		return ATOLL_E_INVALID_ARG;
	cte_t *n;
	atoll_error_t err = cspace_lookup_cap(caller, msg_get(caller, 0), ATOLL_OBJ_NOTIFICATION,
	                                      ATOLL_RIGHT_READ, &n);
	if (err)
		return err;
	notification_t *ntfn = (notification_t *)n->cap.obj;
	if (ntfn->bound_tcb || t->bound_notification)
		return ATOLL_E_BUSY;
	ntfn->bound_tcb = t;
	t->bound_notification = ntfn;
	return ATOLL_E_OK;
}

atoll_error_t tcb_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                         unsigned *out_len)
{
	tcb_t *t = (tcb_t *)slot->cap.obj;
	if (label == ATOLL_TCB_READ_REGISTERS) {
		if (!(slot->cap.rights & ATOLL_RIGHT_READ))
			return ATOLL_E_NO_RIGHTS;
		unsigned n = thread_ipc_buffer(caller) ? ATOLL_REG_COUNT : ATOLL_MSG_REGS;
		for (unsigned r = 0; r < n; r++)
			msg_set(caller, r, context_get_register(&t->ctx, r));
		*out_len = n;
		return ATOLL_E_OK;
	}
	if (label == ATOLL_TCB_READ_FPU) {
		if (!(slot->cap.rights & ATOLL_RIGHT_READ))
			return ATOLL_E_NO_RIGHTS;
		return tcb_read_fpu(caller, t, out_len);
	}
	if (!(slot->cap.rights & ATOLL_RIGHT_WRITE))
		return ATOLL_E_NO_RIGHTS;
	switch (label) {
	case ATOLL_TCB_CONFIGURE:
		return decode_configure(caller, t, length);
	case ATOLL_TCB_SET_PRIORITY:
	case ATOLL_TCB_SET_MCP:
		return decode_priority(caller, t, label, length);
	case ATOLL_TCB_WRITE_REGISTERS:
		return decode_write_registers(caller, t, length);
	case ATOLL_TCB_RESUME:
		return tcb_invoke_resume(t);
	case ATOLL_TCB_SUSPEND:
		tcb_invoke_suspend(t);
		return ATOLL_E_OK;
	case ATOLL_TCB_BIND_NOTIFICATION:
		return decode_bind(caller, t, length);
	case ATOLL_TCB_UNBIND_NOTIFICATION:
		tcb_unbind_notification(t);
		return ATOLL_E_OK;
	case ATOLL_TCB_SET_FLAGS:
		if (length < 1)
			return ATOLL_E_INVALID_ARG;
		if (msg_get(caller, 0) & ~(uint64_t)ATOLL_TCB_FLAG_FOREIGN_SYSCALLS)
			return ATOLL_E_INVALID_ARG;
		t->flags = msg_get(caller, 0);
		/* Atoll's fast paths would read its CSpace: a foreign thread's
		 * numbers must all become faults. */
		t->fast_syscalls =
			t->flags & ATOLL_TCB_FLAG_FOREIGN_SYSCALLS ? 0 : SYSCALL_FAST_COUNT;
		return ATOLL_E_OK;
	case ATOLL_TCB_WRITE_FPU:
		return decode_write_fpu(caller, t, length);
	case ATOLL_TCB_SET_FAULT_ENDPOINT: {
		if (length < 1)
			return ATOLL_E_INVALID_ARG;
		cte_t *ep;
		atoll_error_t err = lookup_optional(caller, msg_get(caller, 0), ATOLL_OBJ_ENDPOINT,
		                                    ATOLL_RIGHT_WRITE, &ep);
		if (err)
			return err;
		set_slot(t, TCB_SLOT_FAULT_ENDPOINT, ep);
		return ATOLL_E_OK;
	}
	default:
		return ATOLL_E_ILLEGAL_OP;
	}
}
