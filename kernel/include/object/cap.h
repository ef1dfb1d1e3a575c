#ifndef OBJECT_CAP_H
#define OBJECT_CAP_H

#include <atoll/objects.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A capability: which object, with which rights, plus per-type data.
 *   untyped      obj = kernel address of the region, size_bits, flags =
 *                CAP_DEVICE, data = watermark (bytes used)
 *   endpoint,
 *   notification obj = object, data = badge
 *   cnode        obj = slot array, size_bits = radix
 *   tcb, reply,
 *   vspace       obj = object
 *   pdpt/pd/pt,
 *   frames       obj = physical address, data = mapped virtual address,
 *                data2 = ASID of the VSpace it is mapped in (0: unmapped)
 *   irq handler  data = vector
 *   ioport       data = first | last << 16, data2 = ASID it is open in
 */
typedef struct cap {
	uint8_t type;
	uint8_t rights;
	uint8_t size_bits;
	uint8_t flags;
	uint32_t map_rights; /* frames: the rights of the current mapping */
	uint64_t obj;
	uint64_t data;
	uint64_t data2;
} cap_t;

#define CAP_DEVICE 0x1

/*
 * A capability slot. Slots form derivation trees kept as doubly linked
 * lists in preorder: a node's descendants are the nodes after it with a
 * greater depth. Copies and retyped objects are children; revoke deletes
 * them all.
 */
typedef struct cte {
	cap_t cap;
	struct cte *prev, *next;
	uint32_t depth;
	uint32_t pad[3];
} cte_t;

_Static_assert(sizeof(cte_t) == (1 << ATOLL_SLOT_BITS), "slot size is ABI");

static inline bool cap_is_null(const cap_t *c)
{
	return c->type == ATOLL_OBJ_NULL;
}

#endif
