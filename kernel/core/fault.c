/*
 * Faults as messages. Unknown system calls (every non-negative rax: the
 * Linux convention) carry all registers in atoll_register order, so the
 * syscall number and its six arguments are the eight register words.
 */
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/fault.h>
#include <core/log.h>
#include <core/message.h>
#include <core/sched.h>
#include <object/endpoint.h>

#define USER_TOP 0x0000800000000000ULL

static uint64_t *register_slot(user_context_t *ctx, unsigned reg)
{
	switch (reg) {
	case ATOLL_REG_RAX:
		return &ctx->rax;
	case ATOLL_REG_RDI:
		return &ctx->rdi;
	case ATOLL_REG_RSI:
		return &ctx->rsi;
	case ATOLL_REG_RDX:
		return &ctx->rdx;
	case ATOLL_REG_R10:
		return &ctx->r10;
	case ATOLL_REG_R8:
		return &ctx->r8;
	case ATOLL_REG_R9:
		return &ctx->r9;
	case ATOLL_REG_RIP:
		return &ctx->rip;
	case ATOLL_REG_RSP:
		return &ctx->rsp;
	case ATOLL_REG_RFLAGS:
		return &ctx->rflags;
	case ATOLL_REG_RBX:
		return &ctx->rbx;
	case ATOLL_REG_RCX:
		return &ctx->rcx;
	case ATOLL_REG_RBP:
		return &ctx->rbp;
	case ATOLL_REG_R11:
		return &ctx->r11;
	case ATOLL_REG_R12:
		return &ctx->r12;
	case ATOLL_REG_R13:
		return &ctx->r13;
	case ATOLL_REG_R14:
		return &ctx->r14;
	case ATOLL_REG_R15:
		return &ctx->r15;
	case ATOLL_REG_FS_BASE:
		return &ctx->fs_base;
	case ATOLL_REG_GS_BASE:
		return &ctx->gs_base;
	default:
		return NULL;
	}
}

uint64_t context_get_register(const user_context_t *ctx, unsigned reg)
{
	uint64_t *p = register_slot((user_context_t *)ctx, reg);
	return p ? *p : 0;
}

/* Flags user code may set: CF PF AF ZF SF TF DF OF AC ID. IF is always on. */
#define RFLAGS_USER_MASK 0x254dd5ULL
#define RFLAGS_ALWAYS 0x202ULL

/* Check a value for a register and sanitise it; false if it may not be set. */
static bool register_value_ok(unsigned reg, uint64_t *value)
{
	switch (reg) {
	case ATOLL_REG_RIP:
	case ATOLL_REG_FS_BASE:
	case ATOLL_REG_GS_BASE:
		/* sysret to, or wrmsr of, a non-canonical address faults in the kernel. */
		return *value < USER_TOP;
	case ATOLL_REG_RFLAGS:
		*value = (*value & RFLAGS_USER_MASK) | RFLAGS_ALWAYS;
		return true;
	default:
		return reg < ATOLL_REG_COUNT;
	}
}

atoll_error_t context_write_registers(user_context_t *ctx, tcb_t *src, unsigned first_word,
                                      unsigned n)
{
	uint64_t values[ATOLL_REG_COUNT];
	if (n > ATOLL_REG_COUNT)
		n = ATOLL_REG_COUNT;
	for (unsigned r = 0; r < n; r++) {
		values[r] = msg_get(src, first_word + r);
		if (!register_value_ok(r, &values[r]))
			return ATOLL_E_INVALID_ARG;
	}
	for (unsigned r = 0; r < n; r++)
		*register_slot(ctx, r) = values[r];
	/* rcx and r11 are only restored exactly by iret; rax alone needs neither. */
	if (n > 1)
		ctx->resume_by_iret = 1;
	return ATOLL_E_OK;
}

unsigned fault_message(tcb_t *t, tcb_t *receiver)
{
	switch (t->pending_fault) {
	case ATOLL_FAULT_UNKNOWN_SYSCALL: {
		bool buffer = thread_ipc_buffer(receiver) != NULL;
		unsigned n = buffer ? ATOLL_REG_COUNT : ATOLL_MSG_REGS;
		for (unsigned r = 0; r < n; r++)
			msg_set(receiver, r, context_get_register(&t->ctx, r));
		return n;
	}
	case ATOLL_FAULT_PAGE:
		msg_set(receiver, 0, t->fault_addr);
		msg_set(receiver, 1, t->fault_code);
		msg_set(receiver, 2, t->ctx.rip);
		msg_set(receiver, 3, t->ctx.rsp);
		return 4;
	default:
		msg_set(receiver, 0, t->fault_addr);
		msg_set(receiver, 1, t->fault_code);
		msg_set(receiver, 2, t->ctx.rip);
		msg_set(receiver, 3, t->ctx.rsp);
		msg_set(receiver, 4, t->ctx.rflags);
		return 5;
	}
}

void fault_deliver(tcb_t *t, unsigned label, uint64_t addr, uint64_t code)
{
	cte_t *handler = &t->slots[TCB_SLOT_FAULT_ENDPOINT];
	t->fault_addr = addr;
	t->fault_code = code;
	if (handler->cap.type != ATOLL_OBJ_ENDPOINT) {
		static log_limit_t limit;
		if (log_allowed(&limit))
			kprintf("thread %p: fault %u (addr %lx code %lx rip %lx) and no fault handler: suspended\n",
			        (void *)t, label, addr, code, t->ctx.rip);
		t->state = THREAD_INACTIVE;
		return;
	}
	t->pending_fault = label;
	endpoint_send(handler->cap.obj ? (endpoint_t *)handler->cap.obj : NULL, t,
	              atoll_msginfo(label, 0, 0), handler->cap.data, true, false, true);
}

atoll_error_t fault_reply(tcb_t *t, tcb_t *replier, uint64_t info)
{
	atoll_error_t err =
		context_write_registers(&t->ctx, replier, 0, atoll_msginfo_length(info));
	if (err)
		return err;
	t->pending_fault = 0;
	if (atoll_msginfo_label(info) == ATOLL_FAULT_REPLY_STOP)
		t->state = THREAD_INACTIVE;
	else
		thread_make_runnable(t);
	return ATOLL_E_OK;
}
