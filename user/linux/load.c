/*
 * Programs that only the ramfs holds (written, copied or downloaded into
 * it): proc loads programs from the boot archive, so for these it makes
 * the process with its initial stack (PROC_SPAWN_MANAGED_IMAGE) and we
 * load the segments: each page mapped writable (PROC_MAP_ANON), filled
 * from the file through the VSpace capability, then given its segment's
 * rights (PROC_PROTECT_MANAGED); the process starts when all is there.
 */
#include "personality.h"

#include <atoll_rt/elf.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

#define PAGE_MASK (LX_PAGE_SIZE - 1)
/* ELF header fields that say where the program headers are. */
#define EHDR_PHOFF 32
#define EHDR_PHENTSIZE 54
#define EHDR_PHNUM 56
#define EHDR_SIZE 64

static uint64_t page_down(uint64_t a)
{
	return a & ~PAGE_MASK;
}

static uint64_t page_up(uint64_t a)
{
	return (a + PAGE_MASK) & ~PAGE_MASK;
}

static unsigned load_rights(const elf_load_t *l)
{
	return ATOLL_MAP_READ | (l->flags & ELF_PF_W ? ATOLL_MAP_WRITE : 0) |
	       (l->flags & ELF_PF_X ? ATOLL_MAP_EXEC : 0);
}

/* The rights of the page at va: those of every segment on it. */
static unsigned page_rights(const elf_info_t *elf, uint64_t va)
{
	unsigned rights = 0;
	for (unsigned i = 0; i < elf->nloads; i++) {
		const elf_load_t *l = &elf->loads[i];
		if (va + LX_PAGE_SIZE > page_down(l->vaddr) && va < page_up(l->vaddr + l->memsz))
			rights |= load_rights(l);
	}
	return rights;
}

/* Read the ELF headers of node (which start its first page) into elf. */
static bool read_headers(lx_inode_t *node, elf_info_t *elf)
{
	static uint8_t head[LX_PAGE_SIZE];
	int64_t got = lx_ramfs_read(node, 0, head, sizeof(head));
	if (got < EHDR_SIZE)
		return false;
	uint64_t phoff;
	uint16_t phentsize, phnum;
	memcpy(&phoff, head + EHDR_PHOFF, sizeof(phoff));
	memcpy(&phentsize, head + EHDR_PHENTSIZE, sizeof(phentsize));
	memcpy(&phnum, head + EHDR_PHNUM, sizeof(phnum));
	/* elf_read looks at the program headers only: they must be here. */
	if (phoff > (uint64_t)got || (uint64_t)phentsize * phnum > (uint64_t)got - phoff)
		return false;
	return elf_read(head, node->size, elf) == NULL;
}

static atoll_error_t proc_call(uint64_t label, unsigned words, uint64_t w0, uint64_t w1,
                               uint64_t w2, uint64_t w3)
{
	atoll_msg_t m = {.info = atoll_msginfo(label, 0, words), .w = {w0, w1, w2, w3}};
	return atoll_rpc(PROC_SLOT_PROC, &m);
}

/* Segment l's pages in process pid (VSpace in vspace), filled from node. */
static atoll_error_t load_segment(uint64_t pid, uint64_t vspace, lx_inode_t *node,
                                  const elf_load_t *l)
{
	static uint8_t bytes[LX_PAGE_SIZE];
	for (uint64_t page = page_down(l->vaddr); page < l->vaddr + l->memsz;
	     page += LX_PAGE_SIZE) {
		atoll_error_t err =
			proc_call(PROC_MAP_ANON, 3, pid, page, ATOLL_MAP_READ | ATOLL_MAP_WRITE, 0);
		if (err && err != ATOLL_E_ALREADY_MAPPED) /* a page two segments share */
			return err;
		/* The file's bytes of this page; the rest stays zero. */
		uint64_t lo = page > l->vaddr ? page : l->vaddr;
		uint64_t file_end = l->vaddr + l->filesz;
		uint64_t hi = page + LX_PAGE_SIZE < file_end ? page + LX_PAGE_SIZE : file_end;
		if (hi <= lo)
			continue;
		int64_t got = lx_ramfs_read(node, l->offset + (lo - l->vaddr), bytes, hi - lo);
		if (got != (int64_t)(hi - lo))
			return ATOLL_E_INVALID_ARG; /* the file ends inside a segment */
		if ((err = vspace_write(vspace, lo, bytes, hi - lo)))
			return err;
	}
	return ATOLL_E_OK;
}

static atoll_error_t load(uint64_t pid, uint64_t vspace, lx_inode_t *node, const elf_info_t *elf)
{
	for (unsigned i = 0; i < elf->nloads; i++) {
		atoll_error_t err = load_segment(pid, vspace, node, &elf->loads[i]);
		if (err)
			return err;
	}
	/* Then the rights, in runs of pages with the same ones (a page two
	 * segments share gets both's). */
	for (unsigned i = 0; i < elf->nloads; i++) {
		const elf_load_t *l = &elf->loads[i];
		uint64_t end = page_up(l->vaddr + l->memsz);
		for (uint64_t page = page_down(l->vaddr); page < end;) {
			unsigned rights = page_rights(elf, page);
			uint64_t next = page + LX_PAGE_SIZE;
			while (next < end && page_rights(elf, next) == rights)
				next += LX_PAGE_SIZE;
			atoll_error_t err =
				proc_call(PROC_PROTECT_MANAGED, 4, pid, page, next - page, rights);
			if (err)
				return err;
			page = next;
		}
	}
	return proc_call(PROC_RESUME_MANAGED, 1, pid, 0, 0, 0);
}

atoll_error_t lx_spawn_image(const lx_args_t *a, uint64_t recv_slot, atoll_msg_t *m)
{
	elf_info_t elf;
	if (!read_headers(a->image, &elf))
		return ATOLL_E_INVALID_ARG;
	if (a->len > MSG_BYTES_MAX(6))
		return ATOLL_E_RANGE;
	*m = (atoll_msg_t){.w = {a->len, a->argc | (uint64_t)a->envc << 32, elf.entry,
	                         elf.phdr_vaddr, elf.phnum, elf.end}};
	unsigned words = msg_put_bytes(m, 6, a->bytes, a->len);
	m->info = atoll_msginfo(PROC_SPAWN_MANAGED_IMAGE, 0, words);
	atoll_error_t err = atoll_rpc_receiving(PROC_SLOT_PROC, m, recv_slot);
	if (err)
		return err;
	if (atoll_msginfo_caps(m->info) < 1)
		err = ATOLL_E_INVALID_CAP;
	else
		err = load(m->w[0], recv_slot, a->image, &elf);
	if (err) {
		printf("linux: loading %s failed: error %d\n", a->bytes, err);
		proc_call(PROC_END, 2, m->w[0], 128 + LX_SIGKILL, 0, 0);
		lx_process_drop_caps(recv_slot);
	}
	return err;
}
