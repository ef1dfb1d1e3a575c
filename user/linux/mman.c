/*
 * The memory system calls: brk, mmap, munmap, mprotect and mremap. They
 * change the process's areas and tell proc about its pages; memory.c
 * describes the layout and what is not Linux's.
 */
#include "personality.h"

#include <atoll_rt/objects.h>

#define PAGE_MASK (LX_PAGE_SIZE - 1)
#define MMAP_BOTTOM (LX_MMAP_TOP - LX_MMAP_MAX)
#define PROT_KNOWN (LX_PROT_ACCESS | LX_PROT_SEM | LX_PROT_GROWSDOWN | LX_PROT_GROWSUP)

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Linux's brk: a break outside [brk_start, brk_start + LX_BRK_MAX] is
 * refused by returning the current one; brk(0) asks for it. Growing adds
 * a read-write area, and is refused as well when a mapping lies in the
 * way; shrinking unmaps, so memory given back and taken again reads as
 * zeros. */
int64_t lx_sys_brk(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t want = c->arg[0];
	if (want < p->brk_start || want > p->brk_start + LX_BRK_MAX)
		return (int64_t)p->brk;
	uint64_t old_end = page_up(p->brk), new_end = page_up(want);
	if (new_end > old_end &&
	    (lx_areas_overlap(&p->areas, old_end, new_end) ||
	     !lx_areas_map(&p->areas, old_end, new_end, LX_PROT_READ | LX_PROT_WRITE)))
		return (int64_t)p->brk;
	if (new_end < old_end && !lx_memory_unmap(p, new_end, old_end))
		return (int64_t)p->brk;
	p->brk = want;
	return (int64_t)want;
}

/* Whether a mapping at a fixed address may lie at [at, at + size): not in
 * the image nor below it, not above the stack (see memory.c). */
static bool fixed_allowed(const lx_process_t *p, uint64_t at, uint64_t size)
{
	return at >= p->brk_start && at < PROC_STACK_TOP && size <= PROC_STACK_TOP - at;
}

/* Where a mapping of size bytes without a fixed address goes: at the
 * hint (rounded up to a page) when that range is free and outside the
 * heap's room, as Linux takes a free hint, else as high as it fits in the
 * mmap area. 0 when it fits nowhere. */
static uint64_t place(const lx_process_t *p, uint64_t hint, uint64_t size)
{
	uint64_t at = page_up(hint);
	if (hint && at >= hint && at >= p->brk_start + LX_BRK_MAX && fixed_allowed(p, at, size) &&
	    !lx_areas_overlap(&p->areas, at, at + size))
		return at;
	return lx_areas_find_gap(&p->areas, MMAP_BOTTOM, LX_MMAP_TOP, size, &at) ? at : 0;
}

/*
 * What a mapping of descriptor fd starts with: NULL for zeros (an
 * anonymous mapping, or one of /dev/zero), else the regular file whose
 * bytes from the offset it holds; -errno as Linux refuses the mapping.
 */
static int64_t mapped_file(lx_process_t *p, uint64_t flags, int fd, lx_inode_t **file)
{
	*file = NULL;
	if (flags & LX_MAP_ANONYMOUS)
		return 0;
	lx_file_t *f = lx_fd_get(p, fd);
	if (!f)
		return -LX_EBADF;
	if (!f->node || f->node->fs != LX_FS_RAM)
		return -LX_ENODEV; /* a pipe, the console, a file of /proc */
	if (lx_device_is_zero(f->node))
		return 0;
	if (!lx_is_reg(f->node))
		return -LX_ENODEV;
	if ((f->flags & LX_O_ACCMODE) == LX_O_WRONLY)
		return -LX_EACCES;
	if ((flags & LX_MAP_TYPE) != LX_MAP_PRIVATE) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): shared file mappings are not supported yet: "
		            "ENODEV\n",
		            p->pid, p->name);
		return -LX_ENODEV;
	}
	*file = f->node;
	return 0;
}

/*
 * A private file mapping is filled when it is made: its pages are the
 * process's own from the start, so what it writes stays its own, as
 * MAP_PRIVATE promises. (Linux shares the file's pages until the first
 * write, so it shows later changes to the file until then; this copy does
 * not.) Past the end of the file the pages read as zeros.
 */
