/*
 * Making and unmaking processes. Every object comes from the process's own
 * chunks; frames and page tables are made in a scratch slot of proc's
 * CSpace (to invoke them) and then moved into the process's book CNodes.
 */
#include <atoll/objects.h>
#include <atoll/proto/proc.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/cpio.h>
#include <atoll_rt/elf.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/string.h>
#include <atoll_rt/vspace.h>

#include "linux_stack.h"

_Static_assert(LINUX_STACK_PAGE == PROC_STACK_INITIAL, "the initial Linux stack, as promised");
#include "log.h"
#include "pages.h"
#include "process.h"

#define PAGE 4096ULL
#define INITIAL_STACK_PAGES 4

process_t processes[PROCESS_MAX];
static uint64_t next_pid = 1;
static const void *archive;
static uint64_t archive_size;
static uint64_t proc_endpoint;
static uint64_t table_slot;     /* a page table on its way to a book */
static uint64_t ipc_frame_slot; /* a native thread's IPC buffer, for its TCB */

void process_set_archive(const void *a, uint64_t size)
{
	archive = a;
	archive_size = size;
}

const void *process_archive(uint64_t *size)
{
	*size = archive_size;
	return archive;
}

void process_set_endpoint(uint64_t ep)
{
	proc_endpoint = ep;
}

process_t *process_by_pid(uint64_t pid)
{
	for (unsigned i = 0; i < PROCESS_MAX; i++)
		if (processes[i].state != PROCESS_FREE && processes[i].pid == pid)
			return &processes[i];
	return NULL;
}

/* A proc slot holding a new object of the process's memory. */
atoll_error_t process_new_object(process_t *p, unsigned type, unsigned size_bits, uint64_t *slot)
{
	*slot = slot_alloc();
	if (!*slot)
		return ATOLL_E_NO_MEMORY;
	atoll_error_t err = memory_retype(&p->memory, type, size_bits, *slot);
	if (err) {
		slot_free(*slot);
		*slot = 0;
	}
	return err;
}

/* Make the page tables missing above vaddr in the process's VSpace. */
static atoll_error_t add_table(process_t *p, uint64_t vaddr)
{
	static const unsigned types[] = {ATOLL_OBJ_PDPT, ATOLL_OBJ_PD, ATOLL_OBJ_PT};
	for (unsigned i = 0; i < 3; i++) {
		atoll_error_t err = memory_retype(&p->memory, types[i], 0, table_slot);
		if (err)
			return err;
		err = page_table_map(table_slot, p->vspace, vaddr);
		if (err == ATOLL_E_OK)
			return pages_keep(p, table_slot);
		/* This level exists: the object is not needed (its memory returns
		 * with the process's chunks). */
		cnode_delete(ATOLL_SLOT_CNODE, table_slot);
		if (err != ATOLL_E_ALREADY_MAPPED)
			return err;
	}
	return ATOLL_E_ALREADY_MAPPED;
}

atoll_error_t process_map_frame(process_t *p, uint64_t frame, uint64_t vaddr, unsigned attrs)
{
	atoll_error_t err = frame_map(frame, p->vspace, vaddr, attrs);
	for (int level = 0; err == ATOLL_E_NOT_MAPPED && level < 3; level++) {
		if ((err = add_table(p, vaddr)))
			return err;
		err = frame_map(frame, p->vspace, vaddr, attrs);
	}
	return err;
}

static unsigned segment_rights(const elf_load_t *l)
{
	return ATOLL_MAP_READ | (l->flags & ELF_PF_W ? ATOLL_MAP_WRITE : 0) |
	       (l->flags & ELF_PF_X ? ATOLL_MAP_EXEC : 0);
}

/* Whether segment l has bytes in the page at va. */
static bool on_page(const elf_load_t *l, uint64_t va)
{
	return va < l->vaddr + l->memsz && va + PAGE > l->vaddr;
}

/* The bytes segment l has from its file in the page at va: *len of them
 * from *src, at *offset in the page (0 bytes past its file's end). */
static void file_bytes(const process_t *p, const elf_load_t *l, uint64_t va, const uint8_t **src,
                       size_t *offset, size_t *len)
{
	uint64_t lo = va > l->vaddr ? va : l->vaddr;
	uint64_t file_end = l->vaddr + l->filesz;
	uint64_t hi = va + PAGE < file_end ? va + PAGE : file_end;
	*src = p->image_file + l->offset + (lo - l->vaddr);
	*offset = lo - va;
	*len = hi > lo ? hi - lo : 0;
}

