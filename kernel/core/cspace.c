#include <core/cspace.h>
#include <stddef.h>

cte_t *cnode_slot(const cap_t *cnode_cap, uint64_t index)
{
	if (index == 0 || index >= (1ULL << cnode_cap->size_bits))
		return NULL;
	return (cte_t *)cnode_cap->obj + index;
}

atoll_error_t cspace_lookup_slot(tcb_t *t, uint64_t cptr, cte_t **out)
{
	const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
	if (root->type != ATOLL_OBJ_CNODE)
		return ATOLL_E_INVALID_CAP;
	cte_t *slot = cnode_slot(root, cptr);
	if (!slot)
		return ATOLL_E_INVALID_CAP;
	*out = slot;
	return ATOLL_E_OK;
}

atoll_error_t cspace_lookup_cap(tcb_t *t, uint64_t cptr, unsigned type, unsigned rights,
                                cte_t **out)
{
	cte_t *slot;
	atoll_error_t err = cspace_lookup_slot(t, cptr, &slot);
	if (err)
		return err;
	if (cap_is_null(&slot->cap))
		return ATOLL_E_INVALID_CAP;
	if (type != ATOLL_OBJ_NULL && slot->cap.type != type)
		return ATOLL_E_WRONG_TYPE;
	if ((slot->cap.rights & rights) != rights)
		return ATOLL_E_NO_RIGHTS;
	*out = slot;
	return ATOLL_E_OK;
}

atoll_error_t cspace_lookup_in_cnode(tcb_t *t, uint64_t cnode_cptr, uint64_t index, unsigned rights,
                                     cte_t **out)
{
	cte_t *cnode;
	atoll_error_t err = cspace_lookup_cap(t, cnode_cptr, ATOLL_OBJ_CNODE, rights, &cnode);
	if (err)
		return err;
	cte_t *slot = cnode_slot(&cnode->cap, index);
	if (!slot)
		return ATOLL_E_RANGE;
	*out = slot;
	return ATOLL_E_OK;
}
