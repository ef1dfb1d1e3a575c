/*
 * ACPI table parsing over plain byte buffers: no memory mapping, no
 * hardware access, so the host tests can feed it anything.
 *
 * A table is trusted only after three checks: its header fits in what was
 * mapped, its length field lies between the header size and what was
 * mapped, and its bytes sum to zero. Inside a table, an entry is read only
 * when it lies wholly inside the table's length; an entry too short for its
 * type is skipped, and an entry whose length could not advance the walk
 * (0 or 1) or runs past the end ends the walk, because nothing after it can
 * be located reliably.
 */
#include <core/log.h>
#include <core/string.h>
#include <plat/acpi.h>

typedef struct acpi_sdt_header {
	char signature[4];
	uint32_t length; /* of the whole table, header included */
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	uint32_t creator_id;
	uint32_t creator_revision;
} __attribute__((packed)) acpi_sdt_header_t;

typedef struct acpi_rsdp {
	char signature[8];
	uint8_t checksum; /* over the first 20 bytes (ACPI 1.0) */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	/* ACPI 2.0 and later */
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum; /* over length bytes */
	uint8_t reserved[3];
} __attribute__((packed)) acpi_rsdp_t;

#define RSDP_V1_LEN 20

typedef struct madt_header {
	acpi_sdt_header_t sdt;
	uint32_t lapic_address;
	uint32_t flags;
} __attribute__((packed)) madt_header_t;

#define MADT_PCAT_COMPAT (1u << 0)

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_NMI_SOURCE = 3,
	MADT_LAPIC_NMI = 4,
	MADT_LAPIC_ADDRESS = 5,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 10,
};

typedef struct madt_lapic {
	uint8_t type, length, uid, apic_id;
	uint32_t flags;
} __attribute__((packed)) madt_lapic_t;

typedef struct madt_ioapic {
	uint8_t type, length, id, reserved;
	uint32_t address, gsi_base;
} __attribute__((packed)) madt_ioapic_t;

typedef struct madt_override {
	uint8_t type, length, bus, source;
	uint32_t gsi;
	uint16_t flags;
} __attribute__((packed)) madt_override_t;

typedef struct madt_nmi_source {
	uint8_t type, length;
	uint16_t flags;
	uint32_t gsi;
} __attribute__((packed)) madt_nmi_source_t;

typedef struct madt_lapic_nmi {
	uint8_t type, length, uid;
	uint16_t flags;
	uint8_t lint;
} __attribute__((packed)) madt_lapic_nmi_t;

typedef struct madt_lapic_address {
	uint8_t type, length;
	uint16_t reserved;
	uint64_t address;
} __attribute__((packed)) madt_lapic_address_t;

typedef struct madt_x2apic {
	uint8_t type, length;
	uint16_t reserved;
	uint32_t x2apic_id, flags, uid;
} __attribute__((packed)) madt_x2apic_t;

typedef struct madt_x2apic_nmi {
	uint8_t type, length;
	uint16_t flags;
	uint32_t uid;
	uint8_t lint, reserved[3];
} __attribute__((packed)) madt_x2apic_nmi_t;

#define MADT_CPU_ENABLED (1u << 0)
#define MADT_LAPIC_NMI_ALL_UID8 0xFF

typedef struct mcfg_entry {
	uint64_t base_address;
	uint16_t segment;
	uint8_t bus_start, bus_end;
	uint32_t reserved;
} __attribute__((packed)) mcfg_entry_t;

#define MCFG_ENTRIES_OFFSET (sizeof(acpi_sdt_header_t) + 8)

_Static_assert(sizeof(acpi_sdt_header_t) == 36, "ACPI SDT header layout");
_Static_assert(sizeof(acpi_rsdp_t) == 36, "ACPI RSDP layout");
_Static_assert(sizeof(madt_header_t) == 44, "MADT header layout");
_Static_assert(sizeof(madt_lapic_t) == 8 && sizeof(madt_ioapic_t) == 12, "MADT entry layout");
_Static_assert(sizeof(madt_override_t) == 10 && sizeof(madt_nmi_source_t) == 8,
               "MADT entry layout");
_Static_assert(sizeof(madt_lapic_nmi_t) == 6 && sizeof(madt_lapic_address_t) == 12,
               "MADT entry layout");
_Static_assert(sizeof(madt_x2apic_t) == 16 && sizeof(madt_x2apic_nmi_t) == 12, "MADT entry layout");
_Static_assert(sizeof(mcfg_entry_t) == 16, "MCFG entry layout");

bool acpi_checksum_ok(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	return sum == 0;
}

/* A signature made printable for the log: firmware bytes can be anything. */
static void signature_text(const char *sig, char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = sig[i] >= 0x20 && sig[i] < 0x7f ? sig[i] : '?';
	out[4] = 0;
}

