/*
 * Unknown system calls as fault messages: how the Linux personality sees a
 * Linux binary's syscalls. The root, as the fault handler, receives every
 * register and emulates the call by its reply, on the slow paths (handler
 * not yet waiting) and the fast ones (handler waiting, reply_recv).
 */
#include "fault.h"

static void body_getpid(fault_run_t *r)
{
	r->value = ktest_linux_syscall(39, 0, 0, 0, 0, 0, 0);
	r->done = 1;
}

/* THE personality test: a Linux getpid becomes a message, and the handler's
 * one-word reply is what the `syscall` instruction returns. */
void test_fault_unknown_syscall_is_emulated(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_getpid, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_UNKNOWN_SYSCALL);
	KCHECK_EQ(r.msg.w[ATOLL_REG_RAX], 39);
	KCHECK_EQ(r.msg.w[ATOLL_REG_RIP], (uint64_t)ktest_linux_syscall_insn + 2);
	KCHECK(r.msg.info & ATOLL_MSG_WAS_CALL);
	KCHECK(!r.done);
	uint64_t rax = 4242;
	KCHECK_EQ(fault_reply_words(&r, 0, 1, &rax), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(r.value, 4242);
	fault_run_end(&r);
}

static void body_write(fault_run_t *r)
{
	r->value = ktest_linux_syscall(1, 11, 22, 33, 44, 55, 66);
	r->done = 1;
}

void test_fault_unknown_syscall_message_has_all_registers(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_write, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_UNKNOWN_SYSCALL);
	KCHECK_EQ(atoll_msginfo_length(r.msg.info), ATOLL_REG_COUNT);
	KCHECK_EQ(r.msg.badge, 0);
	/* Linux argument order: rdi rsi rdx r10 r8 r9. */
	static const uint64_t want[7] = {1, 11, 22, 33, 44, 55, 66};
	for (unsigned i = 0; i < 7; i++)
		KCHECK_EQ(r.msg.w[i], want[i]);
	const uint64_t *mr = atoll_ipc_buffer_ptr->mr;
	uint64_t top = helper_stack_top(&r.h);
	KCHECK(mr[ATOLL_REG_RSP] < top && mr[ATOLL_REG_RSP] > top - 4 * PAGE);
	KCHECK(mr[ATOLL_REG_RFLAGS] & 0x200);
	KCHECK_EQ(mr[ATOLL_REG_RCX], r.msg.w[ATOLL_REG_RIP]); /* what `syscall` saved */
	uint64_t rax = 33;
	KCHECK_EQ(fault_reply_words(&r, 0, 1, &rax), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(r.value, 33);
	fault_run_end(&r);
}

static const uint64_t odd_numbers[] = {0, 0x7fffffffffffffffULL, (uint64_t)-12,
                                       0x8000000000000000ULL, 1000};
static volatile uint64_t odd_results[5];

static void body_odd_numbers(fault_run_t *r)
{
	for (unsigned i = 0; i < 5; i++)
		odd_results[i] = ktest_linux_syscall(odd_numbers[i], 0, 0, 0, 0, 0, 0);
	r->done = 1;
}

/* Every number outside syscalls.def is unknown: Linux's 0, huge ones, and
 * negative ones below Atoll's range. */
void test_fault_unknown_syscall_numbers(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_odd_numbers, 0);
	for (unsigned i = 0; i < 5; i++) {
		KCHECK_EQ(r.err, ATOLL_E_OK);
		KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_UNKNOWN_SYSCALL);
		KCHECK_EQ(r.msg.w[0], odd_numbers[i]);
		uint64_t rax = 100 + i;
		KCHECK_EQ(fault_reply_words(&r, 0, 1, &rax), ATOLL_E_OK);
		if (i < 4)
			fault_run_next(&r);
	}
	KCHECK(r.done);
	for (unsigned i = 0; i < 5; i++)
		KCHECK_EQ(odd_results[i], 100 + i);
	fault_run_end(&r);
}

#define LOOP_CALLS 5

static volatile uint64_t loop_results[LOOP_CALLS];
static volatile int loop_done;

