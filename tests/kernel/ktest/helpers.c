/*
 * What the tests share: object and mapping shortcuts, bounded waiting, and
 * helper threads. Helper stacks and IPC buffers come from a fixed pool of
 * windows mapped once and reused, so hundreds of short-lived threads cost
 * no more memory or slots than the few that live at the same time.
 */
#include "ktest.h"

#define HELPER_REGION 0x7b0000000000ULL
#define HELPER_WINDOW 0x10000ULL
#define HELPER_STACK_PAGES 4
#define HELPER_WINDOWS 16
#define FRESH_VA_BASE 0x500000000000ULL

typedef struct window {
	int used;
	int mapped;
	uint64_t ipc_frame;
} window_t;

static window_t windows[HELPER_WINDOWS];
static uint64_t next_fresh_va = FRESH_VA_BASE;

/* Slots on the runtime's free list. A test that fails half-way may leave a
 * capability where it expected none, or give a slot back twice; release
 * deletes whatever is there and ignores a second return, so one failing
 * test cannot hand the next one an occupied "free" slot. */
static uint8_t on_free_list[(1u << ATOLL_CNODE_MAX_RADIX) / 8];

static void mark_free(uint64_t s, int free)
{
	if (s >= (1u << ATOLL_CNODE_MAX_RADIX))
		return;
	if (free)
		on_free_list[s / 8] |= 1u << (s % 8);
	else
		on_free_list[s / 8] &= ~(1u << (s % 8));
}

uint64_t slot_get(void)
{
	uint64_t s = slot_alloc();
	mark_free(s, 0);
	return s;
}

void release(uint64_t s)
{
	if (!s || s >= (1u << ATOLL_CNODE_MAX_RADIX))
		return;
	cnode_delete(ATOLL_SLOT_CNODE, s);
	if (on_free_list[s / 8] & (1u << (s % 8)))
		return;
	mark_free(s, 1);
	slot_free(s);
}

uint64_t make_object(unsigned type, unsigned size_bits)
{
	uint64_t s = 0;
	atoll_error_t err = object_alloc(type, size_bits, &s);
	if (err)
		printf("make_object(type %u): error %d\n", type, err);
	mark_free(s, 0);
	return s;
}

uint64_t mint_cap(uint64_t cap, unsigned rights, uint64_t badge)
{
	uint64_t s = slot_get();
	atoll_error_t err = cnode_mint(ATOLL_SLOT_CNODE, s, ATOLL_SLOT_CNODE, cap, rights, badge);
	if (err)
		printf("mint_cap(%lu): error %d\n", cap, err);
	return s;
}

uint64_t fresh_va(void)
{
	uint64_t va = next_fresh_va;
	next_fresh_va += LARGE_PAGE;
	return va;
}

uint64_t map_new_frame(uint64_t va)
{
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	atoll_error_t err = vspace_map(ATOLL_SLOT_VSPACE, f, va, ATOLL_MAP_READ | ATOLL_MAP_WRITE);
	if (err)
		printf("map_new_frame(%lx): error %d\n", va, err);
	return f;
}

uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

uint64_t ms_to_tsc(unsigned ms)
{
	return bi->tsc_hz / 1000 * ms;
}

void yield_n(unsigned n)
{
	while (n--)
		atoll_yield();
}

atoll_error_t recv_soon(uint64_t ep, uint64_t reply, atoll_msg_t *m)
{
	uint64_t end = rdtsc() + ms_to_tsc(100);
	atoll_error_t err;
	do {
		atoll_msg_t in = {0};
		err = atoll_nbrecv(ep, reply, &in);
		if (err != ATOLL_E_WOULD_BLOCK) {
			*m = in;
			return err;
		}
		atoll_yield();
	} while (rdtsc() < end);
	return err;
}

