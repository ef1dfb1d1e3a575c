#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>
#include <atoll_rt/vspace.h>

#include "memory.h"
#include "pool.h"

#define PAGE 4096ULL
#define POOL_VADDR 0x200000000000ULL
#define POOL_BOOK_RADIX 12
#define POOL_BOOKS 16

/* The frames stay mapped in proc for good; their capabilities live in
 * book CNodes rather than in proc's own CNode, whose slots are few. */
static chunk_set_t memory;
static uint64_t book[POOL_BOOKS];
static unsigned nbook, book_used;
static uint64_t frame_slot;
static uint64_t next_vaddr = POOL_VADDR;
static void *free_pages; /* linked through their first word */

static bool keep_frame(void)
{
	if (nbook == 0 || book_used == (1u << POOL_BOOK_RADIX) - 1) {
		if (nbook == POOL_BOOKS)
			return false;
		uint64_t slot = slot_alloc();
		if (!slot)
			return false;
		if (memory_retype(&memory, ATOLL_OBJ_CNODE, POOL_BOOK_RADIX, slot)) {
			slot_free(slot);
			return false;
		}
		book[nbook++] = slot;
		book_used = 0;
	}
	return !cnode_move(book[nbook - 1], ++book_used, ATOLL_SLOT_CNODE, frame_slot);
}

void *pool_page(void)
{
	if (free_pages) {
		void *page = free_pages;
		free_pages = *(void **)page;
		memset(page, 0, PAGE);
		return page;
	}
	if (!frame_slot && !(frame_slot = slot_alloc()))
		return NULL;
	if (memory_retype(&memory, ATOLL_OBJ_FRAME, 0, frame_slot))
		return NULL;
	if (vspace_map(ATOLL_SLOT_VSPACE, frame_slot, next_vaddr,
	               ATOLL_MAP_READ | ATOLL_MAP_WRITE) ||
	    !keep_frame()) {
		cnode_delete(ATOLL_SLOT_CNODE, frame_slot);
		return NULL;
	}
	void *page = (void *)next_vaddr;
	next_vaddr += PAGE;
	return page; /* the kernel zeroes a new frame */
}

void pool_free(void *page)
{
	*(void **)page = free_pages;
	free_pages = page;
}

#define REFS_PER_PAGE ((PAGE - 16) / sizeof(uint16_t))

struct ref_page {
	struct ref_page *below;
	uint64_t count;
	uint16_t ref[REFS_PER_PAGE];
};

bool ref_push(ref_stack_t *s, uint16_t ref)
{
	if (!s->top || s->top->count == REFS_PER_PAGE) {
		struct ref_page *page = pool_page();
		if (!page)
			return false;
		page->below = s->top;
		s->top = page;
	}
	s->top->ref[s->top->count++] = ref;
	return true;
}

bool ref_pop(ref_stack_t *s, uint16_t *ref)
{
	if (!s->top)
		return false;
	*ref = s->top->ref[--s->top->count];
	if (!s->top->count) {
		struct ref_page *empty = s->top;
		s->top = empty->below;
		pool_free(empty);
	}
	return true;
}

void ref_stack_clear(ref_stack_t *s)
{
	while (s->top) {
		struct ref_page *page = s->top;
		s->top = page->below;
		pool_free(page);
	}
}
