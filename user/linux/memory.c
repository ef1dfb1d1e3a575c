/*
 * A Linux process's memory. proc loads the program (its image: the ELF's
 * segments, all below brk_start) and builds its initial stack; everything
 * else lies in the process's areas (areas.h), which say what is mapped and
 * with which protection:
 *
 *   heap   [brk_start, brk rounded up to a page)    brk adds and removes areas
 *   mmap   [LX_MMAP_TOP - LX_MMAP_MAX, LX_MMAP_TOP)  where mmap places mappings
 *   stack  [PROC_STACK_TOP - PROC_STACK_MAX, PROC_STACK_TOP)  one area from the start
 *
 * An area's memory is anonymous and appears on first touch (a private file
 * mapping is such memory, filled from the file by mmap). proc holds the
 * pages and their rights, and is told of each change: a page fault in an
 * area that allows the access asks for the page (PROC_MAP_ANON with the
 * area's rights): a zeroed one where none was, or, for a write to a page
 * a fork shares copy-on-write, a private copy; the access is then retried.
 * munmap and brk give pages back (PROC_UNMAP_MANAGED), mprotect sets their
 * rights (PROC_PROTECT_MANAGED; PROT_NONE keeps the contents out of reach).
 * Any other fault is a segmentation fault: SEGV_ACCERR in an area that
 * does not allow the access or on a page that is there, SEGV_MAPERR
 * elsewhere. The system calls that change the areas are in mman.c.
 *
 * The image has no areas: proc keeps its pages and their rights, and
 * pages them in from the program's file on first touch (PROC_MAP_ANON
 * with rights 0, which is BAD_ADDRESS where no segment is, or where the
 * page was unmapped). A write fault on a page of it that is there asks
 * proc for a private copy all the same, and proc refuses (NO_RIGHTS)
 * unless the page may be written (the data of a forked process). munmap
 * and mprotect of the image go to proc as they are: glibc makes its relocated data read-only this way. mmap at a fixed
 * address may lie anywhere from brk_start up to PROC_STACK_TOP (the heap,
 * the stack and the free space between them), not in the image or below
 * it (ENOMEM, logged).
 *
 * Shared anonymous memory (MAP_SHARED, or of /dev/zero) is an area marked
 * LX_AREA_SHARED, whose pages proc makes with PROC_MAP_SHARED: a fork
 * shares them writable, so parent and child see each other's writes.
 *
 * Where this is not Linux: the stack is one area of PROC_STACK_MAX bytes
 * that does not grow; a shared mapping that mremap moves is copied, so it
 * is no longer shared with the processes it was; a file mapping is a copy
 * of the file made at mmap; mprotect of the image does not know its holes (no ENOMEM there),
 * and mremap cannot move it (EFAULT); an mmap address hint is taken when
 * the range is free and outside the heap's room to grow.
 */
#include "personality.h"

#include <atoll_rt/objects.h>

#define PAGE_MASK (LX_PAGE_SIZE - 1)
/* Faults of a thread on one page in a row, with no progress (proc made no
 * page) and no system call in between, before it counts as never taking. */
#define FAULT_REPEATS_MAX 4

/* x86 page-fault error code bits */
#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_FETCH 0x10

#define STACK_BOTTOM (PROC_STACK_TOP - PROC_STACK_MAX)

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

void lx_memory_start(lx_process_t *p, uint64_t brk)
{
	p->brk_start = page_up(brk);
	p->brk = p->brk_start;
	lx_areas_clear(&p->areas);
	lx_areas_map(&p->areas, STACK_BOTTOM, PROC_STACK_TOP, LX_PROT_READ | LX_PROT_WRITE);
	p->last_fault = 0;
	p->fault_repeats = 0;
}

uint64_t lx_memory_size(const lx_process_t *p)
{
	return lx_areas_size(&p->areas);
}

/* The rights proc gives the pages of an area of prot. On x86 a page that
 * may be written or executed may be read. */
static unsigned page_rights(uint32_t prot)
{
	unsigned rights = 0;
	if (prot & LX_PROT_ACCESS)
		rights |= ATOLL_MAP_READ;
	if (prot & LX_PROT_WRITE)
		rights |= ATOLL_MAP_WRITE;
	if (prot & LX_PROT_EXEC)
		rights |= ATOLL_MAP_EXEC;
	if (prot & LX_AREA_SHARED)
		rights |= PROC_MAP_SHARED;
	return rights;
}

