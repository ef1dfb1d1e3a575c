/*
 * Untyped memory: retype of every object type, argument checks, the
 * watermark (aligned carving, exhaustion, reset when the last child goes)
 * and revoke, which must destroy everything made from the untyped. Each
 * test carves its own small untyped, so the boot untyped list is never
 * disturbed. A frame's physical address shows where the watermark is.
 */
#include "ktest.h"

#define ROOT ATOLL_SLOT_CNODE

/* A new frame carved from ut into a fresh root slot; its physical address. */
static uint64_t carve_frame(uint64_t ut, uint64_t *slot)
{
	uint64_t f = slot_get(), pa = 0;
	atoll_error_t err = untyped_retype(ut, ATOLL_OBJ_FRAME, 0, ROOT, f, 1);
	if (err || frame_get_address(f, &pa)) {
		release(f);
		f = 0;
	}
	if (slot)
		*slot = f;
	else if (f)
		release(f);
	return pa;
}

static atoll_error_t retype_raw(uint64_t ut, uint64_t type, uint64_t size_bits, uint64_t cnode,
                                uint64_t index, uint64_t count)
{
	atoll_msg_t m = {.w = {type, size_bits, cnode, index, count}};
	return atoll_invoke(ut, ATOLL_UNTYPED_RETYPE, 5, &m);
}

static atoll_error_t probe(uint64_t cap)
{
	atoll_msg_t m = {0};
	return atoll_nbsend(cap, &m);
}

/* The untyped's base: carve one frame and give it back (no children: the
 * watermark returns to 0). */
static uint64_t base_of(uint64_t ut)
{
	return carve_frame(ut, NULL);
}

void test_untyped_retype_every_object_type(void)
{
	static const struct {
		unsigned type, size_bits;
	} objs[] = {
		{ATOLL_OBJ_TCB, 0},   {ATOLL_OBJ_ENDPOINT, 0}, {ATOLL_OBJ_NOTIFICATION, 0},
		{ATOLL_OBJ_REPLY, 0}, {ATOLL_OBJ_CNODE, 2},    {ATOLL_OBJ_VSPACE, 0},
		{ATOLL_OBJ_PDPT, 0},  {ATOLL_OBJ_PD, 0},       {ATOLL_OBJ_PT, 0},
		{ATOLL_OBJ_FRAME, 0}, {ATOLL_OBJ_UNTYPED, 12},
	};
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 17);
	uint64_t s = slot_get();
	for (unsigned i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		KCHECK_EQ(untyped_retype(ut, objs[i].type, objs[i].size_bits, ROOT, s, 1),
		          ATOLL_E_OK);
		KCHECK_EQ(cnode_delete(ROOT, s), ATOLL_E_OK);
	}
	uint64_t big = make_object(ATOLL_OBJ_UNTYPED, 21);
	KCHECK_EQ(untyped_retype(big, ATOLL_OBJ_LARGE_FRAME, 0, ROOT, s, 1), ATOLL_E_OK);
	uint64_t pa = 1;
	KCHECK_EQ(frame_get_address(s, &pa), ATOLL_E_OK);
	KCHECK_EQ(pa & (LARGE_PAGE - 1), 0);
	KCHECK_EQ(cnode_delete(ROOT, s), ATOLL_E_OK);
	release(s);
	release(big);
	release(ut);
}

void test_untyped_retype_bad_type_is_invalid_arg(void)
{
	static const uint64_t bad[] = {
		ATOLL_OBJ_NULL,
		ATOLL_OBJ_IRQ_CONTROL,
		ATOLL_OBJ_IRQ_HANDLER,
		ATOLL_OBJ_IOPORT_CONTROL,
		ATOLL_OBJ_IOPORT,
		ATOLL_OBJ_COUNT,
		99,
		/* a valid type in the low 32 bits must not pass as that type */
		0x100000000ULL | ATOLL_OBJ_ENDPOINT,
	};
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t s = slot_get();
	/* The index rides along in the low byte, so a failure says which type. */
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		KCHECK_EQ(retype_raw(ut, bad[i], 0, ROOT, s, 1) << 8 | i,
		          ATOLL_E_INVALID_ARG << 8 | i);
	KCHECK_EQ(probe(s), ATOLL_E_INVALID_CAP);
	cnode_delete(ROOT, s);
	release(s);
	release(ut);
}

