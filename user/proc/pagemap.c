#include <stdbool.h>
#include <stddef.h>

#include "pagemap.h"
#include "pool.h"

#define LEVELS 4
#define INDEX_BITS 9
#define FANOUT (1u << INDEX_BITS)
#define PAGE_SHIFT 12

static unsigned index_at(uint64_t va, unsigned level)
{
	return (va >> (PAGE_SHIFT + level * INDEX_BITS)) & (FANOUT - 1);
}

/* Bytes of address space one entry of a table at level covers. */
static uint64_t span(unsigned level)
{
	return 1ULL << (PAGE_SHIFT + level * INDEX_BITS);
}

static uint64_t *walk(uint64_t **root, uint64_t va, bool make)
{
	if (!*root && (!make || !(*root = pool_page())))
		return NULL;
	uint64_t *table = *root;
	for (unsigned level = LEVELS - 1; level > 0; level--) {
		uint64_t *next = &table[index_at(va, level)];
		if (!*next) {
			void *page = make ? pool_page() : NULL;
			if (!page)
				return NULL;
			*next = (uint64_t)page;
		}
		table = (uint64_t *)*next;
	}
	return &table[index_at(va, 0)];
}

uint64_t *pagemap_find(const pagemap_t *map, uint64_t va)
{
	uint64_t *root = map->root;
	return walk(&root, va, false);
}

uint64_t *pagemap_make(pagemap_t *map, uint64_t va)
{
	return walk(&map->root, va, true);
}

static atoll_error_t each(uint64_t *table, unsigned level, uint64_t base, uint64_t start,
                          uint64_t end, pagemap_fn *fn, void *ctx)
{
	for (unsigned i = 0; i < FANOUT; i++) {
		uint64_t lo = base + i * span(level), hi = lo + span(level);
		if (!table[i] || hi <= start || lo >= end)
			continue;
		atoll_error_t err =
			level ? each((uint64_t *)table[i], level - 1, lo, start, end, fn, ctx) :
				fn(lo, &table[i], ctx);
		if (err)
			return err;
	}
	return ATOLL_E_OK;
}

atoll_error_t pagemap_each(const pagemap_t *map, uint64_t start, uint64_t end, pagemap_fn *fn,
                           void *ctx)
{
	return map->root ? each(map->root, LEVELS - 1, 0, start, end, fn, ctx) : ATOLL_E_OK;
}

static void clear(uint64_t *table, unsigned level)
{
	if (level)
		for (unsigned i = 0; i < FANOUT; i++)
			if (table[i])
				clear((uint64_t *)table[i], level - 1);
	pool_free(table);
}

void pagemap_clear(pagemap_t *map)
{
	if (map->root)
		clear(map->root, LEVELS - 1);
	map->root = NULL;
}
