/*
 * Directed reproductions of kernel bugs the fuzzer and its review found,
 * run by the child instead of random calls (the repro=N option). Each is a
 * short, fixed sequence of ordinary calls an unprivileged process can make.
 * On a kernel with the bug, a reproduction either brings the kernel down
 * (QEMU reports a panic or a reset) or prints "repro N: REPRODUCED"; on a
 * fixed kernel it prints "repro N: not reproduced".
 *
 *  1 DF (and AC) of user RFLAGS survive into the kernel on an exception or
 *    interrupt: the kernel's rep movs/stos run backwards and trample it
 *    (fixed by 5be3813; kept as a regression check).
 *  2 A Reply object used by two receivers: the first keeps a pointer to it
 *    after it is deleted; reusing the memory gives the kernel a thread
 *    pointer of the caller's choice (panic on a non-canonical one).
 *  3 Page-table contents outlive the mapping records: a PT whose PD was
 *    unmapped keeps the PTE of a frame deleted later; a copy of the PT cap
 *    maps that table again, and the process reads and writes whatever
 *    kernel object now lives in the frame's memory (here a TCB).
 *  4 Deleting an endpoint releases its receivers without unlinking their
 *    Reply objects: the Reply keeps pointing at a TCB that is then freed,
 *    and deleting the Reply writes into the memory's next object.
 */
#include "fuzz.h"
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/syscall.h>

/* Slots the reproductions fill in the child's CNode. */
enum {
	R_UNTYPED = 40, /* a 4 KiB untyped carved from CS_UNTYPED: its memory gets reused */
	R_A,
	R_B,
	R_C,
	R_D,
	R_E,
};

#define R_PLAY_VA 0x40000000ULL  /* where reproduction 3 maps PD, PT and frame */
#define R_ALIAS_VA 0x10200000ULL /* where the copy of the PT goes */
#define R_BADGE 0x4141414141414141ULL

/* What the second thread does (it shares the child's memory). */
static volatile int thread_action;
static volatile int thread_steps;

static fuzz_shared_t *shared;

static void step(void)
{
	shared->calls++; /* progress, so that the root task keeps waiting */
}

static void yield_a_while(void)
{
	for (int i = 0; i < 8; i++) {
		step();
		atoll_yield();
	}
}

static _Noreturn void repro_thread(void)
{
	atoll_msg_t m = {0};
	thread_steps++;
	if (thread_action == 2)
		atoll_recv(R_B, R_A, &m); /* repro 2: receive on E1 with the shared Reply */
	else if (thread_action == 4)
		atoll_recv(R_B, R_C, &m); /* repro 4: receive on E1 with R */
	thread_steps++;
	for (;;)
		atoll_yield();
}

/* Start thread tcb (configured in our space) at repro_thread on the spare stack. */
static atoll_error_t start_thread(uint64_t tcb, int action)
{
	thread_action = action;
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RIP] = (uint64_t)repro_thread;
	regs[ATOLL_REG_RSP] = CHILD_SPARE_STACK_TOP - 8;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(tcb, 1, regs, ATOLL_REG_RFLAGS + 1);
}

#define CHECK(call)                                                        \
	do {                                                               \
		atoll_error_t e_ = (call);                                 \
		step();                                                    \
		if (e_) {                                                  \
			printf("repro: %s failed: error %d\n", #call, e_); \
			return -1;                                         \
		}                                                          \
	} while (0)

/* 1: set DF through the spare thread's registers and let it fault. */
static int repro_df(void)
{
	/* An open port range makes the next switch rewrite the CPU's I/O bitmap (memset). */
	CHECK(ioport_open(CS_IOPORT, CS_VSPACE));
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RIP] = 0x1000; /* unmapped: a page fault at once */
	regs[ATOLL_REG_RSP] = CHILD_SPARE_STACK_TOP - 8;
	regs[ATOLL_REG_RFLAGS] = 0x202 | RFLAGS_DF | RFLAGS_AC;
	printf("repro 1: spare thread resumed with DF|AC at an unmapped rip\n");
	CHECK(tcb_write_registers(CS_SPARE_TCB, 1, regs, ATOLL_REG_RFLAGS + 1));
	/* Wait (the root task wakes us): after the fault the kernel switches to the root task. */
	atoll_msg_t m = {0};
	atoll_recv(CS_EP, 0, &m);
	yield_a_while();
	return 0; /* still alive: not reproduced */
}

/* 2: two receivers on one Reply; the first keeps it after it is deleted. */
static int repro_reply_two_receivers(void)
{
	atoll_msg_t m = {0};
	CHECK(untyped_retype(CS_UNTYPED, ATOLL_OBJ_UNTYPED, 12, CS_CNODE, R_UNTYPED, 1));
	CHECK(untyped_retype(R_UNTYPED, ATOLL_OBJ_REPLY, 0, CS_CNODE, R_A, 1));
	CHECK(untyped_retype(CS_UNTYPED, ATOLL_OBJ_ENDPOINT, 0, CS_CNODE, R_B, 1));
	/* The spare thread blocks receiving on E1 with Reply R. */
	CHECK(start_thread(CS_SPARE_TCB, 2));
	yield_a_while();
	/* We receive with R too, on the endpoint the root task sends to when we stall. */
	printf("repro 2: spare thread waits on E1 with R; we receive with R as well\n");
	step();
	atoll_recv(CS_EP, R_A, &m);
	/* R: free its memory, put a notification there whose word is a "caller" pointer. */
	CHECK(cnode_delete(CS_CNODE, R_A));
	CHECK(untyped_retype(R_UNTYPED, ATOLL_OBJ_NOTIFICATION, 0, CS_CNODE, R_C, 1));
	CHECK(cnode_mint(CS_CNODE, R_D, CS_CNODE, R_C, ATOLL_RIGHT_WRITE, R_BADGE));
	CHECK(atoll_signal(R_D));
	printf("repro 2: R deleted, a notification with word %lx in its memory; calling E1\n",
	       (uint64_t)R_BADGE);
	m.info = atoll_msginfo(0, 0, 1);
	atoll_call(R_B, &m);
	return 0;
}

