#ifndef PROC_PAGEMAP_H
#define PROC_PAGEMAP_H

/*
 * A process's page map: one 64-bit entry for each page of its address
 * space that proc gave it, found by virtual address through a four-level
 * radix tree of pool pages (the shape of an x86_64 page table). What an
 * entry holds is pages.c's business; 0 means no page.
 */
#include <atoll/errors.h>
#include <stdint.h>

typedef struct pagemap {
	uint64_t *root;
} pagemap_t;

/* The entry for the page at va; NULL when there is none (and no table for
 * it yet). */
uint64_t *pagemap_find(const pagemap_t *map, uint64_t va);
/* The same, making the tables on the way; NULL when memory is out. */
uint64_t *pagemap_make(pagemap_t *map, uint64_t va);

/* Called with each nonzero entry in [start, end), in address order; a
 * nonzero result stops the walk and is returned. */
typedef atoll_error_t pagemap_fn(uint64_t va, uint64_t *entry, void *ctx);
atoll_error_t pagemap_each(const pagemap_t *map, uint64_t start, uint64_t end, pagemap_fn *fn,
                           void *ctx);

/* Forget every entry and give the tables back to the pool. */
void pagemap_clear(pagemap_t *map);

#endif
