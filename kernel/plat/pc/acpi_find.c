/*
 * Finding and reading the ACPI tables of a BIOS-booted PC. The RSDP lies on
 * a 16-byte boundary in the first KiB of the EBDA (whose segment the BIOS
 * data area holds at 0x40E) or in the BIOS area 0xE0000-0xFFFFF.
 *
 * Tables are read through the direct map when they lie in memory it covers
 * (RAM, ACPI reclaimable and NVS memory, the first MiB). Firmware may also
 * put them in "reserved" memory; those get a boot-time uncached mapping.
 * An address beyond the CPU's physical address width is refused, because a
 * mapping of it would fault on first touch.
 */
#include <arch/cpu.h>
#include <arch/paging.h>
#include <core/boot.h>
#include <core/log.h>
#include <plat/acpi.h>

#define BDA_EBDA_SEGMENT 0x40E
#define EBDA_LOWEST 0x500 /* just above the BIOS data area */
#define EBDA_SCAN_LEN 1024
#define EBDA_END 0xA0000 /* the EBDA ends below the 640 KiB mark */
#define BIOS_AREA_BASE 0xE0000
#define BIOS_AREA_END 0x100000

acpi_info_t acpi_info;
uint64_t acpi_rsdp_paddr;

/* Device mappings are never undone, so tables outside the direct map get a
 * fixed share of the device window however much corrupt tables claim. */
#define ACPI_DEVICE_MAP_BUDGET (8ULL << 20)

static uint64_t phys_addr_end;
static uint64_t device_mapped;

static uint64_t cpu_phys_addr_end(void)
{
	uint32_t r[4];
	cpuid(0x80000000, 0, r);
	if (r[0] < 0x80000008)
		return 1ULL << 36; /* the architectural default width */
	cpuid(0x80000008, 0, r);
	return 1ULL << (r[0] & 0xFF);
}

static bool physmap_covers(uint64_t paddr, uint64_t len)
{
	const memmap_t *m = &boot_params.physmap;
	for (unsigned i = 0; i < m->nfree; i++) {
		if (paddr >= m->free[i].base && paddr < m->free[i].end &&
		    len <= m->free[i].end - paddr)
			return true;
	}
	return false;
}

static const void *acpi_map(uint64_t paddr, size_t len)
{
	if (!len || paddr >= phys_addr_end || len > phys_addr_end - paddr)
		return NULL;
	if (physmap_covers(paddr, len))
		return phys_to_virt(paddr);
	uint64_t span = ((paddr & (PAGE_SIZE - 1)) + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
	if (span > ACPI_DEVICE_MAP_BUDGET - device_mapped)
		return NULL;
	device_mapped += span;
	return kmap_device(paddr, len);
}

static bool rsdp_scan_range(uint64_t base, uint64_t end, acpi_root_t *root)
{
	size_t off;
	if (!acpi_rsdp_scan(phys_to_virt(base), end - base, &off, root))
		return false;
	acpi_rsdp_paddr = base + off;
	return true;
}

void acpi_init(void)
{
	acpi_root_t root;
	phys_addr_end = cpu_phys_addr_end();
	uint64_t ebda = (uint64_t) * (const volatile uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT) << 4;
	bool found = ebda >= EBDA_LOWEST && ebda + EBDA_SCAN_LEN <= EBDA_END &&
	             rsdp_scan_range(ebda, ebda + EBDA_SCAN_LEN, &root);
	if (!found)
		found = rsdp_scan_range(BIOS_AREA_BASE, BIOS_AREA_END, &root);
	if (!found) {
		kprintf("acpi: no RSDP found, so no ACPI tables\n");
		return;
	}
	kprintf("acpi: RSDP at %lx, revision %u\n", acpi_rsdp_paddr, root.revision);
	acpi_walk(&root, acpi_map, &acpi_info);
}
