/*
 * CNode invocations: copy, mint, move, delete, revoke, and every way a slot
 * argument can be wrong. An endpoint nobody waits on is the probe: nbsend
 * answers WOULD_BLOCK through a working capability, INVALID_CAP through an
 * empty slot, NO_RIGHTS through one without WRITE.
 */
#include "ktest.h"

#define ROOT ATOLL_SLOT_CNODE

static atoll_error_t probe(uint64_t cap)
{
	atoll_msg_t m = {0};
	return atoll_nbsend(cap, &m);
}

static atoll_error_t probe_recv(uint64_t cap)
{
	atoll_msg_t m = {0};
	return atoll_nbrecv(cap, 0, &m);
}

static void free_all(uint64_t *slots, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (slots[i])
			release(slots[i]);
}

void test_cnode_copy_makes_working_cap(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t c = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, c, ROOT, n, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	/* The copy names the same object: a signal through it is seen through n. */
	uint64_t b = mint_cap(c, ATOLL_RIGHTS_ALL, 0x40);
	KCHECK_EQ(atoll_signal(b), ATOLL_E_OK);
	uint64_t bits = 0;
	KCHECK_EQ(atoll_poll(n, &bits), ATOLL_E_OK);
	KCHECK_EQ(bits, 0x40);
	uint64_t s[] = {b, c, n};
	free_all(s, 3);
}