static int64_t fill_from_file(lx_process_t *p, lx_inode_t *file, uint64_t offset, uint64_t at,
                              uint64_t size, uint32_t prot)
{
	static uint8_t page[LX_PAGE_SIZE];
	uint64_t done = 0;
	for (; done < size; done += LX_PAGE_SIZE) {
		int64_t got = lx_ramfs_read(file, offset + done, page, sizeof(page));
		if (got < 0)
			return got;
		if (got == 0)
			break;
		if (!lx_page_put(p, at + done, page, (size_t)got))
			return -LX_ENOMEM;
	}
	if (!(prot & LX_PROT_WRITE))
		lx_pages_protect(p, at, at + done, prot);
	return 0;
}

/*
 * mmap(addr, length, prot, flags, fd, offset): anonymous memory, and
 * private copies of regular files. The checks come in the order Linux
 * makes them, so a call with several faults gets the errno Linux would
 * give.
 */
int64_t lx_sys_mmap(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t addr = c->arg[0], len = c->arg[1], prot = c->arg[2], flags = c->arg[3];
	int fd = (int)c->arg[4];
	uint64_t offset = c->arg[5];

	if (offset & PAGE_MASK)
		return -LX_EINVAL;
	if (!(flags & LX_MAP_ANONYMOUS) && !lx_fd_get(p, fd))
		return -LX_EBADF;
	if (len == 0)
		return -LX_EINVAL;
	if (prot & ~(uint64_t)PROT_KNOWN)
		return -LX_EINVAL;
	uint64_t size = page_up(len);
	if (size == 0 || size < len)
		return -LX_ENOMEM;
	uint64_t type = flags & LX_MAP_TYPE;
	if (type != LX_MAP_SHARED && type != LX_MAP_PRIVATE && type != LX_MAP_SHARED_VALIDATE)
		return -LX_EINVAL;
	lx_inode_t *file;
	int64_t err = mapped_file(p, flags, fd, &file);
	if (err)
		return err;
	/* Shared anonymous memory (and /dev/zero's) stays shared across fork. */
	uint32_t area_prot = ((uint32_t)prot & LX_PROT_ACCESS) |
	                     (type != LX_MAP_PRIVATE && !file ? LX_AREA_SHARED : 0);

	uint64_t at = addr;
	if (flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE)) {
		if (addr & PAGE_MASK)
			return -LX_EINVAL;
		if (!fixed_allowed(p, addr, size)) {
			static bool logged;
			lx_log_once(&logged,
			            "linux: pid %lu (%s): mmap at a fixed address in or below the "
			            "program, or above the stack, is not supported: ENOMEM\n",
			            p->pid, p->name);
			return -LX_ENOMEM;
		}
		if ((flags & LX_MAP_FIXED_NOREPLACE) && lx_areas_overlap(&p->areas, at, at + size))
			return -LX_EEXIST;
	} else if (!(at = place(p, addr, size))) {
		return -LX_ENOMEM;
	}
	/* A new mapping replaces what was there. */
	bool replaces = lx_areas_overlap(&p->areas, at, at + size);
	if (!lx_areas_map(&p->areas, at, at + size, area_prot))
		return -LX_ENOMEM;
	if (replaces)
		lx_pages_unmap(p, at, at + size);
	if (file && (err = fill_from_file(p, file, offset, at, size, (uint32_t)prot))) {
		lx_memory_unmap(p, at, at + size);
		return err;
	}
	return (int64_t)at;
}

/* Whether the page-aligned range [start, start + len) lies in the user
 * half: munmap's EINVAL. */
static bool user_range(uint64_t start, uint64_t len)
{
	return start < LX_TASK_SIZE && len <= LX_TASK_SIZE - start;
}

/* munmap(addr, length): checked as Linux does; a range with nothing
 * mapped in it is no error. */
int64_t lx_sys_munmap(lx_call_t *c)
{
	uint64_t addr = c->arg[0], len = c->arg[1];
	if ((addr & PAGE_MASK) || len == 0 || !user_range(addr, len))
		return -LX_EINVAL;
	return lx_memory_unmap(c->p, addr, addr + page_up(len)) ? 0 : -LX_ENOMEM;
}

/* mprotect with PROT_GROWSDOWN or PROT_GROWSUP: it asks to extend to the
 * area's end, and none of ours grows, so it is Linux's EINVAL, or ENOMEM
 * with nothing mapped there. */
