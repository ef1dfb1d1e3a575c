#ifndef OBJECT_OBJECTTYPE_H
#define OBJECT_OBJECTTYPE_H

#include <atoll/errors.h>
#include <object/structures.h>

/*
 * The one place that switches on capability type: what copying, deleting
 * and invoking a capability means for each kind of object.
 */

/* May this capability be copied or sent (untyped and IRQ control may not)? */
bool cap_can_copy(const cap_t *cap);
uint64_t cap_badge(const cap_t *cap);
/* Put a derived copy of src into the empty slot dst, with rights reduced to
 * rights and, for endpoints and notifications, the given badge when
 * set_badge. The copy is src's child in the derivation tree. */
void cap_copy(cte_t *src, cte_t *dst, unsigned rights, uint64_t badge, bool set_badge);
/* Install a new original capability for a freshly made object as a child of parent. */
void cap_install(cte_t *parent, cte_t *dst, cap_t cap);
/* Empty a slot, finalising the object if this was its last capability. */
void cte_delete(cte_t *slot);
/* Delete every capability derived from the one in slot. */
void cte_revoke(cte_t *slot);

/* A CALL on a kernel object capability: decode, check, then perform.
 * Arguments are the caller's message words; results are written back into
 * them and their count returned through out_len. */
atoll_error_t object_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                            unsigned *out_len);

#endif