/* Whether an area of prot allows access (one of LX_PROT_READ, _WRITE,
 * _EXEC): as on x86, any right lets the page be read. */
static bool prot_allows(uint32_t prot, uint32_t access)
{
	return access == LX_PROT_READ ? (prot & LX_PROT_ACCESS) != 0 : (prot & access) != 0;
}

/* Ask proc for the page at page (aligned) with rights: a zeroed one, or a
 * private copy of one shared copy-on-write. */
static atoll_error_t map_anon(lx_process_t *p, uint64_t page, unsigned rights)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_MAP_ANON, 0, 3),
	                 .w = {p->proc_pid, page, rights}};
	return atoll_rpc(PROC_SLOT_PROC, &m);
}

/* Tell proc to unmap the pages of [start, end), or to set their rights
 * (label PROC_UNMAP_MANAGED or PROC_PROTECT_MANAGED). Only the part where
 * proc maps pages is sent. Either cannot fail for a range we checked:
 * should proc refuse, the areas still decide what faults. */
static void change_pages(lx_process_t *p, uint64_t label, uint64_t start, uint64_t end,
                         unsigned rights)
{
	if (start < LX_PAGE_SIZE)
		start = LX_PAGE_SIZE;
	end = min_u64(end, PROC_STACK_TOP);
	if (start >= end)
		return;
	atoll_msg_t m = {.info = atoll_msginfo(label, 0, label == PROC_UNMAP_MANAGED ? 3 : 4),
	                 .w = {p->proc_pid, start, end - start, rights}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): proc refused to %s [0x%lx, 0x%lx): error %d\n",
		            p->pid, p->name, label == PROC_UNMAP_MANAGED ? "unmap" : "protect",
		            start, end, err);
	}
}

void lx_pages_unmap(lx_process_t *p, uint64_t start, uint64_t end)
{
	change_pages(p, PROC_UNMAP_MANAGED, start, end, 0);
}

void lx_pages_protect(lx_process_t *p, uint64_t start, uint64_t end, uint32_t prot)
{
	change_pages(p, PROC_PROTECT_MANAGED, start, end, page_rights(prot));
}

bool lx_page_put(lx_process_t *p, uint64_t page, const void *bytes, size_t len)
{
	atoll_error_t err = map_anon(p, page, ATOLL_MAP_READ | ATOLL_MAP_WRITE);
	return (!err || err == ATOLL_E_ALREADY_MAPPED) &&
	       !vspace_write(p->vspace, page, bytes, len);
}

bool lx_memory_share_all(lx_process_t *p)
{
	for (unsigned i = 0; i < p->areas.count; i++) {
		const lx_area_t *a = &p->areas.area[i];
		unsigned rights = page_rights(a->prot);
		if (!(a->prot & LX_AREA_SHARED) || !(rights & ATOLL_MAP_READ))
			continue; /* PROT_NONE: no page can be made (see mman.c) */
		for (uint64_t page = a->start; page < a->end; page += LX_PAGE_SIZE) {
			atoll_error_t err = map_anon(p, page, rights);
			if (err && err != ATOLL_E_ALREADY_MAPPED && err != ATOLL_E_NO_RIGHTS)
				return false;
		}
	}
	return true;
}

bool lx_memory_unmap(lx_process_t *p, uint64_t start, uint64_t end)
{
	bool has_pages = start < p->brk_start || lx_areas_overlap(&p->areas, start, end);
	if (!lx_areas_unmap(&p->areas, start, end))
		return false;
	if (has_pages)
		lx_pages_unmap(p, start, end);
	return true;
}

/* The access a page fault's error code tried: LX_PROT_READ, _WRITE or
 * _EXEC. */
static uint32_t fault_access(uint64_t code)
{
	if (code & PF_FETCH)
		return LX_PROT_EXEC;
	return code & PF_WRITE ? LX_PROT_WRITE : LX_PROT_READ;
}

/* Nothing more can be done for the page at addr: end the process. */
static void page_in_failed(lx_process_t *p, uint64_t addr, uint64_t rip, atoll_error_t err)
{
	char why[128];
	if (err == ATOLL_E_NO_MEMORY) {
		snprintf(why, sizeof(why), "out of memory at 0x%lx", addr);
		lx_process_kill(p, LX_SIGKILL, why);
	} else {
		snprintf(why, sizeof(why), "cannot page in 0x%lx (error %d), rip 0x%lx", addr, err,
		         rip);
		lx_process_kill(p, LX_SIGSEGV, why);
	}
}

