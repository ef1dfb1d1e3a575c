/*
 * TCB invocations: configure (and its IPC-buffer checks), priorities under
 * the authority's MCP, register reads and writes (with the kernel's
 * sanitising of rip, rflags and segment bases), suspend/resume and
 * deletion of running or blocked threads.
 */
#include "ipc.h"

#define ROOT ATOLL_SLOT_CNODE

void test_tcb_configure_rejects_bad_caps(void)
{
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ep_r = mint_cap(ep, ATOLL_RIGHT_READ, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t empty = slot_get();
	uint64_t vs = ATOLL_SLOT_VSPACE;
	KCHECK_EQ(tcb_configure(t, 0, ep, vs, 0, 0), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, ROOT, 0, 0), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(tcb_configure(t, n, ROOT, vs, 0, 0), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(tcb_configure(t, ep_r, ROOT, vs, 0, 0), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_configure(t, 0, empty, vs, 0, 0), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, empty, 0, 0), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_configure(t, empty, ROOT, vs, 0, 0), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, 0x7a0000000000ULL, ep), ATOLL_E_WRONG_TYPE);
	atoll_msg_t m = {.w = {0, ROOT, vs, 0, 0}};
	KCHECK_EQ(atoll_invoke(t, ATOLL_TCB_CONFIGURE, 4, &m), ATOLL_E_INVALID_ARG);
	/* None of that configured anything. */
	KCHECK_EQ(tcb_resume(t), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(tcb_configure(t, ep, ROOT, vs, 0, 0), ATOLL_E_OK);
	release(empty);
	release(n);
	release(ep_r);
	release(t);
	release(ep);
}

void test_tcb_configure_ipc_buffer_checks(void)
{
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t f_r = mint_cap(f, ATOLL_RIGHT_READ, 0);
	uint64_t vs = ATOLL_SLOT_VSPACE;
	uint64_t ok = 0x7a0000000000ULL;
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, 0, f), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, KERNEL_HALF, f), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, 0xffffffff80000000ULL, f), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, USER_TOP, f), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, 0x8000000000000000ULL, f), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, ok + 0x100, f), ATOLL_E_ALIGNMENT);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, ok + 8, f), ATOLL_E_ALIGNMENT);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, ok, f_r), ATOLL_E_NO_RIGHTS);
	/* The kernel reaches the buffer through the frame: it need not be mapped. */
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, ok, f), ATOLL_E_OK);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, ok + 2048, f), ATOLL_E_OK);
	/* A device frame is not memory the kernel may use as a buffer. */
	uint64_t dev = 0;
	for (uint64_t i = 0; i < bi->untyped_count && !dev; i++)
		if (bi->untyped[i].is_device)
			dev = bi->untyped_first + i;
	uint64_t df = slot_get();
	KCHECK_EQ(untyped_retype(dev, ATOLL_OBJ_FRAME, 0, ROOT, df, 1), ATOLL_E_OK);
	KCHECK_EQ(tcb_configure(t, 0, ROOT, vs, ok, df), ATOLL_E_INVALID_ARG);
	release(t); /* before its buffer frame */
	release(df);
	release(f_r);
	release(f);
}

