/*
 * A Linux process's memory. proc loads the program and builds its initial
 * stack; everything else is anonymous memory that appears on first touch
 * (a private file mapping is such memory, filled from the file by mmap):
 *
 *   heap   [brk_start, brk rounded up to a page)   moved by brk
 *   mmap   [mmap_bottom, LX_MMAP_TOP)              grows down by mmap
 *   stack  [PROC_STACK_TOP - PROC_STACK_MAX, PROC_STACK_TOP)
 *
 * A page fault that is not a protection fault, in one of these, gets a
 * zeroed page from proc (PROC_MAP_ANON) and the access is retried. Any other
 * page fault is a segmentation fault.
 *
 * Nothing is ever unmapped yet (proc has no request to unmap a page of a
 * managed process): munmap returns 0 and leaves the pages where they are,
 * and the mmap area is never reused, so a later mmap still hands out pages
 * that read as zero. Memory given back this way returns to the system only
 * when the process ends. Protections are not kept either: every page is
 * read-write, so mprotect returns 0 and PROT_NONE guard pages do not fault.
 */
#include "personality.h"

#include <atoll_rt/objects.h>

#define PAGE_MASK (LX_PAGE_SIZE - 1)
/* Faults on one page in a row before it counts as never taking. */
#define FAULT_REPEATS_MAX 4

/* x86 page-fault error code bits */
#define PF_PRESENT 0x1
#define PF_WRITE 0x2
#define PF_FETCH 0x10

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

/* Whether [addr, addr + 1) lies in memory p owns and pages in on touch. */
static bool owned(const lx_process_t *p, uint64_t addr)
{
	return (addr >= p->brk_start && addr < page_up(p->brk)) ||
	       (addr >= p->mmap_bottom && addr < LX_MMAP_TOP) ||
	       (addr >= PROC_STACK_TOP - PROC_STACK_MAX && addr < PROC_STACK_TOP);
}

