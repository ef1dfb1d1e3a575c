/*
 * Building a generation: the child's CNode, VSpace, threads and every
 * capability it gets are retyped from one pool untyped, into a fixed range
 * of the root task's slots (or straight into the child's CNode), so that
 * revoking the pool takes all of it back, whatever the child did meanwhile.
 * Building checks that it did: the first object lands at the pool's base.
 */
#include "root.h"
#include <atoll_rt/elf.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>
#include <atoll_rt/vspace.h>

#define PAGE 4096ULL

static const unsigned table_types[3] = {ATOLL_OBJ_PDPT, ATOLL_OBJ_PD, ATOLL_OBJ_PT};
static uint64_t spare_table[3]; /* made but not needed yet: used by the next mapping */

/* The next of the generation's root slots, 0 when they are all taken. */
static uint64_t take_slot(generation_t *g)
{
	return g->slots_used < GEN_SLOTS ? root.gen_slots[g->slots_used++] : 0;
}

static atoll_error_t pool_new(generation_t *g, unsigned type, unsigned bits, uint64_t *slot)
{
	uint64_t s = take_slot(g);
	if (!s)
		return ATOLL_E_NO_MEMORY;
	atoll_error_t err = untyped_retype(root.pool, type, bits, ATOLL_SLOT_CNODE, s, 1);
	if (!err)
		*slot = s;
	return err;
}

/* An object made straight into the child's CNode. */
static atoll_error_t pool_new_child(generation_t *g, unsigned type, unsigned bits, uint64_t index)
{
	return untyped_retype(root.pool, type, bits, g->cnode, index, 1);
}

/* Map a frame into the child, making missing page tables from the pool. */
static atoll_error_t child_map(generation_t *g, uint64_t frame, uint64_t va, unsigned attrs)
{
	atoll_error_t err = frame_map(frame, g->vspace, va, attrs);
	for (int level = 0; err == ATOLL_E_NOT_MAPPED && level < 3; level++) {
		for (unsigned i = 0; i < 3; i++) {
			atoll_error_t e = ATOLL_E_OK;
			if (!spare_table[i] &&
			    (e = pool_new(g, table_types[i], 0, &spare_table[i])))
				return e;
			e = page_table_map(spare_table[i], g->vspace, va);
			if (e == ATOLL_E_OK) {
				spare_table[i] = 0;
				break;
			}
			if (e != ATOLL_E_ALREADY_MAPPED)
				return e;
		}
		err = frame_map(frame, g->vspace, va, attrs);
	}
	return err;
}

/* A new frame with len bytes of src at offset, mapped into the child at va. */
static atoll_error_t child_page(generation_t *g, uint64_t va, unsigned attrs, const void *src,
                                size_t offset, size_t len, uint64_t *frame_out)
{
	uint64_t frame;
	atoll_error_t err = pool_new(g, ATOLL_OBJ_FRAME, 0, &frame);
	if (err)
		return err;
	if (len) {
		if ((err = vspace_map(ATOLL_SLOT_VSPACE, frame, SCRATCH_VADDR,
		                      ATOLL_MAP_READ | ATOLL_MAP_WRITE)))
			return err;
		memcpy((uint8_t *)SCRATCH_VADDR + offset, src, len);
		frame_unmap(frame);
	}
	if (frame_out)
		*frame_out = frame;
	return child_map(g, frame, va, attrs);
}

static atoll_error_t load_image(generation_t *g, uint64_t *entry)
{
	elf_info_t elf;
	if (elf_read(root.elf, root.elf_size, &elf))
		return ATOLL_E_INVALID_ARG;
	*entry = elf.entry;
	const uint8_t *image = root.elf;
	for (unsigned i = 0; i < elf.nloads; i++) {
		const elf_load_t *s = &elf.loads[i];
		unsigned attrs = ATOLL_MAP_READ | (s->flags & ELF_PF_W ? ATOLL_MAP_WRITE : 0) |
		                 (s->flags & ELF_PF_X ? ATOLL_MAP_EXEC : 0);
		for (uint64_t page = s->vaddr & ~(PAGE - 1); page < s->vaddr + s->memsz;
		     page += PAGE) {
			uint64_t lo = page > s->vaddr ? page : s->vaddr;
			uint64_t file_end = s->vaddr + s->filesz;
			uint64_t hi = page + PAGE < file_end ? page + PAGE : file_end;
			atoll_error_t err =
				child_page(g, page, attrs, image + s->offset + (lo - s->vaddr),
			                   lo - page, hi > lo ? hi - lo : 0, NULL);
			if (err)
				return err;
		}
	}
	return ATOLL_E_OK;
}

