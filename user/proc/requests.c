/*
 * The proc protocol, server side. Every message is checked before use:
 * lengths against the message, pids against the table, authority against
 * the caller. A malformed request gets an error reply; proc never trusts a
 * word it was sent.
 */
#include <atoll/bootinfo.h>
#include <atoll/invocations.h>
#include <atoll/objects.h>
#include <atoll/proto/proc.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

#include "log.h"
#include "namespace.h"
#include "pages.h"
#include "requests.h"
#include "services.h"

#define PAGE 4096ULL
#define REPLY_POOL 32
#define KILLED_STATUS (-9)
#define DEBUG_EXIT_PORT 0xf4
#define RESET_PORT 0x64

typedef enum outcome {
	ANSWER, /* reply now with the message as filled in */
	DEFER,  /* keep the Reply object: the answer comes later */
	SILENT, /* the caller is gone: nothing to answer */
} outcome_t;

typedef struct request {
	atoll_msg_t *m;
	unsigned length; /* words received */
	process_t *caller;
	unsigned reply; /* index in the pool */
} request_t;

typedef struct waiter {
	bool used;
	unsigned reply;
	uint64_t pid, target; /* who waits, for whom (0: any child) */
} waiter_t;

static uint64_t endpoint;
static uint64_t reply_slot[REPLY_POOL];
static bool reply_held[REPLY_POOL];
static waiter_t waiters[REPLY_POOL];
static ns_t ns;
static uint64_t transfer_slot;     /* an endpoint on its way to a client */
static uint64_t tcb_transfer_slot; /* a managed process's TCB, to its manager */
static uint64_t receive_slot;      /* a capability a client sent (NS_WATCH) */

/* NS_WATCH: owner's notification (in slot) is signalled when a server
 * registers a prefix serving path. */
typedef struct ns_watch {
	bool used;
	uint64_t owner;
	uint64_t slot;
	char path[PROC_PATH_MAX];
	size_t len;
} ns_watch_t;

static ns_watch_t watches[NS_WATCH_MAX];

void requests_init(void)
{
	if (object_alloc(ATOLL_OBJ_ENDPOINT, 0, &endpoint))
		log_printf("proc: no memory for its endpoint\n");
	for (unsigned i = 0; i < REPLY_POOL; i++)
		object_alloc(ATOLL_OBJ_REPLY, 0, &reply_slot[i]);
	transfer_slot = slot_alloc();
	tcb_transfer_slot = slot_alloc();
	receive_slot = slot_alloc();
	for (unsigned i = 0; i < NS_WATCH_MAX; i++)
		watches[i].slot = slot_alloc();
	process_set_endpoint(endpoint);
}

static atoll_error_t answer(request_t *r, atoll_error_t err, unsigned words)
{
	r->m->info = atoll_msginfo(err, 0, err ? 0 : words);
	return err;
}

/* A string argument: w0 bytes from word 1, within the message and max. */
static bool get_string(request_t *r, char *buf, size_t max, size_t *len)
{
	uint64_t n = r->m->w[0];
	if (r->length < 1 || n > max || n > (uint64_t)(r->length - 1) * 8)
		return false;
	msg_get_bytes(r->m, 1, buf, n);
	*len = n;
	return true;
}

/* --- processes ------------------------------------------------------------ */

static void finish_wait(waiter_t *w, process_t *child)
{
	atoll_msg_t m = {.info = atoll_msginfo(ATOLL_E_OK, 0, 2), .w = {child->pid, child->status}};
	atoll_reply(reply_slot[w->reply], &m);
	reply_held[w->reply] = false;
	w->used = false;
	process_reap(child);
}

/* A zombie's status goes to a waiting parent, or nowhere if proc is the parent. */
static void deliver_status(process_t *child)
{
	if (child->parent == 0) {
		process_reap(child);
		return;
	}
	for (unsigned i = 0; i < REPLY_POOL; i++) {
		waiter_t *w = &waiters[i];
		if (w->used && w->pid == child->parent && (!w->target || w->target == child->pid)) {
			finish_wait(w, child);
			return;
		}
	}
}