/* The page of p's program at va from its file: the bytes every segment on
 * it has there (zeros elsewhere) and their rights together. A page of one
 * segment, the usual, is filled straight from the file. */
static atoll_error_t add_image_page(process_t *p, uint64_t va)
{
	static uint8_t page[PAGE];
	const elf_load_t *on[ELF_LOAD_MAX];
	unsigned count = 0, rights = 0;
	for (unsigned s = 0; s < p->image_count; s++)
		if (on_page(&p->image[s], va)) {
			on[count++] = &p->image[s];
			rights |= segment_rights(&p->image[s]);
		}
	if (!count)
		return ATOLL_E_BAD_ADDRESS;
	const uint8_t *src;
	size_t offset, len;
	if (count == 1) {
		file_bytes(p, on[0], va, &src, &offset, &len);
		return pages_add(p, va, rights, src, offset, len);
	}
	memset(page, 0, PAGE);
	for (unsigned i = 0; i < count; i++) {
		file_bytes(p, on[i], va, &src, &offset, &len);
		memcpy(page + offset, src, len);
	}
	return pages_add(p, va, rights, page, 0, PAGE);
}

/* Every page of p's program, now (a native program's faults only page in
 * its stack and heap). */
static atoll_error_t load_image(process_t *p)
{
	for (unsigned s = 0; s < p->image_count; s++) {
		const elf_load_t *l = &p->image[s];
		for (uint64_t va = l->vaddr & ~(PAGE - 1); va < l->vaddr + l->memsz; va += PAGE) {
			atoll_error_t err = add_image_page(p, va);
			if (err && err != ATOLL_E_ALREADY_MAPPED) /* a page two segments share */
				return err;
		}
	}
	return ATOLL_E_OK;
}

atoll_error_t process_page_in_image(process_t *p, uint64_t start, uint64_t end)
{
	for (unsigned s = 0; p->image_file && s < p->image_count; s++) {
		const elf_load_t *l = &p->image[s];
		uint64_t from = (l->vaddr > start ? l->vaddr : start) & ~(PAGE - 1);
		uint64_t to = l->vaddr + l->memsz < end ? l->vaddr + l->memsz : end;
		for (uint64_t va = from; va < to; va += PAGE) {
			if (pages_has(p, va) || pages_gone(p, va))
				continue;
			atoll_error_t err = add_image_page(p, va);
			if (err)
				return err;
		}
	}
	return ATOLL_E_OK;
}

atoll_error_t process_touch(process_t *p, uint64_t vaddr, unsigned rights)
{
	if (p->image_file && !pages_has(p, vaddr) && !pages_gone(p, vaddr)) {
		atoll_error_t err = add_image_page(p, vaddr);
		if (err != ATOLL_E_BAD_ADDRESS)
			return err;
	}
	if (!rights && !pages_has(p, vaddr))
		return ATOLL_E_BAD_ADDRESS;
	return pages_touch(p, vaddr, rights);
}

/* The argument block: argc, argv pointers, NULL, envp pointers, NULL, then
 * the strings. */
static atoll_error_t add_arguments(process_t *p, const args_t *a)
{
	static uint64_t block[PAGE / 8];
	memset(block, 0, sizeof(block));
	size_t pointers = 8 * (1 + a->argc + 1 + a->envc + 1);
	if (pointers > PAGE)
		return ATOLL_E_RANGE;
	char *text = (char *)block + pointers;
	size_t used = pointers;
	uint64_t *w = block;
	*w++ = a->argc;
	const char *const *lists[2] = {a->argv, a->envp};
	unsigned counts[2] = {a->argc, a->envc};
	for (unsigned l = 0; l < 2; l++) {
		for (unsigned i = 0; i < counts[l]; i++) {
			size_t n = strlen(lists[l][i]) + 1;
			if (used + n > PAGE)
				return ATOLL_E_RANGE;
			memcpy(text, lists[l][i], n);
			*w++ = PROC_ARGS_VADDR + used;
			text += n;
			used += n;
		}
		*w++ = 0;
	}
	return pages_add(p, PROC_ARGS_VADDR, ATOLL_MAP_READ, block, 0, used);
}

atoll_error_t process_give(process_t *p, uint64_t index, uint64_t slot, unsigned rights)
{
	p->caps++;
	return cnode_copy(p->cnode, index, ATOLL_SLOT_CNODE, slot, rights);
}

