/*
 * ACPI parsing against hand-built tables. Every table is copied into a heap
 * buffer of exactly its size, so AddressSanitizer catches a read one byte
 * past what the parser was given.
 */
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

#include "../../../../kernel/plat/pc/acpi.c"

/* The kernel log, captured: tests check that a rejection was logged. */
static int log_lines;
static char log_last[256];

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(log_last, sizeof(log_last), fmt, ap);
	va_end(ap);
	log_lines++;
}

static void log_reset(void)
{
	log_lines = 0;
	log_last[0] = 0;
}

/* A table under construction. */
typedef struct tbuf {
	uint8_t b[4096];
	size_t len;
} tbuf_t;

static void tb_bytes(tbuf_t *t, const void *data, size_t n)
{
	memcpy(t->b + t->len, data, n);
	t->len += n;
}

static void tb_u8(tbuf_t *t, uint8_t v)
{
	tb_bytes(t, &v, 1);
}

static void tb_u16(tbuf_t *t, uint16_t v)
{
	tb_bytes(t, &v, 2);
}

static void tb_u32(tbuf_t *t, uint32_t v)
{
	tb_bytes(t, &v, 4);
}

static void tb_u64(tbuf_t *t, uint64_t v)
{
	tb_bytes(t, &v, 8);
}

static void tb_header(tbuf_t *t, const char *sig)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->b, sig, 4);
	memcpy(t->b + 10, "ATOLL ", 6);
	t->len = 36;
}

/* Writes the length field and the checksum byte. */
static void tb_finish(tbuf_t *t)
{
	uint32_t len = (uint32_t)t->len;
	memcpy(t->b + 4, &len, 4);
	t->b[9] = 0;
	uint8_t sum = 0;
	for (size_t i = 0; i < t->len; i++)
		sum += t->b[i];
	t->b[9] = (uint8_t)-sum;
}

/* A heap copy of exactly the table's size; the caller frees it. */
static uint8_t *tb_exact(const tbuf_t *t)
{
	uint8_t *p = malloc(t->len);
	memcpy(p, t->b, t->len);
	return p;
}

static void madt_begin(tbuf_t *t, uint32_t lapic, uint32_t flags)
{
	tb_header(t, "APIC");
	tb_u32(t, lapic);
	tb_u32(t, flags);
}

static void madt_lapic(tbuf_t *t, uint8_t uid, uint8_t apic_id, uint32_t flags)
{
	tb_u8(t, 0);
	tb_u8(t, 8);
	tb_u8(t, uid);
	tb_u8(t, apic_id);
	tb_u32(t, flags);
}

static void madt_ioapic(tbuf_t *t, uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	tb_u8(t, 1);
	tb_u8(t, 12);
	tb_u8(t, id);
	tb_u8(t, 0);
	tb_u32(t, addr);
	tb_u32(t, gsi_base);
}

static void madt_override(tbuf_t *t, uint8_t bus, uint8_t irq, uint32_t gsi, uint16_t flags)
{
	tb_u8(t, 2);
	tb_u8(t, 10);
	tb_u8(t, bus);
	tb_u8(t, irq);
	tb_u32(t, gsi);
	tb_u16(t, flags);
}

static void madt_lapic_nmi(tbuf_t *t, uint8_t uid, uint16_t flags, uint8_t lint)
{
	tb_u8(t, 4);
	tb_u8(t, 6);
	tb_u8(t, uid);
	tb_u16(t, flags);
	tb_u8(t, lint);
}

#define INTI_ACTIVE_LOW 0x3
#define INTI_LEVEL 0xC

