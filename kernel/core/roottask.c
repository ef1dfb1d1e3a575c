/*
 * The root task: the first module, loaded as a static ELF into a fresh
 * address space with a CNode holding every capability there is: its own
 * objects, IRQ and I/O-port control, and all remaining memory as untyped.
 * The kernel builds it from boot memory; after this nothing is allocated.
 */
#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/paging.h>
#include <atoll/bootinfo.h>
#include <core/boot.h>
#include <core/elf.h>
#include <core/log.h>
#include <core/sched.h>
#include <core/string.h>
#include <object/objects.h>
#include <object/objecttype.h>
#include <object/vspace.h>
#include <plat/acpi.h>
#include <plat/apic.h>
#include <plat/timer.h>

#define ROOT_CNODE_RADIX 12
#define ROOT_PRIORITY 100
#define DEVICE_SPACE_BITS_MAX 40

static cte_t *root_cnode;
static atoll_bootinfo_t *bootinfo;
static uint64_t next_slot;

static cte_t *slot_at(uint64_t i)
{
	return &root_cnode[i];
}

static cap_t object_cap(unsigned type, uint64_t obj)
{
	return (cap_t){.type = type, .rights = ATOLL_RIGHTS_ALL, .obj = obj};
}

static uint64_t alloc_table(void)
{
	return boot_alloc_page();
}

static void load_elf(vspace_t *vs, const boot_module_t *m, elf_image_t *img)
{
	const uint8_t *file = phys_to_virt(m->start);
	uint64_t size = m->end - m->start;
	const char *why = elf_check(file, size, ATOLL_ROOT_MODULES_VADDR, img);
	if (why)
		halt_with_message("the root task (first module) is unusable: %s", why);
	for (unsigned s = 0; s < img->nsegments; s++) {
		const elf_segment_t *seg = &img->segments[s];
		unsigned rights = ATOLL_MAP_READ |
		                  (seg->flags & ELF_SEG_WRITE ? ATOLL_MAP_WRITE : 0) |
		                  (seg->flags & ELF_SEG_EXEC ? ATOLL_MAP_EXEC : 0);
		uint64_t first = seg->vaddr & ~(PAGE_SIZE - 1);
		for (uint64_t va = first; va < seg->vaddr + seg->memsz; va += PAGE_SIZE) {
			/* A page shared with the previous segment is filled, not replaced. */
			uint64_t pa = vspace_boot_lookup(vs, va);
			if (!pa)
				pa = boot_alloc_page();
			uint8_t *page = phys_to_virt(pa);
			/* Copy the part of the file that lands in this page. */
			uint64_t lo = va > seg->vaddr ? va : seg->vaddr;
			uint64_t hi = va + PAGE_SIZE < seg->vaddr + seg->filesz ?
			                      va + PAGE_SIZE :
			                      seg->vaddr + seg->filesz;
			if (hi > lo)
				memcpy(page + (lo - va), file + seg->offset + (lo - seg->vaddr),
				       hi - lo);
			vspace_boot_map(vs, va, pa, rights, alloc_table);
		}
	}
}

/* A frame the root task gets a capability for, mapped at va. */
static uint64_t mapped_frame(vspace_t *vs, unsigned slot, uint64_t va, unsigned rights)
{
	uint64_t pa = boot_alloc_page();
	vspace_boot_map(vs, va, pa, rights, alloc_table);
	cap_t cap = object_cap(ATOLL_OBJ_FRAME, pa);
	cap.size_bits = 12;
	cap.data = va;
	cap.data2 = vspace_mapping_id(vs);
	cap.map_rights = rights;
	cap_install(NULL, slot_at(slot), cap);
	return pa;
}

static void map_modules(vspace_t *vs)
{
	uint64_t va = ATOLL_ROOT_MODULES_VADDR;
	for (unsigned i = 0; i < boot_params.nmodules; i++) {
		const boot_module_t *m = &boot_params.modules[i];
		atoll_module_desc_t *d = &bootinfo->modules[bootinfo->module_count++];
		d->vaddr = va + (m->start & (PAGE_SIZE - 1));
		d->size = m->end - m->start;
		d->paddr = m->start;
		memcpy(d->cmdline, m->cmdline, sizeof(d->cmdline));
		for (uint64_t pa = m->start & ~(PAGE_SIZE - 1); pa < m->end;
		     pa += PAGE_SIZE, va += PAGE_SIZE)
			vspace_boot_map(vs, va, pa, ATOLL_MAP_READ, alloc_table);
	}
}

