/*
 * Inputs that may take the whole kernel down when it mishandles them. They
 * run last in the table, so a crash costs only the tests after it (and
 * ktest.sh reports the crash as "FAIL ktest_boot").
 */
#include "fault.h"
#include "uart.h"

#define ROOT ATOLL_SLOT_CNODE

/* Revoking a VSpace capability deletes the copy a runnable thread's TCB
 * holds: the kernel must stop that thread, not switch to it with no
 * address space. */
void test_vspace_revoke_stops_thread_using_it(void)
{
	uint64_t v = make_object(ATOLL_OBJ_VSPACE, 0);
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, v, 0, 0), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_priority(t, ATOLL_SLOT_TCB, ROOT_PRIO - 10), ATOLL_E_OK);
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RIP] = 0x1000;
	regs[ATOLL_REG_RSP] = 0x2000;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	KCHECK_EQ(tcb_write_registers(t, 1, regs, ATOLL_REG_RFLAGS + 1), ATOLL_E_OK);
	KCHECK_EQ(cnode_revoke(ROOT, v), ATOLL_E_OK);
	root_set_priority(ROOT_PRIO - 20); /* t is the highest runnable thread now */
	root_set_priority(ROOT_PRIO);
	/* Still here; the thread has no address space and cannot be resumed. */
	KCHECK_EQ(tcb_resume(t), ATOLL_E_INVALID_ARG);
	release(t);
	release(v);
}

static void body_step_syscall(fault_run_t *r)
{
	ktest_single_step_syscall();
	r->done = 1;
}

/* The trap flag set across a `syscall`: whatever #DB follows must be the
 * thread's (delivered as its fault), never a debug trap inside the kernel. */
void test_fault_single_step_over_syscall(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_step_syscall, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(r.msg.info), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(r.msg.w[0], VEC_DB); /* after the mov: rip is at the syscall */
	atoll_msg_t m = {0};
	KCHECK_EQ(fault_run_reply(&r, &m), ATOLL_E_OK); /* resume, TF still set */
	fault_run_next(&r);
	KCHECK(r.err == ATOLL_E_OK || r.done);
	if (r.err == ATOLL_E_OK) {
		KCHECK_EQ(atoll_msginfo_label(r.msg.info), ATOLL_FAULT_EXCEPTION);
		KCHECK_EQ(r.msg.w[0], VEC_DB);
		KCHECK(r.msg.w[2] < USER_TOP);
		m = (atoll_msg_t){.info = atoll_msginfo(ATOLL_FAULT_REPLY_STOP, 0, 0)};
		KCHECK_EQ(fault_run_reply(&r, &m), ATOLL_E_OK);
	}
	fault_run_end(&r);
}

/* A thread may set DF and then trap. The kernel's string functions assume
 * DF clear; with it set, the I/O-bitmap copy made when switching to an
 * address space with open ports runs backwards over the kernel's memory. */
void test_fault_with_direction_flag_set_keeps_kernel_intact(void)
{
	uint64_t ports = uart_ports(); /* the root's space now has an I/O bitmap to load */
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	process_t c;
	KCHECK_EQ(child_create(&c, CHILD_STD_UD2, HELPER_PRIO, ep, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(c.tcb), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(m.w[0], VEC_UD);
	KCHECK(m.w[4] & 0x400); /* the thread's rflags still have DF */
	KCHECK(!(try_inb(UART_LSR) & INB_FAULTED));
	KCHECK_EQ(atoll_debug_check(), 0);
	child_destroy(&c);
	release(reply);
	release(ep);
	release(ports);
}
