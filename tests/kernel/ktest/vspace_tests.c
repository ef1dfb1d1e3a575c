/*
 * Frames, page tables and address spaces: map/unmap, the error codes of
 * frame and table maps, mapping rights against capability rights, NX, and
 * what deleting a frame, a table or a VSpace does to mappings. Whether an
 * address is really usable is checked by a helper thread touching it
 * (try_access), never by the root, which has no fault handler.
 */
#include "fault.h"

#define VS ATOLL_SLOT_VSPACE
#define RW (ATOLL_MAP_READ | ATOLL_MAP_WRITE)
/* Regions of the root's address space no other test uses, each under its own
 * PML4 entry, so tables built there start from nothing. */
#define NO_TABLE_VA 0x6f0000000000ULL
#define TABLE_TEST_VA 0x6e0000000000ULL
#define TABLE_UNMAP_VA 0x6d0000000000ULL

void test_frame_map_write_read_unmap(void)
{
	uint64_t va = fresh_va(), va2 = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, f, va, RW), ATOLL_E_OK);
	KCHECK_EQ(*(volatile uint64_t *)va, 0); /* new frames are zeroed */
	*(volatile uint64_t *)(va + 8) = 0xabcdef;
	KCHECK_EQ(try_access(va, ACCESS_READ), 0);
	KCHECK_EQ(frame_unmap(f), ATOLL_E_OK);
	KCHECK_EQ(try_access(va, ACCESS_READ), ACCESS_FAULTED | PF_USER);
	/* The memory kept its contents and shows up at the new address. */
	KCHECK_EQ(vspace_map(VS, f, va2, RW), ATOLL_E_OK);
	KCHECK_EQ(*(volatile uint64_t *)(va2 + 8), 0xabcdef);
	release(f);
}

void test_frame_map_twice_is_already_mapped(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, f, va, RW), ATOLL_E_OK);
	KCHECK_EQ(frame_map(f, VS, va + PAGE, RW), ATOLL_E_ALREADY_MAPPED);
	KCHECK_EQ(frame_map(g, VS, va, RW), ATOLL_E_ALREADY_MAPPED);
	KCHECK_EQ(frame_map(g, VS, va + PAGE, RW), ATOLL_E_OK);
	release(g);
	release(f);
}

void test_frame_remap_same_address_changes_rights(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, f, va, RW), ATOLL_E_OK);
	KCHECK_EQ(try_access(va, ACCESS_WRITE), 0);
	KCHECK_EQ(frame_map(f, VS, va, ATOLL_MAP_READ), ATOLL_E_OK);
	KCHECK_EQ(try_access(va, ACCESS_WRITE), ACCESS_FAULTED | PF_PRESENT | PF_WRITE | PF_USER);
	KCHECK_EQ(try_access(va, ACCESS_READ), 0);
	KCHECK_EQ(frame_map(f, VS, va, RW), ATOLL_E_OK);
	KCHECK_EQ(try_access(va, ACCESS_WRITE), 0);
	KCHECK_EQ(*(volatile uint64_t *)va, 0x5a5a);
	release(f);
}

void test_frame_map_without_table_is_not_mapped(void)
{
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t lf = make_object(ATOLL_OBJ_LARGE_FRAME, 0);
	KCHECK_EQ(frame_map(f, VS, NO_TABLE_VA, RW), ATOLL_E_NOT_MAPPED);
	KCHECK_EQ(frame_map(lf, VS, NO_TABLE_VA, RW), ATOLL_E_NOT_MAPPED);
	/* A failed map leaves the frame free to map elsewhere. */
	KCHECK_EQ(vspace_map(VS, f, fresh_va(), RW), ATOLL_E_OK);
	release(lf);
	release(f);
}