static void linux_loop(void *arg)
{
	for (unsigned i = 0; i < LOOP_CALLS; i++)
		loop_results[i] = ktest_linux_syscall(100 + i, i, 0, 0, 0, 0, 0);
	loop_done = 1;
}

/* The handler already waits when the syscall comes, and answers with
 * reply_recv: the kernel's fast paths for both directions. The message
 * must be the same as on the slow path. */
void test_fault_unknown_syscall_fastpath_loop(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t badged = mint_cap(ep, ATOLL_RIGHTS_ALL, 0x55);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	loop_done = 0;
	KCHECK_EQ(helper_start(&h, linux_loop, NULL, ROOT_PRIO - 10, badged), ATOLL_E_OK);
	uint64_t top = helper_stack_top(&h);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_recv(ep, reply, &m), ATOLL_E_OK); /* the helper runs now */
	for (unsigned i = 0; i < LOOP_CALLS; i++) {
		KCHECK_EQ(atoll_msginfo_label(m.info), ATOLL_FAULT_UNKNOWN_SYSCALL);
		KCHECK_EQ(atoll_msginfo_length(m.info), ATOLL_REG_COUNT);
		KCHECK(m.info & ATOLL_MSG_WAS_CALL);
		KCHECK_EQ(m.badge, 0x55);
		KCHECK_EQ(m.w[ATOLL_REG_RAX], 100 + i);
		KCHECK_EQ(m.w[ATOLL_REG_RDI], i);
		KCHECK_EQ(m.w[ATOLL_REG_RIP], (uint64_t)ktest_linux_syscall_insn + 2);
		uint64_t rsp = atoll_ipc_buffer_ptr->mr[ATOLL_REG_RSP];
		KCHECK(rsp < top && rsp > top - 4 * PAGE);
		/* Call 2 gets an empty reply: rax keeps the syscall number. */
		m = (atoll_msg_t){.info = atoll_msginfo(0, 0, i == 2 ? 0 : 1), .w = {1000 + i}};
		if (i + 1 < LOOP_CALLS)
			KCHECK_EQ(atoll_reply_recv(ep, reply, &m), ATOLL_E_OK);
		else
			KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	}
	root_set_priority(ROOT_PRIO - 20); /* let the helper see its last result */
	root_set_priority(ROOT_PRIO);
	KCHECK(loop_done);
	for (unsigned i = 0; i < LOOP_CALLS; i++)
		KCHECK_EQ(loop_results[i], i == 2 ? 102 : 1000 + i);
	helper_stop(&h);
	release(reply);
	release(badged);
	release(ep);
}

