#include <core/mdb.h>
#include <stddef.h>

void mdb_make_root(cte_t *slot)
{
	slot->prev = slot->next = NULL;
	slot->depth = 0;
}

void mdb_insert_child(cte_t *parent, cte_t *child)
{
	child->depth = parent->depth + 1;
	child->prev = parent;
	child->next = parent->next;
	if (parent->next)
		parent->next->prev = child;
	parent->next = child;
}

static void unlink(cte_t *slot)
{
	if (slot->prev)
		slot->prev->next = slot->next;
	if (slot->next)
		slot->next->prev = slot->prev;
	slot->prev = slot->next = NULL;
	slot->depth = 0;
}

void mdb_remove(cte_t *slot)
{
	for (cte_t *d = slot->next; d && d->depth > slot->depth; d = d->next)
		d->depth--;
	unlink(slot);
}

void mdb_remove_in_revoke(cte_t *slot)
{
	unlink(slot);
}

void mdb_move(cte_t *src, cte_t *dst)
{
	dst->prev = src->prev;
	dst->next = src->next;
	dst->depth = src->depth;
	if (dst->prev)
		dst->prev->next = dst;
	if (dst->next)
		dst->next->prev = dst;
	src->prev = src->next = NULL;
	src->depth = 0;
}

bool mdb_has_children(const cte_t *slot)
{
	return slot->next && slot->next->depth > slot->depth;
}
