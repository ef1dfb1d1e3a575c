/*
 * Capability operations that depend on the object type, in one switch each:
 * copy rules, reference counting and finalisation, and invocation dispatch.
 */
#include <atoll/invocations.h>
#include <core/log.h>
#include <core/mdb.h>
#include <core/string.h>
#include <object/endpoint.h>
#include <object/notification.h>
#include <object/objects.h>
#include <object/objecttype.h>
#include <object/reply.h>

bool cap_can_copy(const cap_t *cap)
{
	switch (cap->type) {
	case ATOLL_OBJ_NULL:
	case ATOLL_OBJ_UNTYPED:     /* one capability per region keeps retype from overlapping */
	case ATOLL_OBJ_IRQ_CONTROL: /* authority over every interrupt stays unique */
	case ATOLL_OBJ_IOPORT_CONTROL:
	/* A page table lives in one place: a copy mapped elsewhere would carry the
	 * table's entries there. It moves, it is never copied. */
	case ATOLL_OBJ_PDPT:
	case ATOLL_OBJ_PD:
	case ATOLL_OBJ_PT:
		return false;
	default:
		return true;
	}
}

uint64_t cap_badge(const cap_t *cap)
{
	return cap->type == ATOLL_OBJ_ENDPOINT || cap->type == ATOLL_OBJ_NOTIFICATION ? cap->data :
	                                                                                0;
}

/* The reference count of objects that have identity, NULL for the rest. */
static uint32_t *object_refs(const cap_t *cap)
{
	switch (cap->type) {
	case ATOLL_OBJ_TCB:
		return &((tcb_t *)cap->obj)->refs;
	case ATOLL_OBJ_ENDPOINT:
		return &((endpoint_t *)cap->obj)->refs;
	case ATOLL_OBJ_NOTIFICATION:
		return &((notification_t *)cap->obj)->refs;
	case ATOLL_OBJ_REPLY:
		return &((reply_t *)cap->obj)->refs;
	case ATOLL_OBJ_CNODE:
		return &((cnode_header_t *)cap->obj)->refs;
	case ATOLL_OBJ_VSPACE:
		return &((vspace_t *)cap->obj)->meta.refs;
	case ATOLL_OBJ_IRQ_HANDLER:
		return irq_handler_refs(cap);
	default:
		return NULL;
	}
}

static void cap_retain(const cap_t *cap)
{
	uint32_t *refs = object_refs(cap);
	if (refs)
		(*refs)++;
}

void cap_install(cte_t *parent, cte_t *dst, cap_t cap)
{
	dst->cap = cap;
	if (parent)
		mdb_insert_child(parent, dst);
	else
		mdb_make_root(dst);
	cap_retain(&dst->cap);
}

void cap_copy(cte_t *src, cte_t *dst, unsigned rights, uint64_t badge, bool set_badge)
{
	cap_t c = src->cap;
	c.rights &= rights;
	if (set_badge && (c.type == ATOLL_OBJ_ENDPOINT || c.type == ATOLL_OBJ_NOTIFICATION))
		c.data = badge;
	/* A copy of a frame starts unmapped, of a port range closed. */
	if (c.type == ATOLL_OBJ_FRAME || c.type == ATOLL_OBJ_LARGE_FRAME) {
		c.data = c.data2 = 0;
		c.map_rights = 0;
	} else if (c.type == ATOLL_OBJ_IOPORT) {
		c.data2 = 0;
	}
	cap_install(src, dst, c);
}

/*
 * CNodes whose last capability went away are finalised from a list, not by
 * recursion, so a chain of CNodes cannot overflow the kernel stack.
 */
static cnode_header_t *cnodes_to_finalize;
static bool finalizing;