/* What QEMU's q35 and pc machines describe, plus a disabled CPU. */
static void madt_qemu_like(tbuf_t *t)
{
	madt_begin(t, 0xFEE00000, 1);
	madt_lapic(t, 0, 0, 1);
	madt_lapic(t, 1, 1, 0); /* disabled: not listed */
	madt_ioapic(t, 0, 0xFEC00000, 0);
	madt_override(t, 0, 0, 2, 0);
	madt_override(t, 0, 9, 9, 0x1 | 0xC); /* active high, level */
	madt_override(t, 0, 5, 5, INTI_ACTIVE_LOW | INTI_LEVEL);
	madt_lapic_nmi(t, 0xFF, 0, 1);
}

TEST(checksum_accepts_zero_sum_and_rejects_others)
{
	uint8_t good[4] = {1, 2, 3, 250};
	uint8_t bad[4] = {1, 2, 3, 251};
	CHECK(acpi_checksum_ok(good, 4));
	CHECK(!acpi_checksum_ok(bad, 4));
	CHECK(acpi_checksum_ok(bad, 0));
}

TEST(madt_good_table_yields_lapic_cpus_ioapic_overrides_nmi)
{
	tbuf_t t;
	madt_qemu_like(&t);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.lapic_paddr, 0xFEE00000);
	CHECK(m.pcat_compat);
	CHECK_EQ(m.ncpus, 1);
	CHECK_EQ(m.cpus[0].apic_id, 0);
	CHECK_EQ(m.nioapics, 1);
	CHECK_EQ(m.ioapics[0].paddr, 0xFEC00000);
	CHECK_EQ(m.ioapics[0].gsi_base, 0);
	CHECK_EQ(m.noverrides, 3);
	CHECK_EQ(m.overrides[0].isa_irq, 0);
	CHECK_EQ(m.overrides[0].gsi, 2);
	CHECK(!m.overrides[0].level && !m.overrides[0].active_low);
	CHECK_EQ(m.overrides[1].isa_irq, 9);
	CHECK(m.overrides[1].level && !m.overrides[1].active_low);
	CHECK(m.overrides[2].level && m.overrides[2].active_low);
	CHECK_EQ(m.nlapic_nmis, 1);
	CHECK_EQ(m.lapic_nmis[0].uid, ACPI_UID_ALL);
	CHECK_EQ(m.lapic_nmis[0].lint, 1);
	free(p);
}

TEST(madt_lapic_address_override_entry_wins)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	tb_u8(&t, 5);
	tb_u8(&t, 12);
	tb_u16(&t, 0);
	tb_u64(&t, 0x123456789000ULL);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.lapic_paddr, 0x123456789000ULL);
	CHECK(!m.pcat_compat);
	free(p);
}

TEST(madt_x2apic_entries_are_read)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	tb_u8(&t, 9);
	tb_u8(&t, 16);
	tb_u16(&t, 0);
	tb_u32(&t, 300); /* x2APIC id */
	tb_u32(&t, 1);   /* enabled */
	tb_u32(&t, 77);  /* uid */
	tb_u8(&t, 10);
	tb_u8(&t, 12);
	tb_u16(&t, INTI_ACTIVE_LOW);
	tb_u32(&t, 77);
	tb_u8(&t, 0);
	tb_u8(&t, 0);
	tb_u16(&t, 0);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.ncpus, 1);
	CHECK_EQ(m.cpus[0].apic_id, 300);
	CHECK_EQ(m.cpus[0].uid, 77);
	CHECK_EQ(m.nlapic_nmis, 1);
	CHECK_EQ(m.lapic_nmis[0].uid, 77);
	CHECK_EQ(m.lapic_nmis[0].lint, 0);
	CHECK(m.lapic_nmis[0].active_low);
	free(p);
}

TEST(madt_entry_running_past_the_end_stops_the_walk)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	madt_ioapic(&t, 0, 0xFEC00000, 0);
	/* An IOAPIC entry that claims 12 bytes with only 6 left in the table. */
	tb_u8(&t, 1);
	tb_u8(&t, 12);
	tb_u32(&t, 0xFEC01000);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	log_reset();
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.nioapics, 1);
	CHECK(log_lines > 0);
	free(p);
}