static atoll_error_t give(generation_t *g, uint64_t index, uint64_t slot)
{
	return cnode_copy(g->cnode, index, ATOLL_SLOT_CNODE, slot, ATOLL_RIGHTS_ALL);
}

static atoll_error_t start_registers(uint64_t tcb, uint64_t rip, uint64_t rsp)
{
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RDI] = CHILD_SHARED_VADDR;
	regs[ATOLL_REG_RIP] = rip;
	regs[ATOLL_REG_RSP] = rsp;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(tcb, 0, regs, ATOLL_REG_RFLAGS + 1);
}

#define STEP(name, call)            \
	do {                        \
		*step = name;       \
		if ((err = (call))) \
			return err; \
	} while (0)

atoll_error_t generation_build(generation_t *g, const fuzz_shared_t *params, const char **step)
{
	atoll_error_t err;
	uint64_t large, untyped, paddr, entry, shared, shared_root, ipc, spare_ipc;
	const unsigned rw = ATOLL_MAP_READ | ATOLL_MAP_WRITE;
	g->slots_used = 0;
	spare_table[0] = spare_table[1] = spare_table[2] = 0;

	/* Biggest first, so that alignment wastes nothing: the 2 MiB frame at offset 0. */
	STEP("large frame", pool_new(g, ATOLL_OBJ_LARGE_FRAME, 0, &large));
	STEP("large frame address", frame_get_address(large, &paddr));
	if (!root.pool_paddr)
		root.pool_paddr = paddr;
	*step = "pool reused from its base";
	if (paddr != root.pool_paddr)
		return ATOLL_E_NO_MEMORY;
	STEP("untyped", pool_new(g, ATOLL_OBJ_UNTYPED, CHILD_UNTYPED_BITS, &untyped));
	STEP("cnode", pool_new(g, ATOLL_OBJ_CNODE, CHILD_CNODE_RADIX, &g->cnode));
	STEP("vspace", pool_new(g, ATOLL_OBJ_VSPACE, 0, &g->vspace));
	STEP("junk cnode", pool_new(g, ATOLL_OBJ_CNODE, 4, &g->junk));
	STEP("tcb", pool_new(g, ATOLL_OBJ_TCB, 0, &g->tcb));
	STEP("spare tcb", pool_new(g, ATOLL_OBJ_TCB, 0, &g->spare));
	STEP("endpoint", pool_new(g, ATOLL_OBJ_ENDPOINT, 0, &g->ep));
	STEP("notification", pool_new(g, ATOLL_OBJ_NOTIFICATION, 0, &g->ntfn));
	STEP("reply", pool_new(g, ATOLL_OBJ_REPLY, 0, &g->reply));

	STEP("image", load_image(g, &entry));
	for (unsigned i = 1; i <= CHILD_STACK_PAGES; i++)
		STEP("stack", child_page(g, CHILD_STACK_TOP - i * PAGE, rw, NULL, 0, 0, NULL));
	STEP("ipc buffer", child_page(g, CHILD_IPC_VADDR, rw, NULL, 0, 0, &ipc));
	STEP("spare ipc buffer", child_page(g, CHILD_SPARE_IPC_VADDR, rw, NULL, 0, 0, &spare_ipc));
	STEP("spare stack", child_page(g, CHILD_SPARE_STACK_TOP - PAGE, rw, NULL, 0, 0, NULL));
	STEP("shared", child_page(g, CHILD_SHARED_VADDR, rw, NULL, 0, 0, &shared));
	*step = "shared copy";
	if (!(shared_root = take_slot(g)))
		return ATOLL_E_NO_MEMORY;
	STEP("shared copy",
	     cnode_copy(ATOLL_SLOT_CNODE, shared_root, ATOLL_SLOT_CNODE, shared, ATOLL_RIGHTS_ALL));
	STEP("shared map", vspace_map(ATOLL_SLOT_VSPACE, shared_root, ROOT_SHARED_VADDR, rw));
	g->shared = (fuzz_shared_t *)ROOT_SHARED_VADDR;
	memcpy(g->shared, params, sizeof(*g->shared));

	/* The child's capabilities (fuzz.h). */
	STEP("give cnode", give(g, CS_CNODE, g->cnode));
	STEP("give vspace", give(g, CS_VSPACE, g->vspace));
	STEP("give tcb", give(g, CS_TCB, g->tcb));
	STEP("give ep", give(g, CS_EP, g->ep));
	STEP("give badged ep", cnode_mint(g->cnode, CS_EP_BADGED, ATOLL_SLOT_CNODE, g->ep,
	                                  ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE, CHILD_EP_BADGE));
	STEP("give ntfn", give(g, CS_NTFN, g->ntfn));
	STEP("give badged ntfn", cnode_mint(g->cnode, CS_NTFN_BADGED, ATOLL_SLOT_CNODE, g->ntfn,
	                                    ATOLL_RIGHT_WRITE, CHILD_NTFN_BADGE));
	STEP("give reply", give(g, CS_REPLY, g->reply));
	STEP("reply2", pool_new_child(g, ATOLL_OBJ_REPLY, 0, CS_REPLY2));
	STEP("give untyped", cnode_move(g->cnode, CS_UNTYPED, ATOLL_SLOT_CNODE, untyped));
	for (unsigned i = 0; i < 4; i++)
		STEP("frames", pool_new_child(g, ATOLL_OBJ_FRAME, 0, CS_FRAME0 + i));
	STEP("give large frame", cnode_move(g->cnode, CS_LARGE_FRAME, ATOLL_SLOT_CNODE, large));
	STEP("pdpt", pool_new_child(g, ATOLL_OBJ_PDPT, 0, CS_PDPT));
	STEP("pd", pool_new_child(g, ATOLL_OBJ_PD, 0, CS_PD));
	STEP("pt", pool_new_child(g, ATOLL_OBJ_PT, 0, CS_PT0));
	STEP("pt", pool_new_child(g, ATOLL_OBJ_PT, 0, CS_PT1));
	STEP("give spare tcb", give(g, CS_SPARE_TCB, g->spare));
	STEP("give irq", give(g, CS_IRQ, root.irq));
	STEP("give ioport", give(g, CS_IOPORT, root.ioport));

	/* The threads: the child faults to the root task, the spare thread to the child. */
	STEP("configure",
	     tcb_configure(g->tcb, root.fault_ep, g->cnode, g->vspace, CHILD_IPC_VADDR, ipc));
	STEP("priority", tcb_set_priority(g->tcb, ATOLL_SLOT_TCB, FUZZ_PRIORITY));
	STEP("registers", start_registers(g->tcb, entry, CHILD_STACK_TOP));
	STEP("configure spare",
	     tcb_configure(g->spare, g->ep, g->cnode, g->vspace, CHILD_SPARE_IPC_VADDR, spare_ipc));
	STEP("spare priority", tcb_set_priority(g->spare, ATOLL_SLOT_TCB, FUZZ_PRIORITY));
	STEP("spare registers",
	     start_registers(g->spare, (uint64_t)spare_main, CHILD_SPARE_STACK_TOP - 8));
	return ATOLL_E_OK;
}

static int slot_is_empty(uint64_t slot)
{
	atoll_msg_t m = {0};
	return atoll_nbsend(slot, &m) == ATOLL_E_INVALID_CAP;
}

unsigned generation_destroy(generation_t *g)
{
	cnode_revoke(ATOLL_SLOT_CNODE, root.pool);
	unsigned left = 0;
	for (unsigned i = 0; i < g->slots_used; i++)
		left += !slot_is_empty(root.gen_slots[i]);
	g->shared = NULL;
	return left;
}
