/*
 * Untyped memory: the only source of kernel objects. Retype carves objects
 * at increasing, naturally aligned addresses above the watermark; when the
 * untyped has no children left (all revoked), the watermark returns to 0.
 */
#include <arch/paging.h>
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/mdb.h>
#include <core/message.h>
#include <core/string.h>
#include <object/objects.h>
#include <object/objecttype.h>
#include <object/untyped.h>

#define RETYPE_MAX_COUNT 4096

atoll_error_t object_size_bits(unsigned type, unsigned size_bits, unsigned *bits_out)
{
	unsigned bits;
	switch (type) {
	case ATOLL_OBJ_UNTYPED:
		if (size_bits < ATOLL_UNTYPED_MIN_BITS || size_bits > ATOLL_UNTYPED_MAX_BITS)
			return ATOLL_E_RANGE;
		bits = size_bits;
		break;
	case ATOLL_OBJ_CNODE:
		if (size_bits < 1 || size_bits > ATOLL_CNODE_MAX_RADIX)
			return ATOLL_E_RANGE;
		bits = size_bits + ATOLL_SLOT_BITS;
		break;
	case ATOLL_OBJ_TCB:
		bits = ATOLL_TCB_BITS;
		break;
	case ATOLL_OBJ_ENDPOINT:
		bits = ATOLL_ENDPOINT_BITS;
		break;
	case ATOLL_OBJ_NOTIFICATION:
		bits = ATOLL_NOTIFICATION_BITS;
		break;
	case ATOLL_OBJ_REPLY:
		bits = ATOLL_REPLY_BITS;
		break;
	case ATOLL_OBJ_VSPACE:
		bits = ATOLL_VSPACE_BITS;
		break;
	case ATOLL_OBJ_PDPT:
	case ATOLL_OBJ_PD:
	case ATOLL_OBJ_PT:
		bits = ATOLL_PAGE_TABLE_BITS;
		break;
	case ATOLL_OBJ_FRAME:
		bits = ATOLL_FRAME_BITS;
		break;
	case ATOLL_OBJ_LARGE_FRAME:
		bits = ATOLL_LARGE_FRAME_BITS;
		break;
	default:
		return ATOLL_E_INVALID_ARG; /* IRQ and I/O port capabilities are issued, not made */
	}
	*bits_out = bits;
	return ATOLL_E_OK;
}

static bool type_allowed_on_device(unsigned type)
{
	return type == ATOLL_OBJ_FRAME || type == ATOLL_OBJ_LARGE_FRAME ||
	       type == ATOLL_OBJ_UNTYPED;
}

/* Objects that are named by physical address rather than kernel pointer. */
static bool named_by_paddr(unsigned type)
{
	switch (type) {
	case ATOLL_OBJ_UNTYPED:
	case ATOLL_OBJ_PDPT:
	case ATOLL_OBJ_PD:
	case ATOLL_OBJ_PT:
	case ATOLL_OBJ_FRAME:
	case ATOLL_OBJ_LARGE_FRAME:
		return true;
	default:
		return false;
	}
}

static cap_t make_object(unsigned type, unsigned size_bits, uint64_t paddr, bool device)
{
	cap_t cap = {.type = type, .rights = ATOLL_RIGHTS_ALL, .obj = paddr};
	void *obj = device ? NULL : phys_to_virt(paddr);
	unsigned bits;
	object_size_bits(type, size_bits, &bits);
	if (obj && type != ATOLL_OBJ_UNTYPED) /* untyped is zeroed when it becomes objects */
		memset(obj, 0, 1ULL << bits);
	if (!named_by_paddr(type))
		cap.obj = (uint64_t)obj;
	switch (type) {
	case ATOLL_OBJ_UNTYPED:
		cap.size_bits = size_bits;
		cap.flags = device ? CAP_DEVICE : 0;
		break;
	case ATOLL_OBJ_CNODE:
		cap.size_bits = size_bits;
		cnode_init(obj, size_bits);
		break;
	case ATOLL_OBJ_TCB:
		tcb_init(obj);
		break;
	case ATOLL_OBJ_VSPACE:
		vspace_init(obj);
		break;
	case ATOLL_OBJ_FRAME:
	case ATOLL_OBJ_LARGE_FRAME:
		cap.size_bits = bits;
		cap.flags = device ? CAP_DEVICE : 0;
		break;
	default:
		break;
	}
	return cap;
}

atoll_error_t untyped_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length)
{
	if (label != ATOLL_UNTYPED_RETYPE)
		return ATOLL_E_ILLEGAL_OP;
	if (length < 5)
		return ATOLL_E_INVALID_ARG;
	uint64_t type = msg_get(caller, 0);
	uint64_t size_bits = msg_get(caller, 1);
	uint64_t count = msg_get(caller, 4);
	unsigned bits;
	cap_t *ut = &slot->cap;
	bool device = ut->flags & CAP_DEVICE;

	if (size_bits > 64)
		return ATOLL_E_RANGE;
	if (type >= ATOLL_OBJ_COUNT)
		return ATOLL_E_INVALID_ARG;
	atoll_error_t err = object_size_bits(type, size_bits, &bits);
	if (err)
		return err;
	if (device && !type_allowed_on_device(type))
		return ATOLL_E_INVALID_ARG;
	if (count == 0 || count > RETYPE_MAX_COUNT)
		return ATOLL_E_RANGE;
	if (type == ATOLL_OBJ_VSPACE && !vspace_asids_available(count))
		return ATOLL_E_NO_MEMORY;

	cte_t *dest_cnode;
	err = cspace_lookup_cap(caller, msg_get(caller, 2), ATOLL_OBJ_CNODE, ATOLL_RIGHT_WRITE,
	                        &dest_cnode);
	if (err)
		return err;
	uint64_t first = msg_get(caller, 3);
	for (uint64_t i = 0; i < count; i++) {
		cte_t *d = cnode_slot(&dest_cnode->cap, first + i);
		if (!d)
			return ATOLL_E_RANGE;
		if (!cap_is_null(&d->cap))
			return ATOLL_E_SLOT_OCCUPIED;
	}

	/* With no children left, the whole untyped is free again. */
	uint64_t watermark = mdb_has_children(slot) ? ut->data : 0;
	uint64_t start;
	if (!untyped_carve(watermark, ut->size_bits, bits, count, &start))
		return ATOLL_E_NO_MEMORY;

	/* Everything is checked: from here on nothing fails. */
	for (uint64_t i = 0; i < count; i++) {
		cap_t cap = make_object(type, size_bits, ut->obj + start + (i << bits), device);
		cap_install(slot, cnode_slot(&dest_cnode->cap, first + i), cap);
	}
	ut->data = start + (count << bits);
	return ATOLL_E_OK;
}