void test_untyped_retype_size_bounds(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 16);
	uint64_t s = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 11, ROOT, s, 1), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 48, ROOT, s, 1), ATOLL_E_RANGE);
	KCHECK_EQ(retype_raw(ut, ATOLL_OBJ_UNTYPED, 64, ROOT, s, 1), ATOLL_E_RANGE);
	KCHECK_EQ(retype_raw(ut, ATOLL_OBJ_UNTYPED, 1ULL << 40, ROOT, s, 1), ATOLL_E_RANGE);
	KCHECK_EQ(retype_raw(ut, ATOLL_OBJ_UNTYPED, ~0ULL, ROOT, s, 1), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_CNODE, 0, ROOT, s, 1), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_CNODE, ATOLL_CNODE_MAX_RADIX + 1, ROOT, s, 1),
	          ATOLL_E_RANGE);
	/* Bigger than the untyped itself. */
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 17, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_LARGE_FRAME, 0, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_CNODE, 11, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(probe(s), ATOLL_E_INVALID_CAP);
	/* The largest that fits does. */
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 16, ROOT, s, 1), ATOLL_E_OK);
	release(s);
	release(ut);
}

void test_untyped_retype_count_bounds(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t s = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 0), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 4097), ATOLL_E_RANGE);
	KCHECK_EQ(retype_raw(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 1ULL << 63), ATOLL_E_RANGE);
	KCHECK_EQ(probe(s), ATOLL_E_INVALID_CAP);
	release(s);
	release(ut);
}

void test_untyped_retype_destination_errors(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 2); /* slots 1..3 */
	uint64_t empty = slot_get();
	uint64_t end = 1ULL << bi->cnode_radix;
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, empty, 1, 1), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, end, 1, 1), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ATOLL_SLOT_TCB, 1, 1),
	          ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 0, 1), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 4, 1), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 3, 2), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, ~0ULL, 2), ATOLL_E_RANGE);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, ut, 1), ATOLL_E_SLOT_OCCUPIED);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 1, 3), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 3, 1), ATOLL_E_SLOT_OCCUPIED);
	release(empty);
	release(c);
	release(ut);
}

void test_untyped_failed_retype_changes_nothing(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 14);
	uint64_t base = base_of(ut);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 3);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t back = slot_get();
	KCHECK_EQ(cnode_copy(c, 2, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, c, 1, 2), ATOLL_E_SLOT_OCCUPIED);
	/* Slot 1 stayed empty and no memory was used. */
	KCHECK_EQ(cnode_copy(ROOT, back, c, 1, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	/* 16 KiB hold four frames: five do not fit, and none is made. */
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, c, 3, 5), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(cnode_copy(ROOT, back, c, 3, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(base_of(ut), base);
	release(back);
	release(ep);
	release(c);
	release(ut);
}

/* Fill an untyped, get NO_MEMORY; revoke it, and retype starts at offset 0 again. */
void test_untyped_fill_then_no_memory(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 16);
	uint64_t base = base_of(ut);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 5);
	uint64_t s = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, c, 1, 16), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 12, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(cnode_revoke(ROOT, ut), ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(ROOT, s, c, 1, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(cnode_copy(ROOT, s, c, 16, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	uint64_t f;
	KCHECK_EQ(carve_frame(ut, &f), base);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, c, 1, 15), ATOLL_E_OK);
	release(f);
	release(s);
	release(c); /* deletes the 15 frames */
	release(ut);
}

void test_untyped_retype_aligns_objects(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 16);
	uint64_t base = base_of(ut);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 5);
	uint64_t ep = slot_get(), f;
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, ep, 1), ATOLL_E_OK);
	/* The frame skips to the next 4 KiB boundary after the 32-byte endpoint. */
	KCHECK_EQ(carve_frame(ut, &f), base + PAGE);
	/* 14 pages are left: 15 frames do not fit, and nothing is made. */
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, c, 1, 15), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_FRAME, 0, c, 1, 14), ATOLL_E_OK);
	release(c);
	release(f);
	release(ep);
	release(ut);
}