TEST(madt_one_byte_left_at_the_end_stops_the_walk)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	madt_lapic(&t, 0, 0, 1);
	tb_u8(&t, 1);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.ncpus, 1);
	free(p);
}

static void madt_with_entry_length(uint8_t elen)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	madt_lapic(&t, 0, 0, 1);
	tb_u8(&t, 0);
	tb_u8(&t, elen);
	tb_u8(&t, 0);
	tb_u8(&t, 0);
	madt_lapic(&t, 1, 1, 1);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	alarm(5); /* a walk that cannot advance would otherwise hang the test binary */
	log_reset();
	CHECK(acpi_parse_madt(p, t.len, &m));
	alarm(0);
	CHECK_EQ(m.ncpus, 1);
	CHECK(log_lines > 0);
	free(p);
}

TEST(madt_entry_length_zero_ends_the_walk)
{
	madt_with_entry_length(0);
}

TEST(madt_entry_length_one_ends_the_walk)
{
	madt_with_entry_length(1);
}

TEST(madt_entry_too_short_for_its_type_is_skipped)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	/* An IOAPIC entry of 8 bytes: the GSI base would lie outside it. */
	tb_u8(&t, 1);
	tb_u8(&t, 8);
	tb_u8(&t, 0);
	tb_u8(&t, 0);
	tb_u32(&t, 0xFEC00000);
	madt_ioapic(&t, 1, 0xFEC01000, 24);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.nioapics, 1);
	CHECK_EQ(m.ioapics[0].id, 1);
	CHECK_EQ(m.ioapics[0].gsi_base, 24);
	free(p);
}

TEST(madt_longer_entries_and_unknown_types_are_stepped_over)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	uint8_t unknown[20] = {0x7f, 20};
	tb_bytes(&t, unknown, sizeof(unknown));
	/* A future, longer IOAPIC entry. */
	tb_u8(&t, 1);
	tb_u8(&t, 16);
	tb_u8(&t, 3);
	tb_u8(&t, 0);
	tb_u32(&t, 0xFEC00000);
	tb_u32(&t, 0);
	tb_u32(&t, 0xdeadbeef);
	madt_lapic(&t, 0, 0, 1);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.nioapics, 1);
	CHECK_EQ(m.ioapics[0].id, 3);
	CHECK_EQ(m.ncpus, 1);
	free(p);
}

TEST(madt_bad_checksum_is_rejected)
{
	tbuf_t t;
	madt_qemu_like(&t);
	tb_finish(&t);
	t.b[40] ^= 0x10;
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	log_reset();
	CHECK(!acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.nioapics, 0);
	CHECK(log_lines > 0);
	free(p);
}

TEST(madt_length_field_beyond_the_buffer_is_rejected)
{
	tbuf_t t;
	madt_qemu_like(&t);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(!acpi_parse_madt(p, t.len - 1, &m));
	free(p);
}

TEST(madt_length_field_shorter_than_its_header_is_rejected)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	t.len = 40;
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(!acpi_parse_madt(p, t.len, &m));
	free(p);
}

TEST(madt_buffer_shorter_than_a_header_is_rejected)
{
	uint8_t *p = malloc(10);
	memcpy(p, "APIC", 4);
	memset(p + 4, 0, 6);
	madt_info_t m;
	CHECK(!acpi_parse_madt(p, 10, &m));
	free(p);
}

TEST(madt_wrong_signature_is_rejected)
{
	tbuf_t t;
	madt_qemu_like(&t);
	memcpy(t.b, "APIX", 4);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(!acpi_parse_madt(p, t.len, &m));
	free(p);
}