static void cap_release(cap_t *cap)
{
	switch (cap->type) {
	case ATOLL_OBJ_FRAME:
	case ATOLL_OBJ_LARGE_FRAME:
		frame_unmap_cap(cap);
		return;
	case ATOLL_OBJ_PDPT:
	case ATOLL_OBJ_PD:
	case ATOLL_OBJ_PT:
		page_table_unmap_cap(cap);
		return;
	case ATOLL_OBJ_IOPORT:
		ioport_close_cap(cap);
		return;
	default:
		break;
	}
	uint32_t *refs = object_refs(cap);
	if (!refs)
		return;
	KASSERT(*refs > 0);
	if (--*refs)
		return;
	switch (cap->type) {
	case ATOLL_OBJ_TCB:
		tcb_finalize((tcb_t *)cap->obj);
		break;
	case ATOLL_OBJ_ENDPOINT:
		endpoint_finalize((endpoint_t *)cap->obj);
		break;
	case ATOLL_OBJ_NOTIFICATION:
		notification_finalize((notification_t *)cap->obj);
		break;
	case ATOLL_OBJ_REPLY:
		reply_finalize((reply_t *)cap->obj);
		break;
	case ATOLL_OBJ_VSPACE:
		vspace_finalize((vspace_t *)cap->obj);
		break;
	case ATOLL_OBJ_IRQ_HANDLER:
		irq_handler_finalize(cap);
		break;
	case ATOLL_OBJ_CNODE: {
		cnode_header_t *h = (cnode_header_t *)cap->obj;
		h->finalize_next = cnodes_to_finalize;
		cnodes_to_finalize = h;
		break;
	}
	default:
		break;
	}
}

static void delete_one(cte_t *slot, bool in_revoke)
{
	if (cap_is_null(&slot->cap))
		return;
	cap_t cap = slot->cap;
	if (in_revoke)
		mdb_remove_in_revoke(slot);
	else
		mdb_remove(slot);
	memset(&slot->cap, 0, sizeof(slot->cap));
	cap_release(&cap);
}

static void drain_finalize_list(void)
{
	if (finalizing)
		return;
	finalizing = true;
	while (cnodes_to_finalize) {
		cnode_header_t *h = cnodes_to_finalize;
		cnodes_to_finalize = h->finalize_next;
		cnode_finalize(h);
	}
	finalizing = false;
}

void cte_delete(cte_t *slot)
{
	delete_one(slot, false);
	drain_finalize_list();
}

void cte_revoke(cte_t *slot)
{
	/* Finalising a CNode may empty the slot being revoked itself. */
	while (!cap_is_null(&slot->cap) && mdb_has_children(slot)) {
		delete_one(slot->next, true);
		drain_finalize_list();
	}
}

atoll_error_t object_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                            unsigned *out_len)
{
	*out_len = 0;
	switch (slot->cap.type) {
	case ATOLL_OBJ_UNTYPED:
		return untyped_invoke(caller, slot, label, length);
	case ATOLL_OBJ_CNODE:
		return cnode_invoke(caller, slot, label, length);
	case ATOLL_OBJ_TCB:
		return tcb_invoke(caller, slot, label, length, out_len);
	case ATOLL_OBJ_PDPT:
	case ATOLL_OBJ_PD:
	case ATOLL_OBJ_PT:
		return page_table_invoke(caller, slot, label, length);
	case ATOLL_OBJ_FRAME:
	case ATOLL_OBJ_LARGE_FRAME:
		return frame_invoke(caller, slot, label, length, out_len);
	case ATOLL_OBJ_IRQ_CONTROL:
		return irq_control_invoke(caller, slot, label, length, out_len);
	case ATOLL_OBJ_IRQ_HANDLER:
		return irq_handler_invoke(caller, slot, label, length);
	case ATOLL_OBJ_IOPORT_CONTROL:
		return ioport_control_invoke(caller, slot, label, length);
	case ATOLL_OBJ_IOPORT:
		return ioport_invoke(caller, slot, label, length);
	case ATOLL_OBJ_VSPACE:
		return vspace_invoke(caller, slot, label, length, out_len);
	default:
		return ATOLL_E_ILLEGAL_OP; /* endpoints, notifications, replies */
	}
}