/* Thread tcb's spaces (p's), priority, and fault endpoint: ep badged with badge. */
static atoll_error_t configure_tcb(process_t *p, uint64_t tcb, uint64_t ep, uint64_t badge,
                                   uint64_t ipc_vaddr, uint64_t ipc_frame)
{
	uint64_t fault_ep = slot_alloc();
	if (!fault_ep)
		return ATOLL_E_NO_MEMORY;
	atoll_error_t err = cnode_mint(ATOLL_SLOT_CNODE, fault_ep, ATOLL_SLOT_CNODE, ep,
	                               ATOLL_RIGHT_WRITE, badge);
	if (!err)
		err = tcb_configure(tcb, fault_ep, p->cnode, p->vspace, ipc_vaddr, ipc_frame);
	cnode_delete(ATOLL_SLOT_CNODE, fault_ep);
	slot_free(fault_ep);
	return err ? err : tcb_set_priority(tcb, ATOLL_SLOT_TCB, p->priority);
}

/* The process's first thread. */
static atoll_error_t configure_thread(process_t *p, uint64_t ep, uint64_t badge, uint64_t ipc_vaddr,
                                      uint64_t ipc_frame)
{
	return configure_tcb(p, p->tcb, ep, badge, ipc_vaddr, ipc_frame);
}

static atoll_error_t give_badged_proc(process_t *p, uint64_t index, uint64_t badge)
{
	p->caps++;
	/* Requests only: a process may not receive on proc's endpoint. Only
	 * services may send it capabilities (a notification for NS_WATCH). */
	uint64_t rights = ATOLL_RIGHT_WRITE | (p->service >= 0 ? ATOLL_RIGHT_GRANT : 0);
	return cnode_mint(p->cnode, index, ATOLL_SLOT_CNODE, proc_endpoint, rights, badge);
}

/* The rest of a native program: argument block, IPC buffer, its proc
 * connection, and registers for crt0 (rdi: arguments, rsi: the magic). */
static atoll_error_t start_native(process_t *p, const elf_info_t *elf, const args_t *a)
{
	atoll_error_t err;
	if ((err = add_arguments(p, a)) ||
	    (err = pages_add(p, PROC_IPC_BUFFER_VADDR, ATOLL_MAP_READ | ATOLL_MAP_WRITE, NULL, 0,
	                     0)) ||
	    (err = pages_frame_copy(p, PROC_IPC_BUFFER_VADDR, ipc_frame_slot)))
		return err;
	err = configure_thread(p, proc_endpoint, p->pid | FAULT_BADGE_BIT, PROC_IPC_BUFFER_VADDR,
	                       ipc_frame_slot);
	cnode_delete(ATOLL_SLOT_CNODE, ipc_frame_slot);
	if (err)
		return err;
	if ((err = process_give(p, PROC_SLOT_CNODE, p->cnode, ATOLL_RIGHTS_ALL)) ||
	    (err = process_give(p, PROC_SLOT_VSPACE, p->vspace, ATOLL_RIGHTS_ALL)) ||
	    (err = process_give(p, PROC_SLOT_TCB, p->tcb, ATOLL_RIGHTS_ALL)) ||
	    (err = give_badged_proc(p, PROC_SLOT_PROC, p->pid)))
		return err;
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RDI] = PROC_ARGS_VADDR;
	regs[ATOLL_REG_RSI] = PROC_START_MAGIC;
	regs[ATOLL_REG_RIP] = elf->entry;
	regs[ATOLL_REG_RSP] = PROC_STACK_TOP;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(p->tcb, 0, regs, ATOLL_REG_RFLAGS + 1);
}

/* The rest of a Linux program: the initial stack of the x86_64 Linux ABI
 * and a thread whose faults go to its manager. Its CNode stays empty. */
