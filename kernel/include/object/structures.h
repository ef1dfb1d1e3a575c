#ifndef OBJECT_STRUCTURES_H
#define OBJECT_STRUCTURES_H

/*
 * The kernel objects that live in retyped untyped memory. Each object with
 * identity (everything but frames and page tables, which are plain memory)
 * counts the capabilities that name it; when the last one is deleted the
 * object is finalised: blocked threads are released with an error, and
 * every kernel reference to it is dropped. Page tables and frames are
 * instead tracked per capability, by the mapping each capability records.
 */
#include <arch/context.h>
#include <atoll/objects.h>
#include <object/cap.h>
#include <stdint.h>

struct tcb;

typedef struct thread_queue {
	struct tcb *head, *tail;
} thread_queue_t;

typedef enum endpoint_state {
	EP_IDLE,
	EP_SENDERS,   /* queue holds threads waiting to send */
	EP_RECEIVERS, /* queue holds threads waiting to receive */
} endpoint_state_t;

typedef struct endpoint {
	uint32_t refs;
	uint32_t state;
	thread_queue_t queue;
	uint64_t pad;
} endpoint_t;

typedef struct notification {
	uint32_t refs;
	uint32_t active; /* signalled since the last wait: even a badge of 0 counts */
	uint64_t word;   /* pending signal bits */
	thread_queue_t waiters;
	struct tcb *bound_tcb; /* its endpoint receives also wake on signals */
} notification_t;

typedef struct reply {
	uint32_t refs;
	uint32_t pad;
	struct tcb *caller;   /* the thread waiting for this reply, if any */
	struct tcb *receiver; /* the thread blocked receiving with this object */
	uint64_t pad2;
} reply_t;

typedef enum thread_state {
	THREAD_INACTIVE,
	THREAD_RUNNABLE,
	THREAD_BLOCKED_SEND,  /* on an endpoint, may be a call */
	THREAD_BLOCKED_RECV,  /* on an endpoint, or polling for a notification */
	THREAD_BLOCKED_REPLY, /* waiting in a reply object after a call or fault */
	THREAD_BLOCKED_NOTIFICATION,
} thread_state_t;

/* Slots the TCB keeps for itself, so their objects stay alive while it uses them. */
enum tcb_slot {
	TCB_SLOT_CSPACE,
	TCB_SLOT_VSPACE,
	TCB_SLOT_IPC_BUFFER,
	TCB_SLOT_FAULT_ENDPOINT,
	TCB_SLOT_COUNT
};

typedef struct tcb {
	user_context_t ctx;     /* first: the entry code saves registers here */
	uint64_t fast_syscalls; /* SYSCALL_FAST_COUNT, or 0 for a foreign-ABI thread */
	uint32_t refs;
	uint8_t state;
	uint8_t priority;
	uint8_t mcp;           /* maximum controlled priority */
	uint8_t pending_fault; /* the fault label being delivered, 0 if none */
	uint64_t ipc_buffer_vaddr;
	uint64_t fault_addr, fault_code; /* of the pending fault */

	/* Run queue or endpoint queue links (a thread is in at most one). */
	struct tcb *next, *prev;
	void *blocked_on; /* endpoint, notification or reply */

	/* A blocked sender's message, kept until a receiver comes. */
	uint64_t send_info;
	uint64_t send_badge;
	uint8_t send_is_call;
	uint8_t send_can_grant;
	uint8_t flags; /* ATOLL_TCB_FLAG_* */
	uint8_t pad;
	uint32_t timeslice_left;

	reply_t *reply; /* the reply object this thread waits in, or receives with */
	notification_t *bound_notification;

	cte_t slots[TCB_SLOT_COUNT];
} tcb_t;
_Static_assert(offsetof(tcb_t, ctx) == 0 && offsetof(tcb_t, fast_syscalls) == TCB_FAST_SYSCALLS,
               "entry.S offsets");

_Static_assert(sizeof(tcb_t) <= (1u << ATOLL_TCB_BITS), "TCB object too small");
_Static_assert(sizeof(endpoint_t) <= (1u << ATOLL_ENDPOINT_BITS), "endpoint too small");
_Static_assert(sizeof(notification_t) <= (1u << ATOLL_NOTIFICATION_BITS), "notification too small");
_Static_assert(sizeof(reply_t) <= (1u << ATOLL_REPLY_BITS), "reply too small");

/*
 * A VSpace: the PML4 page, then a page of bookkeeping, then the 8 KiB I/O
 * permission bitmap of the address space's threads.
 */
typedef struct vspace_meta {
	uint32_t refs;
	uint32_t asid;
	uint32_t io_ports_open; /* ranges open; 0: the bitmap is all closed */
	uint16_t io_lo, io_hi;  /* bytes [io_lo, io_hi) of the bitmap hold every open port */
	uint32_t generation;    /* tells this VSpace from earlier ones with its ASID */
	uint64_t cr3;           /* the PML4's physical address and PCID, ready for a switch */
	uint32_t tlb_stale;     /* with PCIDs: its TLB entries must go at the next switch */
} vspace_meta_t;

typedef struct vspace {
	uint64_t pml4[512];
	union {
		vspace_meta_t meta;
		uint8_t meta_page[4096];
	};
	uint8_t io_bitmap[8192];
} vspace_t;

_Static_assert(sizeof(vspace_t) == (1u << ATOLL_VSPACE_BITS), "VSpace layout");

/* CNode slot 0 is never a capability: it holds the CNode's own bookkeeping. */
typedef struct cnode_header {
	uint32_t refs;
	uint32_t radix;
	struct cnode_header *finalize_next;
} cnode_header_t;

_Static_assert(sizeof(cnode_header_t) <= sizeof(cte_t), "CNode header fits slot 0");

#endif