TEST(madt_more_ioapics_than_fit_are_dropped)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	for (unsigned i = 0; i < ACPI_MAX_IOAPICS + 2; i++)
		madt_ioapic(&t, (uint8_t)i, 0xFEC00000 + i * 0x1000, i * 24);
	madt_ioapic(&t, 99, 0, 0); /* address 0: never an IOAPIC */
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.nioapics, ACPI_MAX_IOAPICS);
	CHECK_EQ(m.ioapics[ACPI_MAX_IOAPICS - 1].gsi_base, (ACPI_MAX_IOAPICS - 1) * 24);
	free(p);
}

TEST(madt_overrides_of_other_buses_high_irqs_and_repeats_are_ignored)
{
	tbuf_t t;
	madt_begin(&t, 0xFEE00000, 0);
	madt_override(&t, 1, 3, 20, 0);
	madt_override(&t, 0, 16, 20, 0);
	madt_override(&t, 0, 4, 4, INTI_LEVEL);
	madt_override(&t, 0, 4, 21, 0);
	for (uint8_t irq = 0; irq < 16; irq++)
		madt_override(&t, 0, irq, irq, 0);
	madt_lapic_nmi(&t, 0xFF, 0, 2); /* there is no LINT2 */
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	madt_info_t m;
	CHECK(acpi_parse_madt(p, t.len, &m));
	CHECK_EQ(m.noverrides, 16);
	CHECK_EQ(m.overrides[0].isa_irq, 4);
	CHECK_EQ(m.overrides[0].gsi, 4);
	CHECK(m.overrides[0].level);
	CHECK_EQ(m.nlapic_nmis, 0);
	free(p);
}

/* Deterministic pseudo-random bytes for the corruption test. */
static uint32_t rng_state = 12345;
static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245 + 12345;
	return rng_state >> 8;
}

TEST(madt_random_corruption_stays_inside_the_table)
{
	tbuf_t good;
	madt_qemu_like(&good);
	madt_ioapic(&good, 1, 0xFEC01000, 24);
	tb_finish(&good);
	alarm(20);
	for (int round = 0; round < 20000; round++) {
		tbuf_t t = good;
		for (int k = rng() % 6; k >= 0; k--)
			t.b[36 + rng() % (t.len - 36)] = (uint8_t)rng();
		t.len = 44 + rng() % (good.len - 43);
		tb_finish(&t); /* a valid checksum makes the parser look at every entry */
		uint8_t *p = tb_exact(&t);
		madt_info_t m;
		CHECK(acpi_parse_madt(p, t.len, &m));
		CHECK(m.nioapics <= ACPI_MAX_IOAPICS && m.noverrides <= ACPI_MAX_OVERRIDES);
		free(p);
	}
	alarm(0);
}

static void mcfg_begin(tbuf_t *t)
{
	tb_header(t, "MCFG");
	tb_u64(t, 0);
}

static void mcfg_entry(tbuf_t *t, uint64_t base, uint16_t seg, uint8_t start, uint8_t end)
{
	tb_u64(t, base);
	tb_u16(t, seg);
	tb_u8(t, start);
	tb_u8(t, end);
	tb_u32(t, 0);
}

TEST(mcfg_windows_are_recorded)
{
	tbuf_t t;
	mcfg_begin(&t);
	mcfg_entry(&t, 0xB0000000, 0, 0, 255);
	mcfg_entry(&t, 0x4000000000ULL, 1, 0x10, 0x1F);
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	mcfg_info_t m;
	CHECK(acpi_parse_mcfg(p, t.len, &m));
	CHECK_EQ(m.necams, 2);
	CHECK_EQ(m.ecams[0].paddr, 0xB0000000);
	CHECK_EQ(m.ecams[0].bus_end, 255);
	CHECK_EQ(m.ecams[1].paddr, 0x4000000000ULL);
	CHECK_EQ(m.ecams[1].segment, 1);
	CHECK_EQ(m.ecams[1].bus_start, 0x10);
	CHECK_EQ(m.ecams[1].bus_end, 0x1F);
	free(p);
}

