#ifndef OBJECT_VSPACE_H
#define OBJECT_VSPACE_H

#include <atoll/errors.h>
#include <object/structures.h>
#include <stddef.h>

#define USER_TOP 0x0000800000000000ULL

vspace_t *vspace_of_asid(uint32_t asid);
/* What a frame, table or port capability records of the VSpace it is mapped
 * or open in: the ASID and its generation, so that a record outlives neither
 * the VSpace nor a reuse of its ASID. 0 means none. */
uint64_t vspace_mapping_id(const vspace_t *vs);
vspace_t *vspace_of_mapping(uint64_t id);
/* Copy from user memory of vs, checking every page is mapped and user-accessible.
 * Never faults: it walks the page tables and reads through the direct map. */
atoll_error_t vspace_read_user(vspace_t *vs, uint64_t va, void *dst, size_t len);
/* Boot: map a frame into the root task's address space with the boot allocator
 * providing page tables. */
void vspace_boot_map(vspace_t *vs, uint64_t va, uint64_t pa, unsigned map_rights,
                     uint64_t (*alloc_table)(void));
/* Boot: the physical page mapped at va, or 0. */
uint64_t vspace_boot_lookup(vspace_t *vs, uint64_t va);

#endif
