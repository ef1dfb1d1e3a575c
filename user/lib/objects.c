#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <stdbool.h>

static atoll_error_t invoke(uint64_t cap, uint64_t label, unsigned n, uint64_t a0, uint64_t a1,
                            uint64_t a2, uint64_t a3, uint64_t a4)
{
	atoll_msg_t m = {.w = {a0, a1, a2, a3, a4}};
	return atoll_invoke(cap, label, n, &m);
}

atoll_error_t untyped_retype(uint64_t untyped, unsigned type, unsigned size_bits, uint64_t cnode,
                             uint64_t index, uint64_t count)
{
	return invoke(untyped, ATOLL_UNTYPED_RETYPE, 5, type, size_bits, cnode, index, count);
}

atoll_error_t cnode_copy(uint64_t cnode, uint64_t dest, uint64_t src_cnode, uint64_t src,
                         unsigned rights)
{
	return invoke(cnode, ATOLL_CNODE_COPY, 4, dest, src_cnode, src, rights, 0);
}

atoll_error_t cnode_mint(uint64_t cnode, uint64_t dest, uint64_t src_cnode, uint64_t src,
                         unsigned rights, uint64_t badge)
{
	return invoke(cnode, ATOLL_CNODE_MINT, 5, dest, src_cnode, src, rights, badge);
}

atoll_error_t cnode_move(uint64_t cnode, uint64_t dest, uint64_t src_cnode, uint64_t src)
{
	return invoke(cnode, ATOLL_CNODE_MOVE, 3, dest, src_cnode, src, 0, 0);
}

atoll_error_t cnode_delete(uint64_t cnode, uint64_t index)
{
	return invoke(cnode, ATOLL_CNODE_DELETE, 1, index, 0, 0, 0, 0);
}

atoll_error_t cnode_revoke(uint64_t cnode, uint64_t index)
{
	return invoke(cnode, ATOLL_CNODE_REVOKE, 1, index, 0, 0, 0, 0);
}

atoll_error_t tcb_configure(uint64_t tcb, uint64_t fault_ep, uint64_t cspace, uint64_t vspace,
                            uint64_t ipc_buffer, uint64_t ipc_frame)
{
	return invoke(tcb, ATOLL_TCB_CONFIGURE, 5, fault_ep, cspace, vspace, ipc_buffer, ipc_frame);
}

atoll_error_t tcb_set_priority(uint64_t tcb, uint64_t authority, unsigned priority)
{
	return invoke(tcb, ATOLL_TCB_SET_PRIORITY, 2, authority, priority, 0, 0, 0);
}

atoll_error_t tcb_set_mcp(uint64_t tcb, uint64_t authority, unsigned mcp)
{
	return invoke(tcb, ATOLL_TCB_SET_MCP, 2, authority, mcp, 0, 0, 0);
}

static atoll_ipc_buffer_t *ipc_buffer(void)
{
	extern atoll_ipc_buffer_t *atoll_ipc_buffer_ptr;
	return atoll_ipc_buffer_ptr;
}

atoll_error_t tcb_write_registers(uint64_t tcb, int resume, const uint64_t *regs, unsigned n)
{
	atoll_msg_t m = {0};
	m.w[0] = (uint64_t)resume;
	for (unsigned i = 0; i < n; i++) {
		if (i + 1 < ATOLL_MSG_REGS)
			m.w[i + 1] = regs[i];
		else if (ipc_buffer())
			ipc_buffer()->mr[i + 1] = regs[i];
	}
	return atoll_invoke(tcb, ATOLL_TCB_WRITE_REGISTERS, n + 1, &m);
}

atoll_error_t tcb_read_registers(uint64_t tcb, uint64_t *regs, unsigned *n)
{
	atoll_msg_t m = {0};
	atoll_error_t err = atoll_invoke(tcb, ATOLL_TCB_READ_REGISTERS, 0, &m);
	unsigned got = atoll_msginfo_length(m.info);
	for (unsigned i = 0; i < got && i < ATOLL_REG_COUNT; i++)
		regs[i] = i < ATOLL_MSG_REGS ? m.w[i] : ipc_buffer()->mr[i];
	*n = got;
	return err;
}

atoll_error_t tcb_read_fpu(uint64_t tcb, uint64_t fpu[ATOLL_TCB_FPU_WORDS])
{
	atoll_msg_t m = {0};
	atoll_error_t err = atoll_invoke(tcb, ATOLL_TCB_READ_FPU, 0, &m);
	if (err)
		return err;
	if (atoll_msginfo_length(m.info) < ATOLL_TCB_FPU_WORDS)
		return ATOLL_E_INVALID_ARG;
	for (unsigned i = 0; i < ATOLL_TCB_FPU_WORDS; i++)
		fpu[i] = i < ATOLL_MSG_REGS ? m.w[i] : ipc_buffer()->mr[i];
	return ATOLL_E_OK;
}

atoll_error_t tcb_write_fpu(uint64_t tcb, const uint64_t fpu[ATOLL_TCB_FPU_WORDS])
{
	atoll_msg_t m = {0};
	for (unsigned i = 0; i < ATOLL_TCB_FPU_WORDS; i++) {
		if (i < ATOLL_MSG_REGS)
			m.w[i] = fpu[i];
		else
			ipc_buffer()->mr[i] = fpu[i];
	}
	return atoll_invoke(tcb, ATOLL_TCB_WRITE_FPU, ATOLL_TCB_FPU_WORDS, &m);
}

atoll_error_t tcb_resume(uint64_t tcb)
{
	return invoke(tcb, ATOLL_TCB_RESUME, 0, 0, 0, 0, 0, 0);
}