/* The one way a process ends: reclaim it, tell its parent, orphan its
 * children, drop its namespace entries and waits, supervise. */
static void end_process(process_t *p, int64_t status, bool killed)
{
	uint64_t pid = p->pid;
	p->killed = killed;
	process_destroy(p, status);
	ns_remove_owner(&ns, pid);
	for (unsigned i = 0; i < NS_WATCH_MAX; i++)
		if (watches[i].used && watches[i].owner == pid) {
			cnode_delete(ATOLL_SLOT_CNODE, watches[i].slot);
			watches[i].used = false;
		}
	for (unsigned i = 0; i < REPLY_POOL; i++)
		if (waiters[i].used && waiters[i].pid == pid) {
			reply_held[waiters[i].reply] = false;
			waiters[i].used = false;
		}
	for (unsigned i = 0; i < PROCESS_MAX; i++) {
		process_t *c = &processes[i];
		if (c->state != PROCESS_FREE && c->parent == pid) {
			c->parent = 0;
			if (c->state == PROCESS_ZOMBIE)
				process_reap(c);
		}
		/* Its faults would go nowhere: a managed process dies with its manager. */
		if (c->state == PROCESS_RUNNING && c->manager == pid)
			end_process(c, KILLED_STATUS, true);
	}
	service_died(p);
	deliver_status(p);
}

static outcome_t do_spawn(request_t *r)
{
	char args[PROC_ARGS_MAX];
	size_t len;
	if (!get_string(r, args, sizeof(args), &len) || len == 0 || args[len - 1] != 0) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	static args_t split;
	if (!args_split(args, len, &split)) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	process_t *p;
	spawn_request_t req = {&split, r->caller->pid, -1, r->caller->priority, 0, 0, NULL};
	atoll_error_t err = process_spawn(&req, &p);
	if (!err && (err = tcb_resume(p->tcb)))
		end_process(p, -1, true);
	r->m->w[0] = err ? 0 : p->pid;
	answer(r, err == ATOLL_E_INVALID_ARG ? ATOLL_E_NOT_FOUND : err, 1);
	return ANSWER;
}

/* Send the manager p's VSpace (in transfer_slot already) and, when it can
 * be copied, its TCB: how many capabilities go. */
static unsigned send_managed_caps(const process_t *p)
{
	atoll_ipc_buffer_ptr->send_caps[0] = transfer_slot;
	if (cnode_copy(ATOLL_SLOT_CNODE, tcb_transfer_slot, ATOLL_SLOT_CNODE, p->tcb,
	               ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE))
		return 1;
	atoll_ipc_buffer_ptr->send_caps[1] = tcb_transfer_slot;
	return 2;
}

/* What PROC_SPAWN_MANAGED_IMAGE says of the program, checked: every
 * address in the program's part of the address space. */
static bool image_info(const request_t *r, elf_info_t *elf)
{
	const uint64_t limit = PROC_STACK_TOP - PROC_STACK_MAX;
	*elf = (elf_info_t){.entry = r->m->w[2],
	                    .phdr_vaddr = r->m->w[3],
	                    .phnum = (unsigned)r->m->w[4],
	                    .end = r->m->w[5]};
	return elf->entry < limit && elf->phdr_vaddr < limit && r->m->w[4] <= UINT16_MAX &&
	       elf->end < limit;
}

/* A Linux program for its manager: the reply carries its VSpace and TCB.
 * PROC_SPAWN_MANAGED's runs at once; PROC_SPAWN_MANAGED_IMAGE's waits for
 * its manager to load it. */
