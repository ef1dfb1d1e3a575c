/*
 * A process's pages: its page map, its books of capabilities, and the
 * copy-on-write sharing of frames between forks (see pages.h).
 *
 * Capabilities in a book cannot be invoked where they are (a capability
 * pointer names a slot of proc's own CNode), so a frame to be mapped,
 * unmapped or remapped is moved into proc's work slot and back.
 */
#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>
#include <atoll_rt/vspace.h>

#include "log.h"
#include "pagemap.h"
#include "pages.h"
#include "pool.h"

#define PAGE 4096ULL
/* Where proc looks at a source frame while it fills another at SCRATCH_VADDR. */
#define PEEK_VADDR (SCRATCH_VADDR + PAGE)

/*
 * A page map entry: the book reference of the process's frame capability
 * (book << BOOK_SLOT_BITS | slot; slot 0 is never used, so 0 is none), the
 * rights its manager set, whether the frame is shared (and its record),
 * whether rights 0 keep it unmapped, and whether a fork shares it writable
 * (PROC_MAP_SHARED) instead of copy-on-write. A page unmapped is marked gone
 * rather than forgotten, so that one of the program image does not come
 * back from the file at the next touch.
 */
#define ENTRY_REF_MASK 0xffffULL
#define ENTRY_RIGHTS_SHIFT 16
#define ENTRY_RIGHTS_MASK (0xfULL << ENTRY_RIGHTS_SHIFT)
#define ENTRY_SHARED (1ULL << 20)
#define ENTRY_HIDDEN (1ULL << 21)
#define ENTRY_GONE (1ULL << 22)
#define ENTRY_COMMON (1ULL << 23) /* shared writable, never copied: MAP_SHARED */
#define ENTRY_SHARE_SHIFT 32
#define BOOK_SLOT_BITS 12

#define PAGE_RIGHTS (ATOLL_MAP_READ | ATOLL_MAP_WRITE | ATOLL_MAP_EXEC)

_Static_assert(BOOK_MAX << BOOK_SLOT_BITS <= ENTRY_REF_MASK + 1, "a book reference fits");
_Static_assert(PROCESS_MAX <= 64, "a share record's users are one word of bits");

static uint64_t work_slot; /* a frame on its way into or out of a book */
static uint64_t peek_slot; /* a copy of a frame proc reads from */
static uint64_t hold_slot; /* a frame kept while work_slot is busy */

static uint16_t entry_ref(uint64_t e)
{
	return e & ENTRY_REF_MASK;
}

static bool present(uint64_t e)
{
	return entry_ref(e) != 0;
}

static unsigned entry_rights(uint64_t e)
{
	return (e & ENTRY_RIGHTS_MASK) >> ENTRY_RIGHTS_SHIFT;
}

static uint64_t make_entry(uint16_t ref, unsigned rights)
{
	return ref | (uint64_t)(rights & PAGE_RIGHTS) << ENTRY_RIGHTS_SHIFT;
}

static unsigned index_of(const process_t *p)
{
	return (unsigned)(p - processes);
}

/* --- share records -------------------------------------------------------- */

typedef struct share {
	uint64_t users; /* bit i: processes[i] maps the frame */
	uint64_t va;    /* where, in each of them (a fork keeps addresses) */
	uint32_t owner; /* index of the process whose memory holds the frame */
	uint32_t next_free;
} share_t;

#define SHARES_PER_PAGE (PAGE / sizeof(share_t))
#define SHARE_PAGES_MAX 2048

static share_t *share_pages[SHARE_PAGES_MAX];
static unsigned share_pages_used;
static uint32_t share_free_list; /* 0: none (record 0 is never used) */

static share_t *share_get(uint32_t id)
{
	return &share_pages[id / SHARES_PER_PAGE][id % SHARES_PER_PAGE];
}

static uint32_t share_new(void)
{
	if (!share_free_list) {
		if (share_pages_used == SHARE_PAGES_MAX)
			return 0;
		share_t *page = pool_page();
		if (!page)
			return 0;
		share_pages[share_pages_used] = page;
		uint32_t first = share_pages_used++ * SHARES_PER_PAGE;
		for (uint32_t i = SHARES_PER_PAGE; i-- > 0;)
			if (first + i) {
				page[i].next_free = share_free_list;
				share_free_list = first + i;
			}
	}
	uint32_t id = share_free_list;
	share_free_list = share_get(id)->next_free;
	return id;
}

