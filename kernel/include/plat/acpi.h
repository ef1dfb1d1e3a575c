#ifndef PLAT_ACPI_H
#define PLAT_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * ACPI: what the firmware says about the machine's interrupt controllers
 * and PCIe configuration space. The kernel reads only two tables, the MADT
 * ("APIC": local APIC, IOAPICs, ISA interrupt overrides, NMI wiring) and the
 * MCFG (PCIe ECAM windows, recorded for the PCI driver). Every other table,
 * the DSDT with its AML included, is user space's business.
 *
 * Firmware tables are input, not truth: every table's length and checksum
 * is checked before any field is read, every entry is bounds-checked
 * against its table, and a table that fails is skipped with a log line.
 *
 * The parsers (acpi.c) are pure functions over byte buffers, tested on the
 * host; finding the RSDP in low memory and mapping tables is acpi_find.c.
 */

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_OVERRIDES 16 /* one per ISA IRQ */
#define ACPI_MAX_LAPIC_NMIS 8
#define ACPI_MAX_NMI_SOURCES 4
#define ACPI_MAX_ECAM 4
#define ACPI_MAX_TABLE_LEN (1u << 20) /* longer than any MADT or MCFG can be */
#define ACPI_MAX_TABLES 256           /* root-table entries looked at */

/* A local-APIC NMI entry that applies to every processor. */
#define ACPI_UID_ALL 0xFFFFFFFFu

typedef struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid; /* the ACPI processor UID that NMI entries refer to */
} acpi_cpu_t;

typedef struct acpi_ioapic {
	uint32_t id;
	uint32_t gsi_base; /* pin n is GSI gsi_base + n */
	uint64_t paddr;
} acpi_ioapic_t;

/* ISA IRQ isa_irq is wired to gsi, not to GSI isa_irq, or with other polarity. */
typedef struct acpi_irq_override {
	uint8_t isa_irq;
	bool level;
	bool active_low;
	uint32_t gsi;
} acpi_irq_override_t;

/* Local APIC pin LINT0/LINT1 of processor uid (or ACPI_UID_ALL) carries NMI. */
typedef struct acpi_lapic_nmi {
	uint32_t uid;
	uint8_t lint;
	bool active_low; /* NMI is always edge-triggered; only polarity matters */
} acpi_lapic_nmi_t;

/* IOAPIC input gsi carries NMI and must not be given to a device. */
typedef struct acpi_nmi_source {
	uint32_t gsi;
	bool level;
	bool active_low;
} acpi_nmi_source_t;

typedef struct madt_info {
	uint64_t lapic_paddr;
	bool pcat_compat; /* dual 8259 PICs are present */
	unsigned ncpus;
	acpi_cpu_t cpus[ACPI_MAX_CPUS]; /* enabled processors only */
	unsigned nioapics;
	acpi_ioapic_t ioapics[ACPI_MAX_IOAPICS];
	unsigned noverrides;
	acpi_irq_override_t overrides[ACPI_MAX_OVERRIDES];
	unsigned nlapic_nmis;
	acpi_lapic_nmi_t lapic_nmis[ACPI_MAX_LAPIC_NMIS];
	unsigned nnmi_sources;
	acpi_nmi_source_t nmi_sources[ACPI_MAX_NMI_SOURCES];
} madt_info_t;

/* One PCIe ECAM window: config space of segment's buses bus_start..bus_end,
 * 1 MiB per bus; paddr is the address of bus 0 even when bus_start > 0. */
typedef struct acpi_ecam {
	uint64_t paddr;
	uint16_t segment;
	uint8_t bus_start, bus_end;
} acpi_ecam_t;

typedef struct mcfg_info {
	unsigned necams;
	acpi_ecam_t ecams[ACPI_MAX_ECAM];
} mcfg_info_t;

typedef struct acpi_info {
	bool have_madt, have_mcfg;
	madt_info_t madt;
	mcfg_info_t mcfg;
} acpi_info_t;

/* Where the RSDP says the root tables are; 0 for an absent one. */
typedef struct acpi_root {
	uint8_t revision;
	uint32_t rsdt_paddr;
	uint64_t xsdt_paddr; /* only when revision >= 2 and the extended checksum holds */
} acpi_root_t;

/* Returns a pointer through which len bytes at paddr can be read, or NULL.
 * A mapping must stay valid until acpi_walk returns. */
typedef const void *(*acpi_map_fn)(uint64_t paddr, size_t len);

/* Pure parsing (acpi.c). Each returns false when the table cannot be used
 * at all; damaged entries inside a usable table are skipped and logged. */
bool acpi_checksum_ok(const void *data, size_t len);
bool acpi_rsdp_parse(const void *rsdp, size_t avail, acpi_root_t *root);
/* Looks for an RSDP at every 16-byte boundary of area (which must itself be
 * 16-byte aligned in physical memory); stores its offset in *offset. */
bool acpi_rsdp_scan(const void *area, size_t len, size_t *offset, acpi_root_t *root);
bool acpi_parse_madt(const void *table, size_t len, madt_info_t *out);
bool acpi_parse_mcfg(const void *table, size_t len, mcfg_info_t *out);
/* Validates every table the root table lists and parses the MADT and MCFG.
 * Uses the XSDT when there is one and it is valid, else the RSDT. */
void acpi_walk(const acpi_root_t *root, acpi_map_fn map, acpi_info_t *out);

/* The machine's tables (acpi_find.c), filled by acpi_init at boot. */
extern acpi_info_t acpi_info;
extern uint64_t acpi_rsdp_paddr; /* 0 if no RSDP was found */

/* Boot only, after paging_init: finds the RSDP and fills acpi_info. A
 * machine without ACPI leaves have_madt and have_mcfg false. */
void acpi_init(void);

#endif