void test_untyped_revoke_resets_watermark(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 16);
	uint64_t base = base_of(ut);
	uint64_t tcb = slot_get(), ep = slot_get(), n = slot_get(), f;
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_TCB, 0, ROOT, tcb, 1), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, ep, 1), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_NOTIFICATION, 0, ROOT, n, 1), ATOLL_E_OK);
	KCHECK(carve_frame(ut, &f) > base);
	KCHECK_EQ(cnode_revoke(ROOT, ut), ATOLL_E_OK);
	KCHECK_EQ(probe(ep), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_signal(n), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(tcb_suspend(tcb), ATOLL_E_INVALID_CAP);
	uint64_t pa;
	KCHECK_EQ(frame_get_address(f, &pa), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(base_of(ut), base);
	release(tcb);
	release(ep);
	release(n);
	release(f);
	release(ut);
}

void test_untyped_delete_children_resets_watermark(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 14);
	uint64_t f1, f2, f3;
	uint64_t base = carve_frame(ut, &f1);
	KCHECK_EQ(carve_frame(ut, &f2), base + PAGE);
	release(f1);
	/* A child is left: the watermark does not move back. */
	KCHECK_EQ(carve_frame(ut, &f3), base + 2 * PAGE);
	release(f2);
	release(f3);
	KCHECK_EQ(base_of(ut), base);
	release(ut);
}

void test_untyped_child_untyped_retypes(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 16);
	uint64_t base = base_of(ut);
	uint64_t child = slot_get(), a, b, f, s = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 13, ROOT, child, 1), ATOLL_E_OK);
	KCHECK_EQ(carve_frame(child, &a), base);
	KCHECK_EQ(carve_frame(child, &b), base + PAGE);
	KCHECK_EQ(untyped_retype(child, ATOLL_OBJ_FRAME, 0, ROOT, s, 1), ATOLL_E_NO_MEMORY);
	/* The parent carries on after its child. */
	KCHECK_EQ(carve_frame(ut, &f), base + 2 * PAGE);
	/* Revoking the parent takes the grandchildren too. */
	KCHECK_EQ(cnode_revoke(ROOT, ut), ATOLL_E_OK);
	uint64_t pa;
	KCHECK_EQ(frame_get_address(a, &pa), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(frame_get_address(f, &pa), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(untyped_retype(child, ATOLL_OBJ_FRAME, 0, ROOT, s, 1), ATOLL_E_INVALID_CAP);
	release(child);
	release(a);
	release(b);
	release(f);
	release(s);
	release(ut);
}

static volatile uint64_t recv_result;

static void recv_on(void *ep)
{
	atoll_msg_t m = {0};
	recv_result = atoll_recv((uint64_t)ep, 0, &m);
}

void test_untyped_revoke_cancels_blocked_ipc(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t ep = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ROOT, ep, 1), ATOLL_E_OK);
	helper_t h;
	recv_result = 0xff;
	KCHECK_EQ(helper_start(&h, recv_on, (void *)ep, HELPER_PRIO, 0), ATOLL_E_OK);
	KCHECK_EQ(recv_result, 0xff);
	KCHECK_EQ(cnode_revoke(ROOT, ut), ATOLL_E_OK);
	KCHECK_EQ(recv_result, ATOLL_E_CANCELLED);
	KCHECK_EQ(probe(ep), ATOLL_E_INVALID_CAP);
	helper_stop(&h);
	release(ep);
	release(ut);
}

void test_untyped_revoke_unmaps_its_frames(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t f, va = fresh_va();
	carve_frame(ut, &f);
	KCHECK_EQ(vspace_map(ATOLL_SLOT_VSPACE, f, va, ATOLL_MAP_READ | ATOLL_MAP_WRITE),
	          ATOLL_E_OK);
	*(volatile uint64_t *)va = 0x1122334455667788ULL;
	KCHECK_EQ(cnode_revoke(ROOT, ut), ATOLL_E_OK);
	/* The address is free again: a new frame maps there, and reads its own zeros. */
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(frame_map(g, ATOLL_SLOT_VSPACE, va, ATOLL_MAP_READ | ATOLL_MAP_WRITE),
	          ATOLL_E_OK);
	KCHECK_EQ(*(volatile uint64_t *)va, 0);
	release(g);
	release(f);
	release(ut);
}

static volatile uint64_t spin_count;

static void count_and_yield(void *arg)
{
	for (;;) {
		spin_count++;
		atoll_yield();
	}
}

