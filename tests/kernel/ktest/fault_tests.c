/*
 * Faults as messages: page faults and every exception a user thread can
 * raise, each delivered to the root acting as the fault handler, which
 * repairs, redirects or stops the thread by its reply; and what becomes of
 * a faulting thread whose handler is missing or gone.
 */
#include "fault.h"

#define VS ATOLL_SLOT_VSPACE

static void body_read(fault_run_t *r)
{
	r->value = ktest_read64(r->arg);
	r->done = 1;
}

/* The pager's job: map what was missing and reply with no words. */
void test_fault_page_fault_resolved_by_mapping(void)
{
	uint64_t va = fresh_va();
	fault_run_t r = {.arg = va + 0x18};
	fault_run_start(&r, body_read, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_PAGE);
	KCHECK_EQ(r.msg.w[0], va + 0x18);
	KCHECK_EQ(r.msg.w[1], PF_USER);
	KCHECK_EQ(r.msg.w[2], (uint64_t)ktest_read64_insn);
	uint64_t top = helper_stack_top(&r.h);
	KCHECK(r.msg.w[3] < top && r.msg.w[3] > top - 4 * PAGE);
	uint64_t f = map_new_frame(va);
	*(volatile uint64_t *)(va + 0x18) = 0xfeed;
	KCHECK_EQ(fault_reply_words(&r, 0, 0, NULL), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(r.value, 0xfeed);
	fault_run_end(&r);
	release(f);
}

static void body_write64(fault_run_t *r)
{
	ktest_write64(r->arg, r->arg2);
	r->done = 1;
}

void test_fault_page_fault_write_to_read_only(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, f, va, ATOLL_MAP_READ), ATOLL_E_OK);
	fault_run_t r = {.arg = va, .arg2 = 0x3e3e};
	fault_run_start(&r, body_write64, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_PAGE);
	KCHECK_EQ(r.msg.w[1], PF_PRESENT | PF_WRITE | PF_USER);
	KCHECK_EQ(r.msg.w[2], (uint64_t)ktest_write64_insn);
	KCHECK_EQ(frame_map(f, VS, va, ATOLL_MAP_READ | ATOLL_MAP_WRITE), ATOLL_E_OK);
	KCHECK_EQ(fault_reply_words(&r, 0, 0, NULL), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(*(volatile uint64_t *)va, 0x3e3e);
	fault_run_end(&r);
	release(f);
}