/* The header checks every parser repeats, so each stands alone. */
static bool sdt_check(const void *table, size_t len, const char *sig, size_t min_len)
{
	const acpi_sdt_header_t *h = table;
	if (len < sizeof(*h) || memcmp(h->signature, sig, 4))
		return false;
	if (h->length < min_len || h->length > len) {
		kprintf("acpi: %s: length %u is outside %lu..%lu, ignored\n", sig, h->length,
		        (uint64_t)min_len, (uint64_t)len);
		return false;
	}
	if (!acpi_checksum_ok(table, h->length)) {
		kprintf("acpi: %s: bad checksum, ignored\n", sig);
		return false;
	}
	return true;
}

bool acpi_rsdp_parse(const void *rsdp, size_t avail, acpi_root_t *root)
{
	const acpi_rsdp_t *r = rsdp;
	if (avail < RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8) ||
	    !acpi_checksum_ok(r, RSDP_V1_LEN))
		return false;
	root->revision = r->revision;
	root->rsdt_paddr = r->rsdt_address;
	root->xsdt_paddr = 0;
	if (r->revision < 2)
		return true;
	/* ACPI 2.0+: the XSDT is usable only if the extended structure checks out;
	 * otherwise fall back to the 1.0 part, which did. */
	if (avail >= sizeof(*r) && r->length >= sizeof(*r) && r->length <= avail &&
	    acpi_checksum_ok(r, r->length))
		root->xsdt_paddr = r->xsdt_address;
	else
		kprintf("acpi: RSDP revision %u has a bad extended part; using the RSDT\n",
		        r->revision);
	return true;
}

bool acpi_rsdp_scan(const void *area, size_t len, size_t *offset, acpi_root_t *root)
{
	const uint8_t *p = area;
	for (size_t off = 0; off + RSDP_V1_LEN <= len; off += 16) {
		if (acpi_rsdp_parse(p + off, len - off, root)) {
			*offset = off;
			return true;
		}
	}
	return false;
}

/* MPS INTI flags: polarity in bits 0-1, trigger in bits 2-3; 3 means
 * active-low / level, anything else is the ISA default (high, edge). */
static void inti_flags_decode(uint16_t flags, bool *level, bool *active_low)
{
	*active_low = (flags & 3) == 3;
	*level = ((flags >> 2) & 3) == 3;
}

static void madt_add_cpu(madt_info_t *out, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
	if (!(flags & MADT_CPU_ENABLED))
		return;
	if (out->ncpus == ACPI_MAX_CPUS) {
		kprintf("acpi: MADT: more than %u processors, APIC id %u ignored\n", ACPI_MAX_CPUS,
		        apic_id);
		return;
	}
	out->cpus[out->ncpus++] = (acpi_cpu_t){.apic_id = apic_id, .uid = uid};
}

static void madt_add_ioapic(madt_info_t *out, const madt_ioapic_t *e)
{
	if (!e->address) {
		kprintf("acpi: MADT: IOAPIC %u at address 0 ignored\n", e->id);
		return;
	}
	if (out->nioapics == ACPI_MAX_IOAPICS) {
		kprintf("acpi: MADT: more than %u IOAPICs, IOAPIC %u ignored\n", ACPI_MAX_IOAPICS,
		        e->id);
		return;
	}
	out->ioapics[out->nioapics++] =
		(acpi_ioapic_t){.id = e->id, .gsi_base = e->gsi_base, .paddr = e->address};
}

static void madt_add_override(madt_info_t *out, const madt_override_t *e)
{
	/* Bus 0 is ISA, the only bus overrides are defined for. */
	if (e->bus != 0 || e->source >= 16) {
		kprintf("acpi: MADT: override of bus %u IRQ %u ignored\n", e->bus, e->source);
		return;
	}
	for (unsigned i = 0; i < out->noverrides; i++) {
		if (out->overrides[i].isa_irq == e->source) {
			kprintf("acpi: MADT: second override of IRQ %u ignored\n", e->source);
			return;
		}
	}
	/* 16 distinct ISA IRQs fit, so the array cannot be full here. */
	acpi_irq_override_t *o = &out->overrides[out->noverrides++];
	o->isa_irq = e->source;
	o->gsi = e->gsi;
	inti_flags_decode(e->flags, &o->level, &o->active_low);
}

static void madt_add_lapic_nmi(madt_info_t *out, uint32_t uid, uint16_t flags, uint8_t lint)
{
	if (lint > 1 || out->nlapic_nmis == ACPI_MAX_LAPIC_NMIS) {
		kprintf("acpi: MADT: local APIC NMI on LINT%u ignored\n", lint);
		return;
	}
	acpi_lapic_nmi_t *n = &out->lapic_nmis[out->nlapic_nmis++];
	bool level;
	n->uid = uid;
	n->lint = lint;
	inti_flags_decode(flags, &level, &n->active_low);
}

