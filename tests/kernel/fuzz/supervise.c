/*
 * Running a generation. The root task shares the child's priority and
 * polls between yields: it answers the child's faults (an unknown system
 * call gets one word back, so the child goes on after its `syscall`), and
 * whenever the child's call count stands still it tries to wake it --
 * signals its notification, receives and answers a call or send on its
 * endpoint, sends to it, and resumes it (it may have suspended itself). A
 * child that still makes no progress is declared stalled: it lost its
 * address space or capabilities, keeps faulting, or waits on an object only
 * it can reach.
 */
#include "root.h"
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/syscall.h>
#include <stdbool.h>

/* Consecutive polls without progress after which the child counts as stalled.
 * While the child runs, polls are a timeslice apart and the time limit decides. */
#define STALL_POLLS 64
#define STALL_MS 300

uint64_t unknown_syscall_faults, wake_receives, wake_sends, wake_resumes;

static uint64_t rnd(void)
{
	return prng_next(&root.rng);
}

/* Answer a call received through reply: a fault that cannot be retried stops its thread. */
static void answer(uint64_t reply, uint64_t info)
{
	uint64_t label = atoll_msginfo_label(info);
	unsigned length = atoll_msginfo_length(info);
	bool stop = (label == ATOLL_FAULT_PAGE && length == 4) ||
	            (label == ATOLL_FAULT_EXCEPTION && length == 5);
	atoll_msg_t m = {.info = atoll_msginfo(stop ? ATOLL_FAULT_REPLY_STOP : 0, 0, 1),
	                 .w = {ATOLL_E_ILLEGAL_OP}};
	atoll_reply(reply, &m);
}

/* 1 when a fault ends the generation. */
static int serve_fault(char *why, size_t why_size)
{
	atoll_ipc_buffer_ptr->recv_index = 0;
	atoll_msg_t m = {0};
	if (atoll_nbrecv(root.fault_ep, root.fault_reply, &m) != ATOLL_E_OK)
		return 0;
	uint64_t label = atoll_msginfo_label(m.info);
	if (label == ATOLL_FAULT_UNKNOWN_SYSCALL) {
		unknown_syscall_faults++;
		answer(root.fault_reply, m.info);
		return 0;
	}
	if (label == ATOLL_FAULT_PAGE && m.w[2] == (uint64_t)fuzz_probe_insn) {
		/* A probe store: registers rax..r9 (rax 1: faulted), then rip past the store. */
		atoll_msg_t r = {.info = atoll_msginfo(0, 0, ATOLL_REG_RIP + 1),
		                 .w = {1, 0, 0, 0, 0, 0, 0, (uint64_t)fuzz_probe_resume}};
		atoll_reply(root.fault_reply, &r);
		return 0;
	}
	snprintf(why, why_size, "fault %lu: w0 %lx w1 %lx rip %lx rsp %lx", label, m.w[0], m.w[1],
	         m.w[2], m.w[3]);
	return 1;
}

/* Wake whoever waits on a capability: signal or send to it, receive from it. */
static void wake_through(generation_t *g, uint64_t slot)
{
	/* Sometimes with a capability of the generation, to wherever the child receives. */
	atoll_ipc_buffer_ptr->send_caps[0] = rnd() % 2 ? g->ntfn : g->ep;
	atoll_msg_t m = {
		.info = atoll_msginfo(rnd() % 64, rnd() % 4 == 0, rnd() % (ATOLL_MSG_REGS + 1))};
	for (unsigned i = 0; i < ATOLL_MSG_REGS; i++)
		m.w[i] = rnd() % 4 ? rnd() % 300 : rnd();
	if (atoll_nbsend(slot, &m) == ATOLL_E_OK)
		wake_sends++;
	atoll_ipc_buffer_ptr->recv_cnode = g->junk;
	atoll_ipc_buffer_ptr->recv_index = 1 + rnd() % 15;
	atoll_error_t err = atoll_nbrecv(slot, root.ep_reply, &m);
	atoll_ipc_buffer_ptr->recv_index = 0;
	if (err == ATOLL_E_OK) {
		wake_receives++;
		if (m.info & ATOLL_MSG_WAS_CALL)
			answer(root.ep_reply, m.info);
	}
}

/*
 * The child may wait on an object it made itself, or for a reply that its
 * spare thread will never send: take a copy of the capability it used, out
 * of its CNode, and wake it through that.
 */
static void wake_through_child_cap(generation_t *g, uint64_t index, int reply)
{
	if (!index || index >= CHILD_SLOTS ||
	    cnode_copy(ATOLL_SLOT_CNODE, root.temp, g->cnode, index, ATOLL_RIGHTS_ALL))
		return;
	if (reply) {
		atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {ATOLL_E_ILLEGAL_OP}};
		wake_receives += atoll_reply(root.temp, &m) == ATOLL_E_OK;
	} else {
		wake_through(g, root.temp);
	}
	cnode_delete(ATOLL_SLOT_CNODE, root.temp);
}

static void wake(generation_t *g)
{
	atoll_signal(g->ntfn);
	wake_through(g, g->ep);
}

gen_end_t supervise(generation_t *g, uint64_t deadline_tsc, char *why, size_t why_size)
{
	fuzz_shared_t *sh = g->shared;
	const uint64_t stall_tsc = root.bi->tsc_hz / 1000 * STALL_MS;
	uint64_t last = sh->calls, stalled = 0, t_last = rdtsc();
	atoll_error_t err = tcb_resume(g->tcb);
	if (err) {
		snprintf(why, why_size, "resume failed: %d", err);
		return GEN_STALLED;
	}
	for (;;) {
		if (serve_fault(why, why_size))
			return GEN_FAULTED;
		if (sh->done)
			return sh->done == 2 ? GEN_RETIRED : GEN_DONE;
		uint64_t now = rdtsc();
		if (now > deadline_tsc) {
			snprintf(why, why_size, "out of time");
			return GEN_OUT_OF_TIME;
		}
		if (sh->calls != last) {
			last = sh->calls;
			stalled = 0;
			t_last = now;
		} else {
			stalled++;
			wake(g);
			/* Once: a thread without an address space is reported each time. */
			if (stalled == 2) {
				const volatile uint64_t *c = sh->last_call;
				wake_through_child_cap(g, c[1], 0);
				wake_through_child_cap(g, c[2], 1);
				wake_through_child_cap(g, CS_REPLY, 1);
				wake_through_child_cap(g, CS_REPLY2, 1);
				/* It may have suspended itself, or lost its fault handler. */
				tcb_set_fault_endpoint(g->tcb, root.fault_ep);
				tcb_resume(g->tcb);
				wake_resumes++;
			}
			if (stalled >= STALL_POLLS || now - t_last > stall_tsc) {
				snprintf(why, why_size, "stalled (%lu polls, %lu ms)", stalled,
				         (now - t_last) / (root.bi->tsc_hz / 1000));
				return GEN_STALLED;
			}
		}
		atoll_yield();
	}
}
