#include <atoll/bootinfo.h>
#include <atoll/objects.h>
#include <atoll/proto/proc.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>

#include "devmem.h"
#include "log.h"
#include "pages.h"
#include "services.h"

#define PAGE 4096ULL

manifest_t manifest;

/* A scratch slot of proc's for the duration of one call. */
static uint64_t temp(void)
{
	static uint64_t slot;
	if (!slot)
		slot = slot_alloc();
	return slot;
}

static atoll_error_t grant_irq(process_t *p, uint64_t notification, unsigned i, unsigned gsi,
                               uint64_t index)
{
	uint64_t handler = slot_alloc(), badged = temp();
	if (!handler)
		return ATOLL_E_NO_MEMORY;
	/* ISA interrupts are edge-triggered, active high; PCI ones level, active low. */
	bool pci = gsi >= 16;
	atoll_error_t err =
		irq_issue_ioapic(ATOLL_SLOT_IRQ_CONTROL, gsi, pci, pci, ATOLL_SLOT_CNODE, handler);
	if (!err)
		err = cnode_mint(ATOLL_SLOT_CNODE, badged, ATOLL_SLOT_CNODE, notification,
		                 ATOLL_RIGHT_WRITE, 1ULL << i);
	if (!err)
		err = irq_set_notification(handler, badged);
	cnode_delete(ATOLL_SLOT_CNODE, badged);
	if (!err)
		err = cnode_move(p->cnode, index, ATOLL_SLOT_CNODE, handler);
	cnode_delete(ATOLL_SLOT_CNODE, handler);
	slot_free(handler);
	return err;
}

/* The frames of every mmio range, mapped one range after the other from
 * PROC_MMIO_VADDR, their capabilities in the service's grant slots. */
static atoll_error_t grant_mmio(process_t *p, const manifest_service_t *s, uint64_t *index)
{
	uint64_t vaddr = PROC_MMIO_VADDR;
	uint64_t frame = temp();
	for (unsigned i = 0; i < s->nmmio; i++) {
		for (uint64_t pa = s->mmio[i].first; pa < s->mmio[i].last;
		     pa += 4096, vaddr += 4096) {
			if (*index >= PROC_SLOT_FIRST_FREE)
				return ATOLL_E_RANGE;
			atoll_error_t err = devmem_frame(pa, frame);
			if (!err)
				err = process_map_frame(p, frame, vaddr,
				                        ATOLL_MAP_READ | ATOLL_MAP_WRITE |
				                                ATOLL_MAP_UNCACHED);
			if (!err)
				err = cnode_move(p->cnode, (*index)++, ATOLL_SLOT_CNODE, frame);
			if (err) {
				log_printf("proc: %s: mmio page %lx: error %d\n", s->name, pa, err);
				cnode_delete(ATOLL_SLOT_CNODE, frame);
				return err;
			}
			p->caps++;
		}
	}
	return ATOLL_E_OK;
}

/* A copy of the boot archive, read-only at PROC_ARCHIVE_VADDR, from the
 * service's own memory: a file server owns the files it serves, and a
 * restarted one starts from the archive as it was at boot. */
static atoll_error_t grant_archive(process_t *p)
{
	uint64_t size;
	const uint8_t *archive = process_archive(&size);
	for (uint64_t at = 0; at < size; at += PAGE) {
		atoll_error_t err = pages_add(p, PROC_ARCHIVE_VADDR + at, ATOLL_MAP_READ,
		                              archive + at, 0, size - at < PAGE ? size - at : PAGE);
		if (err)
			return err;
	}
	return ATOLL_E_OK;
}