static void share_free(uint32_t id)
{
	share_t *s = share_get(id);
	processes[s->owner].shares_owned--;
	*s = (share_t){.next_free = share_free_list};
	share_free_list = id;
}

static uint32_t entry_share(uint64_t e)
{
	return (uint32_t)(e >> ENTRY_SHARE_SHIFT);
}

/* Entry e with no share record. */
static uint64_t unshared(uint64_t e)
{
	return e & ~(ENTRY_SHARED | (uint64_t)UINT32_MAX << ENTRY_SHARE_SHIFT);
}

/* --- books ---------------------------------------------------------------- */

static uint64_t book_cnode(const process_t *p, uint16_t ref)
{
	return p->book[ref >> BOOK_SLOT_BITS];
}

static uint64_t book_index(uint16_t ref)
{
	return ref & ((1u << BOOK_SLOT_BITS) - 1);
}

/* An empty slot in p's books. */
static atoll_error_t book_slot(process_t *p, uint16_t *ref)
{
	if (ref_pop(&p->free_slots, ref))
		return ATOLL_E_OK;
	unsigned radix = p->nbook <= 1 ? BOOK_FIRST_RADIX : BOOK_RADIX; /* of the newest */
	if (p->nbook == 0 || p->book_used == (1u << radix) - 1) {
		if (p->nbook == BOOK_MAX)
			return ATOLL_E_NO_MEMORY;
		atoll_error_t err = process_new_object(p, ATOLL_OBJ_CNODE,
		                                       p->nbook ? BOOK_RADIX : BOOK_FIRST_RADIX,
		                                       &p->book[p->nbook]);
		if (err)
			return err;
		p->nbook++;
		p->book_used = 0;
	}
	*ref = (uint16_t)((p->nbook - 1) << BOOK_SLOT_BITS | ++p->book_used);
	return ATOLL_E_OK;
}

/* Move the capability in proc's slot into an empty slot of p's books. */
static atoll_error_t book_put(process_t *p, uint64_t slot, uint16_t *ref)
{
	atoll_error_t err = book_slot(p, ref);
	if (!err &&
	    (err = cnode_move(book_cnode(p, *ref), book_index(*ref), ATOLL_SLOT_CNODE, slot)))
		ref_push(&p->free_slots, *ref);
	return err;
}

atoll_error_t pages_keep(process_t *p, uint64_t slot)
{
	uint16_t ref;
	return book_put(p, slot, &ref);
}

static atoll_error_t take_out(const process_t *p, uint16_t ref)
{
	return cnode_move(ATOLL_SLOT_CNODE, work_slot, book_cnode(p, ref), book_index(ref));
}

static void put_back(const process_t *p, uint16_t ref)
{
	cnode_move(book_cnode(p, ref), book_index(ref), ATOLL_SLOT_CNODE, work_slot);
}

/* --- mappings -------------------------------------------------------------- */

/* The rights a page is mapped with: none while hidden, and no writing
 * while it is shared copy-on-write (until a write fault settles it). */
static unsigned mapped_rights(uint64_t e)
{
	if (e & ENTRY_HIDDEN)
		return 0;
	unsigned rights = entry_rights(e);
	return (e & ENTRY_SHARED) && !(e & ENTRY_COMMON) ? rights & ~ATOLL_MAP_WRITE : rights;
}

/* Make p's mapping of the page at va agree with its entry. */
static atoll_error_t remap(process_t *p, uint64_t va, uint64_t e)
{
	uint16_t ref = entry_ref(e);
	atoll_error_t err = take_out(p, ref);
	if (err)
		return err;
	unsigned rights = mapped_rights(e);
	if (rights)
		err = process_map_frame(p, work_slot, va, rights | ATOLL_MAP_READ);
	else
		frame_unmap(work_slot);
	put_back(p, ref);
	return err;
}

/* The frame in work_slot, at SCRATCH_VADDR while fill runs. */
static atoll_error_t fill_frame(void (*fill)(void *page, const void *ctx), const void *ctx)
{
	atoll_error_t err = vspace_map(ATOLL_SLOT_VSPACE, work_slot, SCRATCH_VADDR,
	                               ATOLL_MAP_READ | ATOLL_MAP_WRITE);
	if (err)
		return err;
	fill((void *)SCRATCH_VADDR, ctx);
	frame_unmap(work_slot);
	return ATOLL_E_OK;
}

static void fill_zero(void *page, const void *ctx)
{
	(void)ctx;
	memset(page, 0, PAGE);
}