atoll_error_t tcb_suspend(uint64_t tcb)
{
	return invoke(tcb, ATOLL_TCB_SUSPEND, 0, 0, 0, 0, 0, 0);
}

atoll_error_t tcb_bind_notification(uint64_t tcb, uint64_t notification)
{
	return invoke(tcb, ATOLL_TCB_BIND_NOTIFICATION, 1, notification, 0, 0, 0, 0);
}

atoll_error_t tcb_unbind_notification(uint64_t tcb)
{
	return invoke(tcb, ATOLL_TCB_UNBIND_NOTIFICATION, 0, 0, 0, 0, 0, 0);
}

atoll_error_t tcb_set_fault_endpoint(uint64_t tcb, uint64_t endpoint)
{
	return invoke(tcb, ATOLL_TCB_SET_FAULT_ENDPOINT, 1, endpoint, 0, 0, 0, 0);
}

atoll_error_t tcb_set_flags(uint64_t tcb, uint64_t flags)
{
	return invoke(tcb, ATOLL_TCB_SET_FLAGS, 1, flags, 0, 0, 0, 0);
}

atoll_error_t page_table_map(uint64_t table, uint64_t vspace, uint64_t vaddr)
{
	return invoke(table, ATOLL_PAGE_TABLE_MAP, 2, vspace, vaddr, 0, 0, 0);
}

atoll_error_t page_table_unmap(uint64_t table)
{
	return invoke(table, ATOLL_PAGE_TABLE_UNMAP, 0, 0, 0, 0, 0, 0);
}

atoll_error_t frame_map(uint64_t frame, uint64_t vspace, uint64_t vaddr, unsigned attrs)
{
	return invoke(frame, ATOLL_FRAME_MAP, 3, vspace, vaddr, attrs, 0, 0);
}

atoll_error_t frame_unmap(uint64_t frame)
{
	return invoke(frame, ATOLL_FRAME_UNMAP, 0, 0, 0, 0, 0, 0);
}

atoll_error_t frame_get_address(uint64_t frame, uint64_t *paddr)
{
	atoll_msg_t m = {0};
	atoll_error_t err = atoll_invoke(frame, ATOLL_FRAME_GET_ADDRESS, 0, &m);
	*paddr = m.w[0];
	return err;
}

atoll_error_t irq_issue_ioapic(uint64_t control, unsigned gsi, int level, int active_low,
                               uint64_t cnode, uint64_t index)
{
	return invoke(control, ATOLL_IRQ_CONTROL_ISSUE_IOAPIC, 5, gsi, level, active_low, cnode,
	              index);
}

atoll_error_t irq_issue_msi(uint64_t control, uint64_t cnode, uint64_t index, uint64_t *address,
                            uint64_t *data)
{
	atoll_msg_t m = {.w = {cnode, index}};
	atoll_error_t err = atoll_invoke(control, ATOLL_IRQ_CONTROL_ISSUE_MSI, 2, &m);
	*address = m.w[0];
	*data = m.w[1];
	return err;
}

atoll_error_t irq_set_notification(uint64_t handler, uint64_t notification)
{
	return invoke(handler, ATOLL_IRQ_HANDLER_SET_NOTIFICATION, 1, notification, 0, 0, 0, 0);
}

atoll_error_t irq_ack(uint64_t handler)
{
	return invoke(handler, ATOLL_IRQ_HANDLER_ACK, 0, 0, 0, 0, 0, 0);
}

atoll_error_t ioport_issue(uint64_t control, unsigned first, unsigned last, uint64_t cnode,
                           uint64_t index)
{
	return invoke(control, ATOLL_IOPORT_CONTROL_ISSUE, 4, first, last, cnode, index, 0);
}

atoll_error_t ioport_open(uint64_t ioport, uint64_t vspace)
{
	return invoke(ioport, ATOLL_IOPORT_OPEN, 1, vspace, 0, 0, 0, 0);
}

/* The kernel copies to and from the caller's memory only where it is
 * mapped, and does not page it in: touch every page of the buffer first
 * (writing to it, for a read into it), as the program's own access would. */
static void touch(volatile uint8_t *buf, size_t len, bool write)
{
	for (uintptr_t page = (uintptr_t)buf & ~(uintptr_t)4095; page < (uintptr_t)buf + len;
	     page += 4096) {
		volatile uint8_t *b = page < (uintptr_t)buf ? buf : (volatile uint8_t *)page;
		if (write)
			*b = *b;
		else
			(void)*b;
	}
}

/* READ or WRITE between another address space and our buffer, in pieces
 * of ATOLL_VSPACE_IO_MAX. */
static atoll_error_t vspace_copy(uint64_t vspace, uint64_t label, uint64_t vaddr, uintptr_t buf,
                                 size_t len)
{
	touch((volatile uint8_t *)buf, len, label == ATOLL_VSPACE_READ);
	while (len) {
		size_t n = len < ATOLL_VSPACE_IO_MAX ? len : ATOLL_VSPACE_IO_MAX;
		atoll_msg_t m = {.w = {vaddr, n, buf}};
		atoll_error_t err = atoll_invoke(vspace, label, 3, &m);
		if (err)
			return err;
		buf += n;
		vaddr += n;
		len -= n;
	}
	return ATOLL_E_OK;
}

atoll_error_t vspace_read(uint64_t vspace, uint64_t vaddr, void *buf, size_t len)
{
	return vspace_copy(vspace, ATOLL_VSPACE_READ, vaddr, (uintptr_t)buf, len);
}

atoll_error_t vspace_write(uint64_t vspace, uint64_t vaddr, const void *buf, size_t len)
{
	return vspace_copy(vspace, ATOLL_VSPACE_WRITE, vaddr, (uintptr_t)buf, len);
}