bool lx_page_fault(lx_process_t *t, uint64_t addr, uint64_t code, uint64_t rip, int *segv)
{
	lx_process_t *p = lx_group(t);
	uint64_t page = addr & ~PAGE_MASK;
	uint32_t access = fault_access(code);
	const lx_area_t *a = lx_areas_find(&p->areas, addr);
	bool image = !a && addr < p->brk_start;
	bool image_write = image && (code & PF_PRESENT) && access == LX_PROT_WRITE;
	bool image_in = image && !(code & PF_PRESENT);
	*segv = 0;
	if (a ? !prot_allows(a->prot, access) : !(image_write || image_in)) {
		*segv = a || (code & PF_PRESENT) ? LX_SEGV_ACCERR : LX_SEGV_MAPERR;
		return false;
	}
	t->fault_repeats = page == t->last_fault ? t->fault_repeats + 1 : 0;
	t->last_fault = page;
	if (t->fault_repeats >= FAULT_REPEATS_MAX) {
		page_in_failed(p, addr, rip, ATOLL_E_ALREADY_MAPPED);
		return false;
	}
	unsigned rights = a        ? page_rights(a->prot) :
	                  image_in ? 0 :
	                             ATOLL_MAP_READ | ATOLL_MAP_WRITE;
	atoll_error_t err = map_anon(p, page, rights);
	if (!err)
		t->last_fault = 0; /* progress: a page a fork shares again faults anew */
	/* ALREADY_MAPPED: another thread's fault on the page was first; the
	 * access is retried. */
	if (!err || err == ATOLL_E_ALREADY_MAPPED)
		return true;
	if (err == ATOLL_E_NO_RIGHTS || (image_in && err == ATOLL_E_BAD_ADDRESS)) {
		*segv = err == ATOLL_E_NO_RIGHTS ? LX_SEGV_ACCERR : LX_SEGV_MAPERR;
		return false;
	}
	page_in_failed(p, addr, rip, err);
	return false;
}

/*
 * The personality is about to read or write (access) the page at addr for
 * the process and the kernel refused: make the page there as the
 * process's own access would (page it in, or copy it if a fork shares
 * it). False when the process would get a segmentation fault: EFAULT.
 */
static bool page_in_for_copy(lx_process_t *p, uint64_t addr, uint32_t access)
{
	const lx_area_t *a = lx_areas_find(&p->areas, addr);
	unsigned rights = ATOLL_MAP_READ | ATOLL_MAP_WRITE;
	if (a) {
		if (!prot_allows(a->prot, access))
			return false;
		rights = page_rights(a->prot);
	} else {
		/* The image: a page not there yet comes from the file; one
		 * that is there may be copied for a write (proc refuses a
		 * read-only one). */
		uint8_t byte;
		if (addr >= p->brk_start)
			return false;
		if (vspace_read(p->vspace, addr, &byte, 1))
			rights = 0;
		else if (access != LX_PROT_WRITE)
			return false;
	}
	atoll_error_t err = map_anon(p, addr & ~PAGE_MASK, rights);
	return !err || err == ATOLL_E_ALREADY_MAPPED;
}

/* One page at a time, so that a page can be paged in and the piece tried
 * again. */
static bool copy(lx_process_t *p, uint64_t addr, void *in, const void *out, size_t len)
{
	p = lx_group(p); /* a thread's memory is its process's */
	if (addr >= LX_TASK_SIZE || len > LX_TASK_SIZE - addr)
		return false;
	while (len) {
		size_t n = LX_PAGE_SIZE - (addr & PAGE_MASK);
		if (n > len)
			n = len;
		for (int tries = 0;; tries++) {
			atoll_error_t err = in ? vspace_read(p->vspace, addr, in, n) :
			                         vspace_write(p->vspace, addr, out, n);
			if (!err)
				break;
			if (err != ATOLL_E_BAD_ADDRESS || tries > 0 ||
			    !page_in_for_copy(p, addr, in ? LX_PROT_READ : LX_PROT_WRITE))
				return false;
		}
		addr += n;
		len -= n;
		if (in)
			in = (char *)in + n;
		else
			out = (const char *)out + n;
	}
	return true;
}

bool lx_copy_in(lx_process_t *p, void *dst, uint64_t addr, size_t len)
{
	return copy(p, addr, dst, NULL, len);
}

bool lx_copy_out(lx_process_t *p, uint64_t addr, const void *src, size_t len)
{
	return copy(p, addr, NULL, src, len);
}