static outcome_t do_spawn_managed(request_t *r, uint64_t label)
{
	char args[PROC_MANAGED_ARGS_MAX];
	static args_t split;
	if (!r->caller->endpoint) {
		answer(r, ATOLL_E_NO_RIGHTS, 0); /* only a service can serve faults */
		return ANSWER;
	}
	bool loaded_by_caller = label == PROC_SPAWN_MANAGED_IMAGE;
	unsigned first = loaded_by_caller ? 6 : 2; /* the word the strings start at */
	elf_info_t image;
	uint64_t len = r->m->w[0], counts = r->m->w[1];
	if (r->length < first || len > sizeof(args) || len > (uint64_t)(r->length - first) * 8 ||
	    (loaded_by_caller && !image_info(r, &image))) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	msg_get_bytes(r->m, first, args, len);
	if (!args_split_counted(args, len, (uint32_t)counts, (uint32_t)(counts >> 32), &split)) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	process_t *p;
	uint64_t priority = r->caller->priority < PROC_MANAGED_PRIORITY ? r->caller->priority :
	                                                                  PROC_MANAGED_PRIORITY;
	spawn_request_t req = {&split,
	                       0,
	                       -1,
	                       priority,
	                       r->caller->pid,
	                       r->caller->endpoint,
	                       loaded_by_caller ? &image : NULL};
	atoll_error_t err = process_spawn(&req, &p);
	if (!err)
		err = cnode_copy(ATOLL_SLOT_CNODE, transfer_slot, ATOLL_SLOT_CNODE, p->vspace,
		                 ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE);
	if (!err && !loaded_by_caller && (err = tcb_resume(p->tcb)))
		end_process(p, -1, true);
	if (err) {
		answer(r, err == ATOLL_E_INVALID_ARG && !loaded_by_caller ? ATOLL_E_NOT_FOUND : err,
		       0);
		return ANSWER;
	}
	r->m->w[0] = p->pid;
	r->m->w[1] = p->brk;
	r->m->info = atoll_msginfo(ATOLL_E_OK, send_managed_caps(p), 2);
	return ANSWER;
}

/* The process named in w0, if the caller manages it and sent at least
 * `words` words. */
static process_t *managed_by_caller(request_t *r, unsigned words)
{
	process_t *p = r->length >= words ? process_by_pid(r->m->w[0]) : NULL;
	if (p && p->state == PROCESS_RUNNING && p->manager == r->caller->pid)
		return p;
	answer(r, ATOLL_E_NOT_FOUND, 0);
	return NULL;
}

static outcome_t do_map_anon(request_t *r)
{
	process_t *p = managed_by_caller(r, 3);
	if (!p)
		return ANSWER;
	uint64_t addr = r->m->w[1];
	if (addr < 4096 || addr >= PROC_STACK_TOP) {
		answer(r, ATOLL_E_BAD_ADDRESS, 0);
		return ANSWER;
	}
	answer(r, process_touch(p, addr & ~(PAGE - 1), (unsigned)r->m->w[2]), 0);
	return ANSWER;
}

/* PROC_UNMAP_MANAGED and PROC_PROTECT_MANAGED. */
static outcome_t do_change_pages(request_t *r, uint64_t label)
{
	bool protect = label == PROC_PROTECT_MANAGED;
	process_t *p = managed_by_caller(r, protect ? 4 : 3);
	if (!p)
		return ANSWER;
	uint64_t start = r->m->w[1], len = r->m->w[2];
	atoll_error_t err;
	if ((start | len) & (PAGE - 1))
		err = ATOLL_E_ALIGNMENT;
	else if (start >= PROC_STACK_TOP || len > PROC_STACK_TOP - start)
		err = ATOLL_E_BAD_ADDRESS;
	else if (!(err = process_page_in_image(p, start, start + len)))
		err = protect ? pages_protect(p, start, start + len, (unsigned)r->m->w[3]) :
		                pages_unmap(p, start, start + len);
	answer(r, err, 0);
	return ANSWER;
}

