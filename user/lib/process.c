/*
 * Building a process from a static ELF image: a CNode, a VSpace with the
 * image's pages, a stack and an IPC buffer, and a thread ready to run.
 * Pages are filled through a scratch mapping in the caller's own space.
 */
#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/elf.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>
#include <atoll_rt/vspace.h>

#define PAGE 4096ULL

/* A new frame with bytes copied in, mapped into the process at vaddr. */
static atoll_error_t add_page(process_t *p, uint64_t vaddr, unsigned attrs, const uint8_t *src,
                              size_t offset, size_t len, uint64_t *frame_out)
{
	uint64_t frame;
	atoll_error_t err = object_alloc(ATOLL_OBJ_FRAME, 0, &frame);
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
	return vspace_map(p->vspace, frame, vaddr, attrs);
}

static atoll_error_t load_segment(process_t *p, const uint8_t *image, const elf_load_t *s)
{
	unsigned attrs = ATOLL_MAP_READ | (s->flags & ELF_PF_W ? ATOLL_MAP_WRITE : 0) |
	                 (s->flags & ELF_PF_X ? ATOLL_MAP_EXEC : 0);
	for (uint64_t page = s->vaddr & ~(PAGE - 1); page < s->vaddr + s->memsz; page += PAGE) {
		uint64_t lo = page > s->vaddr ? page : s->vaddr;
		uint64_t file_end = s->vaddr + s->filesz;
		uint64_t hi = page + PAGE < file_end ? page + PAGE : file_end;
		size_t len = hi > lo ? hi - lo : 0;
		atoll_error_t err = add_page(p, page, attrs, image + s->offset + (lo - s->vaddr),
		                             lo - page, len, NULL);
		if (err)
			return err;
	}
	return ATOLL_E_OK;
}

static atoll_error_t give(process_t *p, uint64_t index, uint64_t slot)
{
	return cnode_copy(p->cnode, index, ATOLL_SLOT_CNODE, slot, ATOLL_RIGHTS_ALL);
}

atoll_error_t process_create(process_t *p, const void *image, size_t size, unsigned cnode_radix,
                             unsigned priority, uint64_t fault_ep, uint64_t arg)
{
	elf_info_t elf;
	if (elf_read(image, size, &elf))
		return ATOLL_E_INVALID_ARG;
	atoll_error_t err;
	p->cnode_radix = cnode_radix;
	if ((err = object_alloc(ATOLL_OBJ_CNODE, cnode_radix, &p->cnode)) ||
	    (err = object_alloc(ATOLL_OBJ_VSPACE, 0, &p->vspace)) ||
	    (err = object_alloc(ATOLL_OBJ_TCB, 0, &p->tcb)))
		return err;
	for (unsigned i = 0; i < elf.nloads; i++)
		if ((err = load_segment(p, image, &elf.loads[i])))
			return err;
	for (unsigned i = 1; i <= PROCESS_STACK_PAGES; i++)
		if ((err = add_page(p, PROCESS_STACK_TOP - i * PAGE,
		                    ATOLL_MAP_READ | ATOLL_MAP_WRITE, NULL, 0, 0, NULL)))
			return err;
	if ((err = add_page(p, PROCESS_IPC_BUFFER_VADDR, ATOLL_MAP_READ | ATOLL_MAP_WRITE, NULL, 0,
	                    0, &p->ipc_frame)))
		return err;
	if ((err = give(p, PROCESS_SLOT_CNODE, p->cnode)) ||
	    (err = give(p, PROCESS_SLOT_VSPACE, p->vspace)) ||
	    (err = give(p, PROCESS_SLOT_TCB, p->tcb)))
		return err;
	if ((err = tcb_configure(p->tcb, fault_ep, p->cnode, p->vspace, PROCESS_IPC_BUFFER_VADDR,
	                         p->ipc_frame)) ||
	    (err = tcb_set_priority(p->tcb, ATOLL_SLOT_TCB, priority)))
		return err;
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RDI] = arg;
	regs[ATOLL_REG_RIP] = elf.entry;
	regs[ATOLL_REG_RSP] = PROCESS_STACK_TOP;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(p->tcb, 0, regs, ATOLL_REG_RFLAGS + 1);
}
