/*
 * Address-space identifiers are reused once a VSpace is gone. A frame or
 * I/O-port capability that was mapped or opened in a dead VSpace keeps a
 * record of its ASID; when a new VSpace gets that ASID, the stale record
 * must not let the old capability reach into the new address space.
 */
#include "fault.h"
#include "uart.h"

#define ROOT ATOLL_SLOT_CNODE
#define RW (ATOLL_MAP_READ | ATOLL_MAP_WRITE)
#define ASID_TRIES 20000 /* more than the kernel has ASIDs */

static void build_tables(uint64_t vspace, uint64_t va, uint64_t t[3])
{
	static const unsigned types[3] = {ATOLL_OBJ_PDPT, ATOLL_OBJ_PD, ATOLL_OBJ_PT};
	for (unsigned i = 0; i < 3; i++) {
		t[i] = make_object(types[i], 0);
		KCHECK_EQ(page_table_map(t[i], vspace, va), ATOLL_E_OK);
	}
}

static void free_tables(uint64_t t[3])
{
	for (int i = 2; i >= 0; i--)
		release(t[i]);
}

static uint64_t uart_range(void)
{
	uint64_t p = slot_get();
	KCHECK_EQ(ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, UART_BASE, UART_BASE + 7, ROOT, p),
	          ATOLL_E_OK);
	return p;
}

/* A VSpace that got the ASID of a dead one, in which frame f had been
 * mapped at x. New VSpaces are made and dropped until one gets that ASID:
 * f then looks mapped there, at x, so mapping it at x answers NOT_MAPPED
 * (no tables) instead of ALREADY_MAPPED. A kernel that forgot f's record
 * answers NOT_MAPPED at once, and the checks after pass the same way. */
static uint64_t vspace_reusing_asid(uint64_t ut, uint64_t f, uint64_t x)
{
	uint64_t v = slot_get();
	unsigned tries;
	for (tries = 0; tries < ASID_TRIES; tries++) {
		if (untyped_retype(ut, ATOLL_OBJ_VSPACE, 0, ROOT, v, 1) != ATOLL_E_OK)
			break;
		if (frame_map(f, v, x, RW) != ATOLL_E_ALREADY_MAPPED)
			return v;
		cnode_delete(ROOT, v);
	}
	KCHECK(!"no VSpace reused the ASID");
	return v;
}

/* A frame mapped in a VSpace, and that VSpace deleted. */
static uint64_t frame_in_dead_vspace(uint64_t x, uint64_t ta[3], uint64_t *ports)
{
	uint64_t a = make_object(ATOLL_OBJ_VSPACE, 0);
	build_tables(a, x, ta);
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(frame_map(f, a, x, RW), ATOLL_E_OK);
	if (ports) {
		*ports = uart_range();
		KCHECK_EQ(ioport_open(*ports, a), ATOLL_E_OK);
	}
	release(a);
	return f;
}

void test_vspace_stale_asid_frame_cannot_replace_mapping(void)
{
	uint64_t x = fresh_va(), ta[3], tv[3];
	uint64_t f = frame_in_dead_vspace(x, ta, NULL);
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, ATOLL_VSPACE_BITS);
	uint64_t v = vspace_reusing_asid(ut, f, x);
	/* v's own page at x: f's stale record must not replace it. */
	build_tables(v, x, tv);
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(frame_map(g, v, x, RW), ATOLL_E_OK);
	KCHECK_EQ(frame_map(f, v, x, RW), ATOLL_E_ALREADY_MAPPED);
	release(g);
	free_tables(tv);
	release(v);
	release(ut);
	free_tables(ta);
	release(f);
}

void test_ioport_stale_asid_cannot_close_other_space(void)
{
	uint64_t x = fresh_va(), ta[3], p;
	uint64_t f = frame_in_dead_vspace(x, ta, &p);
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, ATOLL_VSPACE_BITS);
	uint64_t v = vspace_reusing_asid(ut, f, x);
	/* v's own ports: deleting p, opened in the dead space, must not close them. */
	uint64_t q = uart_range(), q2 = uart_range();
	KCHECK_EQ(ioport_open(q, v), ATOLL_E_OK);
	release(p);
	KCHECK_EQ(ioport_open(q2, v), ATOLL_E_BUSY); /* still q's */
	release(q2);
	release(q);
	release(v);
	release(ut);
	free_tables(ta);
	release(f);
}
