/*
 * Interrupts and exceptions. From user mode, an exception is the thread's
 * fault and becomes a message to its handler; an interrupt is routed to its
 * driver's notification or drives the scheduler. From kernel mode, an
 * exception is a kernel bug: panic with the registers and a backtrace.
 */
#include <arch/context.h>
#include <arch/cpu.h>
#include <atoll/invocations.h>
#include <core/fault.h>
#include <core/ksyms.h>
#include <core/log.h>
#include <core/sched.h>
#include <object/irq.h>
#include <plat/apic.h>
#include <plat/irq_vectors.h>
#include <plat/timer.h>

user_context_t *trap_from_user(user_context_t *ctx);
void trap_from_kernel(user_context_t *frame);

#define VECTOR_NMI 2
#define VECTOR_PAGE_FAULT 14
#define EXCEPTION_VECTORS 32

static const char *const exception_names[EXCEPTION_VECTORS] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor overrun",
	"invalid TSS",
	"segment not present",
	"stack fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 error",
	"alignment check",
	"machine check",
	"SIMD error",
	"virtualization",
	"control protection",
};

/* Interrupts, from either mode. Returns false for an exception vector. */
static bool handle_interrupt(unsigned vector)
{
	if (vector < EXCEPTION_VECTORS)
		return false;
	if (vector == IRQ_VECTOR_TIMER) {
		timer_handle_tick();
		lapic_eoi();
		sched_timer_tick();
	} else if (vector >= IRQ_VECTOR_GSI_BASE && vector <= IRQ_VECTOR_MSI_LAST) {
		irq_dispatch(vector);
	}
	/* The LAPIC spurious vector and the masked legacy PIC's need no EOI. */
	return true;
}

user_context_t *trap_from_user(user_context_t *ctx)
{
	tcb_t *t = (tcb_t *)ctx;
	unsigned vector = ctx->vector;
	if (!handle_interrupt(vector)) {
		if (vector == VECTOR_NMI)
			kprintf("NMI while in user mode; ignored\n");
		else if (vector == VECTOR_PAGE_FAULT)
			fault_deliver(t, ATOLL_FAULT_PAGE, read_cr2(), ctx->error_code);
		else
			fault_deliver(t, ATOLL_FAULT_EXCEPTION, vector, ctx->error_code);
	}
	return schedule();
}

static void dump_frame(const user_context_t *f)
{
	kprintf("rip %016lx rsp %016lx rflags %016lx err %lx\n", f->rip, f->rsp, f->rflags,
	        f->error_code);
	kprintf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	kprintf("rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	kprintf("r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
	kprintf("r13 %016lx r14 %016lx r15 %016lx cr2 %016lx\n", f->r13, f->r14, f->r15,
	        read_cr2());
	ksyms_print_address(f->rip);
	backtrace_from(f->rbp);
}

void trap_from_kernel(user_context_t *frame)
{
	unsigned vector = frame->vector;
	if (handle_interrupt(vector))
		return;
	if (vector == VECTOR_NMI) {
		kprintf("NMI in kernel mode; ignored\n");
		return;
	}
	irq_disable();
	kprintf("\nKERNEL PANIC: %s (vector %u) in kernel mode\n",
	        vector < 22 ? exception_names[vector] : "exception", vector);
	dump_frame(frame);
	panic("unhandled kernel exception");
}