static atoll_error_t start_linux(process_t *p, const elf_info_t *elf, const args_t *a,
                                 uint64_t manager_endpoint)
{
	static uint8_t page[PAGE];
	uint64_t sp, random[2];
	/* AT_RANDOM seeds the program's stack protector and hash tables. */
	for (unsigned i = 0; i < 2; i++) {
		uint32_t lo, hi;
		__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
		random[i] = ((uint64_t)hi << 32 | lo) * 0x9e3779b97f4a7c15ULL;
	}
	if (!linux_stack_build(page, PROC_STACK_TOP, elf, a, (uint8_t *)random, &sp))
		return ATOLL_E_RANGE;
	atoll_error_t err = pages_add(p, PROC_STACK_TOP - PAGE, ATOLL_MAP_READ | ATOLL_MAP_WRITE,
	                              page, 0, PAGE);
	if (err ||
	    (err = configure_thread(p, manager_endpoint, p->pid | PROC_MANAGED_BADGE, 0, 0)) ||
	    (err = tcb_set_flags(p->tcb, ATOLL_TCB_FLAG_FOREIGN_SYSCALLS)))
		return err;
	uint64_t regs[ATOLL_REG_RFLAGS + 1] = {0};
	regs[ATOLL_REG_RIP] = elf->entry;
	regs[ATOLL_REG_RSP] = sp;
	regs[ATOLL_REG_RFLAGS] = 0x202;
	return tcb_write_registers(p->tcb, 0, regs, ATOLL_REG_RFLAGS + 1);
}

static atoll_error_t build(process_t *p, const spawn_request_t *req)
{
	const args_t *a = req->args;
	elf_info_t elf;
	if (req->image) {
		elf = *req->image;
	} else {
		cpio_entry_t file;
		if (cpio_find(archive, archive_size, a->path, &file) != 1)
			return ATOLL_E_INVALID_ARG;
		const char *why = elf_read(file.data, file.size, &elf);
		if (why) {
			log_printf("proc: %s: %s\n", a->path, why);
			return ATOLL_E_INVALID_ARG;
		}
		p->image_file = file.data;
		memcpy(p->image, elf.loads, sizeof(elf.loads));
		p->image_count = elf.nloads;
	}
	atoll_error_t err;
	if ((err = process_new_object(p, ATOLL_OBJ_CNODE, PROC_CNODE_RADIX, &p->cnode)) ||
	    (err = process_new_object(p, ATOLL_OBJ_VSPACE, 0, &p->vspace)) ||
	    (err = process_new_object(p, ATOLL_OBJ_TCB, 0, &p->tcb)) ||
	    (!p->manager && (err = load_image(p))))
		return err;
	/* The stack's top pages; the rest of the stack region pages in on demand. */
	for (unsigned i = 2; i <= INITIAL_STACK_PAGES; i++)
		if ((err = pages_add(p, PROC_STACK_TOP - i * PAGE, ATOLL_MAP_READ | ATOLL_MAP_WRITE,
		                     NULL, 0, 0)))
			return err;
	p->brk = (elf.end + PAGE - 1) & ~(PAGE - 1);
	if (p->manager)
		return start_linux(p, &elf, a, req->manager_endpoint);
	if ((err = pages_add(p, PROC_STACK_TOP - PAGE, ATOLL_MAP_READ | ATOLL_MAP_WRITE, NULL, 0,
	                     0)))
		return err;
	return start_native(p, &elf, a);
}

static process_t *free_entry(void)
{
	for (unsigned i = 0; i < PROCESS_MAX; i++)
		if (processes[i].state == PROCESS_FREE)
			return &processes[i];
	return NULL;
}

void process_rename(process_t *p, const char *name)
{
	size_t n = strlen(name);
	if (n >= NAME_MAX_LEN)
		n = NAME_MAX_LEN - 1;
	memcpy(p->name, name, n);
	p->name[n] = 0;
}

/* A program is named after its file. */
static const char *base_name(const char *path)
{
	const char *base = path;
	for (const char *c = path; *c; c++)
		if (*c == '/')
			base = c + 1;
	return base;
}

atoll_error_t process_spawn(const spawn_request_t *req, process_t **out)
{
	if (!table_slot &&
	    (!(table_slot = slot_alloc()) || !(ipc_frame_slot = slot_alloc()) || pages_init()))
		return ATOLL_E_NO_MEMORY;
	const args_t *args = req->args;
	process_t *p = free_entry();
	if (!p)
		return ATOLL_E_NO_MEMORY;
	memset(p, 0, sizeof(*p));
	p->pid = next_pid++;
	p->parent = req->parent;
	p->service = req->service;
	p->priority = req->priority;
	p->manager = req->manager;
	p->state = PROCESS_RUNNING;
	process_rename(p, base_name(args->path));
	*out = p;
	atoll_error_t err = build(p, req);
	if (err) {
		process_destroy(p, -1);
		process_reap(p);
	}
	return err;
}