static atoll_error_t map_anon(lx_process_t *p, uint64_t page)
{
	atoll_msg_t m = {.info = atoll_msginfo(PROC_MAP_ANON, 0, 3),
	                 .w = {p->proc_pid, page, ATOLL_MAP_READ | ATOLL_MAP_WRITE}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if ((!err || err == ATOLL_E_ALREADY_MAPPED) && page >= PROC_STACK_TOP - PROC_STACK_MAX &&
	    page < p->stack_low)
		p->stack_low = page;
	return err;
}

bool lx_page_fault(lx_process_t *p, uint64_t addr, uint64_t code, uint64_t rip, bool *segv)
{
	*segv = false;
	uint64_t page = addr & ~PAGE_MASK;
	char why[128];
	bool cow = (code & PF_PRESENT) && (code & PF_WRITE) && !(code & PF_FETCH);
	if ((!(code & PF_PRESENT) && owned(p, addr)) || cow) {
		p->fault_repeats = page == p->last_fault ? p->fault_repeats + 1 : 0;
		p->last_fault = page;
		atoll_error_t err = p->fault_repeats < FAULT_REPEATS_MAX ? map_anon(p, page) :
		                                                           ATOLL_E_ALREADY_MAPPED;
		/* Another thread's fault at the same page may have mapped it
		 * first: the access is retried all the same, but only so often
		 * in a row without progress. */
		if (!err) {
			p->last_fault = 0;
			return true;
		}
		if (err == ATOLL_E_ALREADY_MAPPED && p->fault_repeats < FAULT_REPEATS_MAX)
			return true;
		if (err == ATOLL_E_NO_MEMORY) {
			snprintf(why, sizeof(why), "out of memory at 0x%lx", addr);
			lx_process_kill(p, LX_SIGKILL, why);
		} else {
			snprintf(why, sizeof(why), "cannot page in 0x%lx (error %d), rip 0x%lx",
			         addr, err, rip);
			lx_process_kill(p, LX_SIGSEGV, why);
		}
		return false;
	}
	/* Not the process's memory: SIGSEGV, which the caller raises (a
	 * handler may catch it). */
	*segv = true;
	return false;
}

/*
 * One page at a time, so that a page not yet touched can be paged in and
 * the piece tried again. A page that is mapped but refuses the access
 * (read-only, for a write) is not ours to page in: EFAULT.
 */
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
			if (err != ATOLL_E_BAD_ADDRESS || tries > 0 || (!owned(p, addr) && !out) ||
			    map_anon(p, addr & ~PAGE_MASK))
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

/*
 * Make [start, end) (page-aligned) read as zero again, as fresh anonymous
 * memory does: pages that are mapped are cleared; the others are zero when
 * they are first touched anyway.
 */
static void zero_pages(lx_process_t *p, uint64_t start, uint64_t end)
{
	static const char zeros[LX_PAGE_SIZE];
	for (uint64_t a = start; a < end; a += LX_PAGE_SIZE)
		vspace_write(p->vspace, a, zeros, LX_PAGE_SIZE);
}

/* Linux's brk: a break outside [brk_start, brk_start + LX_BRK_MAX] is
 * refused by returning the current one; brk(0) asks for it. */
int64_t lx_sys_brk(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t want = c->arg[0];
	if (want < p->brk_start || want > p->brk_start + LX_BRK_MAX)
		return (int64_t)p->brk;
	/* Memory given back and taken again must read as zero. */
	if (page_up(want) < page_up(p->brk))
		zero_pages(p, page_up(want), page_up(p->brk));
	p->brk = want;
	return (int64_t)want;
}

/* A fresh area of size bytes (page-aligned) at the bottom of the mmap
 * area, in *at; false when the area is full. */
static bool new_area(lx_process_t *p, uint64_t size, uint64_t *at)
{
	uint64_t floor = LX_MMAP_TOP - LX_MMAP_MAX;
	if (size > p->mmap_bottom - floor)
		return false;
	p->mmap_bottom -= size;
	*at = p->mmap_bottom;
	return true;
}

/* Whether [addr, addr + len) lies inside [start, end). */
static bool inside(uint64_t addr, uint64_t len, uint64_t start, uint64_t end)
{
	return addr >= start && addr < end && len <= end - addr;
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
                              uint64_t size)
{
	static uint8_t page[LX_PAGE_SIZE];
	for (uint64_t done = 0; done < size; done += LX_PAGE_SIZE) {
		int64_t got = lx_ramfs_read(file, offset + done, page, sizeof(page));
		if (got <= 0)
			return got;
		if (!lx_copy_out(p, at + done, page, (size_t)got))
			return -LX_ENOMEM;
	}
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
	uint64_t prot_known = LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC | LX_PROT_SEM |
	                      LX_PROT_GROWSDOWN | LX_PROT_GROWSUP;

	if (offset & PAGE_MASK)
		return -LX_EINVAL;
	if (!(flags & LX_MAP_ANONYMOUS) && !lx_fd_get(p, fd))
		return -LX_EBADF;
	if (len == 0)
		return -LX_EINVAL;
	if (prot & ~prot_known)
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
	/* Shared anonymous memory behaves as private: fork copies it too. */

	if (flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE)) {
		if (addr & PAGE_MASK)
			return -LX_EINVAL;
		/* musl's malloc maps a guard page at the start of the heap this way. */
		if (inside(addr, size, p->mmap_bottom, LX_MMAP_TOP) ||
		    inside(addr, size, p->brk_start, page_up(p->brk))) {
			if (flags & LX_MAP_FIXED_NOREPLACE)
				return -LX_EEXIST;
			zero_pages(p, addr, addr + size); /* a new mapping replaces the old */
			return file && (err = fill_from_file(p, file, offset, addr, size)) ?
			               err :
			               (int64_t)addr;
		}
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): mmap at a fixed address outside the heap and the "
		            "mmap area is not supported yet: ENOMEM\n",
		            p->pid, p->name);
		return -LX_ENOMEM;
	}

	/* Any address hint is ignored, as Linux may. */
	uint64_t at;
	if (!new_area(p, size, &at))
		return -LX_ENOMEM;
	if (file && (err = fill_from_file(p, file, offset, at, size)))
		return err;
	return (int64_t)at;
}