/* A frame of p's memory in work_slot: one of its free frames (zeroed when
 * zero), or a new one, which the kernel zeroes. */
static atoll_error_t new_frame(process_t *p, bool zero)
{
	uint16_t ref;
	if (ref_pop(&p->free_frames, &ref)) {
		atoll_error_t err = take_out(p, ref);
		if (err)
			return err;
		ref_push(&p->free_slots, ref);
		return zero ? fill_frame(fill_zero, NULL) : ATOLL_E_OK;
	}
	return memory_retype(&p->memory, ATOLL_OBJ_FRAME, 0, work_slot);
}

/* The frame in work_slot is done with: one of p's free frames. */
static void give_back_frame(process_t *p)
{
	uint16_t ref;
	frame_unmap(work_slot);
	if (book_put(p, work_slot, &ref) || !ref_push(&p->free_frames, ref))
		cnode_delete(ATOLL_SLOT_CNODE, work_slot); /* its memory comes back at the end */
}

/* Map the frame in work_slot at va as entry e says, then keep it in p's
 * books; the entry gets its reference. On failure the frame is still in
 * work_slot, unmapped. */
static atoll_error_t install(process_t *p, uint64_t va, uint64_t *e)
{
	unsigned rights = mapped_rights(*e);
	atoll_error_t err =
		rights ? process_map_frame(p, work_slot, va, rights | ATOLL_MAP_READ) : ATOLL_E_OK;
	uint16_t ref;
	if (!err && (err = book_put(p, work_slot, &ref)))
		frame_unmap(work_slot);
	if (!err)
		*e = (*e & ~ENTRY_REF_MASK) | ref;
	return err;
}

typedef struct fill_bytes {
	const void *src;
	size_t offset, len;
} fill_bytes_t;

static void fill_copy(void *page, const void *ctx)
{
	const fill_bytes_t *b = ctx;
	memcpy((uint8_t *)page + b->offset, b->src, b->len);
}

atoll_error_t pages_add(process_t *p, uint64_t va, unsigned rights, const void *src, size_t offset,
                        size_t len)
{
	uint64_t *e = pagemap_make(&p->map, va);
	if (!e)
		return ATOLL_E_NO_MEMORY;
	if (present(*e))
		return ATOLL_E_ALREADY_MAPPED;
	fill_bytes_t bytes = {src, offset, len};
	atoll_error_t err = new_frame(p, true);
	if (!err && len && (err = fill_frame(fill_copy, &bytes)))
		give_back_frame(p);
	if (err)
		return err;
	uint64_t entry = make_entry(0, rights) | (rights & PROC_MAP_SHARED ? ENTRY_COMMON : 0);
	if ((err = install(p, va, &entry))) {
		give_back_frame(p);
		return err;
	}
	*e = entry;
	p->pages++;
	return ATOLL_E_OK;
}

bool pages_has(const process_t *p, uint64_t va)
{
	const uint64_t *e = pagemap_find(&p->map, va);
	return e && present(*e);
}

bool pages_gone(const process_t *p, uint64_t va)
{
	const uint64_t *e = pagemap_find(&p->map, va);
	return e && *e == ENTRY_GONE;
}

atoll_error_t pages_frame_copy(process_t *p, uint64_t va, uint64_t slot)
{
	uint64_t *e = pagemap_find(&p->map, va);
	if (!e || !present(*e))
		return ATOLL_E_NOT_FOUND;
	uint16_t ref = entry_ref(*e);
	return cnode_copy(ATOLL_SLOT_CNODE, slot, book_cnode(p, ref), book_index(ref),
	                  ATOLL_RIGHTS_ALL);
}

/* A new frame of p's memory in work_slot holding a copy of the frame
 * whose capability is in from's book at ref. */
static atoll_error_t copy_of(process_t *p, const process_t *from, uint16_t ref)
{
	atoll_error_t err = cnode_copy(ATOLL_SLOT_CNODE, peek_slot, book_cnode(from, ref),
	                               book_index(ref), ATOLL_MAP_READ);
	if (err)
		return err;
	if (!(err = vspace_map(ATOLL_SLOT_VSPACE, peek_slot, PEEK_VADDR, ATOLL_MAP_READ)) &&
	    !(err = new_frame(p, false))) {
		fill_bytes_t bytes = {(const void *)PEEK_VADDR, 0, PAGE};
		if ((err = fill_frame(fill_copy, &bytes)))
			give_back_frame(p);
	}
	cnode_delete(ATOLL_SLOT_CNODE, peek_slot);
	return err;
}