static outcome_t do_fork_managed(request_t *r)
{
	process_t *parent = managed_by_caller(r, 1 + ATOLL_REG_COUNT);
	if (!parent)
		return ANSWER;
	uint64_t regs[ATOLL_REG_COUNT];
	for (unsigned i = 0; i < ATOLL_REG_COUNT; i++)
		regs[i] = msg_word(r->m, 1 + i);
	process_t *child;
	atoll_error_t err = process_fork(parent, r->caller->endpoint, regs, &child);
	if (!err)
		err = cnode_copy(ATOLL_SLOT_CNODE, transfer_slot, ATOLL_SLOT_CNODE, child->vspace,
		                 ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE);
	if (err) {
		answer(r, err, 0);
		return ANSWER;
	}
	r->m->w[0] = child->pid;
	r->m->info = atoll_msginfo(ATOLL_E_OK, send_managed_caps(child), 1);
	return ANSWER;
}

static outcome_t do_resume_managed(request_t *r)
{
	process_t *p = managed_by_caller(r, 1);
	if (p)
		answer(r, tcb_resume(p->tcb), 0);
	return ANSWER;
}

static outcome_t do_thread_managed(request_t *r)
{
	process_t *p = managed_by_caller(r, 1 + ATOLL_REG_COUNT);
	if (!p)
		return ANSWER;
	uint64_t regs[ATOLL_REG_COUNT];
	for (unsigned i = 0; i < ATOLL_REG_COUNT; i++)
		regs[i] = msg_word(r->m, 1 + i);
	unsigned number = 0;
	atoll_error_t err = process_add_thread(p, r->caller->endpoint, regs, &number);
	r->m->w[0] = number;
	answer(r, err, 1);
	/* Its TCB for the manager, which stops it to deliver signals. */
	if (!err && !cnode_copy(ATOLL_SLOT_CNODE, tcb_transfer_slot, ATOLL_SLOT_CNODE,
	                        p->threads[number], ATOLL_RIGHT_READ | ATOLL_RIGHT_WRITE)) {
		atoll_ipc_buffer_ptr->send_caps[0] = tcb_transfer_slot;
		r->m->info = atoll_msginfo(ATOLL_E_OK, 1, 1);
	}
	return ANSWER;
}

static outcome_t do_vfork_done(request_t *r)
{
	process_t *child = managed_by_caller(r, 2);
	if (!child)
		return ANSWER;
	process_t *parent = process_by_pid(r->m->w[1]);
	if (!parent || parent == child || parent->state != PROCESS_RUNNING ||
	    parent->manager != r->caller->pid) {
		answer(r, ATOLL_E_NOT_FOUND, 0);
		return ANSWER;
	}
	answer(r, pages_copy_back(child, parent), 0);
	return ANSWER;
}

static outcome_t do_end_thread(request_t *r)
{
	process_t *p = managed_by_caller(r, 2);
	if (p)
		answer(r, process_end_thread(p, r->m->w[1]), 0);
	return ANSWER;
}

static outcome_t do_end(request_t *r)
{
	process_t *p = managed_by_caller(r, 2);
	if (!p)
		return ANSWER;
	end_process(p, (int64_t)r->m->w[1], false);
	answer(r, ATOLL_E_OK, 0);
	return ANSWER;
}

static outcome_t do_wait(request_t *r)
{
	uint64_t target = r->length >= 1 ? r->m->w[0] : 0;
	bool has_child = false;
	for (unsigned i = 0; i < PROCESS_MAX; i++) {
		process_t *c = &processes[i];
		if (c->state == PROCESS_FREE || c->parent != r->caller->pid)
			continue;
		if (target && c->pid != target)
			continue;
		has_child = true;
		if (c->state == PROCESS_ZOMBIE) {
			r->m->w[0] = c->pid;
			r->m->w[1] = c->status;
			process_reap(c);
			answer(r, ATOLL_E_OK, 2);
			return ANSWER;
		}
	}
	if (!has_child) {
		answer(r, ATOLL_E_NOT_FOUND, 0);
		return ANSWER;
	}
	/* One Reply object always stays free for the next request. */
	unsigned held = 0;
	for (unsigned i = 0; i < REPLY_POOL; i++)
		held += reply_held[i];
	for (unsigned i = 0; i < REPLY_POOL && held < REPLY_POOL - 1; i++) {
		if (!waiters[i].used) {
			waiters[i] = (waiter_t){true, r->reply, r->caller->pid, target};
			return DEFER;
		}
	}
	answer(r, ATOLL_E_BUSY, 0);
	return ANSWER;
}

