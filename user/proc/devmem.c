#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>

#include "devmem.h"

#define NODES_MAX 512

typedef struct node {
	uint64_t paddr;
	uint64_t slot; /* proc's slot of this untyped */
	uint8_t bits;
	uint8_t split; /* its two halves exist as nodes */
} node_t;

static node_t nodes[NODES_MAX];
static unsigned nnodes;

void devmem_init(const atoll_bootinfo_t *bi)
{
	for (unsigned i = 0; i < bi->untyped_count && nnodes < NODES_MAX; i++)
		if (bi->untyped[i].is_device)
			nodes[nnodes++] = (node_t){bi->untyped[i].paddr, bi->untyped_first + i,
			                           bi->untyped[i].size_bits, 0};
}

/* The smallest known untyped containing paddr. */
static node_t *containing(uint64_t paddr)
{
	node_t *best = 0;
	for (unsigned i = 0; i < nnodes; i++) {
		node_t *n = &nodes[i];
		if (paddr >= n->paddr && paddr - n->paddr < (1ULL << n->bits) &&
		    (!best || n->bits < best->bits))
			best = n;
	}
	return best;
}

/* Make both halves of n (retype fills the lower half first, then the upper). */
static atoll_error_t split(node_t *n)
{
	if (nnodes + 2 > NODES_MAX)
		return ATOLL_E_NO_MEMORY;
	uint64_t lo = slot_alloc(), hi = slot_alloc();
	if (!lo || !hi)
		return ATOLL_E_NO_MEMORY;
	atoll_error_t err =
		untyped_retype(n->slot, ATOLL_OBJ_UNTYPED, n->bits - 1, ATOLL_SLOT_CNODE, lo, 1);
	if (!err)
		err = untyped_retype(n->slot, ATOLL_OBJ_UNTYPED, n->bits - 1, ATOLL_SLOT_CNODE, hi,
		                     1);
	if (err)
		return err;
	uint64_t half = 1ULL << (n->bits - 1);
	nodes[nnodes++] = (node_t){n->paddr, lo, (uint8_t)(n->bits - 1), 0};
	nodes[nnodes++] = (node_t){n->paddr + half, hi, (uint8_t)(n->bits - 1), 0};
	n->split = 1;
	return ATOLL_E_OK;
}

atoll_error_t devmem_frame(uint64_t paddr, uint64_t dest)
{
	for (;;) {
		node_t *n = containing(paddr);
		if (!n)
			return ATOLL_E_NOT_FOUND; /* RAM, or a device the kernel keeps */
		if (n->bits == ATOLL_FRAME_BITS)
			return untyped_retype(n->slot, ATOLL_OBJ_FRAME, 0, ATOLL_SLOT_CNODE, dest,
			                      1);
		if (n->split)
			return ATOLL_E_BUSY; /* its halves could not be made */
		atoll_error_t err = split(n);
		if (err)
			return err;
	}
}