/* --- sharing ------------------------------------------------------------- */

/*
 * p stops mapping the shared frame of entry e (its capability is in
 * work_slot, unmapped). The last user of a frame that is another's gives
 * the capability to the owner, as a free frame of the owner's memory.
 */
static void share_leave(process_t *p, uint64_t e)
{
	uint32_t id = entry_share(e);
	share_t *s = share_get(id);
	s->users &= ~(1ULL << index_of(p));
	if (s->users) {
		cnode_delete(ATOLL_SLOT_CNODE, work_slot);
		return;
	}
	process_t *owner = &processes[s->owner];
	share_free(id);
	if (owner == p || owner->state == PROCESS_RUNNING)
		give_back_frame(owner);
	else
		cnode_delete(ATOLL_SLOT_CNODE, work_slot);
}

/*
 * A write to a page p shares: the frame itself, writable, when p owns it and
 * nobody else maps it any more; else p's own copy (and a frame nobody maps
 * any more goes back to its owner).
 */
static atoll_error_t unshare(process_t *p, uint64_t va, uint64_t *e)
{
	uint32_t id = entry_share(*e);
	if (share_get(id)->users == 1ULL << index_of(p) && share_get(id)->owner == index_of(p)) {
		*e = unshared(*e);
		share_free(id);
		return remap(p, va, *e);
	}
	uint16_t ref = entry_ref(*e);
	atoll_error_t err = copy_of(p, p, ref);
	if (err)
		return err;
	/* The copy goes where the shared frame's capability was. */
	cnode_move(ATOLL_SLOT_CNODE, hold_slot, ATOLL_SLOT_CNODE, work_slot);
	if ((err = take_out(p, ref))) {
		cnode_move(ATOLL_SLOT_CNODE, work_slot, ATOLL_SLOT_CNODE, hold_slot);
		give_back_frame(p);
		return err;
	}
	frame_unmap(work_slot);
	uint64_t old = *e;
	*e = unshared(*e);
	share_leave(p, old);
	cnode_move(ATOLL_SLOT_CNODE, work_slot, ATOLL_SLOT_CNODE, hold_slot);
	ref_push(&p->free_slots, ref);
	if ((err = install(p, va, e))) {
		give_back_frame(p);
		*e = ENTRY_GONE; /* a touch pages in a zeroed one */
		p->pages--;
	}
	return err;
}

atoll_error_t pages_touch(process_t *p, uint64_t va, unsigned rights)
{
	uint64_t *e = pagemap_find(&p->map, va);
	if (!e || !present(*e))
		return pages_add(p, va, rights, NULL, 0, 0);
	if ((*e & ENTRY_HIDDEN) || !(entry_rights(*e) & ATOLL_MAP_WRITE))
		return ATOLL_E_NO_RIGHTS;
	if (!(*e & ENTRY_SHARED) || (*e & ENTRY_COMMON))
		return ATOLL_E_ALREADY_MAPPED; /* another thread's fault made it */
	return unshare(p, va, e);
}

static atoll_error_t unmap_one(uint64_t va, uint64_t *e, void *ctx)
{
	(void)va;
	process_t *p = ctx;
	uint16_t ref = entry_ref(*e);
	if (!present(*e))
		return ATOLL_E_OK;
	atoll_error_t err = take_out(p, ref);
	if (err)
		return err;
	frame_unmap(work_slot);
	ref_push(&p->free_slots, ref);
	if (*e & ENTRY_SHARED)
		share_leave(p, *e);
	else
		give_back_frame(p);
	*e = ENTRY_GONE;
	p->pages--;
	return ATOLL_E_OK;
}

atoll_error_t pages_unmap(process_t *p, uint64_t start, uint64_t end)
{
	return pagemap_each(&p->map, start, end, unmap_one, p);
}

typedef struct protect {
	process_t *p;
	unsigned rights;
} protect_t;

static atoll_error_t protect_one(uint64_t va, uint64_t *e, void *ctx)
{
	const protect_t *how = ctx;
	if (!present(*e))
		return ATOLL_E_OK;
	uint64_t entry = make_entry(entry_ref(*e), how->rights) |
	                 (*e & ~(ENTRY_REF_MASK | ENTRY_RIGHTS_MASK | ENTRY_HIDDEN));
	if (!(how->rights & PAGE_RIGHTS))
		entry |= ENTRY_HIDDEN;
	if (entry == *e)
		return ATOLL_E_OK;
	*e = entry;
	return remap(how->p, va, entry);
}