static void madt_add_nmi_source(madt_info_t *out, const madt_nmi_source_t *e)
{
	if (out->nnmi_sources == ACPI_MAX_NMI_SOURCES) {
		kprintf("acpi: MADT: NMI source GSI %u ignored\n", e->gsi);
		return;
	}
	acpi_nmi_source_t *n = &out->nmi_sources[out->nnmi_sources++];
	n->gsi = e->gsi;
	inti_flags_decode(e->flags, &n->level, &n->active_low);
}

/* The shortest entry of each type the parser reads; 0 for types it skips. */
static size_t madt_entry_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:
		return sizeof(madt_lapic_t);
	case MADT_IOAPIC:
		return sizeof(madt_ioapic_t);
	case MADT_OVERRIDE:
		return sizeof(madt_override_t);
	case MADT_NMI_SOURCE:
		return sizeof(madt_nmi_source_t);
	case MADT_LAPIC_NMI:
		return sizeof(madt_lapic_nmi_t);
	case MADT_LAPIC_ADDRESS:
		return sizeof(madt_lapic_address_t);
	case MADT_X2APIC:
		return sizeof(madt_x2apic_t);
	case MADT_X2APIC_NMI:
		return sizeof(madt_x2apic_nmi_t);
	default:
		return 0;
	}
}

/* Contract: e points at len >= madt_entry_min_len(e[0]) readable bytes. */
static void madt_entry(madt_info_t *out, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC: {
		const madt_lapic_t *l = (const void *)e;
		madt_add_cpu(out, l->apic_id, l->uid, l->flags);
		break;
	}
	case MADT_IOAPIC:
		madt_add_ioapic(out, (const void *)e);
		break;
	case MADT_OVERRIDE:
		madt_add_override(out, (const void *)e);
		break;
	case MADT_NMI_SOURCE:
		madt_add_nmi_source(out, (const void *)e);
		break;
	case MADT_LAPIC_NMI: {
		const madt_lapic_nmi_t *n = (const void *)e;
		uint32_t uid = n->uid == MADT_LAPIC_NMI_ALL_UID8 ? ACPI_UID_ALL : n->uid;
		madt_add_lapic_nmi(out, uid, n->flags, n->lint);
		break;
	}
	case MADT_LAPIC_ADDRESS: {
		const madt_lapic_address_t *a = (const void *)e;
		if (a->address)
			out->lapic_paddr = a->address;
		break;
	}
	case MADT_X2APIC: {
		const madt_x2apic_t *x = (const void *)e;
		madt_add_cpu(out, x->x2apic_id, x->uid, x->flags);
		break;
	}
	case MADT_X2APIC_NMI: {
		const madt_x2apic_nmi_t *n = (const void *)e;
		madt_add_lapic_nmi(out, n->uid, n->flags, n->lint);
		break;
	}
	}
}

bool acpi_parse_madt(const void *table, size_t len, madt_info_t *out)
{
	memset(out, 0, sizeof(*out));
	if (!sdt_check(table, len, "APIC", sizeof(madt_header_t)))
		return false;
	const madt_header_t *h = table;
	const uint8_t *p = table;
	size_t end = h->sdt.length;
	out->lapic_paddr = h->lapic_address;
	out->pcat_compat = h->flags & MADT_PCAT_COMPAT;

	for (size_t off = sizeof(*h); off < end;) {
		size_t left = end - off;
		uint8_t elen = left >= 2 ? p[off + 1] : 0;
		if (elen < 2 || elen > left) {
			kprintf("acpi: MADT: entry at offset %lu has length %u with %lu bytes left; "
			        "rest of the table ignored\n",
			        (uint64_t)off, elen, (uint64_t)left);
			break;
		}
		size_t need = madt_entry_min_len(p[off]);
		if (elen < need)
			kprintf("acpi: MADT: type %u entry of %u bytes is shorter than %lu, ignored\n",
			        p[off], elen, (uint64_t)need);
		else
			madt_entry(out, p + off);
		off += elen;
	}
	return true;
}