void test_untyped_revoke_destroys_running_thread(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t tcb = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_TCB, 0, ROOT, tcb, 1), ATOLL_E_OK);
	helper_t h;
	spin_count = 0;
	KCHECK_EQ(helper_prepare(&h, tcb, count_and_yield, NULL, ROOT_PRIO, 0), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(tcb), ATOLL_E_OK);
	yield_n(4);
	KCHECK(spin_count > 0);
	KCHECK_EQ(cnode_revoke(ROOT, ut), ATOLL_E_OK);
	uint64_t seen = spin_count;
	yield_n(4);
	KCHECK_EQ(spin_count, seen);
	helper_stop(&h);
	release(tcb);
	release(ut);
}

void test_untyped_retype_many_objects_at_once(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 17); /* 4096 endpoints exactly */
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 13);
	uint64_t s = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 1, 4096), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, c, 4097, 1), ATOLL_E_NO_MEMORY);
	KCHECK_EQ(cnode_move(ROOT, s, c, 4096), ATOLL_E_OK);
	KCHECK_EQ(probe(s), ATOLL_E_WOULD_BLOCK);
	cnode_delete(ROOT, s);
	release(c); /* deletes the other 4095 */
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_UNTYPED, 17, ROOT, s, 1), ATOLL_E_OK);
	release(s);
	release(ut);
}

static volatile int revoker_survived;

static void revoke_own_untyped(void *ut)
{
	cnode_revoke(ROOT, (uint64_t)ut);
	revoker_survived = 1;
}

/* A thread revokes the untyped its own TCB was made from. */
void test_untyped_revoke_by_thread_made_from_it(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t tcb = slot_get();
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_TCB, 0, ROOT, tcb, 1), ATOLL_E_OK);
	helper_t h;
	revoker_survived = 0;
	KCHECK_EQ(helper_prepare(&h, tcb, revoke_own_untyped, (void *)ut, HELPER_PRIO, 0),
	          ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(tcb), ATOLL_E_OK);
	KCHECK_EQ(revoker_survived, 0);
	KCHECK_EQ(tcb_suspend(tcb), ATOLL_E_INVALID_CAP);
	/* The memory is free again. */
	KCHECK(carve_frame(ut, NULL) != 0);
	helper_stop(&h);
	release(tcb);
	release(ut);
}

void test_untyped_device_makes_only_frames(void)
{
	uint64_t dev = 0;
	for (uint64_t i = 0; i < bi->untyped_count && !dev; i++)
		if (bi->untyped[i].is_device && bi->untyped[i].size_bits >= 14)
			dev = bi->untyped_first + i;
	KCHECK(dev != 0);
	if (!dev)
		return;
	uint64_t s = slot_get(), child = slot_get();
	KCHECK_EQ(untyped_retype(dev, ATOLL_OBJ_TCB, 0, ROOT, s, 1), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(untyped_retype(dev, ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 1), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(untyped_retype(dev, ATOLL_OBJ_CNODE, 2, ROOT, s, 1), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(untyped_retype(dev, ATOLL_OBJ_PT, 0, ROOT, s, 1), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(untyped_retype(dev, ATOLL_OBJ_UNTYPED, 13, ROOT, child, 1), ATOLL_E_OK);
	/* A child of device memory is device memory too. */
	KCHECK_EQ(untyped_retype(child, ATOLL_OBJ_NOTIFICATION, 0, ROOT, s, 1),
	          ATOLL_E_INVALID_ARG);
	KCHECK_EQ(untyped_retype(child, ATOLL_OBJ_FRAME, 0, ROOT, s, 1), ATOLL_E_OK);
	release(s);
	release(child);
}

void test_untyped_bad_label_and_short_message(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t s = slot_get();
	atoll_msg_t m = {.w = {ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 1}};
	KCHECK_EQ(atoll_invoke(ut, ATOLL_CNODE_COPY, 5, &m), ATOLL_E_ILLEGAL_OP);
	atoll_msg_t m2 = {.w = {ATOLL_OBJ_ENDPOINT, 0, ROOT, s, 1}};
	KCHECK_EQ(atoll_invoke(ut, ATOLL_UNTYPED_RETYPE, 4, &m2), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(probe(s), ATOLL_E_INVALID_CAP);
	release(s);
	release(ut);
}