TEST(mcfg_bad_windows_and_a_partial_entry_are_ignored)
{
	tbuf_t t;
	mcfg_begin(&t);
	mcfg_entry(&t, 0, 0, 0, 255);
	mcfg_entry(&t, 0xB0080000, 0, 0, 255);
	mcfg_entry(&t, 0xB0000000, 0, 9, 8);
	mcfg_entry(&t, 0xE0000000, 2, 0, 0);
	tb_u64(&t, 0xC0000000); /* half an entry */
	tb_finish(&t);
	uint8_t *p = tb_exact(&t);
	mcfg_info_t m;
	CHECK(acpi_parse_mcfg(p, t.len, &m));
	CHECK_EQ(m.necams, 1);
	CHECK_EQ(m.ecams[0].paddr, 0xE0000000);
	CHECK_EQ(m.ecams[0].segment, 2);
	free(p);
}

TEST(mcfg_bad_checksum_is_rejected)
{
	tbuf_t t;
	mcfg_begin(&t);
	mcfg_entry(&t, 0xB0000000, 0, 0, 255);
	tb_finish(&t);
	t.b[50]++;
	uint8_t *p = tb_exact(&t);
	mcfg_info_t m;
	CHECK(!acpi_parse_mcfg(p, t.len, &m));
	CHECK_EQ(m.necams, 0);
	free(p);
}

/* An RSDP; revision 2 adds the XSDT and the extended checksum. */
static void rsdp_build(uint8_t r[36], uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "ATOLL ", 6);
	r[15] = revision;
	memcpy(r + 16, &rsdt, 4);
	uint8_t sum = 0;
	for (int i = 0; i < 20; i++)
		sum += r[i];
	r[8] = (uint8_t)-sum;
	if (revision < 2)
		return;
	uint32_t len = 36;
	memcpy(r + 20, &len, 4);
	memcpy(r + 24, &xsdt, 8);
	sum = 0;
	for (int i = 0; i < 36; i++)
		sum += r[i];
	r[32] = (uint8_t)-sum;
}

TEST(rsdp_revision_0_gives_only_the_rsdt)
{
	uint8_t r[36];
	rsdp_build(r, 0, 0x1000, 0x2000);
	acpi_root_t root;
	CHECK(acpi_rsdp_parse(r, 20, &root));
	CHECK_EQ(root.rsdt_paddr, 0x1000);
	CHECK_EQ(root.xsdt_paddr, 0);
}

TEST(rsdp_revision_2_gives_the_xsdt)
{
	uint8_t r[36];
	rsdp_build(r, 2, 0x1000, 0x123400000ULL);
	acpi_root_t root;
	CHECK(acpi_rsdp_parse(r, 36, &root));
	CHECK_EQ(root.revision, 2);
	CHECK_EQ(root.xsdt_paddr, 0x123400000ULL);
}

TEST(rsdp_bad_extended_checksum_falls_back_to_the_rsdt)
{
	uint8_t r[36];
	rsdp_build(r, 2, 0x1000, 0x2000);
	r[33] = 1;
	acpi_root_t root;
	CHECK(acpi_rsdp_parse(r, 36, &root));
	CHECK_EQ(root.rsdt_paddr, 0x1000);
	CHECK_EQ(root.xsdt_paddr, 0);
	/* An extended part that does not fit in what is readable is not read. */
	rsdp_build(r, 2, 0x1000, 0x2000);
	CHECK(acpi_rsdp_parse(r, 30, &root));
	CHECK_EQ(root.xsdt_paddr, 0);
}

TEST(rsdp_bad_checksum_is_rejected)
{
	uint8_t r[36];
	rsdp_build(r, 0, 0x1000, 0);
	r[16]++;
	acpi_root_t root;
	CHECK(!acpi_rsdp_parse(r, 36, &root));
}

