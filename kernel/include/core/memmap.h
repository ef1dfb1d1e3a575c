#ifndef CORE_MEMMAP_H
#define CORE_MEMMAP_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Physical memory at boot: the firmware's usable ranges minus what is taken
 * (low memory, the kernel image, modules). Pure bookkeeping on fixed arrays,
 * tested on the host. After boot the remaining free ranges are cut into
 * naturally aligned power-of-two blocks that become the root task's untyped.
 */
#define MEMMAP_MAX_RANGES 64

typedef struct mem_range {
	uint64_t base, end; /* [base, end) */
} mem_range_t;

typedef struct memmap {
	mem_range_t free[MEMMAP_MAX_RANGES];
	unsigned nfree;
	bool overflow; /* more ranges than fit: some memory was dropped */
} memmap_t;

void memmap_init(memmap_t *m);
/* Add usable RAM; overlapping or adjacent ranges merge. */
void memmap_add(memmap_t *m, uint64_t base, uint64_t end);
/* Remove [base, end) from the free ranges. */
void memmap_reserve(memmap_t *m, uint64_t base, uint64_t end);
/* Take size bytes aligned to align from the lowest free range that fits, 0 if none. */
uint64_t memmap_alloc(memmap_t *m, uint64_t size, uint64_t align);
uint64_t memmap_total(const memmap_t *m);

/* Cut [base, end) into the largest naturally aligned blocks, at least
 * 2^min_bits and at most 2^max_bits each; calls emit(base, bits) for each.
 * Returns the number of blocks. */
unsigned memmap_blocks(uint64_t base, uint64_t end, unsigned min_bits, unsigned max_bits,
                       void (*emit)(void *ctx, uint64_t base, unsigned bits), void *ctx);

#endif
