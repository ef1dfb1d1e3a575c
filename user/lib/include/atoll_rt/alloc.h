#ifndef ATOLL_RT_ALLOC_H
#define ATOLL_RT_ALLOC_H

/*
 * Capability slots and kernel objects for a program that owns untyped
 * memory (the root task and, later, proc). Slots come from the program's
 * root CNode; objects are retyped from the RAM untyped list, moving on to
 * the next untyped when one is full.
 */
#include <atoll/bootinfo.h>
#include <atoll/errors.h>
#include <stdint.h>

void alloc_init(const atoll_bootinfo_t *bi);
/* A free slot in the root CNode, or 0 when none is left. */
uint64_t slot_alloc(void);
/* Return an empty slot. */
void slot_free(uint64_t slot);
/* Make one object (size_bits for untyped and CNodes) into a new slot. */
atoll_error_t object_alloc(unsigned type, unsigned size_bits, uint64_t *slot);
/* Delete the capability and return the slot. The memory comes back only
 * when its untyped is revoked. */
void object_free(uint64_t slot);

#endif
