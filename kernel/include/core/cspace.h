#ifndef CORE_CSPACE_H
#define CORE_CSPACE_H

#include <atoll/errors.h>
#include <object/structures.h>

/*
 * Capability addressing. A thread's CSpace is one CNode of 2^radix slots; a
 * capability pointer (cptr) is a slot index in it. Slot 0 of every CNode is
 * never a capability, so cptr 0 always means "none".
 */

/* The slot at index in the CNode named by cnode_cap, or NULL if out of range. */
cte_t *cnode_slot(const cap_t *cnode_cap, uint64_t index);

/* Find the slot cptr names in t's CSpace. The slot may be empty. */
atoll_error_t cspace_lookup_slot(tcb_t *t, uint64_t cptr, cte_t **out);

/*
 * Find a capability of the given type (ATOLL_OBJ_NULL: any type) holding at
 * least the given rights. One call checks slot, type and rights together so
 * that no caller holds an object it may not use.
 */
atoll_error_t cspace_lookup_cap(tcb_t *t, uint64_t cptr, unsigned type, unsigned rights,
                                cte_t **out);

/* A slot inside a CNode named in t's CSpace (index >= 1), through a CNode
 * capability with at least the given rights (WRITE to change the slot). */
atoll_error_t cspace_lookup_in_cnode(tcb_t *t, uint64_t cnode_cptr, uint64_t index, unsigned rights,
                                     cte_t **out);

#endif
