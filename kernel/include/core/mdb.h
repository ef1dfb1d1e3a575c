#ifndef CORE_MDB_H
#define CORE_MDB_H

#include <object/cap.h>

/*
 * The derivation tree ("mapping database"). Pure list manipulation on slots;
 * it knows nothing of object types and is tested on the host.
 */
void mdb_make_root(cte_t *slot);
/* Insert child right after parent, one level deeper. */
void mdb_insert_child(cte_t *parent, cte_t *child);
/* Unlink a slot; its children move up one level (they stay derived from the
 * slot's own parent). */
void mdb_remove(cte_t *slot);
/* Unlink a slot whose whole subtree is being deleted: no depth fix-up. */
void mdb_remove_in_revoke(cte_t *slot);
/* dst takes src's place in the tree; src is left unlinked. */
void mdb_move(cte_t *src, cte_t *dst);
bool mdb_has_children(const cte_t *slot);

#endif
