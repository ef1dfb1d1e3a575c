/*
 * Kernel self-check, run on request (ATOLL_SYS_DEBUG_CHECK) by tests such as
 * the fuzzer: walks the run queues, the ASID table, and every capability
 * reachable from the caller's CSpace (two CNode levels deep), checking the
 * invariants the rest of the kernel relies on. Read-only.
 */
#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/invariants.h>
#include <core/log.h>
#include <core/sched.h>
#include <object/vspace.h>

static unsigned failures;

static void fail(const char *what, const void *where)
{
	if (failures++ < 16)
		kprintf("invariant broken: %s (%p)\n", what, where);
}

static void check_queue(const thread_queue_t *q, const void *owner, unsigned state1,
                        unsigned state2)
{
	const tcb_t *prev = NULL;
	unsigned n = 0;
	for (const tcb_t *t = q->head; t; prev = t, t = t->next) {
		if (t->prev != prev)
			fail("queue back link", t);
		if (t->state != state1 && t->state != state2)
			fail("queued thread in the wrong state", t);
		if (owner && t->blocked_on != owner)
			fail("queued thread blocked elsewhere", t);
		if (++n > 1000000) {
			fail("queue cycle", q);
			return;
		}
	}
	if (q->tail != prev)
		fail("queue tail", q);
}

static void check_object(const cap_t *cap)
{
	switch (cap->type) {
	case ATOLL_OBJ_ENDPOINT: {
		const endpoint_t *ep = (const endpoint_t *)cap->obj;
		if (!ep->refs)
			fail("endpoint with a capability but no references", ep);
		if ((ep->state == EP_IDLE) != (ep->queue.head == NULL))
			fail("endpoint state disagrees with its queue", ep);
		if (ep->state == EP_SENDERS)
			check_queue(&ep->queue, ep, THREAD_BLOCKED_SEND, THREAD_BLOCKED_SEND);
		if (ep->state == EP_RECEIVERS)
			check_queue(&ep->queue, ep, THREAD_BLOCKED_RECV, THREAD_BLOCKED_RECV);
		break;
	}
	case ATOLL_OBJ_NOTIFICATION: {
		const notification_t *n = (const notification_t *)cap->obj;
		check_queue(&n->waiters, n, THREAD_BLOCKED_NOTIFICATION,
		            THREAD_BLOCKED_NOTIFICATION);
		if (n->bound_tcb && n->bound_tcb->bound_notification != n)
			fail("notification binding one-sided", n);
		break;
	}
	case ATOLL_OBJ_REPLY: {
		const reply_t *r = (const reply_t *)cap->obj;
		if (r->caller &&
		    (r->caller->state != THREAD_BLOCKED_REPLY || r->caller->blocked_on != r))
			fail("reply caller not waiting in it", r);
		if (r->receiver && r->receiver->reply != r)
			fail("reply receiver disagrees", r);
		break;
	}
	case ATOLL_OBJ_TCB: {
		const tcb_t *t = (const tcb_t *)cap->obj;
		if (!t->refs)
			fail("TCB without references", t);
		if (t->state > THREAD_BLOCKED_NOTIFICATION)
			fail("TCB state out of range", t);
		if (t->state >= THREAD_BLOCKED_SEND && !t->blocked_on)
			fail("blocked thread blocked on nothing", t);
		if (t->fast_syscalls !=
		    (t->flags & ATOLL_TCB_FLAG_FOREIGN_SYSCALLS ? 0 : SYSCALL_FAST_COUNT))
			fail("TCB fast-path count disagrees with its flags", t);
		break;
	}
	case ATOLL_OBJ_VSPACE: {
		const vspace_t *vs = (const vspace_t *)cap->obj;
		if (vspace_of_asid(vs->meta.asid) != vs)
			fail("VSpace ASID does not map back", vs);
		break;
	}
	default:
		break;
	}
}

static void check_slot(const cte_t *slot)
{
	if (slot->next && slot->next->prev != slot)
		fail("derivation list forward link", slot);
	if (slot->prev && slot->prev->next != slot)
		fail("derivation list back link", slot);
	if (slot->next && slot->next->depth > slot->depth + 1)
		fail("derivation depth jumps", slot);
	if (!cap_is_null(&slot->cap) && slot->cap.type >= ATOLL_OBJ_COUNT)
		fail("capability type out of range", slot);
	if (cap_is_null(&slot->cap) && (slot->next || slot->prev))
		fail("empty slot in the derivation tree", slot);
	check_object(&slot->cap);
}

/* Slots one check visits at most: it runs with interrupts off. */
#define CHECK_SLOT_BUDGET (1u << 20)
static unsigned slots_left;

static void check_cnode(const cap_t *cnode, int levels)
{
	for (uint64_t i = 1; i < (1ULL << cnode->size_bits) && slots_left; i++, slots_left--) {
		const cte_t *slot = cnode_slot(cnode, i);
		check_slot(slot);
		if (levels > 1 && slot->cap.type == ATOLL_OBJ_CNODE && slot->cap.obj != cnode->obj)
			check_cnode(&slot->cap, levels - 1);
	}
}

unsigned invariants_check(tcb_t *caller)
{
	failures = 0;
	slots_left = CHECK_SLOT_BUDGET;
	sched_check_queues(check_queue);
	cpu_t *cpu = this_cpu();
	if (cpu->current && cpu->current->state != THREAD_RUNNABLE)
		fail("current thread not runnable", cpu->current);
	const char *io = thread_io_bitmap_check();
	if (io)
		fail(io, cpu);
	const cap_t *root = &caller->slots[TCB_SLOT_CSPACE].cap;
	if (root->type == ATOLL_OBJ_CNODE)
		check_cnode(root, 2);
	return failures;
}