atoll_error_t pages_protect(process_t *p, uint64_t start, uint64_t end, unsigned rights)
{
	protect_t how = {p, rights};
	return pagemap_each(&p->map, start, end, protect_one, &how);
}

typedef struct fork_pair {
	process_t *parent, *child;
} fork_pair_t;

/* The child maps the parent's frame at va too; neither may write it now. */
static atoll_error_t share_one(uint64_t va, uint64_t *e, void *ctx)
{
	process_t *parent = ((fork_pair_t *)ctx)->parent, *child = ((fork_pair_t *)ctx)->child;
	uint64_t *child_entry = pagemap_make(&child->map, va);
	if (!child_entry)
		return ATOLL_E_NO_MEMORY;
	if (!present(*e)) {
		*child_entry = *e; /* gone in the child too */
		return ATOLL_E_OK;
	}
	unsigned parent_mapped = mapped_rights(*e);
	uint64_t parent_entry = *e;
	if (!(*e & ENTRY_SHARED)) {
		uint32_t id = share_new();
		if (!id)
			return ATOLL_E_NO_MEMORY;
		*share_get(id) = (share_t){
			.users = 1ULL << index_of(parent), .va = va, .owner = index_of(parent)};
		parent->shares_owned++;
		parent_entry |= ENTRY_SHARED | (uint64_t)id << ENTRY_SHARE_SHIFT;
	}
	uint32_t id = entry_share(parent_entry);
	uint16_t ref = entry_ref(*e);
	uint64_t entry = parent_entry;
	atoll_error_t err = cnode_copy(ATOLL_SLOT_CNODE, work_slot, book_cnode(parent, ref),
	                               book_index(ref), ATOLL_RIGHTS_ALL);
	if (!err && (err = install(child, va, &entry)))
		cnode_delete(ATOLL_SLOT_CNODE, work_slot);
	if (err) {
		if (!(*e & ENTRY_SHARED))
			share_free(id); /* made for this child only */
		return err;
	}
	*e = parent_entry;
	share_get(id)->users |= 1ULL << index_of(child);
	*child_entry = entry;
	child->pages++;
	return mapped_rights(*e) != parent_mapped ? remap(parent, va, *e) : ATOLL_E_OK;
}

atoll_error_t pages_share(process_t *parent, process_t *child)
{
	fork_pair_t pair = {parent, child};
	return pagemap_each(&parent->map, 0, PROC_STACK_TOP, share_one, &pair);
}

/* Put the capability in slot (moved, or copied when copy) in place of the
 * frame of t's page at va, and map it as t's entry says. */
static void replace_frame(process_t *t, uint64_t va, uint64_t slot, bool copy)
{
	uint64_t *e = pagemap_find(&t->map, va);
	uint16_t ref = entry_ref(*e);
	cnode_delete(book_cnode(t, ref), book_index(ref));
	if (copy)
		cnode_copy(ATOLL_SLOT_CNODE, work_slot, ATOLL_SLOT_CNODE, slot, ATOLL_RIGHTS_ALL);
	else
		cnode_move(ATOLL_SLOT_CNODE, work_slot, ATOLL_SLOT_CNODE, slot);
	unsigned rights = mapped_rights(*e);
	if (rights)
		process_map_frame(t, work_slot, va, rights | ATOLL_MAP_READ);
	put_back(t, ref);
}

/*
 * The owner of share id is ending while others still map the frame: copy
 * it into the memory of one of them (the heir), and map that copy in all
 * of them instead. Without memory for the copy, they lose the page (it
 * reads as zeros at the next touch), which proc logs.
 */
static void hand_over(uint32_t id)
{
	share_t *s = share_get(id);
	process_t *heir = &processes[__builtin_ctzll(s->users)];
	uint64_t *heir_entry = pagemap_find(&heir->map, s->va);
	if (copy_of(heir, heir, entry_ref(*heir_entry))) {
		log_printf("proc: out of memory: processes lose their page at %lx\n", s->va);
		for (uint64_t users = s->users; users; users &= users - 1) {
			process_t *t = &processes[__builtin_ctzll(users)];
			uint64_t *e = pagemap_find(&t->map, s->va);
			uint16_t ref = entry_ref(*e);
			cnode_delete(book_cnode(t, ref), book_index(ref));
			ref_push(&t->free_slots, ref);
			*e = ENTRY_GONE;
			t->pages--;
		}
		share_free(id);
		return;
	}
	cnode_move(ATOLL_SLOT_CNODE, hold_slot, ATOLL_SLOT_CNODE, work_slot);
	for (uint64_t users = s->users & (s->users - 1); users; users &= users - 1)
		replace_frame(&processes[__builtin_ctzll(users)], s->va, hold_slot, true);
	replace_frame(heir, s->va, hold_slot, false);
	processes[s->owner].shares_owned--;
	s->owner = index_of(heir);
	heir->shares_owned++;
}

