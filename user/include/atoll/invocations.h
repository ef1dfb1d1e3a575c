#ifndef ATOLL_INVOCATIONS_H
#define ATOLL_INVOCATIONS_H

/*
 * Invocation labels: the label of a CALL on a capability to a kernel object.
 * Arguments are message words w0, w1, ...; results come back in the same
 * words, the error in rax. "slot" arguments are cptrs in the caller's CSpace
 * unless they say "index", which is a slot number inside a named CNode.
 */
enum atoll_invocation {
	ATOLL_INV_NONE = 0,

	/* Untyped: w0 type, w1 size_bits, w2 dest CNode slot, w3 dest index,
	 * w4 count. Objects are carved at increasing aligned addresses. */
	ATOLL_UNTYPED_RETYPE,

	/* CNode (the invoked CNode holds the destination or target index):
	 * COPY  w0 dest index, w1 src CNode slot, w2 src index, w3 rights mask
	 * MINT  w0 dest index, w1 src CNode slot, w2 src index, w3 rights, w4 badge
	 * MOVE  w0 dest index, w1 src CNode slot, w2 src index
	 * DELETE w0 index     REVOKE w0 index (deletes every derived capability) */
	ATOLL_CNODE_COPY,
	ATOLL_CNODE_MINT,
	ATOLL_CNODE_MOVE,
	ATOLL_CNODE_DELETE,
	ATOLL_CNODE_REVOKE,

	/* TCB:
	 * CONFIGURE w0 fault endpoint slot (0 = none), w1 CSpace root CNode slot,
	 *   w2 VSpace slot, w3 IPC buffer address, w4 IPC buffer frame slot
	 * SET_PRIORITY w0 authority TCB slot, w1 priority
	 * SET_MCP w0 authority TCB slot, w1 maximum controlled priority
	 * READ_REGISTERS -> words in atoll_register order
	 * WRITE_REGISTERS w0 resume (0/1), w1.. registers in atoll_register order
	 *   (the message length says how many)
	 * RESUME, SUSPEND, BIND_NOTIFICATION w0 notification slot, UNBIND
	 * SET_FAULT_ENDPOINT w0 endpoint slot (0 = none)
	 * READ_FPU -> the thread's x87/SSE state, the 512-byte fxsave layout, in
	 *   ATOLL_TCB_FPU_WORDS words
	 * WRITE_FPU w0.. that state (ATOLL_TCB_FPU_WORDS words); MXCSR bits the
	 *   CPU does not have are dropped, its MXCSR_MASK field is kept */
	ATOLL_TCB_CONFIGURE,
	ATOLL_TCB_SET_PRIORITY,
	ATOLL_TCB_SET_MCP,
	ATOLL_TCB_READ_REGISTERS,
	ATOLL_TCB_WRITE_REGISTERS,
	ATOLL_TCB_RESUME,
	ATOLL_TCB_SUSPEND,
	ATOLL_TCB_BIND_NOTIFICATION,
	ATOLL_TCB_UNBIND_NOTIFICATION,
	ATOLL_TCB_SET_FAULT_ENDPOINT,
	/* w0 flags (ATOLL_TCB_FLAG_*) */
	ATOLL_TCB_SET_FLAGS,
	ATOLL_TCB_READ_FPU,
	ATOLL_TCB_WRITE_FPU,

	/* Paging: PDPT/PD/PT_MAP w0 VSpace slot, w1 virtual address.
	 * FRAME_MAP w0 VSpace slot, w1 virtual address, w2 ATOLL_MAP_* attributes.
	 * *_UNMAP no arguments. FRAME_GET_ADDRESS -> w0 physical address. */
	ATOLL_PAGE_TABLE_MAP,
	ATOLL_PAGE_TABLE_UNMAP,
	ATOLL_FRAME_MAP,
	ATOLL_FRAME_UNMAP,
	ATOLL_FRAME_GET_ADDRESS,

	/* IRQ control: ISSUE_IOAPIC w0 global system interrupt, w1 level (0 edge,
	 * 1 level), w2 polarity (0 high, 1 low), w3 dest CNode slot, w4 dest index.
	 * ISSUE_MSI w0 dest CNode slot, w1 dest index -> w0 MSI address, w1 data.
	 * IRQ handler: SET_NOTIFICATION w0 notification slot (0 = clear), ACK. */
	ATOLL_IRQ_CONTROL_ISSUE_IOAPIC,
	ATOLL_IRQ_CONTROL_ISSUE_MSI,
	ATOLL_IRQ_HANDLER_SET_NOTIFICATION,
	ATOLL_IRQ_HANDLER_ACK,

	/* I/O ports: CONTROL_ISSUE w0 first port, w1 last port, w2 dest CNode slot,
	 * w3 dest index. IOPORT_OPEN w0 VSpace slot: the range becomes usable with
	 * in/out by every thread of that address space while the capability lives. */
	ATOLL_IOPORT_CONTROL_ISSUE,
	ATOLL_IOPORT_OPEN,

	/* VSpace: READ w0 address, w1 length (<= ATOLL_VSPACE_IO_MAX), w2 the
	 * address of a buffer in the caller's own address space: the bytes go
	 * there; WRITE the same, the bytes come from the buffer. The memory
	 * must be mapped and user-accessible (and writable, for WRITE) or the
	 * call fails with BAD_ADDRESS and changes nothing; a buffer that is not
	 * (writable, for READ) is INVALID_ARG. Needs the READ or WRITE right on
	 * the VSpace capability: how a server reaches the memory of a process
	 * it serves. */
	ATOLL_VSPACE_READ,
	ATOLL_VSPACE_WRITE,

	ATOLL_INV_COUNT
};

/* A thread of a foreign ABI (a Linux program): every system-call number,
 * Atoll's own included, is an unknown system call for its fault handler. */
#define ATOLL_TCB_FLAG_FOREIGN_SYSCALLS 0x1

#define ATOLL_VSPACE_IO_MAX (64 * 1024)

/* Words of TCB_READ_FPU and TCB_WRITE_FPU: the 512-byte fxsave area. */
#define ATOLL_TCB_FPU_WORDS 64

/* Labels of fault messages sent to a thread's fault endpoint. */
enum atoll_fault {
	ATOLL_FAULT_UNKNOWN_SYSCALL = 1, /* words: all registers, atoll_register order */
	ATOLL_FAULT_PAGE, /* w0 address, w1 error code (bit 0 present, 1 write, 4 fetch), w2 rip, w3 rsp */
	ATOLL_FAULT_EXCEPTION, /* w0 vector, w1 error code, w2 rip, w3 rsp, w4 rflags */
};

/*
 * Replying to a fault resumes the thread. The reply's words, if any, first
 * overwrite registers 0..n-1 in atoll_register order: replying with one word
 * to an unknown system call sets rax and the thread continues after its
 * `syscall` instruction. A reply label of ATOLL_FAULT_REPLY_STOP leaves the
 * thread suspended instead.
 */
#define ATOLL_FAULT_REPLY_STOP 1

#endif