void test_frame_map_misaligned_is_alignment(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t lf = make_object(ATOLL_OBJ_LARGE_FRAME, 0);
	KCHECK_EQ(frame_map(f, VS, va + 0x10, RW), ATOLL_E_ALIGNMENT);
	KCHECK_EQ(frame_map(f, VS, va + 0x800, RW), ATOLL_E_ALIGNMENT);
	KCHECK_EQ(frame_map(f, VS, va + 1, RW), ATOLL_E_ALIGNMENT);
	KCHECK_EQ(frame_map(lf, VS, va + PAGE, RW), ATOLL_E_ALIGNMENT);
	KCHECK_EQ(frame_map(lf, VS, va + LARGE_PAGE / 2, RW), ATOLL_E_ALIGNMENT);
	release(lf);
	release(f);
}

void test_frame_map_bad_addresses(void)
{
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t lf = make_object(ATOLL_OBJ_LARGE_FRAME, 0);
	KCHECK_EQ(frame_map(f, VS, KERNEL_HALF, RW), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(frame_map(f, VS, 0xffffffff80000000ULL, RW), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(frame_map(f, VS, 0xfffffffffffff000ULL, RW), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(frame_map(f, VS, USER_TOP, RW), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(frame_map(f, VS, 0x8000000000000000ULL, RW), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(frame_map(lf, VS, KERNEL_HALF, RW), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(frame_map(lf, VS, USER_TOP, RW), ATOLL_E_BAD_ADDRESS);
	release(lf);
	release(f);
}

/* errors.def: a null user address is a bad address. Mapping page 0 would
 * turn every null-pointer dereference in that process into a valid access. */
void test_frame_map_null_is_bad_address(void)
{
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	atoll_error_t err = vspace_map(VS, f, 0, RW);
	KCHECK_EQ(err, ATOLL_E_BAD_ADDRESS);
	release(f); /* unmaps it if the kernel took it */
}

void test_frame_map_writable_from_read_only_cap_fails(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t r = mint_cap(f, ATOLL_RIGHT_READ, 0);
	KCHECK_EQ(frame_map(r, VS, va, RW), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_map(VS, r, va, RW), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_map(VS, r, va, ATOLL_MAP_READ), ATOLL_E_OK);
	/* And remapping it writable at the same place is refused too. */
	KCHECK_EQ(frame_map(r, VS, va, RW), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(try_access(va, ACCESS_READ), 0);
	KCHECK_EQ(try_access(va, ACCESS_WRITE), ACCESS_FAULTED | PF_PRESENT | PF_WRITE | PF_USER);
	release(r);
	release(f);
}

void test_frame_map_exec_needs_exec_right(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t rw = mint_cap(f, ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE, 0);
	KCHECK_EQ(vspace_map(VS, rw, va, ATOLL_MAP_READ | ATOLL_MAP_EXEC), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_map(VS, f, va, ATOLL_MAP_READ | ATOLL_MAP_EXEC), ATOLL_E_OK);
	release(rw);
	release(f);
}

void test_frame_map_needs_read_right(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t w = mint_cap(f, ATOLL_RIGHT_WRITE, 0);
	uint64_t none = mint_cap(f, 0, 0);
	KCHECK_EQ(vspace_map(VS, w, va, ATOLL_MAP_WRITE), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_map(VS, w, va, ATOLL_MAP_READ), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_map(VS, none, va, 0), ATOLL_E_NO_RIGHTS);
	release(none);
	release(w);
	release(f);
}

void test_frame_copy_shares_memory(void)
{
	uint64_t va1 = fresh_va(), va2 = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t c = mint_cap(f, ATOLL_RIGHTS_ALL, 0);
	KCHECK_EQ(vspace_map(VS, f, va1, RW), ATOLL_E_OK);
	/* A copy starts unmapped, so it can map the same memory elsewhere. */
	KCHECK_EQ(vspace_map(VS, c, va2, RW), ATOLL_E_OK);
	*(volatile uint64_t *)va1 = 0x600d;
	KCHECK_EQ(*(volatile uint64_t *)va2, 0x600d);
	KCHECK_EQ(frame_unmap(c), ATOLL_E_OK);
	KCHECK_EQ(*(volatile uint64_t *)va1, 0x600d);
	release(c);
	release(f);
}

void test_frame_delete_unmaps(void)
{
	uint64_t va = fresh_va();
	uint64_t f = map_new_frame(va);
	release(f);
	KCHECK_EQ(try_access(va, ACCESS_READ), ACCESS_FAULTED | PF_USER);
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(frame_map(g, VS, va, RW), ATOLL_E_OK);
	release(g);
}

void test_frame_get_address(void)
{
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t c = mint_cap(f, ATOLL_RIGHT_READ, 0);
	uint64_t pf = 0, pg = 0, pc = 0;
	KCHECK_EQ(frame_get_address(f, &pf), ATOLL_E_OK);
	KCHECK_EQ(frame_get_address(g, &pg), ATOLL_E_OK);
	KCHECK_EQ(frame_get_address(c, &pc), ATOLL_E_OK);
	KCHECK(pf != 0);
	KCHECK_EQ(pf & (PAGE - 1), 0);
	KCHECK(pf != pg);
	KCHECK_EQ(pc, pf);
	release(c);
	release(g);
	release(f);
}

void test_frame_bad_label_and_arguments(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t empty = slot_get();
	KCHECK_EQ(frame_map(f, ep, va, RW), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(frame_map(f, ATOLL_SLOT_CNODE, va, RW), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(frame_map(f, empty, va, RW), ATOLL_E_INVALID_CAP);
	atoll_msg_t m = {.w = {VS, va, RW}};
	KCHECK_EQ(atoll_invoke(f, ATOLL_FRAME_MAP, 2, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(f, 9999, 3, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(f, ATOLL_PAGE_TABLE_MAP, 3, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(frame_unmap(f), ATOLL_E_OK); /* not mapped: nothing to do */
	release(empty);
	release(ep);
	release(f);
}

void test_large_frame_map_and_use(void)
{
	uint64_t va = fresh_va();
	uint64_t lf = make_object(ATOLL_OBJ_LARGE_FRAME, 0);
	uint64_t pa = 0;
	KCHECK_EQ(frame_get_address(lf, &pa), ATOLL_E_OK);
	KCHECK_EQ(pa & (LARGE_PAGE - 1), 0);
	KCHECK_EQ(vspace_map(VS, lf, va, RW), ATOLL_E_OK);
	volatile uint64_t *p = (volatile uint64_t *)va;
	p[0] = 1;
	p[LARGE_PAGE / 16] = 2;
	p[LARGE_PAGE / 8 - 1] = 3;
	KCHECK_EQ(p[0] + p[LARGE_PAGE / 16] + p[LARGE_PAGE / 8 - 1], 6);
	/* The kernel reads user memory through a large mapping as well. */
	memcpy((char *)va + LARGE_PAGE - 6, "large\n", 6);
	KCHECK_EQ(atoll_debug_puts((const char *)va + LARGE_PAGE - 6, 6), ATOLL_E_OK);
	KCHECK_EQ(try_access(va + LARGE_PAGE - 8, ACCESS_READ), 0);
	/* A 4 KiB frame cannot go inside a large mapping. */
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK(frame_map(f, VS, va + PAGE, RW) != ATOLL_E_OK);
	KCHECK_EQ(frame_unmap(lf), ATOLL_E_OK);
	KCHECK_EQ(try_access(va + PAGE, ACCESS_READ), ACCESS_FAULTED | PF_USER);
	/* Nor a large frame where a page table is. */
	uint64_t va2 = fresh_va();
	uint64_t g = map_new_frame(va2);
	KCHECK_EQ(frame_map(lf, VS, va2, RW), ATOLL_E_ALREADY_MAPPED);
	release(g);
	release(f);
	release(lf);
}

void test_page_table_map_errors(void)
{
	uint64_t x = TABLE_TEST_VA;
	uint64_t pdpt = make_object(ATOLL_OBJ_PDPT, 0), pdpt2 = make_object(ATOLL_OBJ_PDPT, 0);
	uint64_t pd = make_object(ATOLL_OBJ_PD, 0), pt = make_object(ATOLL_OBJ_PT, 0);
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	KCHECK_EQ(page_table_map(pt, VS, x), ATOLL_E_NOT_MAPPED);
	KCHECK_EQ(page_table_map(pd, VS, x), ATOLL_E_NOT_MAPPED);
	KCHECK_EQ(page_table_map(pdpt, VS, KERNEL_HALF), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(page_table_map(pdpt, VS, USER_TOP), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(page_table_map(pdpt, ep, x), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(page_table_map(pdpt, VS, x), ATOLL_E_OK);
	KCHECK_EQ(page_table_map(pdpt, VS, x + (1ULL << 39)), ATOLL_E_ALREADY_MAPPED);
	KCHECK_EQ(page_table_map(pdpt2, VS, x), ATOLL_E_ALREADY_MAPPED);
	KCHECK_EQ(page_table_map(pd, VS, x), ATOLL_E_OK);
	KCHECK_EQ(page_table_map(pt, VS, x), ATOLL_E_OK);
	KCHECK_EQ(frame_map(f, VS, x, RW), ATOLL_E_OK);
	KCHECK_EQ(try_access(x, ACCESS_WRITE), 0);
	atoll_msg_t m = {.w = {VS, x}};
	KCHECK_EQ(atoll_invoke(pt, ATOLL_PAGE_TABLE_MAP, 1, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(pt, ATOLL_FRAME_MAP, 2, &m), ATOLL_E_ILLEGAL_OP);
	/* Deleting the tables takes the mappings under them away. */
	release(pdpt);
	KCHECK_EQ(try_access(x, ACCESS_READ), ACCESS_FAULTED | PF_USER);
	release(f);
	release(pt);
	release(pd);
	release(pdpt2);
	release(ep);
}

void test_page_table_unmap_removes_mappings(void)
{
	uint64_t x = TABLE_UNMAP_VA;
	uint64_t pdpt = make_object(ATOLL_OBJ_PDPT, 0), pd = make_object(ATOLL_OBJ_PD, 0);
	uint64_t pt = make_object(ATOLL_OBJ_PT, 0);
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0), g = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(page_table_map(pdpt, VS, x), ATOLL_E_OK);
	KCHECK_EQ(page_table_map(pd, VS, x), ATOLL_E_OK);
	KCHECK_EQ(page_table_map(pt, VS, x), ATOLL_E_OK);
	KCHECK_EQ(frame_map(f, VS, x, RW), ATOLL_E_OK);
	*(volatile uint64_t *)x = 0xf;
	KCHECK_EQ(page_table_unmap(pt), ATOLL_E_OK);
	KCHECK_EQ(try_access(x, ACCESS_READ), ACCESS_FAULTED | PF_USER);
	KCHECK_EQ(frame_map(g, VS, x, RW), ATOLL_E_NOT_MAPPED);
	/* Mapped again, the table comes back empty. */
	KCHECK_EQ(page_table_map(pt, VS, x), ATOLL_E_OK);
	KCHECK_EQ(try_access(x, ACCESS_READ), ACCESS_FAULTED | PF_USER);
	KCHECK_EQ(frame_map(g, VS, x, RW), ATOLL_E_OK);
	*(volatile uint64_t *)x = 0x9;
	/* f's stale record of x must not remove g's mapping. */
	KCHECK_EQ(frame_unmap(f), ATOLL_E_OK);
	KCHECK_EQ(*(volatile uint64_t *)x, 0x9);
	KCHECK_EQ(page_table_unmap(pt), ATOLL_E_OK);
	KCHECK_EQ(page_table_unmap(pt), ATOLL_E_OK);
	release(g);
	release(f);
	release(pt);
	release(pd);
	release(pdpt);
}

void test_vspace_and_reply_refuse_foreign_invocations(void)
{
	uint64_t reply = make_object(ATOLL_OBJ_REPLY, 0);
	atoll_msg_t m = {.w = {VS, 0x1000, RW}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_FRAME_MAP, 3, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(VS, ATOLL_INV_NONE, 0, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(atoll_invoke(reply, ATOLL_INV_NONE, 0, &m), ATOLL_E_ILLEGAL_OP);
	release(reply);
}

/* Page tables for va in vspace, made and mapped (slots returned in t[3]). */
static void build_tables(uint64_t vspace, uint64_t va, uint64_t t[3])
{
	static const unsigned types[3] = {ATOLL_OBJ_PDPT, ATOLL_OBJ_PD, ATOLL_OBJ_PT};
	for (unsigned i = 0; i < 3; i++) {
		t[i] = make_object(types[i], 0);
		KCHECK_EQ(page_table_map(t[i], vspace, va), ATOLL_E_OK);
	}
}

void test_vspace_separate_address_spaces(void)
{
	uint64_t va = fresh_va();
	uint64_t f = map_new_frame(va);
	uint64_t v = make_object(ATOLL_OBJ_VSPACE, 0);
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t t[3];
	build_tables(v, va, t);
	KCHECK_EQ(frame_map(g, v, va, RW), ATOLL_E_OK);
	/* One capability, one mapping: f is taken. */
	KCHECK_EQ(frame_map(f, v, va + PAGE, RW), ATOLL_E_ALREADY_MAPPED);
	*(volatile uint64_t *)va = 0x77;
	KCHECK_EQ(try_access(va, ACCESS_READ), 0);
	release(g);
	for (int i = 2; i >= 0; i--)
		release(t[i]);
	release(v);
	KCHECK_EQ(*(volatile uint64_t *)va, 0x77);
	release(f);
}

void test_frame_nx_blocks_execution(void)
{
	uint64_t va = fresh_va();
	uint64_t f = map_new_frame(va);
	*(volatile uint8_t *)va = 0xc3; /* ret */
	KCHECK_EQ(try_access(va, ACCESS_EXEC), ACCESS_FAULTED | PF_PRESENT | PF_USER | PF_FETCH);
	KCHECK_EQ(frame_map(f, VS, va, ATOLL_MAP_READ | ATOLL_MAP_EXEC), ATOLL_E_OK);
	KCHECK_EQ(try_access(va, ACCESS_EXEC), 0);
	release(f);
}

void test_vspace_delete_leaves_frames_usable(void)
{
	uint64_t x = fresh_va();
	uint64_t v = make_object(ATOLL_OBJ_VSPACE, 0);
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	uint64_t t[3];
	build_tables(v, x, t);
	KCHECK_EQ(frame_map(f, v, x, RW), ATOLL_E_OK);
	release(v);
	/* The frame and tables outlive the address space and can be reused. */
	KCHECK_EQ(frame_unmap(f), ATOLL_E_OK);
	KCHECK_EQ(vspace_map(VS, f, x, RW), ATOLL_E_OK);
	*(volatile uint64_t *)x = 1;
	for (int i = 2; i >= 0; i--)
		release(t[i]);
	release(f);
}

/* VSPACE_READ and VSPACE_WRITE: another address space's memory, reached
 * through its VSpace capability (here the root's own). */
void test_vspace_read_write_through_capability(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, f, va, RW), ATOLL_E_OK);
	static const char text[] = "written through the VSpace capability, across a page";
	/* Straddle the page's end: the copy must cross into the next page. */
	uint64_t g = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, g, va + 4096, RW), ATOLL_E_OK);
	KCHECK_EQ(vspace_write(VS, va + 4090, text, sizeof(text)), ATOLL_E_OK);
	KCHECK(!memcmp((const void *)(va + 4090), text, sizeof(text)));
	char back[sizeof(text)];
	KCHECK_EQ(vspace_read(VS, va + 4090, back, sizeof(back)), ATOLL_E_OK);
	KCHECK(!memcmp(back, text, sizeof(text)));
	release(g);
	release(f);
}

void test_vspace_read_write_refuse_bad_addresses(void)
{
	uint64_t va = fresh_va();
	uint64_t f = make_object(ATOLL_OBJ_FRAME, 0);
	KCHECK_EQ(vspace_map(VS, f, va, ATOLL_MAP_READ), ATOLL_E_OK);
	char buf[16] = {0};
	KCHECK_EQ(vspace_read(VS, 0, buf, 8), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(vspace_read(VS, 0xffff800000000000ULL, buf, 8), ATOLL_E_BAD_ADDRESS);
	KCHECK_EQ(vspace_read(VS, 0x0000900000000000ULL, buf, 8), ATOLL_E_BAD_ADDRESS);
	/* A range that runs off its mapping fails whole. */
	KCHECK_EQ(vspace_read(VS, va + 4088, buf, 16), ATOLL_E_BAD_ADDRESS);
	/* Read-only memory can be read, not written. */
	KCHECK_EQ(vspace_read(VS, va, buf, 16), ATOLL_E_OK);
	KCHECK_EQ(vspace_write(VS, va, buf, 16), ATOLL_E_BAD_ADDRESS);
	/* Wrapping and oversized requests. */
	uint64_t mine = (uint64_t)buf;
	atoll_msg_t m = {.w = {0xfffffffffffffff8ULL, 16, mine}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 3, &m), ATOLL_E_BAD_ADDRESS);
	m = (atoll_msg_t){.w = {va, ATOLL_VSPACE_IO_MAX + 1, mine}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 3, &m), ATOLL_E_RANGE);
	m = (atoll_msg_t){.w = {va, 16, mine}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 2, &m), ATOLL_E_INVALID_ARG); /* no buffer */
	/* The caller's buffer must be its own memory, whole, and writable for
	 * a read into it: else INVALID_ARG, and nothing moves. */
	m = (atoll_msg_t){.w = {va, 16, 0}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 3, &m), ATOLL_E_INVALID_ARG);
	m = (atoll_msg_t){.w = {va, 16, 0xffff800000001000ULL}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 3, &m), ATOLL_E_INVALID_ARG);
	m = (atoll_msg_t){.w = {va, 16, va}}; /* read-only: cannot take a read */
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 3, &m), ATOLL_E_INVALID_ARG);
	m = (atoll_msg_t){.w = {va, 16, 0xfffffffffffffff8ULL}};
	KCHECK_EQ(atoll_invoke(VS, ATOLL_VSPACE_READ, 3, &m), ATOLL_E_INVALID_ARG);
	release(f);
}

void test_vspace_read_write_need_rights(void)
{
	uint64_t ro = slot_alloc(), wo = slot_alloc();
	KCHECK_EQ(cnode_copy(ATOLL_SLOT_CNODE, ro, ATOLL_SLOT_CNODE, VS, ATOLL_RIGHT_READ),
	          ATOLL_E_OK);
	KCHECK_EQ(cnode_copy(ATOLL_SLOT_CNODE, wo, ATOLL_SLOT_CNODE, VS, ATOLL_RIGHT_WRITE),
	          ATOLL_E_OK);
	uint64_t word = 7, va = (uint64_t)&word;
	KCHECK_EQ(vspace_read(ro, va, &word, 8), ATOLL_E_OK);
	KCHECK_EQ(vspace_write(ro, va, &word, 8), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_read(wo, va, &word, 8), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(vspace_write(wo, va, &word, 8), ATOLL_E_OK);
	release(ro);
	release(wo);
}