/* p is ending: its own capabilities go with its books when its memory is
 * revoked; a frame of another's that nobody else maps goes back to that
 * owner first. */
static atoll_error_t release_one(uint64_t va, uint64_t *e, void *ctx)
{
	(void)va;
	process_t *p = ctx;
	if (!(*e & ENTRY_SHARED))
		return ATOLL_E_OK;
	share_t *s = share_get(entry_share(*e));
	if (s->users != 1ULL << index_of(p) || s->owner == index_of(p)) {
		s->users &= ~(1ULL << index_of(p));
		if (!s->users)
			share_free(entry_share(*e));
		return ATOLL_E_OK;
	}
	if (!take_out(p, entry_ref(*e))) {
		frame_unmap(work_slot);
		share_leave(p, *e);
	}
	return ATOLL_E_OK;
}

void pages_release(process_t *p)
{
	pagemap_each(&p->map, 0, PROC_STACK_TOP, release_one, p);
	for (uint32_t id = 1; p->shares_owned && id < share_pages_used * SHARES_PER_PAGE; id++)
		if (share_get(id)->users && share_get(id)->owner == index_of(p))
			hand_over(id);
	pagemap_clear(&p->map);
	ref_stack_clear(&p->free_frames);
	ref_stack_clear(&p->free_slots);
	p->pages = 0;
}

atoll_error_t pages_init(void)
{
	if (!(work_slot = slot_alloc()) || !(peek_slot = slot_alloc()) ||
	    !(hold_slot = slot_alloc()))
		return ATOLL_E_NO_MEMORY;
	return ATOLL_E_OK;
}

/* The child's own page at va, written since the fork, into the parent. */
static atoll_error_t copy_back_one(uint64_t va, uint64_t *e, void *ctx)
{
	process_t *parent = ((fork_pair_t *)ctx)->parent, *child = ((fork_pair_t *)ctx)->child;
	if (!present(*e) || (*e & (ENTRY_SHARED | ENTRY_HIDDEN)))
		return ATOLL_E_OK; /* still the parent's frame, or out of reach */
	uint64_t *pe = pagemap_find(&parent->map, va);
	atoll_error_t err = ATOLL_E_OK;
	if (!pe || !present(*pe))
		err = pages_add(parent, va, entry_rights(*e), NULL, 0, 0);
	else if ((*pe & ENTRY_SHARED) && !(*pe & ENTRY_COMMON))
		err = unshare(parent, va, pe); /* others may map the parent's frame */
	if (err)
		return err;
	pe = pagemap_find(&parent->map, va);
	uint16_t from = entry_ref(*e), to = entry_ref(*pe);
	if (!(err = cnode_copy(ATOLL_SLOT_CNODE, peek_slot, book_cnode(child, from),
	                       book_index(from), ATOLL_MAP_READ)) &&
	    !(err = cnode_copy(ATOLL_SLOT_CNODE, hold_slot, book_cnode(parent, to), book_index(to),
	                       ATOLL_RIGHTS_ALL)) &&
	    !(err = vspace_map(ATOLL_SLOT_VSPACE, peek_slot, PEEK_VADDR, ATOLL_MAP_READ)) &&
	    !(err = vspace_map(ATOLL_SLOT_VSPACE, hold_slot, SCRATCH_VADDR,
	                       ATOLL_MAP_READ | ATOLL_MAP_WRITE)))
		memcpy((void *)SCRATCH_VADDR, (const void *)PEEK_VADDR, PAGE);
	cnode_delete(ATOLL_SLOT_CNODE, peek_slot);
	cnode_delete(ATOLL_SLOT_CNODE, hold_slot);
	return err;
}

atoll_error_t pages_copy_back(process_t *child, process_t *parent)
{
	fork_pair_t pair = {parent, child};
	return pagemap_each(&child->map, 0, PROC_STACK_TOP, copy_back_one, &pair);
}