atoll_error_t process_fork(process_t *parent, uint64_t manager_endpoint,
                           const uint64_t regs[ATOLL_REG_COUNT], process_t **out)
{
	process_t *p = free_entry();
	if (!p)
		return ATOLL_E_NO_MEMORY;
	memset(p, 0, sizeof(*p));
	p->pid = next_pid++;
	p->service = -1;
	p->priority = parent->priority;
	p->manager = parent->manager;
	p->brk = parent->brk;
	memcpy(p->image, parent->image, sizeof(p->image));
	p->image_count = parent->image_count;
	p->image_file = parent->image_file;
	p->state = PROCESS_RUNNING;
	process_rename(p, parent->name);
	*out = p;
	atoll_error_t err;
	if ((err = process_new_object(p, ATOLL_OBJ_CNODE, PROC_CNODE_RADIX, &p->cnode)) ||
	    (err = process_new_object(p, ATOLL_OBJ_VSPACE, 0, &p->vspace)) ||
	    (err = process_new_object(p, ATOLL_OBJ_TCB, 0, &p->tcb)) ||
	    (err = pages_share(parent, p)) ||
	    (err = configure_thread(p, manager_endpoint, p->pid | PROC_MANAGED_BADGE, 0, 0)) ||
	    (err = tcb_set_flags(p->tcb, ATOLL_TCB_FLAG_FOREIGN_SYSCALLS)) ||
	    (err = tcb_write_registers(p->tcb, 0, regs, ATOLL_REG_COUNT))) {
		process_destroy(p, -1);
		process_reap(p);
	}
	return err;
}

atoll_error_t process_add_thread(process_t *p, uint64_t manager_endpoint,
                                 const uint64_t regs[ATOLL_REG_COUNT], unsigned *number)
{
	unsigned t = 1;
	while (t < PROC_THREAD_MAX && (p->threads_running & (1u << t)))
		t++;
	if (t == PROC_THREAD_MAX)
		return ATOLL_E_NO_MEMORY;
	atoll_error_t err;
	/* A TCB stays with its number once made: a process that starts and
	 * ends threads all its life reuses the same few. */
	if (!p->threads[t] && (err = process_new_object(p, ATOLL_OBJ_TCB, 0, &p->threads[t])))
		return err;
	uint64_t badge = p->pid | (uint64_t)t << PROC_THREAD_SHIFT | PROC_MANAGED_BADGE;
	if ((err = configure_tcb(p, p->threads[t], manager_endpoint, badge, 0, 0)) ||
	    (err = tcb_set_flags(p->threads[t], ATOLL_TCB_FLAG_FOREIGN_SYSCALLS)) ||
	    (err = tcb_write_registers(p->threads[t], 0, regs, ATOLL_REG_COUNT)) ||
	    (err = tcb_resume(p->threads[t])))
		return err;
	p->threads_running |= 1u << t;
	*number = t;
	return ATOLL_E_OK;
}

atoll_error_t process_end_thread(process_t *p, uint64_t number)
{
	if (number == 0)
		return tcb_suspend(p->tcb);
	if (number >= PROC_THREAD_MAX || !(p->threads_running & (1u << number)))
		return ATOLL_E_NOT_FOUND;
	p->threads_running &= ~(1u << number);
	return tcb_suspend(p->threads[number]);
}

/* Every proc slot that named an object of the process is empty after the
 * revoke; give the slot numbers back. */
static void free_slots(process_t *p)
{
	uint64_t *slots[] = {&p->cnode, &p->vspace, &p->tcb, &p->endpoint};
	for (unsigned i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (*slots[i]) {
			slot_free(*slots[i]);
			*slots[i] = 0;
		}
	for (unsigned i = 0; i < p->nbook; i++)
		slot_free(p->book[i]);
	p->nbook = 0;
	for (unsigned i = 0; i < PROC_THREAD_MAX; i++)
		if (p->threads[i]) {
			slot_free(p->threads[i]);
			p->threads[i] = 0;
		}
	p->threads_running = 0;
}

void process_destroy(process_t *p, int64_t status)
{
	if (p->state != PROCESS_RUNNING)
		return;
	if (p->tcb)
		tcb_suspend(p->tcb);
	for (unsigned i = 0; i < PROC_THREAD_MAX; i++)
		if (p->threads[i])
			tcb_suspend(p->threads[i]);
	pages_release(p);
	/* Device capabilities are not made from the process's memory: they
	 * go with its CNode, which the revoke finalises. */
	memory_release(&p->memory);
	free_slots(p);
	p->status = status;
	p->state = PROCESS_ZOMBIE;
}

void process_reap(process_t *p)
{
	p->state = PROCESS_FREE;
}