void test_fault_unknown_syscall_from_child_process(void)
{
	uint64_t fep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	process_t p;
	KCHECK_EQ(child_create(&p, CHILD_LINUX_GETPID, HELPER_PRIO, fep, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(p.tcb), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(fep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(fault_label(&m), ATOLL_FAULT_UNKNOWN_SYSCALL);
	KCHECK_EQ(m.w[0], 39);
	m = (atoll_msg_t){.info = atoll_msginfo(0, 0, 1), .w = {4242}};
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(m.w[0], 4242);
	m.info = 0;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
	child_destroy(&p);
	release(reply);
	release(ep);
	release(fep);
}

static volatile uint64_t regs_after[4];

static void body_regs(fault_run_t *r)
{
	register uint64_t rax __asm__("rax") = 500;
	register uint64_t rdi __asm__("rdi") = 1;
	register uint64_t rsi __asm__("rsi") = 2;
	register uint64_t rdx __asm__("rdx") = 3;
	__asm__ volatile("syscall"
	                 : "+r"(rax), "+r"(rdi), "+r"(rsi), "+r"(rdx)
	                 :
	                 : "rcx", "r11", "r8", "r9", "r10", "memory");
	regs_after[0] = rax;
	regs_after[1] = rdi;
	regs_after[2] = rsi;
	regs_after[3] = rdx;
	r->done = 1;
}

/* A reply of n words sets registers 0..n-1 in atoll_register order. */
void test_fault_reply_sets_registers(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_regs, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(r.msg.w[0], 500);
	static const uint64_t w[4] = {0xa, 0xb, 0xc, 0xd};
	KCHECK_EQ(fault_reply_words(&r, 0, 4, w), ATOLL_E_OK);
	KCHECK(r.done);
	for (unsigned i = 0; i < 4; i++)
		KCHECK_EQ(regs_after[i], w[i]);
	fault_run_end(&r);
}

void test_fault_reply_with_kernel_rip_is_refused(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_getpid, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n;
	KCHECK_EQ(tcb_read_registers(r.h.tcb, regs, &n), ATOLL_E_OK);
	regs[ATOLL_REG_RIP] = KERNEL_HALF;
	KCHECK_EQ(fault_reply_words(&r, 0, 8, regs), ATOLL_E_INVALID_ARG);
	regs[ATOLL_REG_RIP] = USER_TOP;
	KCHECK_EQ(fault_reply_words(&r, 0, 8, regs), ATOLL_E_INVALID_ARG);
	KCHECK(!r.done);
	/* The thread still waits for a good answer. */
	uint64_t rax = 7;
	KCHECK_EQ(fault_reply_words(&r, 0, 1, &rax), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(r.value, 7);
	fault_run_end(&r);
}

static void body_foreign_null(fault_run_t *r)
{
	/* From now on this thread speaks a foreign ABI: even Atoll's own
	 * numbers are unknown system calls for its fault handler. */
	tcb_set_flags(r->h.tcb, ATOLL_TCB_FLAG_FOREIGN_SYSCALLS);
	r->value = ktest_linux_syscall((uint64_t)ATOLL_SYS_NULL, 0, 0, 0, 0, 0, 0);
	r->done = 1;
}

void test_fault_foreign_thread_atoll_numbers_are_faults(void)
{
	fault_run_t r = {0};
	fault_run_start(&r, body_foreign_null, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_UNKNOWN_SYSCALL);
	KCHECK_EQ(r.msg.w[ATOLL_REG_RAX], (uint64_t)ATOLL_SYS_NULL);
	uint64_t rax = 38; /* ENOSYS, as a Linux personality would answer */
	KCHECK_EQ(fault_reply_words(&r, 0, 1, &rax), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(r.value, 38);
	atoll_msg_t m = {.w = {0x2}};
	KCHECK_EQ(atoll_invoke(r.h.tcb, ATOLL_TCB_SET_FLAGS, 1, &m), ATOLL_E_INVALID_ARG);
	fault_run_end(&r);
}

static void body_foreign_send(fault_run_t *r)
{
	tcb_set_flags(r->h.tcb, ATOLL_TCB_FLAG_FOREIGN_SYSCALLS);
	/* Atoll's send on a notification its CSpace holds: the number the
	 * entry code hands to the signal fast path. */
	r->value = ktest_linux_syscall((uint64_t)ATOLL_SYS_SEND, r->arg, 0, 0, 0, 0, 0);
	r->done = 1;
}

/* The fast-path numbers too: a foreign thread's CSpace is never used by
 * its system calls, even when it holds a capability the number names. */
void test_fault_foreign_thread_fast_path_numbers_are_faults(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	fault_run_t r = {.arg = mint_cap(n, ATOLL_RIGHTS_ALL, 0x40)};
	fault_run_start(&r, body_foreign_send, 0);
	KCHECK_EQ(r.err, ATOLL_E_OK);
	KCHECK_EQ(fault_label(&r.msg), ATOLL_FAULT_UNKNOWN_SYSCALL);
	KCHECK_EQ(r.msg.w[ATOLL_REG_RAX], (uint64_t)ATOLL_SYS_SEND);
	uint64_t rax = 38;
	KCHECK_EQ(fault_reply_words(&r, 0, 1, &rax), ATOLL_E_OK);
	KCHECK(r.done);
	KCHECK_EQ(r.value, 38);
	uint64_t bits = 0;
	atoll_poll(n, &bits);
	KCHECK_EQ(bits, 0); /* nothing was signalled */
	fault_run_end(&r);
	release(r.arg);
	release(n);
}