TEST(rsdp_scan_finds_only_16_byte_aligned_pointers)
{
	size_t len = 256;
	uint8_t *area = calloc(1, len);
	rsdp_build(area + 8, 0, 0xdead, 0); /* misaligned decoy */
	acpi_root_t root;
	size_t off;
	CHECK(!acpi_rsdp_scan(area, len, &off, &root));
	rsdp_build(area + 0x60, 2, 0x1000, 0x2000);
	CHECK(acpi_rsdp_scan(area, len, &off, &root));
	CHECK_EQ(off, 0x60);
	CHECK_EQ(root.xsdt_paddr, 0x2000);
	/* One at the very end, with only 24 of its 36 bytes inside the area. */
	memset(area, 0, len);
	rsdp_build(area + 0xD0, 2, 0x3000, 0x4000);
	uint8_t *cut = malloc(0xD0 + 24);
	memcpy(cut, area, 0xD0 + 24);
	CHECK(acpi_rsdp_scan(cut, 0xD0 + 24, &off, &root));
	CHECK_EQ(off, 0xD0);
	CHECK_EQ(root.rsdt_paddr, 0x3000);
	CHECK_EQ(root.xsdt_paddr, 0);
	free(cut);
	free(area);
}

/* Fake physical memory for the walk: FAKE_BASE .. FAKE_BASE + FAKE_SIZE. */
#define FAKE_BASE 0x7ff0000ULL
#define FAKE_SIZE 0x8000
static uint8_t *fake_mem;

static const void *fake_map(uint64_t paddr, size_t len)
{
	if (paddr < FAKE_BASE || paddr - FAKE_BASE > FAKE_SIZE ||
	    len > FAKE_SIZE - (paddr - FAKE_BASE))
		return NULL;
	return fake_mem + (paddr - FAKE_BASE);
}

static void fake_put(uint64_t paddr, const tbuf_t *t)
{
	memcpy(fake_mem + (paddr - FAKE_BASE), t->b, t->len);
}

/* Each walk test ends with this, so LeakSanitizer sees nothing left. */
static void fake_release(void)
{
	free(fake_mem);
	fake_mem = NULL;
}

#define AT_MADT (FAKE_BASE + 0x1000)
#define AT_MCFG (FAKE_BASE + 0x2000)
#define AT_BROKEN (FAKE_BASE + 0x3000)
#define AT_HUGE (FAKE_BASE + 0x4000)
#define AT_XSDT (FAKE_BASE + 0x5000)
#define AT_RSDT (FAKE_BASE + 0x6000)
#define AT_TAIL (FAKE_BASE + FAKE_SIZE - 40)

/* Fake memory holding a good MADT and MCFG, a table with a bad checksum, one
 * with an absurd length and one that runs past the end of memory; an XSDT
 * listing them and a few addresses that map nothing, and an RSDT. */
static void fake_machine(void)
{
	fake_mem = calloc(1, FAKE_SIZE);
	tbuf_t t;
	madt_qemu_like(&t);
	tb_finish(&t);
	fake_put(AT_MADT, &t);
	mcfg_begin(&t);
	mcfg_entry(&t, 0xB0000000, 0, 0, 255);
	tb_finish(&t);
	fake_put(AT_MCFG, &t);
	tb_header(&t, "HPET");
	tb_u32(&t, 1);
	tb_finish(&t);
	t.b[36] = 2;
	fake_put(AT_BROKEN, &t);
	tb_header(&t, "SSDT");
	tb_finish(&t);
	t.b[4] = t.b[5] = t.b[6] = t.b[7] = 0xFF;
	fake_put(AT_HUGE, &t);
	tb_header(&t, "FACP");
	t.len = 40; /* claims 80 bytes; 40 are left before the end of memory */
	tb_finish(&t);
	t.b[4] = 80;
	fake_put(AT_TAIL, &t);

	uint64_t listed[] = {AT_BROKEN, 0,       AT_HUGE, 0xFFFFFFFFFFFFF000ULL,
	                     AT_TAIL,   AT_MADT, AT_MCFG};
	tb_header(&t, "XSDT");
	for (size_t i = 0; i < sizeof(listed) / sizeof(listed[0]); i++)
		tb_u64(&t, listed[i]);
	tb_finish(&t);
	fake_put(AT_XSDT, &t);
	tb_header(&t, "RSDT");
	tb_u32(&t, (uint32_t)AT_MADT);
	tb_finish(&t);
	fake_put(AT_RSDT, &t);
}

