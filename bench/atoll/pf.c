/*
 * atoll.user_pf: a page fault handled in user space. The root thread writes
 * to an unmapped page; the kernel sends ATOLL_FAULT_PAGE to its fault
 * endpoint; a handler thread maps a frame there and replies with no words;
 * the root thread resumes and its store completes. Frames and the page
 * table are made beforehand, and each batch's frames are unmapped again
 * between batches, outside the timed region.
 */
#include "bench.h"

#include <atoll_rt/vspace.h>

#define PAGE 4096ULL
/* Unused by the runtime; 2 MiB aligned, so one page table covers a batch. */
#define PF_REGION 0x500000000000ULL

static uint64_t pf_ep, pf_reply;
static uint64_t frames[BATCH_ITERS];
static volatile unsigned frames_used;

static void pf_handler(void *arg)
{
	atoll_msg_t m = {0};
	atoll_recv(pf_ep, pf_reply, &m);
	for (;;) {
		if (atoll_msginfo_label(m.info) != ATOLL_FAULT_PAGE)
			bench_fail("user_pf: unexpected fault label",
			           (long)atoll_msginfo_label(m.info));
		uint64_t addr = m.w[0];
		if (addr < PF_REGION || addr >= PF_REGION + BATCH_ITERS * PAGE)
			bench_fail("user_pf: fault outside the test region", (long)addr);
		if (frames_used >= BATCH_ITERS)
			bench_fail("user_pf: out of frames", (long)frames_used);
		atoll_error_t err = frame_map(frames[frames_used], ATOLL_SLOT_VSPACE,
		                              addr & ~(PAGE - 1), ATOLL_MAP_READ | ATOLL_MAP_WRITE);
		if (err)
			bench_fail("user_pf: frame_map", err);
		frames_used++;
		m.info = atoll_msginfo(0, 0, 0); /* no words: resume the thread unchanged */
		atoll_reply_recv(pf_ep, pf_reply, &m);
	}
}

static void touch_op(void *ctx, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		*(volatile uint64_t *)(PF_REGION + i * PAGE) = i + 1;
}

/* Untimed: take back the pages the last batch faulted in. */
static void unmap_all(void *ctx)
{
	for (unsigned i = 0; i < frames_used; i++) {
		if (*(volatile uint64_t *)(PF_REGION + i * PAGE) != i + 1)
			bench_fail("user_pf: page lost its store", i);
		atoll_error_t err = frame_unmap(frames[i]);
		if (err)
			bench_fail("user_pf: frame_unmap", err);
	}
	frames_used = 0;
}

void bench_user_pf(void)
{
	for (unsigned i = 0; i < BATCH_ITERS; i++)
		frames[i] = new_object(ATOLL_OBJ_FRAME, 0);
	/* Map and unmap one page so that every table level above the region exists. */
	atoll_error_t err = vspace_map(ATOLL_SLOT_VSPACE, frames[0], PF_REGION,
	                               ATOLL_MAP_READ | ATOLL_MAP_WRITE);
	if (err || (err = frame_unmap(frames[0])))
		bench_fail("user_pf: page table setup", err);

	pf_ep = new_object(ATOLL_OBJ_ENDPOINT, 0);
	pf_reply = new_object(ATOLL_OBJ_REPLY, 0);
	thread_t handler;
	if ((err = thread_create(&handler, pf_handler, NULL, BENCH_PRIORITY, 0, 1)))
		bench_fail("thread_create", err);
	if ((err = tcb_set_fault_endpoint(ATOLL_SLOT_TCB, pf_ep)))
		bench_fail("tcb_set_fault_endpoint", err);

	measure("atoll.user_pf", touch_op, unmap_all, NULL, 1);

	unmap_all(NULL);
	if ((err = tcb_set_fault_endpoint(ATOLL_SLOT_TCB, 0)))
		bench_fail("tcb_set_fault_endpoint", err);
}