static bool is_service(const process_t *p)
{
	return p->service >= 0;
}

static outcome_t do_kill(request_t *r)
{
	process_t *target = r->length >= 1 ? process_by_pid(r->m->w[0]) : NULL;
	if (!target || target->state != PROCESS_RUNNING) {
		answer(r, ATOLL_E_NOT_FOUND, 0);
		return ANSWER;
	}
	/* A managed process ends through its manager, who must know. */
	bool allowed = target->manager ? target->manager == r->caller->pid :
	                                 target->parent == r->caller->pid ||
	                                         is_service(r->caller) || target == r->caller;
	if (!allowed) {
		answer(r, ATOLL_E_NO_RIGHTS, 0);
		return ANSWER;
	}
	log_printf("proc: pid %lu (%s) killed by pid %lu\n", target->pid, target->name,
	           r->caller->pid);
	bool self = target == r->caller;
	end_process(target, KILLED_STATUS, true);
	if (self)
		return SILENT;
	answer(r, ATOLL_E_OK, 0);
	return ANSWER;
}

static outcome_t do_info(request_t *r)
{
	uint64_t index = r->length >= 1 ? r->m->w[0] : 0;
	for (unsigned i = 0; i < PROCESS_MAX; i++) {
		const process_t *p = &processes[i];
		if (p->state == PROCESS_FREE || index-- != 0)
			continue;
		size_t n = strlen(p->name);
		r->m->w[0] = p->pid;
		r->m->w[1] = p->state == PROCESS_RUNNING ? PROC_STATE_RUNNING : PROC_STATE_ZOMBIE;
		r->m->w[2] = p->priority;
		r->m->w[3] = p->memory.count * memory_chunk_bytes();
		r->m->w[4] = p->caps;
		r->m->w[5] = n;
		answer(r, ATOLL_E_OK, msg_put_bytes(r->m, 6, p->name, n));
		return ANSWER;
	}
	answer(r, ATOLL_E_RANGE, 0);
	return ANSWER;
}

static outcome_t do_restart(request_t *r)
{
	char name[MANIFEST_NAME_MAX + 1];
	size_t len;
	if (!is_service(r->caller)) {
		answer(r, ATOLL_E_NO_RIGHTS, 0);
		return ANSWER;
	}
	if (!get_string(r, name, sizeof(name) - 1, &len)) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	name[len] = 0;
	const manifest_service_t *s = manifest_find(&manifest, name);
	if (!s) {
		answer(r, ATOLL_E_NOT_FOUND, 0);
		return ANSWER;
	}
	unsigned index = s - manifest.services;
	bool restarting_caller = r->caller->service == (int)index;
	for (unsigned i = 0; i < PROCESS_MAX; i++) {
		process_t *p = &processes[i];
		if (p->state == PROCESS_RUNNING && p->service == (int)index) {
			/* Stop it without its own policy deciding: restart is explicit. */
			p->service = -1;
			end_process(p, KILLED_STATUS, true);
		}
	}
	log_printf("proc: restarting %s on request\n", name);
	atoll_error_t err = service_start(index);
	if (restarting_caller)
		return SILENT;
	answer(r, err, 0);
	return ANSWER;
}

/* --- the namespace -------------------------------------------------------- */

/* owner registered a prefix: signal the watches of paths it now serves.
 * A watch whose capability cannot be signalled (not a notification, say)
 * is dropped. */
static void signal_watches(uint64_t owner)
{
	for (unsigned i = 0; i < NS_WATCH_MAX; i++) {
		ns_watch_t *w = &watches[i];
		if (!w->used)
			continue;
		const ns_entry_t *e = ns_lookup(&ns, w->path, w->len);
		if (!e || e->owner != owner)
			continue;
		if (atoll_signal(w->slot)) {
			cnode_delete(ATOLL_SLOT_CNODE, w->slot);
			w->used = false;
		}
	}
}