atoll_error_t poll_soon(uint64_t ntfn, uint64_t *bits, unsigned ms)
{
	uint64_t end = rdtsc() + ms_to_tsc(ms);
	atoll_error_t err;
	do {
		err = atoll_poll(ntfn, bits);
		if (err != ATOLL_E_WOULD_BLOCK)
			return err;
		atoll_yield();
	} while (rdtsc() < end);
	return err;
}

void root_set_priority(unsigned prio)
{
	atoll_error_t err = tcb_set_priority(ATOLL_SLOT_TCB, ATOLL_SLOT_TCB, prio);
	if (err)
		printf("root_set_priority(%u): error %d\n", prio, err);
}

void root_refuse_caps(void)
{
	atoll_ipc_buffer_ptr->recv_cnode = 0;
	atoll_ipc_buffer_ptr->recv_index = 0;
}

static uint64_t window_base(int w)
{
	return HELPER_REGION + (uint64_t)w * HELPER_WINDOW;
}

/* Layout of a window: guard page, stack pages, guard page, IPC buffer page. */
static uint64_t window_ipc_vaddr(int w)
{
	return window_base(w) + PAGE * (2 + HELPER_STACK_PAGES);
}

uint64_t helper_stack_top(const helper_t *h)
{
	return window_base(h->window) + PAGE * (1 + HELPER_STACK_PAGES);
}

static int window_get(void)
{
	for (int w = 0; w < HELPER_WINDOWS; w++) {
		if (windows[w].used)
			continue;
		if (!windows[w].mapped) {
			for (unsigned i = 0; i < HELPER_STACK_PAGES; i++)
				map_new_frame(window_base(w) + PAGE * (1 + i));
			windows[w].ipc_frame = map_new_frame(window_ipc_vaddr(w));
			windows[w].mapped = 1;
		}
		windows[w].used = 1;
		memset((void *)window_ipc_vaddr(w), 0, PAGE);
		return w;
	}
	return -1;
}

static void helper_entry(helper_t *h)
{
	h->fn(h->arg);
	for (;;)
		tcb_suspend(h->tcb);
}

atoll_error_t helper_prepare(helper_t *h, uint64_t tcb, void (*fn)(void *), void *arg,
                             unsigned prio, uint64_t fault_ep)
{
	atoll_error_t err;
	memset(h, 0, sizeof(*h));
	h->window = window_get();
	if (h->window < 0)
		return ATOLL_E_NO_MEMORY;
	h->fn = fn;
	h->arg = arg;
	h->ipc = (atoll_ipc_buffer_t *)window_ipc_vaddr(h->window);
	h->owns_tcb = !tcb;
	if (!tcb && !(tcb = make_object(ATOLL_OBJ_TCB, 0)))
		return ATOLL_E_NO_MEMORY;
	h->tcb = tcb;
	if ((err = tcb_configure(tcb, fault_ep, ATOLL_SLOT_CNODE, ATOLL_SLOT_VSPACE,
	                         window_ipc_vaddr(h->window), windows[h->window].ipc_frame)))
		return err;
	if ((err = tcb_set_priority(tcb, ATOLL_SLOT_TCB, prio)))
		return err;
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RDI] = (uint64_t)h;
	regs[ATOLL_REG_RIP] = (uint64_t)helper_entry;
	regs[ATOLL_REG_RSP] = helper_stack_top(h) - 8; /* as if called */
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(tcb, 0, regs, ATOLL_REG_RFLAGS + 1);
}

atoll_error_t helper_start(helper_t *h, void (*fn)(void *), void *arg, unsigned prio,
                           uint64_t fault_ep)
{
	atoll_error_t err = helper_prepare(h, 0, fn, arg, prio, fault_ep);
	return err ? err : tcb_resume(h->tcb);
}

void helper_stop(helper_t *h)
{
	if (h->tcb) {
		tcb_suspend(h->tcb);
		if (h->owns_tcb)
			release(h->tcb);
	}
	if (h->window >= 0 && h->window < HELPER_WINDOWS)
		windows[h->window].used = 0;
	h->tcb = 0;
	h->window = -1;
}
