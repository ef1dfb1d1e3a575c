#ifndef ATOLL_RT_THREAD_H
#define ATOLL_RT_THREAD_H

/*
 * Threads and processes made by a program that owns untyped memory.
 * A thread shares the caller's CSpace and VSpace; a process gets its own
 * CNode and VSpace, built from a static ELF image.
 */
#include <atoll/errors.h>
#include <stddef.h>
#include <stdint.h>

typedef struct thread {
	uint64_t tcb;
	uint64_t ipc_frame;
	uint64_t ipc_vaddr;
	uint64_t stack_top;
} thread_t;

/* A new thread in the caller's address space running fn(arg) at the given
 * priority, with a fresh stack and IPC buffer; started when start is set.
 * fault_ep 0: no fault handler. */
atoll_error_t thread_create(thread_t *t, void (*fn)(void *), void *arg, unsigned priority,
                            uint64_t fault_ep, int start);

typedef struct process {
	uint64_t cnode; /* slot (in the caller's CNode) of the process's root CNode */
	uint64_t vspace;
	uint64_t tcb;
	uint64_t ipc_frame;
	unsigned cnode_radix;
} process_t;

/* Well-known slots in a process's own CNode. */
enum process_slot {
	PROCESS_SLOT_CNODE = 1,  /* its CNode */
	PROCESS_SLOT_VSPACE = 2, /* its VSpace */
	PROCESS_SLOT_TCB = 3,    /* its thread */
	PROCESS_SLOT_FIRST_FREE = 4,
};

#define PROCESS_IPC_BUFFER_VADDR 0x7f0000001000ULL
#define PROCESS_STACK_TOP 0x7f0000100000ULL
#define PROCESS_STACK_PAGES 16

/* Load a static ELF into a new process (not started). Its thread gets
 * rdi = arg, the given priority and fault endpoint (a slot of the caller, 0
 * for none). Give it capabilities with cnode_copy into p->cnode. */
atoll_error_t process_create(process_t *p, const void *elf, size_t size, unsigned cnode_radix,
                             unsigned priority, uint64_t fault_ep, uint64_t arg);

#endif