static outcome_t do_register(request_t *r)
{
	char prefix[NS_PREFIX_MAX];
	size_t len;
	if (!get_string(r, prefix, sizeof(prefix) - 1, &len)) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	prefix[len] = 0;
	if (!r->caller->endpoint || !service_may_serve(r->caller, prefix, len)) {
		answer(r, ATOLL_E_NO_RIGHTS, 0);
		return ANSWER;
	}
	ns_result_t res = ns_add(&ns, prefix, len, r->caller->pid, r->caller->endpoint);
	static const atoll_error_t errors[] = {[NS_OK] = ATOLL_E_OK,
	                                       [NS_TAKEN] = ATOLL_E_BUSY,
	                                       [NS_FULL] = ATOLL_E_NO_MEMORY,
	                                       [NS_INVALID] = ATOLL_E_INVALID_ARG};
	if (res == NS_OK) {
		log_printf("proc: %s (pid %lu) serves %s\n", r->caller->name, r->caller->pid,
		           prefix);
		signal_watches(r->caller->pid);
	}
	answer(r, errors[res], 0);
	return ANSWER;
}

static outcome_t do_watch(request_t *r)
{
	ns_watch_t *w = NULL;
	char path[PROC_PATH_MAX];
	size_t len;
	if (!get_string(r, path, sizeof(path), &len)) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	if (atoll_msginfo_caps(r->m->info) < 1) {
		answer(r, ATOLL_E_INVALID_CAP, 0);
		return ANSWER;
	}
	for (unsigned i = 0; i < NS_WATCH_MAX && !w; i++)
		if (watches[i].used && watches[i].owner == r->caller->pid &&
		    watches[i].len == len && !memcmp(watches[i].path, path, len))
			w = &watches[i];
	for (unsigned i = 0; i < NS_WATCH_MAX && !w; i++)
		if (!watches[i].used)
			w = &watches[i];
	if (!w) {
		answer(r, ATOLL_E_BUSY, 0);
		return ANSWER;
	}
	cnode_delete(ATOLL_SLOT_CNODE, w->slot);
	w->used = false;
	atoll_error_t err = cnode_move(ATOLL_SLOT_CNODE, w->slot, ATOLL_SLOT_CNODE, receive_slot);
	if (!err) {
		*w = (ns_watch_t){
			.used = true, .owner = r->caller->pid, .slot = w->slot, .len = len};
		memcpy(w->path, path, len);
	}
	answer(r, err, 0);
	return ANSWER;
}

static outcome_t do_resolve(request_t *r)
{
	char path[PROC_PATH_MAX];
	size_t len;
	if (!get_string(r, path, sizeof(path), &len)) {
		answer(r, ATOLL_E_INVALID_ARG, 0);
		return ANSWER;
	}
	const ns_entry_t *e = ns_lookup(&ns, path, len);
	if (!e) {
		answer(r, ATOLL_E_NOT_FOUND, 0);
		return ANSWER;
	}
	/* The client's connection is badged with its pid, so the server knows who calls. */
	atoll_error_t err =
		cnode_mint(ATOLL_SLOT_CNODE, transfer_slot, ATOLL_SLOT_CNODE, e->endpoint,
	                   ATOLL_RIGHT_WRITE | ATOLL_RIGHT_GRANT, r->caller->pid);
	if (err) {
		answer(r, err, 0);
		return ANSWER;
	}
	atoll_ipc_buffer_ptr->send_caps[0] = transfer_slot;
	r->m->w[0] = e->len;
	r->m->info = atoll_msginfo(ATOLL_E_OK, 1, 1);
	return ANSWER;
}

static outcome_t do_list(request_t *r)
{
	const ns_entry_t *e = ns_at(&ns, r->length >= 1 ? r->m->w[0] : 0);
	if (!e) {
		answer(r, ATOLL_E_RANGE, 0);
		return ANSWER;
	}
	r->m->w[0] = e->owner;
	r->m->w[1] = e->len;
	answer(r, ATOLL_E_OK, msg_put_bytes(r->m, 2, e->prefix, e->len));
	return ANSWER;
}