void test_cnode_copy_to_occupied_slot_fails(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	KCHECK_EQ(cnode_copy(ROOT, n, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_SLOT_OCCUPIED);
	KCHECK_EQ(cnode_mint(ROOT, n, ROOT, ep, ATOLL_RIGHTS_ALL, 1), ATOLL_E_SLOT_OCCUPIED);
	KCHECK_EQ(cnode_move(ROOT, n, ROOT, ep), ATOLL_E_SLOT_OCCUPIED);
	/* Both caps are untouched. */
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(atoll_signal(n), ATOLL_E_OK);
	uint64_t s[] = {ep, n};
	free_all(s, 2);
}

void test_cnode_copy_from_empty_slot_fails(void)
{
	uint64_t empty = slot_get(), dest = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, empty, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(cnode_mint(ROOT, dest, ROOT, empty, ATOLL_RIGHTS_ALL, 1), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(cnode_move(ROOT, dest, ROOT, empty), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(dest), ATOLL_E_INVALID_CAP);
	release(empty);
	release(dest);
}

void test_cnode_slot_zero_is_never_a_cap(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t dest = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, 0, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_move(ROOT, 0, ROOT, ep), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, 0, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_delete(ROOT, 0), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_revoke(ROOT, 0), ATOLL_E_RANGE);
	KCHECK_EQ(probe(0), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	release(ep);
	release(dest);
}

void test_cnode_index_out_of_range(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t end = 1ULL << bi->cnode_radix, dest = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, end, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_copy(ROOT, ~0ULL, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, end, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, 1ULL << 40, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_delete(ROOT, end), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_revoke(ROOT, ~0ULL), ATOLL_E_RANGE);
	/* A small CNode's bound is its own radix. */
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 2);
	KCHECK_EQ(cnode_copy(c, 3, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(c, 4, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	uint64_t s[] = {c, ep};
	free_all(s, 2);
	release(dest);
}

void test_cnode_cptr_zero_or_out_of_range_is_invalid_cap(void)
{
	uint64_t end = 1ULL << bi->cnode_radix, empty = slot_get(), dest = slot_get();
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	KCHECK_EQ(probe(0), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(end), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(~0ULL), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(empty), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe_recv(end), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe_recv(empty), ATOLL_E_INVALID_CAP);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_invoke(end, ATOLL_CNODE_DELETE, 1, &m), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_invoke(empty, ATOLL_CNODE_DELETE, 1, &m), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_invoke(0, ATOLL_CNODE_DELETE, 1, &m), ATOLL_E_INVALID_CAP);
	/* A source CNode named by a bad cptr. */
	KCHECK_EQ(cnode_copy(ROOT, dest, end, ep, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(cnode_copy(ROOT, dest, empty, ep, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	release(ep);
	release(empty);
	release(dest);
}

void test_cnode_wrong_type_arguments(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t dest = slot_get();
	/* The source CNode argument names an endpoint. */
	KCHECK_EQ(cnode_copy(ROOT, dest, ep, 1, ATOLL_RIGHTS_ALL), ATOLL_E_WRONG_TYPE);
	/* CNode operations on things that are not CNodes. */
	KCHECK_EQ(cnode_copy(ATOLL_SLOT_TCB, dest, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_delete(n, 1), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_delete(ATOLL_SLOT_VSPACE, ep), ATOLL_E_ILLEGAL_OP);
	/* A retype whose destination CNode is an endpoint. */
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, ep, dest, 1), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	uint64_t s[] = {ut, ep, n};
	free_all(s, 3);
	release(dest);
}

void test_cnode_mint_reduces_rights(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t r = mint_cap(ep, ATOLL_RIGHT_READ, 0);
	uint64_t w = mint_cap(ep, ATOLL_RIGHT_WRITE, 0);
	uint64_t none = mint_cap(ep, 0, 0);
	KCHECK_EQ(probe(r), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(probe_recv(r), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(probe(w), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(probe_recv(w), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(probe(none), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(probe_recv(none), ATOLL_E_NO_RIGHTS);
	uint64_t s[] = {none, w, r, ep};
	free_all(s, 4);
}

void test_cnode_copy_cannot_add_rights(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t r = mint_cap(ep, ATOLL_RIGHT_READ, 0);
	uint64_t c = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, c, ROOT, r, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	uint64_t m = mint_cap(r, ATOLL_RIGHTS_ALL, 5);
	KCHECK_EQ(probe(c), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(probe(m), ATOLL_E_NO_RIGHTS);
	/* Bits outside the defined rights are dropped, not kept. */
	uint64_t odd = mint_cap(ep, 0xf0, 0);
	KCHECK_EQ(probe(odd), ATOLL_E_NO_RIGHTS);
	uint64_t s[] = {odd, m, c, r, ep};
	free_all(s, 5);
}

/* A badge tells a server which client calls; a client that holds a badged
 * capability and a CNode must not be able to mint itself another badge. */
void test_cnode_mint_cannot_rebadge(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t b1 = mint_cap(n, ATOLL_RIGHTS_ALL, 0x1);
	uint64_t b2 = slot_get();
	atoll_error_t err = cnode_mint(ROOT, b2, ROOT, b1, ATOLL_RIGHTS_ALL, 0x2);
	if (err == ATOLL_E_OK) {
		KCHECK_EQ(atoll_signal(b2), ATOLL_E_OK);
		uint64_t bits = 0;
		KCHECK_EQ(atoll_poll(n, &bits), ATOLL_E_OK);
		KCHECK_EQ(bits, 0x1); /* the badge it was given stays */
	}
	uint64_t s[] = {b2, b1, n};
	free_all(s, 3);
}

void test_cnode_without_write_right_refuses(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t rc = mint_cap(ROOT, ATOLL_RIGHT_READ, 0);
	uint64_t dest = slot_get();
	KCHECK_EQ(cnode_copy(rc, dest, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(cnode_delete(rc, ep), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(cnode_revoke(rc, ep), ATOLL_E_NO_RIGHTS);
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	KCHECK_EQ(untyped_retype(ut, ATOLL_OBJ_ENDPOINT, 0, rc, dest, 1), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(probe(dest), ATOLL_E_INVALID_CAP);
	uint64_t s[] = {ut, rc, ep};
	free_all(s, 3);
	release(dest);
}

void test_cnode_move_moves_cap(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t b = mint_cap(n, ATOLL_RIGHTS_ALL, 0x7);
	uint64_t dest = slot_get();
	KCHECK_EQ(cnode_move(ROOT, dest, ROOT, b), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(b), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(atoll_signal(dest), ATOLL_E_OK); /* badge and rights moved with it */
	uint64_t bits = 0;
	KCHECK_EQ(atoll_poll(n, &bits), ATOLL_E_OK);
	KCHECK_EQ(bits, 0x7);
	/* A moved capability is still in the derivation tree: revoke reaches it. */
	KCHECK_EQ(cnode_revoke(ROOT, n), ATOLL_E_OK);
	KCHECK_EQ(atoll_signal(dest), ATOLL_E_INVALID_CAP);
	release(n);
	release(b);
	release(dest);
}

void test_cnode_untyped_moves_but_never_copies(void)
{
	uint64_t ut = make_object(ATOLL_OBJ_UNTYPED, 12);
	uint64_t dest = slot_get(), obj = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, ut, ATOLL_RIGHTS_ALL), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_mint(ROOT, dest, ROOT, ut, ATOLL_RIGHTS_ALL, 1), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_move(ROOT, dest, ROOT, ut), ATOLL_E_OK);
	KCHECK_EQ(untyped_retype(dest, ATOLL_OBJ_ENDPOINT, 0, ROOT, obj, 1), ATOLL_E_OK);
	KCHECK_EQ(probe(obj), ATOLL_E_WOULD_BLOCK);
	release(obj);
	release(dest);
	release(ut);
}

void test_cnode_control_caps_never_copy(void)
{
	uint64_t dest = slot_get();
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, ATOLL_SLOT_IRQ_CONTROL, ATOLL_RIGHTS_ALL),
	          ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_copy(ROOT, dest, ROOT, ATOLL_SLOT_IOPORT_CONTROL, ATOLL_RIGHTS_ALL),
	          ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(cnode_mint(ROOT, dest, ROOT, ATOLL_SLOT_IRQ_CONTROL, ATOLL_RIGHTS_ALL, 3),
	          ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(probe(dest), ATOLL_E_INVALID_CAP);
	release(dest);
}

void test_cnode_delete_empty_slot_is_ok(void)
{
	uint64_t s = slot_get();
	KCHECK_EQ(cnode_delete(ROOT, s), ATOLL_E_OK);
	KCHECK_EQ(cnode_revoke(ROOT, s), ATOLL_E_OK);
	release(s);
}

void test_cnode_revoke_deletes_derived_copies(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t c1 = mint_cap(ep, ATOLL_RIGHTS_ALL, 0);
	uint64_t c2 = mint_cap(ep, ATOLL_RIGHT_WRITE, 9);
	uint64_t c11 = mint_cap(c1, ATOLL_RIGHTS_ALL, 3);
	KCHECK_EQ(cnode_revoke(ROOT, ep), ATOLL_E_OK);
	KCHECK_EQ(probe(c1), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(c2), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(c11), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	release(ep);
	release(c1);
	release(c2);
	release(c11);
}

void test_cnode_revoke_leaves_parent_and_siblings(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t c1 = mint_cap(ep, ATOLL_RIGHTS_ALL, 0);
	uint64_t c2 = mint_cap(ep, ATOLL_RIGHTS_ALL, 0);
	uint64_t c11 = mint_cap(c1, ATOLL_RIGHTS_ALL, 0);
	KCHECK_EQ(cnode_revoke(ROOT, c1), ATOLL_E_OK);
	KCHECK_EQ(probe(c11), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(c1), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(probe(c2), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	uint64_t s[] = {c2, c1, ep};
	free_all(s, 3);
	release(c11);
}

void test_cnode_delete_parent_keeps_children(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t c1 = mint_cap(ep, ATOLL_RIGHTS_ALL, 0);
	uint64_t c11 = mint_cap(c1, ATOLL_RIGHTS_ALL, 0);
	KCHECK_EQ(cnode_delete(ROOT, ep), ATOLL_E_OK);
	KCHECK_EQ(probe(ep), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(c1), ATOLL_E_WOULD_BLOCK);
	/* The tree closed over the gap: c11 is still c1's child. */
	KCHECK_EQ(cnode_revoke(ROOT, c1), ATOLL_E_OK);
	KCHECK_EQ(probe(c11), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(probe(c1), ATOLL_E_WOULD_BLOCK);
	release(c1);
	release(ep);
	release(c11);
}

void test_cnode_second_level_cnode(void)
{
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 3);
	uint64_t back = slot_get(), again = slot_get();
	KCHECK_EQ(cnode_copy(c, 5, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(c, 8, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_copy(c, 0, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_RANGE);
	KCHECK_EQ(cnode_copy(ROOT, back, c, 5, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	KCHECK_EQ(probe(back), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(cnode_delete(c, 5), ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(ROOT, again, c, 5, ATOLL_RIGHTS_ALL), ATOLL_E_INVALID_CAP);
	uint64_t s[] = {back, c, ep};
	free_all(s, 3);
	release(again);
}

static volatile uint64_t waiter_result;

static void wait_on(void *ntfn)
{
	uint64_t bits;
	waiter_result = atoll_wait((uint64_t)ntfn, &bits);
}

void test_cnode_delete_finalizes_contained_caps(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 2);
	helper_t h;
	waiter_result = 0xff;
	KCHECK_EQ(helper_start(&h, wait_on, (void *)n, HELPER_PRIO, 0), ATOLL_E_OK);
	KCHECK_EQ(waiter_result, 0xff); /* waiting */
	/* The only capability now lives in c; deleting c must destroy n. */
	KCHECK_EQ(cnode_move(c, 1, ROOT, n), ATOLL_E_OK);
	KCHECK_EQ(waiter_result, 0xff);
	KCHECK_EQ(cnode_delete(ROOT, c), ATOLL_E_OK);
	KCHECK_EQ(waiter_result, ATOLL_E_CANCELLED);
	helper_stop(&h);
	release(c);
	release(n);
}

/* Moving a capability out of a CNode changes that CNode: it takes the same
 * WRITE right as changing it any other way. */
void test_cnode_move_out_of_read_only_cnode_refused(void)
{
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 2);
	uint64_t rc = mint_cap(c, ATOLL_RIGHT_READ, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t dest = slot_get();
	KCHECK_EQ(cnode_copy(c, 1, ROOT, ep, ATOLL_RIGHTS_ALL), ATOLL_E_OK);
	KCHECK_EQ(cnode_move(ROOT, dest, rc, 1), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(probe(dest), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(cnode_move(ROOT, dest, c, 1), ATOLL_E_OK);
	release(dest);
	release(ep);
	release(rc);
	release(c);
}

#define CHAIN_LENGTH 300

/* Deleting the only capability to a CNode that holds the only capability
 * to the next, and so on: the kernel must finalise the chain without
 * recursing once per link, and the last link's contents must go too. */
void test_cnode_delete_long_chain_of_cnodes(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	helper_t h;
	waiter_result = 0xff;
	KCHECK_EQ(helper_start(&h, wait_on, (void *)n, HELPER_PRIO, 0), ATOLL_E_OK);
	uint64_t tail = make_object(ATOLL_OBJ_CNODE, 1);
	KCHECK_EQ(cnode_move(tail, 1, ROOT, n), ATOLL_E_OK);
	for (unsigned i = 1; i < CHAIN_LENGTH; i++) {
		uint64_t c = make_object(ATOLL_OBJ_CNODE, 1);
		KCHECK_EQ(cnode_move(c, 1, ROOT, tail), ATOLL_E_OK);
		release(tail);
		tail = c;
	}
	KCHECK_EQ(waiter_result, 0xff);
	KCHECK_EQ(cnode_delete(ROOT, tail), ATOLL_E_OK);
	KCHECK_EQ(waiter_result, ATOLL_E_CANCELLED);
	helper_stop(&h);
	release(tail);
	release(n);
}

void test_cnode_bad_label_and_short_message(void)
{
	atoll_msg_t m = {.w = {1, 1, 1, 1, 1}};
	KCHECK_EQ(atoll_invoke(ROOT, ATOLL_INV_NONE, 5, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(ROOT, ATOLL_TCB_CONFIGURE, 5, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(ROOT, 9999, 5, &m), ATOLL_E_ILLEGAL_OP);
	uint64_t dest = slot_get(), ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	atoll_msg_t c = {.w = {dest, ROOT, ep, ATOLL_RIGHTS_ALL, 1}};
	KCHECK_EQ(atoll_invoke(ROOT, ATOLL_CNODE_COPY, 3, &c), ATOLL_E_INVALID_ARG);
	atoll_msg_t mi = {.w = {dest, ROOT, ep, ATOLL_RIGHTS_ALL, 1}};
	KCHECK_EQ(atoll_invoke(ROOT, ATOLL_CNODE_MINT, 4, &mi), ATOLL_E_INVALID_ARG);
	atoll_msg_t d = {.w = {ep}};
	KCHECK_EQ(atoll_invoke(ROOT, ATOLL_CNODE_DELETE, 0, &d), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(probe(ep), ATOLL_E_WOULD_BLOCK);
	KCHECK_EQ(probe(dest), ATOLL_E_INVALID_CAP);
	release(ep);
	release(dest);
}
