/*
 * Round trips: call + reply_recv between two threads of one address space,
 * between two address spaces with a register-only and with a 20-word
 * message, and a notification ping-pong between two address spaces.
 */
#include "bench.h"

/* Words of the long message: past the eight register words, so the rest
 * travels through both IPC buffers and the kernel leaves its fast path. */
#define LONG_WORDS 20

/* The server loop: answer every call with the words it carried. */
static _Noreturn void echo_serve(uint64_t ep, uint64_t reply)
{
	atoll_msg_t m = {0};
	atoll_recv(ep, reply, &m);
	for (;;) {
		m.info = atoll_msginfo(0, 0, atoll_msginfo_length(m.info));
		atoll_reply_recv(ep, reply, &m);
	}
}

/* Wait for a signal on one notification, answer on the other, forever. */
static _Noreturn void notify_serve(uint64_t ping, uint64_t pong)
{
	for (;;) {
		uint64_t bits;
		atoll_wait(ping, &bits);
		atoll_signal(pong);
	}
}

_Noreturn void child_main(uint64_t role)
{
	uint64_t a = PROCESS_SLOT_FIRST_FREE, b = PROCESS_SLOT_FIRST_FREE + 1;
	if (role == ROLE_ECHO)
		echo_serve(a, b);
	if (role == ROLE_NOTIFY)
		notify_serve(a, b);
	printf("bench child: unknown role %lu\n", role);
	for (;;)
		tcb_suspend(PROCESS_SLOT_TCB);
}

struct echo_server {
	uint64_t ep, reply;
};

static void echo_thread(void *arg)
{
	struct echo_server *s = arg;
	echo_serve(s->ep, s->reply);
}

/* --- call + reply_recv -------------------------------------------------- */

struct call_ctx {
	uint64_t ep;
	unsigned words;
};

static void call_op(void *arg, unsigned n)
{
	struct call_ctx *c = arg;
	for (unsigned i = 0; i < n; i++) {
		atoll_msg_t m = {.info = atoll_msginfo(0, 0, c->words), .w = {i}};
		atoll_call(c->ep, &m);
	}
}

/* One untimed call that checks the server answers with the same words. */
static void check_echo(struct call_ctx *c)
{
	atoll_ipc_buffer_t *buf = atoll_ipc_buffer_ptr;
	for (unsigned i = ATOLL_MSG_REGS; i < c->words; i++)
		buf->mr[i] = 0x1000 + i;
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, c->words)};
	for (unsigned i = 0; i < ATOLL_MSG_REGS; i++)
		m.w[i] = 0x1000 + i;
	atoll_error_t err = atoll_call(c->ep, &m);
	if (err)
		bench_fail("echo call", err);
	if (atoll_msginfo_length(m.info) != c->words)
		bench_fail("echo reply length", atoll_msginfo_length(m.info));
	for (unsigned i = 0; i < c->words; i++) {
		uint64_t got = i < ATOLL_MSG_REGS ? m.w[i] : buf->mr[i];
		if (got != 0x1000 + i)
			bench_fail("echo reply word", i);
	}
}

static void bench_same_as(void)
{
	static struct echo_server server;
	server.ep = new_object(ATOLL_OBJ_ENDPOINT, 0);
	server.reply = new_object(ATOLL_OBJ_REPLY, 0);
	thread_t t;
	atoll_error_t err = thread_create(&t, echo_thread, &server, BENCH_PRIORITY, 0, 1);
	if (err)
		bench_fail("thread_create", err);
	struct call_ctx c = {.ep = server.ep, .words = 1};
	check_echo(&c);
	measure("atoll.ipc_rt_same_as", call_op, NULL, &c, 1);
	/* The server stays blocked in its receive from here on. */
}

/* A child process of this same ELF file, playing role with capabilities
 * a and b at PROCESS_SLOT_FIRST_FREE and the slot after it; b carries
 * badge b_badge when that is not 0. */