/* --- the machine ---------------------------------------------------------- */

static outcome_t do_power(request_t *r, uint64_t label)
{
	if (!is_service(r->caller)) {
		answer(r, ATOLL_E_NO_RIGHTS, 0);
		return ANSWER;
	}
	uint64_t port = slot_alloc();
	unsigned first = label == PROC_HALT ? DEBUG_EXIT_PORT : RESET_PORT;
	if (!port ||
	    ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, first, first + 3, ATOLL_SLOT_CNODE, port) ||
	    ioport_open(port, ATOLL_SLOT_VSPACE)) {
		answer(r, ATOLL_E_BUSY, 0);
		return ANSWER;
	}
	if (label == PROC_HALT) {
		uint64_t status = r->length >= 1 ? r->m->w[0] : 0;
		log_printf("proc: halting the machine (status %ld)\n", (int64_t)status);
		atoll_outl(DEBUG_EXIT_PORT, (uint32_t)status);
	} else {
		log_printf("proc: rebooting\n");
		atoll_outb(RESET_PORT, 0xfe);
	}
	/* Not under QEMU, or the reset did not take: stop everything. */
	for (;;)
		tcb_suspend(ATOLL_SLOT_TCB);
}

/* The kernel's boot info page stays mapped in proc for its whole life. */
static outcome_t do_sysinfo(request_t *r)
{
	const atoll_bootinfo_t *bi = (const atoll_bootinfo_t *)ATOLL_ROOT_BOOTINFO_VADDR;
	uint64_t archive_size;
	process_archive(&archive_size);
	r->m->w[0] = bi->tsc_hz;
	r->m->w[1] = bi->timer_tick_ns;
	r->m->w[2] = archive_size;
	answer(r, ATOLL_E_OK, 3);
	return ANSWER;
}

static outcome_t handle_request(request_t *r, uint64_t label)
{
	switch (label) {
	case PROC_SPAWN:
		return do_spawn(r);
	case PROC_EXIT:
		end_process(r->caller, r->length >= 1 ? (int64_t)r->m->w[0] : 0, false);
		return SILENT;
	case PROC_WAIT:
		return do_wait(r);
	case PROC_KILL:
		return do_kill(r);
	case PROC_INFO:
		return do_info(r);
	case PROC_MEMINFO:
		r->m->w[0] = memory_free_bytes();
		r->m->w[1] = memory_total_bytes() - memory_free_bytes();
		r->m->w[2] = memory_total_bytes();
		answer(r, ATOLL_E_OK, 3);
		return ANSWER;
	case PROC_RESTART:
		return do_restart(r);
	case NS_REGISTER:
		return do_register(r);
	case NS_RESOLVE:
		return do_resolve(r);
	case NS_LIST:
		return do_list(r);
	case NS_WATCH:
		return do_watch(r);
	case PROC_LOG: {
		char text[(ATOLL_MSG_MAX_WORDS - 2) * 8];
		uint64_t offset = r->length >= 1 ? r->m->w[0] : 0;
		size_t n = log_read(&offset, text, sizeof(text));
		r->m->w[0] = n;
		r->m->w[1] = offset;
		answer(r, ATOLL_E_OK, msg_put_bytes(r->m, 2, text, n));
		return ANSWER;
	}
	case PROC_HALT:
	case PROC_REBOOT:
		return do_power(r, label);
	case PROC_SPAWN_MANAGED:
	case PROC_SPAWN_MANAGED_IMAGE:
		return do_spawn_managed(r, label);
	case PROC_UNMAP_MANAGED:
	case PROC_PROTECT_MANAGED:
		return do_change_pages(r, label);
	case PROC_MAP_ANON:
		return do_map_anon(r);
	case PROC_END:
		return do_end(r);
	case PROC_FORK_MANAGED:
		return do_fork_managed(r);
	case PROC_RESUME_MANAGED:
		return do_resume_managed(r);
	case PROC_THREAD_MANAGED:
		return do_thread_managed(r);
	case PROC_END_THREAD:
		return do_end_thread(r);
	case PROC_VFORK_DONE:
		return do_vfork_done(r);
	case PROC_SYSINFO:
		return do_sysinfo(r);
	default:
		answer(r, ATOLL_E_ILLEGAL_OP, 0);
		return ANSWER;
	}
}