void test_tcb_resume_unconfigured_is_invalid_arg(void)
{
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	KCHECK_EQ(tcb_resume(t), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(tcb_suspend(t), ATOLL_E_OK);
	release(t);
}

void test_tcb_priority_bounded_by_mcp(void)
{
	uint64_t a = make_object(ATOLL_OBJ_TCB, 0);
	uint64_t x = make_object(ATOLL_OBJ_TCB, 0);
	KCHECK_EQ(tcb_set_mcp(a, ATOLL_SLOT_TCB, 50), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_priority(x, a, 50), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_priority(x, a, 51), ATOLL_E_RANGE);
	KCHECK_EQ(tcb_set_mcp(x, a, 51), ATOLL_E_RANGE);
	KCHECK_EQ(tcb_set_mcp(x, a, 40), ATOLL_E_OK);
	/* x cannot lift itself above its own MCP either. */
	KCHECK_EQ(tcb_set_priority(x, x, 41), ATOLL_E_RANGE);
	KCHECK_EQ(tcb_set_priority(x, x, 40), ATOLL_E_OK);
	/* The root's MCP is the top priority; nothing goes past 255. */
	KCHECK_EQ(tcb_set_priority(x, ATOLL_SLOT_TCB, 255), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_priority(x, ATOLL_SLOT_TCB, 256), ATOLL_E_RANGE);
	atoll_msg_t m = {.w = {ATOLL_SLOT_TCB, (1ULL << 32) | 5}};
	KCHECK_EQ(atoll_invoke(x, ATOLL_TCB_SET_PRIORITY, 2, &m), ATOLL_E_RANGE);
	KCHECK_EQ(tcb_set_mcp(x, ATOLL_SLOT_TCB, 256), ATOLL_E_RANGE);
	release(x);
	release(a);
}

void test_tcb_priority_authority_must_be_tcb(void)
{
	uint64_t x = make_object(ATOLL_OBJ_TCB, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t empty = slot_get();
	KCHECK_EQ(tcb_set_priority(x, ep, 10), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(tcb_set_priority(x, empty, 10), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_set_mcp(x, ROOT, 10), ATOLL_E_WRONG_TYPE);
	release(empty);
	release(ep);
	release(x);
}

/* A configured thread that has never run. */
static uint64_t idle_thread(void)
{
	uint64_t t = make_object(ATOLL_OBJ_TCB, 0);
	tcb_configure(t, 0, ROOT, ATOLL_SLOT_VSPACE, 0, 0);
	return t;
}

void test_tcb_write_read_registers_roundtrip(void)
{
	uint64_t t = idle_thread();
	uint64_t in[ATOLL_REG_COUNT], out[ATOLL_REG_COUNT] = {0};
	for (unsigned i = 0; i < ATOLL_REG_COUNT; i++)
		in[i] = 0x1000 + i * 0x1111;
	in[ATOLL_REG_RIP] = 0x401000;
	in[ATOLL_REG_RSP] = 0x70000000;
	in[ATOLL_REG_RFLAGS] = 0x203; /* IF and CF */
	in[ATOLL_REG_FS_BASE] = 0x12345000;
	in[ATOLL_REG_GS_BASE] = 0x23456000;
	KCHECK_EQ(tcb_write_registers(t, 0, in, ATOLL_REG_COUNT), ATOLL_E_OK);
	unsigned n = 0;
	KCHECK_EQ(tcb_read_registers(t, out, &n), ATOLL_E_OK);
	KCHECK_EQ(n, ATOLL_REG_COUNT);
	for (unsigned i = 0; i < ATOLL_REG_COUNT; i++)
		KCHECK_EQ(out[i], in[i]);
	/* Writing fewer registers leaves the rest alone. */
	uint64_t two[2] = {7, 8};
	KCHECK_EQ(tcb_write_registers(t, 0, two, 2), ATOLL_E_OK);
	KCHECK_EQ(tcb_read_registers(t, out, &n), ATOLL_E_OK);
	KCHECK_EQ(out[ATOLL_REG_RAX], 7);
	KCHECK_EQ(out[ATOLL_REG_RDI], 8);
	KCHECK_EQ(out[ATOLL_REG_RSI], in[ATOLL_REG_RSI]);
	KCHECK_EQ(out[ATOLL_REG_GS_BASE], in[ATOLL_REG_GS_BASE]);
	release(t);
}

void test_tcb_write_registers_sanitises_rflags(void)
{
	uint64_t t = idle_thread();
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0}, out[ATOLL_REG_COUNT];
	unsigned n;
	regs[ATOLL_REG_RIP] = 0x401000;
	regs[ATOLL_REG_RFLAGS] = ~0ULL;
	KCHECK_EQ(tcb_write_registers(t, 0, regs, ATOLL_REG_RFLAGS + 1), ATOLL_E_OK);
	KCHECK_EQ(tcb_read_registers(t, out, &n), ATOLL_E_OK);
	uint64_t fl = out[ATOLL_REG_RFLAGS];
	KCHECK(fl & 0x200);         /* IF stays on: a thread cannot mask interrupts */
	KCHECK_EQ(fl & 0x3000, 0);  /* IOPL 0: in/out stay under the I/O bitmap */
	KCHECK_EQ(fl & 0x20000, 0); /* no virtual-8086 mode */
	KCHECK_EQ(fl >> 22, 0);     /* reserved bits */
	KCHECK(fl & 0x1);           /* CF is the thread's to set */
	regs[ATOLL_REG_RFLAGS] = 0;
	KCHECK_EQ(tcb_write_registers(t, 0, regs, ATOLL_REG_RFLAGS + 1), ATOLL_E_OK);
	KCHECK_EQ(tcb_read_registers(t, out, &n), ATOLL_E_OK);
	KCHECK_EQ(out[ATOLL_REG_RFLAGS] & 0x202, 0x202);
	release(t);
}

static atoll_error_t write_one(uint64_t t, unsigned reg, uint64_t value)
{
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n;
	tcb_read_registers(t, regs, &n);
	regs[reg] = value;
	return tcb_write_registers(t, 0, regs, reg + 1);
}

void test_tcb_write_registers_rejects_bad_addresses(void)
{
	uint64_t t = idle_thread();
	KCHECK_EQ(write_one(t, ATOLL_REG_RIP, 0x401000), ATOLL_E_OK);
	KCHECK_EQ(write_one(t, ATOLL_REG_RIP, KERNEL_HALF), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(write_one(t, ATOLL_REG_RIP, 0xffffffff80001000ULL), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(write_one(t, ATOLL_REG_RIP, USER_TOP), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(write_one(t, ATOLL_REG_RIP, 0x8000000000000000ULL), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(write_one(t, ATOLL_REG_FS_BASE, USER_TOP), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(write_one(t, ATOLL_REG_FS_BASE, KERNEL_HALF), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(write_one(t, ATOLL_REG_GS_BASE, 0x0000800000001000ULL), ATOLL_E_INVALID_ARG);
	/* A refused write changes no register, not even those before the bad one. */
	uint64_t regs[ATOLL_REG_COUNT] = {0};
	unsigned n;
	tcb_read_registers(t, regs, &n);
	regs[ATOLL_REG_RAX] = 0xdead;
	regs[ATOLL_REG_RIP] = KERNEL_HALF;
	KCHECK_EQ(tcb_write_registers(t, 0, regs, ATOLL_REG_RIP + 1), ATOLL_E_INVALID_ARG);
	tcb_read_registers(t, regs, &n);
	KCHECK(regs[ATOLL_REG_RAX] != 0xdead);
	KCHECK_EQ(regs[ATOLL_REG_RIP], 0x401000);
	/* Null is a user address like any other; running there faults (fault tests). */
	KCHECK_EQ(write_one(t, ATOLL_REG_RIP, 0), ATOLL_E_OK);
	release(t);
}

void test_tcb_write_registers_on_self_is_illegal(void)
{
	uint64_t regs[1] = {0};
	KCHECK_EQ(tcb_write_registers(ATOLL_SLOT_TCB, 0, regs, 1), ATOLL_E_ILLEGAL_OP);
}

void test_tcb_registers_need_rights(void)
{
	uint64_t t = idle_thread();
	uint64_t r = mint_cap(t, ATOLL_RIGHT_READ, 0);
	uint64_t w = mint_cap(t, ATOLL_RIGHT_WRITE, 0);
	uint64_t regs[ATOLL_REG_COUNT] = {0};
	unsigned n;
	KCHECK_EQ(tcb_read_registers(r, regs, &n), ATOLL_E_OK);
	KCHECK_EQ(tcb_write_registers(r, 0, regs, 1), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_resume(r), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_suspend(r), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_set_priority(r, ATOLL_SLOT_TCB, 1), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_configure(r, 0, ROOT, ATOLL_SLOT_VSPACE, 0, 0), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_read_registers(w, regs, &n), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_write_registers(w, 0, regs, 1), ATOLL_E_OK);
	release(w);
	release(r);
	release(t);
}

static volatile uint64_t count;

static void count_and_yield(void *arg)
{
	for (;;) {
		count++;
		atoll_yield();
	}
}

void test_tcb_suspend_and_resume(void)
{
	helper_t h;
	count = 0;
	KCHECK_EQ(helper_start(&h, count_and_yield, NULL, ROOT_PRIO, 0), ATOLL_E_OK);
	yield_n(3);
	KCHECK(count >= 2);
	KCHECK_EQ(tcb_suspend(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(tcb_suspend(h.tcb), ATOLL_E_OK); /* twice is harmless */
	uint64_t seen = count;
	yield_n(3);
	KCHECK_EQ(count, seen);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	yield_n(3);
	KCHECK(count > seen);
	helper_stop(&h);
}

void test_tcb_suspend_leaves_endpoint_queue(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = {.cap = ep};
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	KCHECK_EQ(tcb_suspend(h.tcb), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_WOULD_BLOCK);
	KCHECK(!op.done);
	helper_stop(&h);
	release(ep);
}

/* A thread suspended inside a receive and resumed must come back with a
 * defined result: its receive restarts, or returns an error code. */
void test_tcb_resume_after_suspended_recv(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	helper_t h;
	ipc_op_t op = {.cap = ep};
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	KCHECK_EQ(tcb_suspend(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	if (op.done) {
		KCHECK((unsigned)op.err < ATOLL_E_COUNT);
		KCHECK(op.err != ATOLL_E_OK);
	} else {
		atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {3}};
		KCHECK_EQ(atoll_nbsend(ep, &m), ATOLL_E_OK);
		KCHECK(op.done);
		KCHECK_EQ(op.err, ATOLL_E_OK);
	}
	helper_stop(&h);
	release(ep);
}

/* The same for a thread suspended while it waits for its reply. */
void test_tcb_resume_after_suspended_call(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	helper_t h;
	ipc_op_t op = {.cap = ep, .info = atoll_msginfo(0, 0, 0)};
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_call, HELPER_PRIO), ATOLL_E_OK);
	atoll_msg_t m;
	KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK);
	KCHECK_EQ(tcb_suspend(h.tcb), ATOLL_E_OK);
	m.info = 0;
	KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_NO_REPLY); /* it stopped waiting */
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	if (op.done) {
		KCHECK((unsigned)op.err < ATOLL_E_COUNT);
		KCHECK(op.err != ATOLL_E_OK);
	} else {
		KCHECK_EQ(recv_soon(ep, reply, &m), ATOLL_E_OK); /* the call restarted */
		m.info = 0;
		KCHECK_EQ(atoll_reply(reply, &m), ATOLL_E_OK);
		KCHECK(op.done);
	}
	helper_stop(&h);
	release(reply);
	release(ep);
}

void test_tcb_delete_stops_running_thread(void)
{
	helper_t h;
	count = 0;
	KCHECK_EQ(helper_start(&h, count_and_yield, NULL, ROOT_PRIO, 0), ATOLL_E_OK);
	yield_n(3);
	KCHECK(count > 0);
	KCHECK_EQ(cnode_delete(ROOT, h.tcb), ATOLL_E_OK);
	uint64_t seen = count;
	yield_n(3);
	KCHECK_EQ(count, seen);
	helper_stop(&h);
}

static volatile int survived;

static void delete_myself(void *arg)
{
	helper_t *h = arg;
	cnode_delete(ROOT, h->tcb);
	survived = 1;
}

void test_tcb_delete_self(void)
{
	helper_t h;
	survived = 0;
	KCHECK_EQ(helper_prepare(&h, 0, delete_myself, &h, HELPER_PRIO, 0), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	KCHECK_EQ(survived, 0);
	KCHECK_EQ(tcb_suspend(h.tcb), ATOLL_E_INVALID_CAP);
	helper_stop(&h);
}

typedef struct segment_probe {
	uint64_t want_fs, want_gs;
	volatile unsigned rounds, wrong;
} segment_probe_t;

/* Reads %fs:0 and %gs:0 between yields to a thread with other bases. */
static void read_segments(void *arg)
{
	segment_probe_t *p = arg;
	for (unsigned i = 0; i < 5; i++) {
		uint64_t fs, gs;
		__asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
		__asm__ volatile("mov %%gs:0, %0" : "=r"(gs));
		if (fs != p->want_fs || gs != p->want_gs)
			p->wrong++;
		p->rounds++;
		atoll_yield();
	}
}

/* FS and GS bases are per thread (TLS): each thread sees its own through
 * every switch, however the kernel caches them. */
void test_tcb_fs_and_gs_base_follow_the_thread(void)
{
	uint64_t va = fresh_va();
	uint64_t f[4];
	for (unsigned i = 0; i < 4; i++) {
		f[i] = map_new_frame(va + i * PAGE);
		*(volatile uint64_t *)(va + i * PAGE) = 0x1111 * (i + 1);
	}
	helper_t h[2];
	segment_probe_t p[2] = {{.want_fs = 0x1111, .want_gs = 0x3333},
	                        {.want_fs = 0x2222, .want_gs = 0x4444}};
	for (unsigned t = 0; t < 2; t++) {
		KCHECK_EQ(helper_prepare(&h[t], 0, read_segments, &p[t], ROOT_PRIO, 0), ATOLL_E_OK);
		uint64_t regs[ATOLL_REG_COUNT];
		unsigned n;
		KCHECK_EQ(tcb_read_registers(h[t].tcb, regs, &n), ATOLL_E_OK);
		regs[ATOLL_REG_FS_BASE] = va + t * PAGE;
		regs[ATOLL_REG_GS_BASE] = va + (2 + t) * PAGE;
		KCHECK_EQ(tcb_write_registers(h[t].tcb, 1, regs, ATOLL_REG_COUNT), ATOLL_E_OK);
	}
	yield_n(12);
	for (unsigned t = 0; t < 2; t++) {
		KCHECK_EQ(p[t].rounds, 5);
		KCHECK_EQ(p[t].wrong, 0);
		helper_stop(&h[t]);
	}
	for (unsigned i = 0; i < 4; i++)
		release(f[i]);
}

void test_tcb_bad_label_and_short_messages(void)
{
	uint64_t t = idle_thread();
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	atoll_msg_t m = {.w = {ATOLL_SLOT_TCB, 1}};
	KCHECK_EQ(atoll_invoke(t, 9999, 2, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(t, ATOLL_UNTYPED_RETYPE, 2, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(t, ATOLL_TCB_SET_PRIORITY, 1, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(t, ATOLL_TCB_SET_MCP, 1, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(t, ATOLL_TCB_WRITE_REGISTERS, 0, &m), ATOLL_E_INVALID_ARG);
	atoll_msg_t b = {.w = {n}};
	KCHECK_EQ(atoll_invoke(t, ATOLL_TCB_BIND_NOTIFICATION, 0, &b), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(t, ATOLL_TCB_SET_FAULT_ENDPOINT, 0, &m), ATOLL_E_INVALID_ARG);
	release(n);
	release(t);
}

void test_tcb_set_fault_endpoint_checks_type(void)
{
	uint64_t t = idle_thread();
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t ep_r = mint_cap(ep, ATOLL_RIGHT_READ, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t empty = slot_get();
	KCHECK_EQ(tcb_set_fault_endpoint(t, n), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(tcb_set_fault_endpoint(t, empty), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_set_fault_endpoint(t, ep_r), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(tcb_set_fault_endpoint(t, ep), ATOLL_E_OK);
	KCHECK_EQ(tcb_set_fault_endpoint(t, 0), ATOLL_E_OK);
	release(empty);
	release(n);
	release(ep_r);
	release(ep);
	release(t);
}
