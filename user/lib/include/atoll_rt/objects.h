#ifndef ATOLL_RT_OBJECTS_H
#define ATOLL_RT_OBJECTS_H

/* Named wrappers for the kernel object invocations (atoll/invocations.h). */
#include <atoll/invocations.h>
#include <atoll/objects.h>
#include <atoll_rt/syscall.h>
#include <stddef.h>

atoll_error_t untyped_retype(uint64_t untyped, unsigned type, unsigned size_bits, uint64_t cnode,
                             uint64_t index, uint64_t count);
atoll_error_t cnode_copy(uint64_t cnode, uint64_t dest, uint64_t src_cnode, uint64_t src,
                         unsigned rights);
atoll_error_t cnode_mint(uint64_t cnode, uint64_t dest, uint64_t src_cnode, uint64_t src,
                         unsigned rights, uint64_t badge);
atoll_error_t cnode_move(uint64_t cnode, uint64_t dest, uint64_t src_cnode, uint64_t src);
atoll_error_t cnode_delete(uint64_t cnode, uint64_t index);
atoll_error_t cnode_revoke(uint64_t cnode, uint64_t index);
atoll_error_t tcb_configure(uint64_t tcb, uint64_t fault_ep, uint64_t cspace, uint64_t vspace,
                            uint64_t ipc_buffer, uint64_t ipc_frame);
atoll_error_t tcb_set_priority(uint64_t tcb, uint64_t authority, unsigned priority);
atoll_error_t tcb_set_mcp(uint64_t tcb, uint64_t authority, unsigned mcp);
/* Sets registers 0..n-1 (atoll_register order) and optionally resumes. */
atoll_error_t tcb_write_registers(uint64_t tcb, int resume, const uint64_t *regs, unsigned n);
atoll_error_t tcb_read_registers(uint64_t tcb, uint64_t *regs, unsigned *n);
/* A thread's x87/SSE state in the fxsave layout (ATOLL_TCB_FPU_WORDS words;
 * needs an IPC buffer). */
atoll_error_t tcb_read_fpu(uint64_t tcb, uint64_t fpu[ATOLL_TCB_FPU_WORDS]);
atoll_error_t tcb_write_fpu(uint64_t tcb, const uint64_t fpu[ATOLL_TCB_FPU_WORDS]);
atoll_error_t tcb_resume(uint64_t tcb);
atoll_error_t tcb_suspend(uint64_t tcb);
atoll_error_t tcb_bind_notification(uint64_t tcb, uint64_t notification);
atoll_error_t tcb_unbind_notification(uint64_t tcb);
atoll_error_t tcb_set_fault_endpoint(uint64_t tcb, uint64_t endpoint);
atoll_error_t tcb_set_flags(uint64_t tcb, uint64_t flags);
atoll_error_t page_table_map(uint64_t table, uint64_t vspace, uint64_t vaddr);
atoll_error_t page_table_unmap(uint64_t table);
atoll_error_t frame_map(uint64_t frame, uint64_t vspace, uint64_t vaddr, unsigned attrs);
atoll_error_t frame_unmap(uint64_t frame);
atoll_error_t frame_get_address(uint64_t frame, uint64_t *paddr);
atoll_error_t irq_issue_ioapic(uint64_t control, unsigned gsi, int level, int active_low,
                               uint64_t cnode, uint64_t index);
atoll_error_t irq_issue_msi(uint64_t control, uint64_t cnode, uint64_t index, uint64_t *address,
                            uint64_t *data);
atoll_error_t irq_set_notification(uint64_t handler, uint64_t notification);
atoll_error_t irq_ack(uint64_t handler);
atoll_error_t ioport_issue(uint64_t control, unsigned first, unsigned last, uint64_t cnode,
                           uint64_t index);
atoll_error_t ioport_open(uint64_t ioport, uint64_t vspace);
/* Copy to or from another address space's memory (at most ATOLL_VSPACE_IO_MAX
 * bytes a call; longer copies are split). */
atoll_error_t vspace_read(uint64_t vspace, uint64_t vaddr, void *buf, size_t len);
atoll_error_t vspace_write(uint64_t vspace, uint64_t vaddr, const void *buf, size_t len);

static inline void atoll_outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" ::"a"(v), "Nd"(port));
}
static inline void atoll_outl(uint16_t port, uint32_t v)
{
	__asm__ volatile("outl %0, %1" ::"a"(v), "Nd"(port));
}
static inline uint8_t atoll_inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

#endif
