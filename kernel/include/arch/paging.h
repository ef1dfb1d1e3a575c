#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <arch/boot_defs.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * Kernel address space: all RAM (and ACPI tables) in the direct map at
 * PHYSMAP_BASE, the kernel image at KERNEL_VMA with W^X permissions, and
 * device registers in a window above the image, mapped uncached.
 * The upper half (PML4 entries 256..511) is shared by every address space.
 */
#define PAGE_SIZE 4096ULL
#define LARGE_PAGE_SIZE (2ULL << 20)

#define PTE_PRESENT (1ULL << 0)
#define PTE_WRITE (1ULL << 1)
#define PTE_USER (1ULL << 2)
#define PTE_PWT (1ULL << 3)
#define PTE_PCD (1ULL << 4)
#define PTE_ACCESSED (1ULL << 5)
#define PTE_DIRTY (1ULL << 6)
#define PTE_LARGE (1ULL << 7)
#define PTE_GLOBAL (1ULL << 8)
#define PTE_NX (1ULL << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ULL

static inline void *phys_to_virt(uint64_t paddr)
{
	return (void *)(PHYSMAP_BASE + paddr);
}

/* Physical address of a direct-map or kernel-image address. */
static inline uint64_t virt_to_phys(const void *vaddr)
{
	uint64_t v = (uint64_t)vaddr;
	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PHYSMAP_BASE;
}

/* Boot only: build the kernel's page tables and switch to them. */
void paging_init(void);
/* Boot only: map device registers uncached; returns their kernel address. */
void *kmap_device(uint64_t paddr, uint64_t size);
/* PCIDs tag TLB entries by address space, when the CPU has them: a switch
 * then keeps the entries of the space it returns to. */
#define CR3_NOFLUSH (1ULL << 63)
#define PCID_COUNT 4096
extern bool paging_pcid;
/* Physical address of the kernel's PML4, whose upper half every VSpace copies. */
extern uint64_t kernel_pml4_phys;
/* Called before the first VSpace is made: from then on the upper half is frozen. */
void paging_seal(void);

#endif
