/*
 * The ramfs's memory (ramfs.h): whole pages from one region, and small
 * objects carved from pages in power-of-two size classes.
 *
 * Pages are handed out from the start of the region upward; a freed page
 * goes on a free list (linked through its first word) and is reused before
 * the region grows. The region is never shrunk: proc gives a process's
 * heap pages but has no call to take them back, so a page once touched
 * stays ours, and reusing it is what keeps the footprint bounded.
 *
 * A small object's class is the smallest power of two from 32 bytes that
 * holds it; each class keeps its own free list, refilled a page at a time.
 * Pages given to a class stay with it. Every allocation comes back zeroed.
 */
#include "ramfs.h"

#include <atoll_rt/string.h>

#define CLASS_MIN_SHIFT 5 /* 32 bytes */
#define CLASS_COUNT 7     /* 32 .. 2048 bytes; larger objects take a page */

typedef struct free_obj {
	struct free_obj *next;
} free_obj_t;

static uint8_t *region;
static uint64_t region_pages; /* the bound */
static uint64_t touched;      /* pages from the start of the region ever handed out */
static uint64_t in_use;       /* pages handed out and not freed (class pages count) */
static free_obj_t *free_pages;
static free_obj_t *free_objs[CLASS_COUNT];

void lx_pages_init(void *base, uint64_t max_pages)
{
	region = base;
	region_pages = max_pages;
	touched = in_use = 0;
	free_pages = NULL;
	for (unsigned i = 0; i < CLASS_COUNT; i++)
		free_objs[i] = NULL;
}

void *lx_page_alloc(void)
{
	void *page;
	if (free_pages) {
		page = free_pages;
		free_pages = free_pages->next;
	} else if (touched < region_pages) {
		page = region + touched * LX_RAMFS_PAGE;
		touched++;
	} else {
		return NULL;
	}
	in_use++;
	memset(page, 0, LX_RAMFS_PAGE);
	return page;
}

void lx_page_free(void *page)
{
	free_obj_t *f = page;
	f->next = free_pages;
	free_pages = f;
	in_use--;
}

static unsigned class_of(size_t size)
{
	unsigned c = 0;
	while (((size_t)1 << (c + CLASS_MIN_SHIFT)) < size)
		c++;
	return c;
}

void *lx_alloc(size_t size)
{
	if (size == 0 || size > LX_RAMFS_PAGE)
		return NULL;
	unsigned c = class_of(size);
	if (c >= CLASS_COUNT)
		return lx_page_alloc();
	size_t obj = (size_t)1 << (c + CLASS_MIN_SHIFT);
	if (!free_objs[c]) {
		uint8_t *page = lx_page_alloc();
		if (!page)
			return NULL;
		for (size_t at = LX_RAMFS_PAGE; at >= obj; at -= obj) {
			free_obj_t *f = (free_obj_t *)(page + at - obj);
			f->next = free_objs[c];
			free_objs[c] = f;
		}
	}
	free_obj_t *f = free_objs[c];
	free_objs[c] = f->next;
	memset(f, 0, obj);
	return f;
}

void lx_free(void *obj, size_t size)
{
	if (!obj)
		return;
	unsigned c = class_of(size);
	if (c >= CLASS_COUNT) {
		lx_page_free(obj);
		return;
	}
	free_obj_t *f = obj;
	f->next = free_objs[c];
	free_objs[c] = f;
}

uint64_t lx_pages_used(void)
{
	return in_use;
}

uint64_t lx_pages_max(void)
{
	return region_pages;
}
