#ifndef ATOLL_RT_VSPACE_H
#define ATOLL_RT_VSPACE_H

#include <atoll/errors.h>
#include <stdint.h>

/* Map a frame, making whatever page-table levels are missing (their slots are
 * not returned: they live as long as the address space). */
atoll_error_t vspace_map(uint64_t vspace, uint64_t frame, uint64_t vaddr, unsigned attrs);

/* A window in the caller's own address space where it maps frames briefly
 * to fill them; one page. */
#define SCRATCH_VADDR 0x7d0000000000ULL

#endif