/* 3: a PTE left in a detached page table, made reachable again by a copy of the PT cap. */
static int repro_stale_pte(void)
{
	CHECK(untyped_retype(CS_UNTYPED, ATOLL_OBJ_UNTYPED, 12, CS_CNODE, R_UNTYPED, 1));
	CHECK(untyped_retype(R_UNTYPED, ATOLL_OBJ_FRAME, 0, CS_CNODE, R_A, 1));
	CHECK(page_table_map(CS_PD, CS_VSPACE, R_PLAY_VA));
	CHECK(page_table_map(CS_PT0, CS_VSPACE, R_PLAY_VA));
	CHECK(frame_map(R_A, CS_VSPACE, R_PLAY_VA, ATOLL_MAP_READ | ATOLL_MAP_WRITE));
	*(volatile uint64_t *)R_PLAY_VA = 0x1234;
	CHECK(page_table_unmap(CS_PD));     /* the PT, with the frame's PTE, is detached */
	CHECK(cnode_delete(CS_CNODE, R_A)); /* the frame goes; its PTE cannot be found */
	CHECK(untyped_retype(R_UNTYPED, ATOLL_OBJ_TCB, 0, CS_CNODE, R_B, 1));
	CHECK(cnode_copy(CS_CNODE, R_C, CS_CNODE, CS_PT0, ATOLL_RIGHTS_ALL));
	CHECK(page_table_map(R_C, CS_VSPACE, R_ALIAS_VA));
	const volatile uint64_t *tcb = (const volatile uint64_t *)R_ALIAS_VA;
	/* user_context_t: rip at word 17, cs 18, rflags 19, ss 21 (kernel/include/arch/context.h). */
	printf("repro 3: through the stale PTE the new TCB reads cs %lx rflags %lx ss %lx\n",
	       tcb[18], tcb[19], tcb[21]);
	if (tcb[18] != 0x23 || tcb[21] != 0x1b)
		return 0;
	((volatile uint64_t *)R_ALIAS_VA)[17] = 0xffffffff80000000ULL;
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n = 0;
	CHECK(tcb_read_registers(R_B, regs, &n));
	printf("repro 3: wrote the TCB's saved rip through it: READ_REGISTERS rip = %lx\n",
	       regs[ATOLL_REG_RIP]);
	return regs[ATOLL_REG_RIP] == 0xffffffff80000000ULL;
}

/* 4: an endpoint deleted under a receiver leaves Reply -> receiver pointing at it. */
static int repro_reply_after_endpoint(void)
{
	CHECK(untyped_retype(CS_UNTYPED, ATOLL_OBJ_UNTYPED, 12, CS_CNODE, R_UNTYPED, 1));
	CHECK(untyped_retype(R_UNTYPED, ATOLL_OBJ_TCB, 0, CS_CNODE, R_A, 1));
	CHECK(untyped_retype(CS_UNTYPED, ATOLL_OBJ_ENDPOINT, 0, CS_CNODE, R_B, 1));
	CHECK(untyped_retype(CS_UNTYPED, ATOLL_OBJ_REPLY, 0, CS_CNODE, R_C, 1));
	CHECK(tcb_configure(R_A, 0, CS_CNODE, CS_VSPACE, 0, 0));
	CHECK(start_thread(R_A, 4)); /* T: receives on E1 with R */
	yield_a_while();
	if (thread_steps != 1) {
		printf("repro 4: the thread did not block (%d)\n", thread_steps);
		return 0;
	}
	CHECK(cnode_delete(CS_CNODE, R_B)); /* E1 goes: T is released, R still names T */
	CHECK(cnode_delete(CS_CNODE, R_A)); /* T goes: its memory is free */
	/* A CNode where T was: R's stale receiver->reply is slot 12's derivation link. */
	CHECK(untyped_retype(R_UNTYPED, ATOLL_OBJ_CNODE, 5, CS_CNODE, R_D, 1));
	CHECK(cnode_copy(R_D, 12, CS_CNODE, CS_NTFN, ATOLL_RIGHTS_ALL));
	uint64_t before = atoll_debug_check();
	CHECK(cnode_delete(CS_CNODE, R_C)); /* R goes: writes NULL into T's old memory */
	uint64_t after = atoll_debug_check();
	printf("repro 4: DEBUG_CHECK before deleting R: %lu broken, after: %lu broken\n", before,
	       after);
	return before != 0 || after != 0;
}

_Noreturn void repro_main(fuzz_shared_t *sh, uint64_t which)
{
	static int (*const repros[])(void) = {
		0, repro_df, repro_reply_two_receivers, repro_stale_pte, repro_reply_after_endpoint,
	};
	shared = sh;
	int r = -1;
	if (which && which < sizeof(repros) / sizeof(repros[0]))
		r = repros[which]();
	else
		printf("repro %lu: no such reproduction\n", which);
	printf("repro %lu: %s\n", which,
	       r > 0  ? "REPRODUCED" :
	       r == 0 ? "not reproduced" :
	                "could not run");
	sh->done = r > 0 ? 3 : 1;
	for (;;) {
		atoll_msg_t m = {.info = atoll_msginfo(ATOLL_TCB_SUSPEND, 0, 0)};
		atoll_syscall(ATOLL_SYS_CALL, CS_TCB, 0, &m);
		atoll_yield();
	}
}
