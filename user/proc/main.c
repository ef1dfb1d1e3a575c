/*
 * proc, the root task: it owns all memory, starts the boot services from
 * the manifest in the boot archive, and serves the proc protocol
 * (atoll/proto/proc.h) and the faults of every process it started on one
 * endpoint. Requests that must wait (PROC_WAIT) keep their Reply object
 * until they can be answered.
 */
#include <atoll/bootinfo.h>
#include <atoll/invocations.h>
#include <atoll/objects.h>
#include <atoll/proto/proc.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/cpio.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

#include "devmem.h"
#include "log.h"
#include "namespace.h"
#include "requests.h"
#include "services.h"

#define BOOT_ARCHIVE_MODULE 1
#define MANIFEST_PATH "/boot/manifest"

static void halt_machine(const char *why)
{
	log_printf("proc: %s; halted\n", why);
	for (;;)
		tcb_suspend(ATOLL_SLOT_TCB);
}

static void load_manifest(const atoll_bootinfo_t *bi)
{
	if (bi->module_count <= BOOT_ARCHIVE_MODULE)
		halt_machine("no boot archive (the second boot module)");
	const atoll_module_desc_t *m = &bi->modules[BOOT_ARCHIVE_MODULE];
	process_set_archive((const void *)m->vaddr, m->size);
	cpio_entry_t e;
	if (cpio_find((const void *)m->vaddr, m->size, MANIFEST_PATH, &e) != 1)
		halt_machine("the boot archive has no " MANIFEST_PATH);
	char err[128];
	if (manifest_parse(e.data, e.size, &manifest, err, sizeof(err)) != 0) {
		log_printf("proc: %s: %s\n", MANIFEST_PATH, err);
		halt_machine("the manifest is invalid");
	}
}

int atoll_main(void *arg)
{
	const atoll_bootinfo_t *bi = arg;
	alloc_init(bi);
	memory_init(bi);
	devmem_init(bi);
	load_manifest(bi);
	requests_init();
	for (unsigned i = 0; i < manifest.count; i++)
		service_start(i);
	requests_serve();
	return 0;
}