/* The parent pages memory into a child's address space. */
void test_fault_page_fault_in_child_resolved_by_parent(void)
{
	uint64_t fep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	uint64_t scratch = fresh_va();
	uint64_t g = map_new_frame(scratch);
	*(volatile uint64_t *)scratch = 0xc0ffee;
	frame_unmap(g);
	process_t p;
	KCHECK_EQ(child_create(&p, CHILD_READ_UNMAPPED, HELPER_PRIO, fep, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(p.tcb), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(fep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(fault_label(&m), ATOLL_FAULT_PAGE);
	KCHECK_EQ(m.w[0], CHILD_UNMAPPED_VA);
	KCHECK_EQ(m.w[2], (uint64_t)ktest_read64_insn); /* same ELF, same addresses */
	KCHECK_EQ(vspace_map(p.vspace, g, CHILD_UNMAPPED_VA, ATOLL_MAP_READ), ATOLL_E_OK);
	m.info = 0;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 0xc0ffee);
	m.info = 0;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	child_destroy(&p);
	release(g);
	release(reply);
	release(ep);
	release(fep);
}

static void body_call_null(fault_run_t *r)
{
	ktest_call(0);
	r->done = 1;
}

void test_fault_null_rip_is_page_fault(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_call_null, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_PAGE);
	KCHECK_EQ(r.msg.w[0], 0);
	KCHECK_EQ(r.msg.w[1], PF_USER | PF_FETCH);
	KCHECK_EQ(r.msg.w[2], 0);
	KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	fault_run_end(&r);
}

static void body_div0(fault_run_t *r)
{
	ktest_div0();
	r->done = 1;
}

/* An emulator's pattern: read the registers, step over the instruction. */
void test_fault_divide_error_skipped(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_div0, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(r.msg.w[0], VEC_DE);
	KCHECK_EQ(r.msg.w[2], (uint64_t)ktest_div0_insn);
	KCHECK(r.msg.w[4] & 0x200); /* rflags */
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n;
	KCHECK_EQ(tcb_read_registers(r.h.tcb, regs, &n), ATOLL_E_OK);
	KCHECK_EQ(regs[ATOLL_REG_RIP], (uint64_t)ktest_div0_insn);
	regs[ATOLL_REG_RIP] += 2; /* div %ecx */
	KCHECK_EQ(fault_reply_words(&r, 0, ATOLL_REG_RIP + 1, regs), ATOLL_E_OK);
	KCHECK(r.done);
	fault_run_end(&r);
}

/* #GP from an `int n` whose gate user code may not use: the IDT flag (bit 1)
 * and the gate's index. Hardware puts n in bits 3..15; QEMU's TCG puts it in
 * bits 4..15 (16-byte gates); either says the same. */
static int gate_error_code(uint64_t code, uint64_t vector)
{
	return (code & 3) == 2 && (code >> 3 == vector || code >> 4 == vector);
}

/* How expect_exception checks the error code. */
enum { CODE_EXACT, CODE_ANY, CODE_GATE };

/* Run body, expect one exception with this vector and error code (see
 * how), stop the thread. Returns the message's rip. */
static uint64_t expect_exception(fault_body_t body, uint64_t vector, uint64_t code, int how)
{
	fault_run_t r = {0};
	fault_run_start(&r, body, 0);
	KCHECK(!r.done);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(atoll_msginfo_length(r.msg.info), 5);
	KCHECK_EQ(r.msg.w[0], vector);
	if (how == CODE_EXACT)
		KCHECK_EQ(r.msg.w[1], code);
	if (how == CODE_GATE)
		KCHECK(gate_error_code(r.msg.w[1], code));
	uint64_t rip = r.msg.w[2];
	KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	fault_run_end(&r);
	return rip;
}

static void body_ud2(fault_run_t *r)
{
	ktest_ud2();
	r->done = 1;
}

static void body_hlt(fault_run_t *r)
{
	ktest_hlt();
	r->done = 1;
}

static void body_int80(fault_run_t *r)
{
	ktest_int80();
	r->done = 1;
}

static void body_int30(fault_run_t *r)
{
	ktest_int30();
	r->done = 1;
}

static void body_int3(fault_run_t *r)
{
	ktest_int3();
	r->done = 1;
}

static void body_single_step(fault_run_t *r)
{
	ktest_single_step();
	r->done = 1;
}

static void body_simd(fault_run_t *r)
{
	ktest_simd_div0();
	r->done = 1;
}

static void body_x87(fault_run_t *r)
{
	ktest_x87_div0();
	r->done = 1;
}

#define NONCANONICAL_RSP 0x8000000000001000ULL

static void body_bad_rsp(fault_run_t *r)
{
	ktest_bad_rsp_push(NONCANONICAL_RSP);
}

void test_fault_invalid_opcode(void)
{
	KCHECK_EQ(expect_exception(body_ud2, VEC_UD, 0, CODE_EXACT), (uint64_t)ktest_ud2);
}

void test_fault_general_protection_hlt(void)
{
	KCHECK_EQ(expect_exception(body_hlt, VEC_GP, 0, CODE_EXACT), (uint64_t)ktest_hlt);
}

void test_fault_general_protection_int80(void)
{
	KCHECK_EQ(expect_exception(body_int80, VEC_GP, 0x80, CODE_GATE), (uint64_t)ktest_int80);
}

void test_fault_int_to_device_vector_is_gp(void)
{
	KCHECK_EQ(expect_exception(body_int30, VEC_GP, 0x30, CODE_GATE), (uint64_t)ktest_int30);
}

/* int3 is how debuggers and Linux's SIGTRAP work: a breakpoint exception
 * (vector 3) reported after the instruction, not a protection fault. */
void test_fault_breakpoint_int3(void)
{
	KCHECK_EQ(expect_exception(body_int3, VEC_BP, 0, CODE_EXACT),
	          (uint64_t)ktest_int3_insn + 1);
}

void test_fault_single_step_trap(void)
{
	uint64_t rip = expect_exception(body_single_step, VEC_DB, 0, CODE_ANY);
	KCHECK(rip > (uint64_t)ktest_single_step && rip < (uint64_t)ktest_single_step + 16);
}

/* QEMU's TCG (7.2) does not raise SIMD floating-point exceptions at all;
 * where the CPU does, it must arrive as vector 19. */
void test_fault_simd_exception(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_simd, 0);
	if (r.done) {
		printf("  (this CPU raised no SIMD exception: nothing to check)\n");
	} else {
		KCHECK_EQ(r.err, ATOLL_E_OK);
		KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_EXCEPTION);
		KCHECK_EQ(r.msg.w[0], VEC_XM);
		KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	}
	fault_run_end(&r);
}

void test_fault_x87_exception(void)
{
	expect_exception(body_x87, VEC_MF, 0, CODE_EXACT);
}

