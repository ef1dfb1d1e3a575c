/*
 * The smallest useful root task: proves the kernel handed over control with
 * a sane boot-info page, prints the memory it received, and powers off.
 * Used by the boot-input tests on machines of unusual memory size.
 */
#include <atoll/bootinfo.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <stdbool.h>

int atoll_main(void *arg)
{
	const atoll_bootinfo_t *bi = arg;
	uint64_t ram = 0;
	for (unsigned i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device)
			ram += 1ULL << bi->untyped[i].size_bits;
	bool sane = bi->magic == ATOLL_BOOTINFO_MAGIC && ram > 0;
	printf("root task: %s, %lu KiB of RAM as untyped\n", sane ? "started" : "bad boot info",
	       ram >> 10);
	alloc_init(bi);
	uint64_t port = slot_alloc();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, sane ? 0 : 1);
	return 0;
}