/*
 * mremap(old, old_size, new_size, flags): shrinking keeps the address
 * (the tail stays mapped, as munmap leaves pages: see the top); growing
 * moves the contents to a new area when MREMAP_MAYMOVE allows, else it is
 * ENOMEM, which Linux also answers when a mapping cannot grow in place.
 * Pages of the old area that read as zeros are not copied: the new ones
 * read as zeros anyway. MREMAP_FIXED and MREMAP_DONTUNMAP are not
 * supported yet (EINVAL, logged).
 */
int64_t lx_sys_mremap(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t old = c->arg[0], flags = c->arg[3];
	uint64_t old_size = page_up(c->arg[1]), new_size = page_up(c->arg[2]);
	if (flags & ~(uint64_t)(LX_MREMAP_MAYMOVE | LX_MREMAP_FIXED | LX_MREMAP_DONTUNMAP))
		return -LX_EINVAL;
	if ((flags & LX_MREMAP_FIXED) && !(flags & LX_MREMAP_MAYMOVE))
		return -LX_EINVAL;
	if ((old & PAGE_MASK) || new_size == 0 || new_size < c->arg[2] || old_size < c->arg[1])
		return -LX_EINVAL;
	if (flags & (LX_MREMAP_FIXED | LX_MREMAP_DONTUNMAP)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): mremap with MREMAP_FIXED or MREMAP_DONTUNMAP is "
		            "not supported yet: EINVAL\n",
		            p->pid, p->name);
		return -LX_EINVAL;
	}
	if (old_size == 0) /* duplicating works on shared mappings only */
		return -LX_EINVAL;
	if (!inside(old, old_size, p->mmap_bottom, LX_MMAP_TOP) &&
	    !inside(old, old_size, p->brk_start, page_up(p->brk)))
		return -LX_EFAULT;
	if (new_size <= old_size)
		return (int64_t)old;
	if (!(flags & LX_MREMAP_MAYMOVE))
		return -LX_ENOMEM;
	uint64_t at;
	if (!new_area(p, new_size, &at))
		return -LX_ENOMEM;
	static uint64_t page[LX_PAGE_SIZE / sizeof(uint64_t)];
	for (uint64_t off = 0; off < old_size; off += LX_PAGE_SIZE) {
		if (!lx_copy_in(p, page, old + off, LX_PAGE_SIZE))
			return -LX_EFAULT;
		bool zero = true;
		for (size_t i = 0; zero && i < LX_PAGE_SIZE / sizeof(uint64_t); i++)
			zero = page[i] == 0;
		if (!zero && !lx_copy_out(p, at + off, page, LX_PAGE_SIZE))
			return -LX_ENOMEM;
	}
	return (int64_t)at;
}

/* munmap: checked as Linux does, then a success that unmaps nothing (see
 * the top of this file). */
int64_t lx_sys_munmap(lx_call_t *c)
{
	uint64_t addr = c->arg[0], len = c->arg[1];
	if ((addr & PAGE_MASK) || len == 0 || addr >= LX_TASK_SIZE || len > LX_TASK_SIZE - addr)
		return -LX_EINVAL;
	return 0;
}

/* mprotect: checked as Linux does; protections are not kept (see above). */
int64_t lx_sys_mprotect(lx_call_t *c)
{
	uint64_t addr = c->arg[0], len = c->arg[1], prot = c->arg[2];
	uint64_t prot_known = LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC | LX_PROT_SEM |
	                      LX_PROT_GROWSDOWN | LX_PROT_GROWSUP;
	if ((addr & PAGE_MASK) || (prot & ~prot_known))
		return -LX_EINVAL;
	if (page_up(len) < len)
		return -LX_ENOMEM;
	return 0;
}