static void start_child(uint64_t role, uint64_t a, uint64_t b, uint64_t b_badge)
{
	process_t p;
	atoll_error_t err = process_create(&p, (const void *)bi->modules[0].vaddr,
	                                   bi->modules[0].size, 6, BENCH_PRIORITY, 0, role);
	if (err)
		bench_fail("process_create", err);
	if ((err = cnode_copy(p.cnode, PROCESS_SLOT_FIRST_FREE, ATOLL_SLOT_CNODE, a,
	                      ATOLL_RIGHTS_ALL)))
		bench_fail("cnode_copy", err);
	if (b_badge)
		err = cnode_mint(p.cnode, PROCESS_SLOT_FIRST_FREE + 1, ATOLL_SLOT_CNODE, b,
		                 ATOLL_RIGHTS_ALL, b_badge);
	else
		err = cnode_copy(p.cnode, PROCESS_SLOT_FIRST_FREE + 1, ATOLL_SLOT_CNODE, b,
		                 ATOLL_RIGHTS_ALL);
	if (err)
		bench_fail("cnode_copy", err);
	if ((err = tcb_resume(p.tcb)))
		bench_fail("tcb_resume", err);
}

static void bench_cross_as(void)
{
	uint64_t ep = new_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t reply = new_object(ATOLL_OBJ_REPLY, 0);
	start_child(ROLE_ECHO, ep, reply, 0);

	struct call_ctx c = {.ep = ep, .words = 1};
	check_echo(&c);
	measure("atoll.ipc_rt_cross_as", call_op, NULL, &c, 1);

	c.words = LONG_WORDS;
	check_echo(&c);
	measure("atoll.ipc_rt_slowpath", call_op, NULL, &c, 1);
}

/* --- notification ping-pong --------------------------------------------- */

struct notify_ctx {
	uint64_t ping, pong;
};

static void notify_op(void *arg, unsigned n)
{
	struct notify_ctx *c = arg;
	for (unsigned i = 0; i < n; i++) {
		uint64_t bits;
		atoll_signal(c->ping);
		atoll_wait(c->pong, &bits);
	}
}

/*
 * A signal through a capability with badge 0 sets no bit, and one that finds
 * nobody waiting is then lost (the kernel keeps only the word): both sides
 * signal through capabilities badged 1.
 */
static void bench_notify(void)
{
	uint64_t ping = new_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t pong = new_object(ATOLL_OBJ_NOTIFICATION, 0);
	struct notify_ctx c = {.ping = slot_alloc(), .pong = pong};
	atoll_error_t err;
	if (!c.ping)
		bench_fail("slot_alloc", 0);
	if ((err = cnode_mint(ATOLL_SLOT_CNODE, c.ping, ATOLL_SLOT_CNODE, ping, ATOLL_RIGHTS_ALL,
	                      1)))
		bench_fail("cnode_mint", err);
	start_child(ROLE_NOTIFY, ping, pong, 1);
	notify_op(&c, 1);
	measure("atoll.notify_rt", notify_op, NULL, &c, 1);
}

void bench_ipc(void)
{
	bench_same_as();
	bench_cross_as();
	bench_notify();
}

/* --- yield between two threads of equal priority ------------------------- */

static volatile uint64_t partner_yields;

static void yield_thread(void *arg)
{
	for (;;) {
		partner_yields++;
		atoll_yield();
	}
}

static void yield_op(void *arg, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		atoll_yield();
}

void bench_yield(void)
{
	thread_t t;
	atoll_error_t err = thread_create(&t, yield_thread, NULL, BENCH_PRIORITY, 0, 1);
	if (err)
		bench_fail("thread_create", err);
	/* Each yield of ours runs the partner's yield: two switches. */
	measure("atoll.yield", yield_op, NULL, NULL, 2);
	/* Had a yield not switched, the partner would lag behind. */
	uint64_t ours = (BATCHES + WARMUP_BATCHES) * BATCH_ITERS;
	if (partner_yields + 1 < ours)
		bench_fail("yield partner ran too rarely", (long)partner_yields);
	if ((err = tcb_suspend(t.tcb)))
		bench_fail("tcb_suspend", err);
}