static atoll_error_t grant_devices(process_t *p, const manifest_service_t *s)
{
	uint64_t index = PROC_SLOT_GRANTS;
	atoll_error_t err;
	for (unsigned i = 0; i < s->nioports; i++, index++) {
		if ((err = ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, s->ioports[i].first,
		                        s->ioports[i].last, p->cnode, index)))
			return err;
		p->caps++;
	}
	if (!s->nirqs)
		return grant_mmio(p, s, &index);
	uint64_t notification;
	if ((err = process_new_object(p, ATOLL_OBJ_NOTIFICATION, 0, &notification)))
		return err;
	err = process_give(p, PROC_SLOT_NOTIFICATION, notification, ATOLL_RIGHTS_ALL);
	if (!err)
		err = tcb_bind_notification(p->tcb, notification);
	for (unsigned i = 0; !err && i < s->nirqs; i++, index++) {
		err = grant_irq(p, notification, i, s->irqs[i], index);
		p->caps++;
	}
	cnode_delete(ATOLL_SLOT_CNODE, notification);
	slot_free(notification);
	return err ? err : grant_mmio(p, s, &index);
}

/* Every service gets an endpoint to serve on and Reply objects for its loop. */
static atoll_error_t grant_server_objects(process_t *p)
{
	atoll_error_t err;
	if ((err = process_new_object(p, ATOLL_OBJ_ENDPOINT, 0, &p->endpoint)) ||
	    (err = process_give(p, PROC_SLOT_SERVICE, p->endpoint, ATOLL_RIGHTS_ALL)))
		return err;
	for (unsigned i = 0; i < PROC_REPLY_COUNT; i++) {
		uint64_t reply;
		if ((err = process_new_object(p, ATOLL_OBJ_REPLY, 0, &reply)))
			return err;
		err = cnode_move(p->cnode, PROC_SLOT_REPLY + i, ATOLL_SLOT_CNODE, reply);
		slot_free(reply);
		if (err)
			return err;
		p->caps++;
	}
	return ATOLL_E_OK;
}

atoll_error_t service_start(unsigned index)
{
	const manifest_service_t *s = &manifest.services[index];
	/* "binary\0" then argv ("binary\0arg1\0...") and the two list ends. */
	char args[MANIFEST_ARG_BYTES + 2 * (MANIFEST_PATH_MAX + 1) + 2];
	size_t path_len = strlen(s->binary) + 1;
	memcpy(args, s->binary, path_len);
	int len = manifest_pack_argv(s, args + path_len, sizeof(args) - path_len - 2);
	if (len < 0)
		return ATOLL_E_RANGE;
	len += path_len;
	args[len++] = 0; /* argv ends */
	args[len++] = 0; /* the environment is empty */
	static args_t split;
	if (!args_split(args, (size_t)len, &split))
		return ATOLL_E_INVALID_ARG;
	process_t *p;
	spawn_request_t req = {&split, 0, (int)index, s->priority, 0, 0, NULL};
	atoll_error_t err = process_spawn(&req, &p);
	if (err) {
		log_printf("proc: service %s did not start: error %d\n", s->name, err);
		return err;
	}
	process_rename(p, s->name);
	if ((err = grant_server_objects(p)) || (err = grant_devices(p, s)) ||
	    (s->archive && (err = grant_archive(p))) || (err = tcb_resume(p->tcb))) {
		log_printf("proc: service %s did not start: error %d\n", s->name, err);
		process_destroy(p, -1);
		process_reap(p);
		return err;
	}
	log_printf("proc: started %s (pid %lu)\n", s->name, p->pid);
	return ATOLL_E_OK;
}

void service_died(const process_t *p)
{
	if (p->service < 0)
		return;
	const manifest_service_t *s = &manifest.services[p->service];
	bool failed = p->killed || p->status != 0;
	bool restart = s->restart == MANIFEST_RESTART_ALWAYS ||
	               (s->restart == MANIFEST_RESTART_ON_FAILURE && failed);
	log_printf("proc: service %s (pid %lu) %s with status %ld%s\n", s->name, p->pid,
	           p->killed ? "was killed" : "exited", p->status, restart ? "; restarting" : "");
	if (restart)
		service_start(p->service);
}

bool service_may_serve(const process_t *p, const char *prefix, size_t len)
{
	if (p->service < 0)
		return false;
	const manifest_service_t *s = &manifest.services[p->service];
	for (unsigned i = 0; i < s->nprefixes; i++)
		if (strlen(s->prefixes[i]) == len && memcmp(s->prefixes[i], prefix, len) == 0)
			return true;
	return false;
}
