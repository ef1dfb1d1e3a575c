/*
 * Threads and processes. Both are built from objects the caller retypes
 * from its own untyped memory through alloc.c.
 */
#include <atoll/bootinfo.h>
#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>
#include <atoll_rt/vspace.h>

#define THREAD_STACK_PAGES 4
/* Threads of the caller get stacks and IPC buffers in this region, one
 * 64 KiB window each, with an unmapped guard page between windows. */
#define THREAD_REGION 0x7c0000000000ULL
#define THREAD_WINDOW 0x10000ULL
#define PAGE 4096ULL

static uint64_t next_window;

static atoll_error_t map_new_frame(uint64_t vspace, uint64_t vaddr, unsigned attrs, uint64_t *frame)
{
	atoll_error_t err = object_alloc(ATOLL_OBJ_FRAME, 0, frame);
	if (err)
		return err;
	return vspace_map(vspace, *frame, vaddr, attrs);
}

/* Threads start in this trampoline: rdi = fn, rsi = arg (set as registers). */
static void thread_start(void (*fn)(void *), void *arg)
{
	fn(arg);
	for (;;)
		atoll_yield(); /* a thread that returns just stays out of the way */
}

atoll_error_t thread_create(thread_t *t, void (*fn)(void *), void *arg, unsigned priority,
                            uint64_t fault_ep, int start)
{
	uint64_t base = THREAD_REGION + (next_window++) * THREAD_WINDOW;
	uint64_t frame;
	atoll_error_t err;
	for (unsigned i = 0; i < THREAD_STACK_PAGES; i++)
		if ((err = map_new_frame(ATOLL_SLOT_VSPACE, base + PAGE * (1 + i),
		                         ATOLL_MAP_READ | ATOLL_MAP_WRITE, &frame)))
			return err;
	t->stack_top = base + PAGE * (1 + THREAD_STACK_PAGES);
	t->ipc_vaddr = base + PAGE * (2 + THREAD_STACK_PAGES);
	if ((err = map_new_frame(ATOLL_SLOT_VSPACE, t->ipc_vaddr, ATOLL_MAP_READ | ATOLL_MAP_WRITE,
	                         &t->ipc_frame)))
		return err;
	if ((err = object_alloc(ATOLL_OBJ_TCB, 0, &t->tcb)))
		return err;
	if ((err = tcb_configure(t->tcb, fault_ep, ATOLL_SLOT_CNODE, ATOLL_SLOT_VSPACE,
	                         t->ipc_vaddr, t->ipc_frame)))
		return err;
	if ((err = tcb_set_priority(t->tcb, ATOLL_SLOT_TCB, priority)))
		return err;
	uint64_t regs[ATOLL_REG_COUNT] = {0};
	regs[ATOLL_REG_RDI] = (uint64_t)fn;
	regs[ATOLL_REG_RSI] = (uint64_t)arg;
	regs[ATOLL_REG_RIP] = (uint64_t)thread_start;
	regs[ATOLL_REG_RSP] = t->stack_top - 8; /* as if called: rsp + 8 is 16-byte aligned */
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(t->tcb, start, regs, ATOLL_REG_RFLAGS + 1);
}
