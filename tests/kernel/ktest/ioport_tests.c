/*
 * I/O ports: a port-range capability opened in an address space lets its
 * threads use in/out on exactly that range; any other port raises #GP,
 * delivered to the thread's fault handler. Port access is always tried by
 * a helper with a fault handler (try_inb), never by the root directly.
 * The 16550 UART at 0x3f8 (the kernel's console) is the device probed:
 * reading its line status register has no side effect.
 */
#include "fault.h"
#include "uart.h"

#define ROOT ATOLL_SLOT_CNODE
#define VS ATOLL_SLOT_VSPACE

static void body_inb(fault_run_t *r)
{
	r->value = ktest_inb(r->arg);
	r->done = 1;
}

uint64_t try_inb(unsigned port)
{
	fault_run_t r = {.arg = port};
	fault_run_start(&r, body_inb, 0);
	uint64_t result;
	if (r.done)
		result = r.value;
	else if (r.err == ATOLL_E_OK && atoll_msginfo_label(r.msg.info) == ATOLL_FAULT_EXCEPTION)
		result = INB_FAULTED | r.msg.w[0] << 8 | (r.msg.w[2] == (uint64_t)ktest_inb_insn);
	else
		result = INB_FAULTED | 0xff;
	fault_run_end(&r);
	return result;
}

uint64_t uart_ports(void)
{
	uint64_t p = slot_get();
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, UART_BASE, UART_BASE + 7, ROOT, p),
	          ATOLL_E_OK);
	KCHECK_EQ(ioport_open(p, VS), ATOLL_E_OK);
	return p;
}

void test_ioport_open_and_inb(void)
{
	uint64_t p = uart_ports();
	uint64_t lsr = try_inb(UART_LSR);
	KCHECK(!(lsr & INB_FAULTED));
	KCHECK_EQ(lsr & UART_LSR_THR_EMPTY, UART_LSR_THR_EMPTY); /* the console is idle */
	/* One past either end of the range stays closed. */
	KCHECK_EQ(try_inb(UART_BASE + 8), INB_FAULTED | VEC_GP << 8 | 1);
	KCHECK_EQ(try_inb(UART_BASE - 1), INB_FAULTED | VEC_GP << 8 | 1);
	release(p);
}

void test_ioport_issue_errors(void)
{
	uint64_t p = slot_get(), ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ctl = ATOLL_SLOT_IOPORT_CONTROL;
	KCHECK_EQ(ioport_issue(ctl, 0x3ff, 0x3f8, ROOT, p), ATOLL_E_RANGE);
	KCHECK_EQ(ioport_issue(ctl, 0xfff0, 0x10000, ROOT, p), ATOLL_E_RANGE);
	KCHECK_EQ(ioport_issue(ctl, 0x3f8, 0x3ff, ROOT, 0), ATOLL_E_RANGE);
	KCHECK_EQ(ioport_issue(ctl, 0x3f8, 0x3ff, ROOT, ep), ATOLL_E_SLOT_OCCUPIED);
	KCHECK_EQ(ioport_issue(ctl, 0x3f8, 0x3ff, ep, 1), ATOLL_E_WRONG_TYPE);
	atoll_msg_t m = {.w = {0x3f8, 0x3ff, ROOT, p}};
	KCHECK_EQ(atoll_invoke(ctl, ATOLL_IOPORT_CONTROL_ISSUE, 3, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(ctl, ATOLL_IOPORT_OPEN, 4, &m), ATOLL_E_ILLEGAL_OP);
	/* A good one, and the errors of opening it. */
	KCHECK_EQ(ioport_issue(ctl, 0x3f8, 0x3ff, ROOT, p), ATOLL_E_OK);
	KCHECK_EQ(ioport_open(p, ep), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(ioport_open(p, ROOT), ATOLL_E_WRONG_TYPE);
	atoll_msg_t o = {.w = {VS}};
	KCHECK_EQ(atoll_invoke(p, ATOLL_IOPORT_OPEN, 0, &o), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(p, ATOLL_IOPORT_CONTROL_ISSUE, 1, &o), ATOLL_E_ILLEGAL_OP);
	release(p);
	release(ep);
}

/* Issuing writes a capability into the destination CNode: without WRITE on
 * that CNode capability, nothing may be written there. */
void test_ioport_issue_into_read_only_cnode_refused(void)
{
	uint64_t rc = mint_cap(ROOT, ATOLL_RIGHT_READ, 0);
	uint64_t p = slot_get();
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0x3f8, 0x3ff, rc, p), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(ioport_open(p, VS), ATOLL_E_INVALID_CAP);
	release(p);
	release(rc);
}

void test_ioport_open_twice(void)
{
	uint64_t p = uart_ports();
	uint64_t q = slot_get();
	uint64_t v = make_object(ATOLL_OBJ_VSPACE, 0);
	KCHECK_EQ(ioport_open(p, VS), ATOLL_E_ALREADY_MAPPED);
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, UART_LSR, UART_LSR + 1, ROOT, q),
	          ATOLL_E_OK);
	/* Another capability for ports already open here: the range has an owner. */
	KCHECK_EQ(ioport_open(q, VS), ATOLL_E_BUSY);
	/* Elsewhere it is free; closing it there leaves this space's ports open. */
	KCHECK_EQ(ioport_open(q, v), ATOLL_E_OK);
	release(q);
	KCHECK(!(try_inb(UART_LSR) & INB_FAULTED));
	release(v);
	release(p);
}

void test_ioport_not_opened_faults_with_gp(void)
{
	KCHECK_EQ(try_inb(UART_LSR), INB_FAULTED | VEC_GP << 8 | 1);
	KCHECK_EQ(try_inb(0x80), INB_FAULTED | VEC_GP << 8 | 1);
}

void test_ioport_delete_closes_range(void)
{
	uint64_t p = uart_ports();
	KCHECK(!(try_inb(UART_LSR) & INB_FAULTED));
	release(p);
	KCHECK_EQ(try_inb(UART_LSR), INB_FAULTED | VEC_GP << 8 | 1);
}

/* A copy of a port capability starts closed: the child opens it in its own
 * address space and uses the ports there. */
void test_ioport_copy_opens_in_child(void)
{
	uint64_t p = slot_get();
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, UART_BASE, UART_BASE + 7, ROOT, p),
	          ATOLL_E_OK);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	process_t c;
	KCHECK_EQ(child_create(&c, CHILD_IOPORT, HELPER_PRIO, ep, ep), ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(c.cnode, CHILD_SLOT_EXTRA, ROOT, p, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(c.tcb), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), 0); /* a call, not a fault */
	KCHECK_EQ(m.w[0], ATOLL_E_OK);
	KCHECK_EQ(m.w[1] & UART_LSR_THR_EMPTY, UART_LSR_THR_EMPTY);
	/* The parent never opened them. */
	KCHECK_EQ(try_inb(UART_LSR), INB_FAULTED | VEC_GP << 8 | 1);
	child_destroy(&c);
	release(reply);
	release(ep);
	release(p);
}

/* Ports open in the parent's address space are not open in the child's. */
void test_ioport_child_without_ports_faults(void)
{
	uint64_t p = uart_ports();
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	process_t c;
	KCHECK_EQ(child_create(&c, CHILD_INB_CLOSED, HELPER_PRIO, ep, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(c.tcb), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(m.w[0], VEC_GP);
	KCHECK_EQ(m.w[2], (uint64_t)ktest_inb_insn);
	child_destroy(&c);
	KCHECK(!(try_inb(UART_LSR) & INB_FAULTED)); /* and the parent's are still open */
	release(reply);
	release(ep);
	release(p);
}