static void add_untyped(void *ctx, uint64_t base, unsigned bits)
{
	bool device = ctx != NULL;
	if (bootinfo->untyped_count == ATOLL_BOOTINFO_MAX_UNTYPED ||
	    next_slot >= (1u << ROOT_CNODE_RADIX)) {
		kprintf("boot: no room for untyped %lx (2^%u bytes): dropped\n", base, bits);
		return;
	}
	bootinfo->untyped[bootinfo->untyped_count++] =
		(atoll_untyped_desc_t){.paddr = base, .size_bits = bits, .is_device = device};
	cap_t cap = object_cap(ATOLL_OBJ_UNTYPED, base);
	cap.size_bits = bits;
	cap.flags = device ? CAP_DEVICE : 0;
	cap_install(NULL, slot_at(next_slot++), cap);
}

static unsigned physical_address_bits(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000008)
		return 36;
	cpuid(0x80000008, 0, r);
	unsigned bits = r[0] & 0xff;
	return bits < DEVICE_SPACE_BITS_MAX ? bits : DEVICE_SPACE_BITS_MAX;
}

/* Everything that is not RAM and not a device the kernel drives itself. */
static void add_device_untyped(void)
{
	memmap_t dev;
	memmap_init(&dev);
	memmap_add(&dev, 0, 1ULL << physical_address_bits());
	const memmap_t *ram = &boot_params.ram_firmware;
	for (unsigned i = 0; i < ram->nfree; i++)
		memmap_reserve(&dev, ram->free[i].base, ram->free[i].end);
	uint64_t lapic =
		acpi_info.madt.lapic_paddr ? acpi_info.madt.lapic_paddr : LAPIC_DEFAULT_PADDR;
	memmap_reserve(&dev, lapic, lapic + PAGE_SIZE);
	memmap_reserve(&dev, IOAPIC_DEFAULT_PADDR, IOAPIC_DEFAULT_PADDR + PAGE_SIZE);
	for (unsigned i = 0; i < acpi_info.madt.nioapics; i++)
		memmap_reserve(&dev, acpi_info.madt.ioapics[i].paddr,
		               acpi_info.madt.ioapics[i].paddr + PAGE_SIZE);
	for (unsigned i = 0; i < dev.nfree; i++)
		memmap_blocks(dev.free[i].base, dev.free[i].end, 12, ATOLL_UNTYPED_MAX_BITS,
		              add_untyped, &dev);
}

static void add_ram_untyped(void)
{
	const memmap_t *ram = &boot_params.ram;
	for (unsigned i = 0; i < ram->nfree; i++)
		memmap_blocks(ram->free[i].base, ram->free[i].end, 12, ATOLL_UNTYPED_MAX_BITS,
		              add_untyped, NULL);
}

static void fill_bootinfo(void)
{
	bootinfo->magic = ATOLL_BOOTINFO_MAGIC;
	bootinfo->cnode_radix = ROOT_CNODE_RADIX;
	bootinfo->rsdp_paddr = acpi_rsdp_paddr;
	bootinfo->tsc_hz = tsc_hz;
	bootinfo->timer_tick_ns = SCHED_TICK_NS;
	bootinfo->fb_paddr = boot_params.fb_paddr;
	bootinfo->fb_width = boot_params.fb_width;
	bootinfo->fb_height = boot_params.fb_height;
	bootinfo->fb_pitch = boot_params.fb_pitch;
	bootinfo->fb_bpp = boot_params.fb_bpp;
	bootinfo->kernel_cmdline_len = strlen(boot_params.cmdline);
	memcpy(bootinfo->kernel_cmdline, boot_params.cmdline, sizeof(bootinfo->kernel_cmdline));
}