bool acpi_parse_mcfg(const void *table, size_t len, mcfg_info_t *out)
{
	memset(out, 0, sizeof(*out));
	if (!sdt_check(table, len, "MCFG", MCFG_ENTRIES_OFFSET))
		return false;
	const acpi_sdt_header_t *h = table;
	const uint8_t *p = table;
	size_t n = (h->length - MCFG_ENTRIES_OFFSET) / sizeof(mcfg_entry_t);
	for (size_t i = 0; i < n; i++) {
		const mcfg_entry_t *e = (const void *)(p + MCFG_ENTRIES_OFFSET + i * sizeof(*e));
		/* ECAM windows are 1 MiB per bus and at least 1 MiB aligned. */
		if (!e->base_address || (e->base_address & 0xFFFFF) || e->bus_start > e->bus_end) {
			kprintf("acpi: MCFG: window %lx buses %u-%u ignored\n", e->base_address,
			        e->bus_start, e->bus_end);
			continue;
		}
		if (out->necams == ACPI_MAX_ECAM) {
			kprintf("acpi: MCFG: more than %u windows, the rest ignored\n",
			        ACPI_MAX_ECAM);
			break;
		}
		out->ecams[out->necams++] = (acpi_ecam_t){.paddr = e->base_address,
		                                          .segment = e->segment,
		                                          .bus_start = e->bus_start,
		                                          .bus_end = e->bus_end};
	}
	return true;
}

/* Maps and validates one table; NULL (after a log line) if it is unusable. */
static const acpi_sdt_header_t *table_get(acpi_map_fn map, uint64_t paddr)
{
	if (!paddr) {
		kprintf("acpi: null table pointer skipped\n");
		return NULL;
	}
	const acpi_sdt_header_t *h = map(paddr, sizeof(*h));
	if (!h) {
		kprintf("acpi: table at %lx cannot be mapped, skipped\n", paddr);
		return NULL;
	}
	char sig[5];
	signature_text(h->signature, sig);
	uint32_t len = h->length;
	if (len < sizeof(*h) || len > ACPI_MAX_TABLE_LEN) {
		kprintf("acpi: %s at %lx: length %u is absurd, skipped\n", sig, paddr, len);
		return NULL;
	}
	h = map(paddr, len);
	if (!h) {
		kprintf("acpi: %s at %lx: %u bytes cannot be mapped, skipped\n", sig, paddr, len);
		return NULL;
	}
	/* Re-read through the full mapping: that is the one everything else reads. */
	if (h->length != len || !acpi_checksum_ok(h, len)) {
		kprintf("acpi: %s at %lx: bad checksum, skipped\n", sig, paddr);
		return NULL;
	}
	kprintf("acpi: %s at %lx, %u bytes\n", sig, paddr, len);
	return h;
}

static void table_use(const acpi_sdt_header_t *h, acpi_info_t *out)
{
	if (!memcmp(h->signature, "APIC", 4)) {
		if (out->have_madt)
			kprintf("acpi: second MADT ignored\n");
		else
			out->have_madt = acpi_parse_madt(h, h->length, &out->madt);
	} else if (!memcmp(h->signature, "MCFG", 4)) {
		if (out->have_mcfg)
			kprintf("acpi: second MCFG ignored\n");
		else
			out->have_mcfg = acpi_parse_mcfg(h, h->length, &out->mcfg);
	}
}

static uint64_t read_le(const uint8_t *p, size_t size)
{
	uint64_t v = 0;
	for (size_t i = size; i-- > 0;)
		v = v << 8 | p[i];
	return v;
}

/* Walks an XSDT (8-byte entries) or RSDT (4-byte entries); false if the
 * root table itself is unusable. Entries are unaligned, so read bytewise. */
static bool root_walk(acpi_map_fn map, uint64_t paddr, const char *sig, size_t entry_size,
                      acpi_info_t *out)
{
	const acpi_sdt_header_t *root = table_get(map, paddr);
	if (!root)
		return false;
	if (memcmp(root->signature, sig, 4)) {
		kprintf("acpi: root table at %lx is not an %s, ignored\n", paddr, sig);
		return false;
	}
	const uint8_t *entries = (const uint8_t *)root + sizeof(*root);
	size_t n = (root->length - sizeof(*root)) / entry_size;
	if (n > ACPI_MAX_TABLES) {
		kprintf("acpi: %s lists %lu tables; only the first %u are read\n", sig, (uint64_t)n,
		        ACPI_MAX_TABLES);
		n = ACPI_MAX_TABLES;
	}
	for (size_t i = 0; i < n; i++) {
		const acpi_sdt_header_t *h =
			table_get(map, read_le(entries + i * entry_size, entry_size));
		if (h)
			table_use(h, out);
	}
	return true;
}

void acpi_walk(const acpi_root_t *root, acpi_map_fn map, acpi_info_t *out)
{
	memset(out, 0, sizeof(*out));
	if (root->xsdt_paddr && root_walk(map, root->xsdt_paddr, "XSDT", 8, out))
		return;
	if (root->rsdt_paddr && root_walk(map, root->rsdt_paddr, "RSDT", 4, out))
		return;
	kprintf("acpi: no usable root table\n");
}
