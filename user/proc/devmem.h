#ifndef PROC_DEVMEM_H
#define PROC_DEVMEM_H

/*
 * Device memory for MMIO grants. The kernel hands over device memory as a
 * few large device untypeds; retype only carves from the bottom up, so to
 * reach the page at a given physical address proc halves an untyped again
 * and again towards it, keeping the halves it made for later requests. A
 * page already granted cannot be made twice: its 4 KiB untyped has a child
 * until the frame's capability is deleted.
 */
#include <atoll/bootinfo.h>
#include <atoll/errors.h>
#include <stdint.h>

void devmem_init(const atoll_bootinfo_t *bi);
/* A frame capability for the page at paddr, in proc's slot dest. */
atoll_error_t devmem_frame(uint64_t paddr, uint64_t dest);

#endif