static int64_t protect_growing(const lx_process_t *p, uint64_t start, uint64_t end)
{
	return start < p->brk_start || lx_areas_overlap(&p->areas, start, end) ? -LX_EINVAL :
	                                                                         -LX_ENOMEM;
}

/*
 * mprotect(addr, length, prot), in Linux's order of checks. The areas in
 * the range take prot up to the first hole, which is ENOMEM (Linux too
 * changes what lies before it). The image's part goes to proc as it is.
 */
int64_t lx_sys_mprotect(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t start = c->arg[0], len = c->arg[1], prot = c->arg[2];
	uint64_t grows = prot & (LX_PROT_GROWSDOWN | LX_PROT_GROWSUP);
	if (grows == (LX_PROT_GROWSDOWN | LX_PROT_GROWSUP) || (start & PAGE_MASK))
		return -LX_EINVAL;
	if (len == 0)
		return 0;
	uint64_t end = start + page_up(len);
	if (end <= start)
		return -LX_ENOMEM;
	if (prot & ~(uint64_t)PROT_KNOWN)
		return -LX_EINVAL;
	if (grows)
		return protect_growing(p, start, end);
	uint32_t access = (uint32_t)prot & LX_PROT_ACCESS;
	if (start < p->brk_start)
		lx_pages_protect(p, start, min_u64(end, p->brk_start), access);
	uint64_t from = start < p->brk_start ? p->brk_start : start;
	if (from >= end)
		return 0;
	uint64_t covered = lx_areas_covered_until(&p->areas, from, end);
	if (covered > from) {
		if (!lx_areas_protect(&p->areas, from, covered, access))
			return -LX_ENOMEM;
		lx_pages_protect(p, from, covered, access);
	}
	return covered < end ? -LX_ENOMEM : 0;
}

static bool all_zero(const uint64_t *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (w[i])
			return false;
	return true;
}

/*
 * Copy the pages of [from, from + size) (in an area of prot) to the same
 * offsets from to, in a new area without pages. Pages never touched, or
 * holding only zeros, are left out: the new ones read as zeros anyway.
 * False when proc has no memory for the copies.
 */
static bool copy_pages(lx_process_t *p, uint64_t from, uint64_t to, uint64_t size, uint32_t prot)
{
	static uint64_t page[LX_PAGE_SIZE / sizeof(uint64_t)];
	/* PROT_NONE pages hold their contents out of reach: let us read them. */
	bool hidden = !(prot & LX_PROT_ACCESS);
	if (hidden)
		lx_pages_protect(p, from, from + size, LX_PROT_READ);
	bool ok = true;
	for (uint64_t off = 0; ok && off < size; off += LX_PAGE_SIZE) {
		if (vspace_read(p->vspace, from + off, page, LX_PAGE_SIZE) ||
		    all_zero(page, sizeof(page) / sizeof(page[0])))
			continue;
		ok = lx_page_put(p, to + off, page, LX_PAGE_SIZE);
	}
	if (hidden)
		lx_pages_protect(p, from, from + size, prot);
	if (ok && !(prot & LX_PROT_WRITE))
		lx_pages_protect(p, to, to + size, prot);
	return ok;
}

/*
 * Move the mapping [old, old + old_size) (within one area, of prot) to
 * [to, to + new_size), which is free: its contents come along (as much as
 * fits), the old range is unmapped. The new address, or ENOMEM with
 * nothing changed.
 */
static int64_t move_mapping(lx_process_t *p, uint64_t old, uint64_t old_size, uint64_t to,
                            uint64_t new_size, uint32_t prot)
{
	if (!lx_areas_map(&p->areas, to, to + new_size, prot))
		return -LX_ENOMEM;
	if (!lx_areas_unmap(&p->areas, old, old + old_size)) {
		lx_areas_unmap(&p->areas, to, to + new_size); /* back as it was: fits */
		return -LX_ENOMEM;
	}
	if (!copy_pages(p, old, to, min_u64(old_size, new_size), prot)) {
		lx_areas_unmap(&p->areas, to, to + new_size);
		lx_areas_map(&p->areas, old, old + old_size, prot);
		lx_pages_unmap(p, to, to + new_size);
		return -LX_ENOMEM;
	}
	lx_pages_unmap(p, old, old + old_size);
	return (int64_t)to;
}

