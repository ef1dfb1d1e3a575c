/*
 * CNodes: arrays of capability slots. Slot 0 holds the CNode's header
 * (reference count, radix), so index 0 never names a capability.
 */
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/mdb.h>
#include <core/message.h>
#include <object/objects.h>
#include <object/objecttype.h>

void cnode_init(cte_t *slots, unsigned radix)
{
	cnode_header_t *h = (cnode_header_t *)&slots[0];
	h->radix = radix;
}

void cnode_finalize(cnode_header_t *h)
{
	cte_t *slots = (cte_t *)h;
	for (uint64_t i = 1; i < (1ULL << h->radix); i++)
		cte_delete(&slots[i]);
}

/* Decode the source slot of copy, mint and move: w1 CNode cptr, w2 index.
 * A move changes the source CNode, so it needs WRITE there too. */
static atoll_error_t decode_source(tcb_t *caller, unsigned rights, cte_t **src)
{
	atoll_error_t err =
		cspace_lookup_in_cnode(caller, msg_get(caller, 1), msg_get(caller, 2), rights, src);
	if (err)
		return err;
	return cap_is_null(&(*src)->cap) ? ATOLL_E_INVALID_CAP : ATOLL_E_OK;
}

atoll_error_t cnode_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length)
{
	static const unsigned args_needed[] = {
		[ATOLL_CNODE_COPY] = 4,   [ATOLL_CNODE_MINT] = 5,   [ATOLL_CNODE_MOVE] = 3,
		[ATOLL_CNODE_DELETE] = 1, [ATOLL_CNODE_REVOKE] = 1,
	};
	if (label < ATOLL_CNODE_COPY || label > ATOLL_CNODE_REVOKE)
		return ATOLL_E_ILLEGAL_OP;
	if (length < args_needed[label])
		return ATOLL_E_INVALID_ARG;
	if (!(slot->cap.rights & ATOLL_RIGHT_WRITE))
		return ATOLL_E_NO_RIGHTS;
	cte_t *target = cnode_slot(&slot->cap, msg_get(caller, 0));
	if (!target)
		return ATOLL_E_RANGE;

	switch (label) {
	case ATOLL_CNODE_DELETE:
		cte_delete(target);
		return ATOLL_E_OK;
	case ATOLL_CNODE_REVOKE:
		cte_revoke(target);
		return ATOLL_E_OK;
	default:
		break;
	}

	cte_t *src;
	atoll_error_t err =
		decode_source(caller, label == ATOLL_CNODE_MOVE ? ATOLL_RIGHT_WRITE : 0, &src);
	if (err)
		return err;
	if (!cap_is_null(&target->cap))
		return ATOLL_E_SLOT_OCCUPIED;
	if (label == ATOLL_CNODE_MOVE) {
		target->cap = src->cap;
		mdb_move(src, target);
		src->cap = (cap_t){0};
		return ATOLL_E_OK;
	}
	if (!cap_can_copy(&src->cap))
		return ATOLL_E_ILLEGAL_OP;
	unsigned rights = msg_get(caller, 3) & ATOLL_RIGHTS_ALL;
	if (label == ATOLL_CNODE_MINT) {
		uint64_t badge = msg_get(caller, 4);
		/* A badge names a client: a badged capability cannot become another. */
		if (cap_badge(&src->cap))
			return ATOLL_E_ILLEGAL_OP;
		cap_copy(src, target, rights, badge, true);
	} else {
		cap_copy(src, target, rights, 0, false);
	}
	return ATOLL_E_OK;
}