void roottask_create(void)
{
	if (boot_params.nmodules == 0)
		halt_with_message("no boot modules: the root task must be the first module");
	paging_seal();

	uint64_t cnode_bytes = (1ULL << ROOT_CNODE_RADIX) * sizeof(cte_t);
	root_cnode = phys_to_virt(boot_alloc(cnode_bytes, cnode_bytes));
	cnode_init(root_cnode, ROOT_CNODE_RADIX);
	vspace_t *vs = phys_to_virt(boot_alloc(sizeof(vspace_t), sizeof(vspace_t)));
	vspace_init(vs);
	tcb_t *t = phys_to_virt(boot_alloc(1u << ATOLL_TCB_BITS, 1u << ATOLL_TCB_BITS));
	tcb_init(t);

	cap_t cnode_cap = object_cap(ATOLL_OBJ_CNODE, (uint64_t)root_cnode);
	cnode_cap.size_bits = ROOT_CNODE_RADIX;
	cap_install(NULL, slot_at(ATOLL_SLOT_CNODE), cnode_cap);
	cap_install(NULL, slot_at(ATOLL_SLOT_VSPACE), object_cap(ATOLL_OBJ_VSPACE, (uint64_t)vs));
	cap_install(NULL, slot_at(ATOLL_SLOT_TCB), object_cap(ATOLL_OBJ_TCB, (uint64_t)t));
	cap_install(NULL, slot_at(ATOLL_SLOT_IRQ_CONTROL), object_cap(ATOLL_OBJ_IRQ_CONTROL, 0));
	cap_install(NULL, slot_at(ATOLL_SLOT_IOPORT_CONTROL),
	            object_cap(ATOLL_OBJ_IOPORT_CONTROL, 0));

	elf_image_t img;
	load_elf(vs, &boot_params.modules[0], &img);
	for (uint64_t i = 0; i < ATOLL_ROOT_STACK_PAGES; i++) {
		uint64_t va = ATOLL_ROOT_STACK_TOP - (i + 1) * PAGE_SIZE;
		vspace_boot_map(vs, va, boot_alloc_page(), ATOLL_MAP_READ | ATOLL_MAP_WRITE,
		                alloc_table);
	}
	mapped_frame(vs, ATOLL_SLOT_IPC_BUFFER, ATOLL_ROOT_IPC_BUFFER_VADDR,
	             ATOLL_MAP_READ | ATOLL_MAP_WRITE);
	bootinfo = phys_to_virt(mapped_frame(vs, ATOLL_SLOT_BOOTINFO_FRAME,
	                                     ATOLL_ROOT_BOOTINFO_VADDR, ATOLL_MAP_READ));
	_Static_assert(sizeof(atoll_bootinfo_t) <= PAGE_SIZE, "boot info fits a page");
	map_modules(vs);

	/* The thread's own slots. */
	cap_copy(slot_at(ATOLL_SLOT_CNODE), &t->slots[TCB_SLOT_CSPACE], ATOLL_RIGHTS_ALL, 0, false);
	cap_copy(slot_at(ATOLL_SLOT_VSPACE), &t->slots[TCB_SLOT_VSPACE], ATOLL_RIGHTS_ALL, 0,
	         false);
	cap_copy(slot_at(ATOLL_SLOT_IPC_BUFFER), &t->slots[TCB_SLOT_IPC_BUFFER], ATOLL_RIGHTS_ALL,
	         0, false);
	t->ipc_buffer_vaddr = ATOLL_ROOT_IPC_BUFFER_VADDR;
	t->priority = ROOT_PRIORITY;
	t->mcp = ATOLL_PRIORITIES - 1;
	t->ctx.rip = img.entry;
	t->ctx.rsp = ATOLL_ROOT_STACK_TOP;
	t->ctx.rdi = ATOLL_ROOT_BOOTINFO_VADDR;

	/* Everything left becomes untyped: from here on the kernel allocates nothing. */
	next_slot = ATOLL_SLOT_FIRST_FREE_FIXED;
	bootinfo->untyped_first = next_slot;
	add_ram_untyped();
	add_device_untyped();
	bootinfo->first_free_slot = next_slot;
	fill_bootinfo();

	kprintf("root task: entry %lx, %lu untyped (%lu KiB of RAM), %lu modules\n", img.entry,
	        bootinfo->untyped_count, memmap_total(&boot_params.ram) >> 10,
	        bootinfo->module_count);
	thread_make_runnable(t);
}