/* --- faults --------------------------------------------------------------- */

static bool in_region(uint64_t addr, uint64_t base, uint64_t size)
{
	return addr >= base && addr - base < size;
}

static outcome_t handle_fault(process_t *p, atoll_msg_t *m)
{
	uint64_t label = atoll_msginfo_label(m->info);
	if (label == ATOLL_FAULT_PAGE) {
		uint64_t addr = m->w[0];
		if (in_region(addr, PROC_STACK_TOP - PROC_STACK_MAX, PROC_STACK_MAX) ||
		    in_region(addr, PROC_HEAP_BASE, PROC_HEAP_MAX)) {
			atoll_error_t err = pages_touch(p, addr & ~(PAGE - 1),
			                                ATOLL_MAP_READ | ATOLL_MAP_WRITE);
			if (!err) {
				m->info = atoll_msginfo(0, 0, 0);
				return ANSWER;
			}
			log_printf("proc: pid %lu (%s): out of memory at %lx: killed\n", p->pid,
			           p->name, addr);
		} else {
			log_printf(
				"proc: pid %lu (%s) touched unmapped memory at %lx (rip %lx): killed\n",
				p->pid, p->name, addr, m->w[2]);
		}
	} else if (label == ATOLL_FAULT_UNKNOWN_SYSCALL) {
		log_printf("proc: pid %lu (%s) made unknown system call %lu at %lx: killed\n",
		           p->pid, p->name, m->w[0], m->w[ATOLL_REG_RIP]);
	} else {
		log_printf("proc: pid %lu (%s) took exception %lu (error %lx) at %lx: killed\n",
		           p->pid, p->name, m->w[0], m->w[1], m->w[2]);
	}
	end_process(p, KILLED_STATUS, true);
	return SILENT;
}

static unsigned free_reply(void)
{
	for (unsigned i = 0; i < REPLY_POOL; i++)
		if (!reply_held[i])
			return i;
	return 0; /* unreachable: do_wait keeps one Reply free */
}

_Noreturn void requests_serve(void)
{
	unsigned r = free_reply();
	atoll_msg_t m = {0};
	bool have_answer = false;
	for (;;) {
		/* A capability a request brings (NS_WATCH) lands in
		 * receive_slot; one not kept is deleted after the request. */
		atoll_ipc_buffer_ptr->recv_cnode = ATOLL_SLOT_CNODE;
		atoll_ipc_buffer_ptr->recv_index = receive_slot;
		if (have_answer)
			atoll_reply_recv(endpoint, reply_slot[r], &m);
		else
			atoll_recv(endpoint, reply_slot[r], &m);
		atoll_ipc_buffer_ptr->recv_index = 0;
		cnode_delete(ATOLL_SLOT_CNODE, transfer_slot);
		cnode_delete(ATOLL_SLOT_CNODE, tcb_transfer_slot);

		uint64_t pid = m.badge & ~FAULT_BADGE_BIT;
		process_t *caller = process_by_pid(pid);
		outcome_t outcome = SILENT;
		if (caller && caller->state == PROCESS_RUNNING) {
			if (m.badge & FAULT_BADGE_BIT) {
				outcome = handle_fault(caller, &m);
			} else {
				request_t req = {&m, atoll_msginfo_length(m.info), caller, r};
				outcome = handle_request(&req, atoll_msginfo_label(m.info));
			}
		}
		cnode_delete(ATOLL_SLOT_CNODE, receive_slot);
		if (outcome == DEFER) {
			reply_held[r] = true;
			r = free_reply();
		}
		have_answer = outcome == ANSWER;
	}
}