/* The area holding all of [old, old + old_size), for mremap: EFAULT when
 * none does, EINVAL for the size 0 that only shared mappings take. */
static int64_t mremap_source(const lx_process_t *p, uint64_t old, uint64_t old_size,
                             const lx_area_t **area)
{
	*area = lx_areas_find(&p->areas, old);
	if (!*area)
		return -LX_EFAULT;
	if (old_size == 0)
		return -LX_EINVAL;
	return old_size > (*area)->end - old ? -LX_EFAULT : 0;
}

/* mremap with MREMAP_FIXED: move to new_addr, replacing what is there.
 * (Linux unmaps the target before it checks the source; we check first,
 * so a failing call destroys nothing.) */
static int64_t mremap_fixed(lx_process_t *p, uint64_t old, uint64_t old_size, uint64_t new_size,
                            uint64_t new_addr)
{
	if ((new_addr & PAGE_MASK) || !user_range(new_addr, new_size))
		return -LX_EINVAL;
	if (old + old_size > new_addr && new_addr + new_size > old)
		return -LX_EINVAL; /* the two ranges overlap */
	const lx_area_t *a;
	int64_t err = mremap_source(p, old, old_size, &a);
	if (err)
		return err;
	uint32_t prot = a->prot;
	if (!fixed_allowed(p, new_addr, new_size)) {
		static bool logged;
		lx_log_once(
			&logged,
			"linux: pid %lu (%s): mremap to a fixed address in or below the program, "
			"or above the stack, is not supported: ENOMEM\n",
			p->pid, p->name);
		return -LX_ENOMEM;
	}
	if (!lx_memory_unmap(p, new_addr, new_addr + new_size))
		return -LX_ENOMEM;
	return move_mapping(p, old, old_size, new_addr, new_size, prot);
}

/*
 * mremap(old, old_size, new_size, flags, new_addr), in Linux's order of
 * checks: shrinking unmaps the tail; growing extends the area in place
 * when the pages after it are free, else moves the contents to a new
 * range when MREMAP_MAYMOVE allows (ENOMEM without it, as on Linux);
 * MREMAP_FIXED moves to new_addr. MREMAP_DONTUNMAP is not supported
 * (EINVAL, logged).
 */
int64_t lx_sys_mremap(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t old = c->arg[0], flags = c->arg[3], new_addr = c->arg[4];
	uint64_t old_size = page_up(c->arg[1]), new_size = page_up(c->arg[2]);
	if (flags & ~(uint64_t)(LX_MREMAP_MAYMOVE | LX_MREMAP_FIXED | LX_MREMAP_DONTUNMAP))
		return -LX_EINVAL;
	if ((flags & LX_MREMAP_FIXED) && !(flags & LX_MREMAP_MAYMOVE))
		return -LX_EINVAL;
	if ((old & PAGE_MASK) || new_size == 0 || new_size < c->arg[2] || old_size < c->arg[1])
		return -LX_EINVAL;
	if (flags & LX_MREMAP_DONTUNMAP) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): mremap with MREMAP_DONTUNMAP is not supported: "
		            "EINVAL\n",
		            p->pid, p->name);
		return -LX_EINVAL;
	}
	if (flags & LX_MREMAP_FIXED)
		return mremap_fixed(p, old, old_size, new_size, new_addr);
	if (new_size < old_size) {
		if (!user_range(old, old_size))
			return -LX_EINVAL;
		if (!lx_memory_unmap(p, old + new_size, old + old_size))
			return -LX_ENOMEM;
	}
	if (new_size <= old_size)
		return (int64_t)old;
	const lx_area_t *a;
	int64_t err = mremap_source(p, old, old_size, &a);
	if (err)
		return err;
	uint32_t prot = a->prot;
	uint64_t grow_from = old + old_size;
	if (grow_from == a->end && fixed_allowed(p, old, new_size) &&
	    !lx_areas_overlap(&p->areas, grow_from, old + new_size))
		return lx_areas_map(&p->areas, grow_from, old + new_size, prot) ? (int64_t)old :
		                                                                  -LX_ENOMEM;
	if (!(flags & LX_MREMAP_MAYMOVE))
		return -LX_ENOMEM;
	uint64_t to = place(p, 0, new_size);
	return to ? move_mapping(p, old, old_size, to, new_size, prot) : -LX_ENOMEM;
}
