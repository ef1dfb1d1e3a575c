/*
 * The kernel's page tables, built once at boot from boot memory:
 *  - the direct map of RAM and ACPI memory at PHYSMAP_BASE (2 MiB pages, NX),
 *  - the kernel image at KERNEL_VMA with 4 KiB pages: text RX, rodata R,
 *    data and bss RW+NX (W^X),
 *  - a device window after the image for MMIO, uncached.
 * Every kernel mapping exists before the first VSpace copies the upper half,
 * so the upper halves never need to be kept in sync.
 */
#include <arch/cpu.h>
#include <arch/paging.h>
#include <core/boot.h>
#include <core/log.h>
#include <core/string.h>
#include <stdbool.h>

extern char _text_start[], _text_end[], _rodata_start[], _rodata_end[], _data_start[], _data_end[];

#define DEVICE_WINDOW_BASE (KERNEL_VMA + (1ULL << 30))
#define DEVICE_WINDOW_SIZE (512ULL << 20) /* up to 1 GiB below the top of memory */

uint64_t kernel_pml4_phys;
bool paging_pcid;
static uint64_t *kernel_pml4;
static bool physmap_live;
static bool user_spaces_exist;
static uint64_t device_window_next = DEVICE_WINDOW_BASE;

/* Until the new tables are live, boot memory is reachable through the boot
 * mapping of the first GiB; boot_alloc_page only hands out pages below it. */
static uint64_t *table_virt(uint64_t paddr)
{
	return physmap_live ? phys_to_virt(paddr) : (uint64_t *)(KERNEL_VMA + paddr);
}

uint64_t boot_alloc(uint64_t size, uint64_t align)
{
	uint64_t p = memmap_alloc(&boot_params.ram, size, align);
	if (!p || (!physmap_live && p + size > (1ULL << 30)))
		halt_with_message("not enough memory to boot (needed %lu KiB more)", size >> 10);
	memset(table_virt(p), 0, size);
	return p;
}

uint64_t boot_alloc_page(void)
{
	return boot_alloc(PAGE_SIZE, PAGE_SIZE);
}

static uint64_t *next_table(uint64_t *entry)
{
	if (!(*entry & PTE_PRESENT))
		*entry = boot_alloc_page() | PTE_PRESENT | PTE_WRITE;
	return table_virt(*entry & PTE_ADDR_MASK);
}

static unsigned index_at(uint64_t va, unsigned level)
{
	return (va >> (12 + 9 * level)) & 511;
}

static void map_page(uint64_t va, uint64_t pa, uint64_t flags, bool large)
{
	uint64_t *pdpt = next_table(&kernel_pml4[index_at(va, 3)]);
	uint64_t *pd = next_table(&pdpt[index_at(va, 2)]);
	if (large) {
		pd[index_at(va, 1)] = pa | flags | PTE_PRESENT | PTE_LARGE;
		return;
	}
	uint64_t *pt = next_table(&pd[index_at(va, 1)]);
	pt[index_at(va, 0)] = pa | flags | PTE_PRESENT;
}

static void map_physmap(void)
{
	const memmap_t *m = &boot_params.physmap;
	for (unsigned i = 0; i < m->nfree; i++) {
		uint64_t base = m->free[i].base & ~(LARGE_PAGE_SIZE - 1);
		for (uint64_t pa = base; pa < m->free[i].end; pa += LARGE_PAGE_SIZE)
			map_page(PHYSMAP_BASE + pa, pa, PTE_WRITE | PTE_GLOBAL | PTE_NX, true);
	}
}

static void map_image_range(const char *start, const char *end, uint64_t flags)
{
	for (uint64_t va = (uint64_t)start; va < (uint64_t)end; va += PAGE_SIZE)
		map_page(va, va - KERNEL_VMA, flags | PTE_GLOBAL, false);
}

void *kmap_device(uint64_t paddr, uint64_t size)
{
	if (user_spaces_exist)
		panic("kmap_device after the first address space was made");
	uint64_t offset = paddr & (PAGE_SIZE - 1);
	uint64_t pages = (offset + size + PAGE_SIZE - 1) / PAGE_SIZE;
	if (device_window_next + pages * PAGE_SIZE > DEVICE_WINDOW_BASE + DEVICE_WINDOW_SIZE)
		halt_with_message("device window full");
	uint64_t va = device_window_next;
	for (uint64_t i = 0; i < pages; i++)
		map_page(va + i * PAGE_SIZE, (paddr & ~(PAGE_SIZE - 1)) + i * PAGE_SIZE,
		         PTE_WRITE | PTE_PCD | PTE_PWT | PTE_NX | PTE_GLOBAL, false);
	device_window_next += pages * PAGE_SIZE;
	return (void *)(va + offset);
}

void paging_seal(void)
{
	user_spaces_exist = true;
}

void paging_init(void)
{
	uint32_t r[4];
	cpuid(0x80000001, 0, r);
	if (!(r[3] & (1u << 20)))
		halt_with_message("this CPU has no NX bit");
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);

	kernel_pml4_phys = boot_alloc_page();
	kernel_pml4 = table_virt(kernel_pml4_phys);
	/* Every upper-half PML4 entry exists from now on (see the comment at the top). */
	for (unsigned i = 256; i < 512; i++)
		next_table(&kernel_pml4[i]);

	map_physmap();
	map_image_range(_text_start, _text_end, 0);
	map_image_range(_rodata_start, _rodata_end, PTE_NX);
	map_image_range(_data_start, _data_end, PTE_WRITE | PTE_NX);

	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_pml4_phys);
	cpuid(1, 0, r);
	if (r[2] & (1u << 17)) { /* PCID; CR3's PCID field is 0 here, as enabling needs */
		write_cr4(read_cr4() | CR4_PCIDE);
		paging_pcid = true;
	}
	physmap_live = true;
	kernel_pml4 = phys_to_virt(kernel_pml4_phys);
	write_cr0(read_cr0() | CR0_WP);
}