TEST(walk_reads_madt_and_mcfg_and_skips_every_bad_table)
{
	fake_machine();
	acpi_root_t root = {.revision = 2, .rsdt_paddr = (uint32_t)AT_RSDT, .xsdt_paddr = AT_XSDT};
	acpi_info_t info;
	acpi_walk(&root, fake_map, &info);
	CHECK(info.have_madt);
	CHECK(info.have_mcfg);
	CHECK_EQ(info.madt.nioapics, 1);
	CHECK_EQ(info.madt.noverrides, 3);
	CHECK_EQ(info.mcfg.necams, 1);
	fake_release();
}

TEST(walk_falls_back_to_the_rsdt_when_the_xsdt_is_bad)
{
	fake_machine();
	fake_mem[AT_XSDT - FAKE_BASE + 40] ^= 1;
	acpi_root_t root = {.revision = 2, .rsdt_paddr = (uint32_t)AT_RSDT, .xsdt_paddr = AT_XSDT};
	acpi_info_t info;
	acpi_walk(&root, fake_map, &info);
	CHECK(info.have_madt);
	CHECK(!info.have_mcfg);
	/* A root pointer that names some other table is not a root table. */
	root.xsdt_paddr = AT_MCFG;
	acpi_walk(&root, fake_map, &info);
	CHECK(info.have_madt);
	CHECK(!info.have_mcfg);
	fake_release();
}

TEST(walk_with_a_corrupt_madt_reports_no_madt)
{
	fake_machine();
	fake_mem[AT_MADT - FAKE_BASE + 50] ^= 4;
	acpi_root_t root = {.revision = 2, .rsdt_paddr = (uint32_t)AT_RSDT, .xsdt_paddr = AT_XSDT};
	acpi_info_t info;
	acpi_walk(&root, fake_map, &info);
	CHECK(!info.have_madt);
	CHECK_EQ(info.madt.nioapics, 0);
	CHECK(info.have_mcfg);
	fake_release();
}

TEST(walk_without_any_root_table_finds_nothing)
{
	fake_machine();
	acpi_root_t root = {.revision = 0, .rsdt_paddr = 0x1000, .xsdt_paddr = 0};
	acpi_info_t info;
	log_reset();
	acpi_walk(&root, fake_map, &info);
	CHECK(!info.have_madt && !info.have_mcfg);
	CHECK(strstr(log_last, "no usable root table") != NULL);
	fake_release();
}

static void xsdt_with_madt_at(unsigned index, unsigned count)
{
	tbuf_t t;
	tb_header(&t, "XSDT");
	for (unsigned i = 0; i < count; i++)
		tb_u64(&t, i == index ? AT_MADT : AT_BROKEN);
	tb_finish(&t);
	fake_put(AT_XSDT, &t);
}

TEST(walk_reads_at_most_acpi_max_tables_entries)
{
	fake_machine();
	acpi_root_t root = {.revision = 2, .xsdt_paddr = AT_XSDT};
	acpi_info_t info;
	xsdt_with_madt_at(ACPI_MAX_TABLES - 1, ACPI_MAX_TABLES + 40);
	acpi_walk(&root, fake_map, &info);
	CHECK(info.have_madt);
	xsdt_with_madt_at(ACPI_MAX_TABLES, ACPI_MAX_TABLES + 40);
	acpi_walk(&root, fake_map, &info);
	CHECK(!info.have_madt);
	fake_release();
}