void test_fault_noncanonical_rsp_is_stack_fault(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_bad_rsp, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_EXCEPTION);
	KCHECK(r.msg.w[0] == VEC_SS || r.msg.w[0] == VEC_GP);
	KCHECK_EQ(r.msg.w[3], NONCANONICAL_RSP); /* rsp */
	KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	fault_run_end(&r);
}

void test_fault_reply_stop_leaves_thread_suspended(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_ud2, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	yield_n(3);
	KCHECK(!r.done);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(r.ep, r.reply, &m), ATOLL_E_WOULD_BLOCK); /* not running */
	/* Resumed, it runs the ud2 again and faults again. */
	KCHECK_EQ(tcb_resume(r.h.tcb), ATOLL_E_OK);
	KCHECK_EQ(fault_run_next(&r), ATOLL_E_OK);
	KCHECK_EQ(r.msg.w[0], VEC_UD);
	KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	fault_run_end(&r);
}

static volatile int rescued;

static void rescue(helper_t *h)
{
	rescued = 1;
	for (;;)
		tcb_suspend(h->tcb);
}

static void body_ud2_plain(void *arg)
{
	ktest_ud2();
	rescued = 2; /* never: the ud2 is not skipped */
}

/* With no handler the kernel suspends the thread and everything else goes
 * on; whoever holds its TCB can set it running elsewhere. */
void test_fault_without_handler_suspends_thread(void)
{
	helper_t h;
	rescued = 0;
	KCHECK_EQ(helper_start(&h, body_ud2_plain, NULL, HELPER_PRIO, 0), ATOLL_E_OK);
	yield_n(2);
	KCHECK_EQ(rescued, 0);
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RDI] = (uint64_t)&h;
	regs[ATOLL_REG_RIP] = (uint64_t)rescue;
	regs[ATOLL_REG_RSP] = helper_stack_top(&h) - 8;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	KCHECK_EQ(tcb_write_registers(h.tcb, 1, regs, ATOLL_REG_RFLAGS + 1), ATOLL_E_OK);
	KCHECK_EQ(rescued, 1);
	helper_stop(&h);
}

void test_fault_message_carries_endpoint_badge(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t badged = mint_cap(ep, ATOLL_RIGHTS_ALL, 0x77);
	fault_run_t r = {0};
	fault_run_start(&r, body_ud2, badged);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(r.msg.badge, 0x77);
	KCHECK_EQ(fault_reply_stop(&r), ATOLL_E_OK);
	fault_run_end(&r);
	release(badged);
	release(ep);
}

/* The thread waits to deliver its fault when the endpoint is destroyed: it
 * must end up suspended, not running on as if the fault were handled. */
void test_fault_handler_deleted_suspends_thread(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	rescued = 0;
	KCHECK_EQ(helper_start(&h, body_ud2_plain, NULL, HELPER_PRIO, ep), ATOLL_E_OK);
	/* The TCB holds a copy of ep: revoke reaches it. */
	KCHECK_EQ(cnode_revoke(ATOLL_SLOT_CNODE, ep), ATOLL_E_OK);
	KCHECK_EQ(cnode_delete(ATOLL_SLOT_CNODE, ep), ATOLL_E_OK);
	yield_n(2);
	KCHECK_EQ(rescued, 0);
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n;
	KCHECK_EQ(tcb_read_registers(h.tcb, regs, &n), ATOLL_E_OK);
	KCHECK_EQ(regs[ATOLL_REG_RIP], (uint64_t)ktest_ud2);
	helper_stop(&h);
	release(ep);
}

void test_fault_handler_without_reply_object_stops_thread(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	rescued = 0;
	KCHECK_EQ(helper_start(&h, body_ud2_plain, NULL, HELPER_PRIO, ep), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(atoll_msginfo_label(m.info), ATOLL_FAULT_EXCEPTION);
	KCHECK_EQ(m.w[0], VEC_UD);
	/* Nobody can answer: the thread stays stopped, and a resume retries. */
	yield_n(2);
	KCHECK_EQ(rescued, 0);
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(atoll_nbrecv(ep, 0, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], VEC_UD);
	helper_stop(&h);
	release(ep);
}

void test_fault_set_fault_endpoint_redirects(void)
{
	uint64_t ep1 = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ep2 = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	KCHECK_EQ(helper_prepare(&h, 0, body_ud2_plain, NULL, HELPER_PRIO, ep1), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_fault_endpoint(h.tcb, ep2), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbrecv(ep1, reply, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(atoll_nbrecv(ep2, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], VEC_UD);
	helper_stop(&h);
	release(reply);
	release(ep2);
	release(ep1);
}
