/*
 * IOAPICs: each one owns a block of input pins, pin n carrying GSI
 * gsi_base + n, and turns an asserted pin into a message to a local APIC
 * as its redirection entry says. Only two registers are visible: IOREGSEL
 * selects an internal register and IOWIN reads or writes it. Redirection
 * entry n is the register pair 0x10 + 2n (vector, polarity, trigger, mask)
 * and 0x11 + 2n (destination APIC id in bits 24-31).
 *
 * Every pin starts masked; a pin is routed and unmasked only when the IRQ
 * code gives it to a driver.
 */
#include <arch/paging.h>
#include <core/log.h>
#include <plat/acpi.h>
#include <plat/apic.h>
#include <plat/irq_vectors.h>

#define IOAPIC_MMIO_SIZE 0x20
#define IOREGSEL 0x00
#define IOWIN 0x10

#define IOAPIC_REG_VERSION 0x01
#define IOAPIC_REG_REDIR 0x10
#define VERSION_MAX_REDIR(v) (((v) >> 16) & 0xFF)

#define REDIR_ACTIVE_LOW (1u << 13)
#define REDIR_LEVEL (1u << 15)
#define REDIR_MASKED (1u << 16)
#define REDIR_DEST_SHIFT 24 /* in the high word: physical destination mode */

typedef struct ioapic {
	volatile uint32_t *regs;
	uint32_t id, gsi_base, npins;
} ioapic_t;

static ioapic_t ioapics[IOAPIC_MAX];
static unsigned nioapics;

static uint32_t ioapic_read(const ioapic_t *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void ioapic_write(const ioapic_t *io, uint32_t reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

static const ioapic_t *ioapic_of(uint32_t gsi, uint32_t *pin)
{
	for (unsigned i = 0; i < nioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].npins) {
			*pin = gsi - ioapics[i].gsi_base;
			return &ioapics[i];
		}
	}
	return NULL;
}

/* The low word goes first, so the pin is masked before its destination changes. */
static void redir_write(const ioapic_t *io, uint32_t pin, uint32_t low, uint32_t high)
{
	ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin, low);
	ioapic_write(io, IOAPIC_REG_REDIR + 2 * pin + 1, high);
}

bool ioapic_add(uint32_t id, uint64_t paddr, uint32_t gsi_base)
{
	if (nioapics == IOAPIC_MAX) {
		kprintf("ioapic: more than %u IOAPICs; id %u ignored\n", IOAPIC_MAX, id);
		return false;
	}
	ioapic_t io = {
		.regs = kmap_device(paddr, IOAPIC_MMIO_SIZE), .id = id, .gsi_base = gsi_base};
	uint32_t version = ioapic_read(&io, IOAPIC_REG_VERSION);
	/* Nothing decodes the address when every bit reads as one. */
	if (version == 0xFFFFFFFF) {
		kprintf("ioapic: no IOAPIC answers at %lx\n", paddr);
		return false;
	}
	io.npins = VERSION_MAX_REDIR(version) + 1;
	if (gsi_base > UINT32_MAX - io.npins) {
		kprintf("ioapic: id %u: GSI base %u is out of range\n", id, gsi_base);
		return false;
	}
	for (unsigned i = 0; i < nioapics; i++) {
		const ioapic_t *o = &ioapics[i];
		if (gsi_base < o->gsi_base + o->npins && o->gsi_base < gsi_base + io.npins) {
			kprintf("ioapic: id %u: GSIs %u-%u overlap IOAPIC %u; ignored\n", id,
			        gsi_base, gsi_base + io.npins - 1, o->id);
			return false;
		}
	}
	for (uint32_t pin = 0; pin < io.npins; pin++)
		redir_write(&io, pin, REDIR_MASKED, 0);
	ioapics[nioapics++] = io;
	kprintf("ioapic: id %u at %lx, version %x: GSIs %u-%u, all masked\n", id, paddr,
	        version & 0xFF, gsi_base, gsi_base + io.npins - 1);
	return true;
}

int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low)
{
	uint32_t pin;
	const ioapic_t *io = ioapic_of(gsi, &pin);
	if (!io || vector < IRQ_VECTOR_GSI_BASE || vector > IRQ_VECTOR_MSI_LAST)
		return -1;
	uint32_t low = REDIR_MASKED | vector | (level ? REDIR_LEVEL : 0) |
	               (active_low ? REDIR_ACTIVE_LOW : 0);
	/* To the CPU that routes it: with one CPU, the boot CPU. */
	redir_write(io, pin, low, lapic_id() << REDIR_DEST_SHIFT);
	return 0;
}

void ioapic_set_masked(uint32_t gsi, bool masked)
{
	uint32_t pin;
	const ioapic_t *io = ioapic_of(gsi, &pin);
	if (!io)
		return;
	uint32_t reg = IOAPIC_REG_REDIR + 2 * pin;
	uint32_t low = ioapic_read(io, reg);
	ioapic_write(io, reg, masked ? low | REDIR_MASKED : low & ~REDIR_MASKED);
}

uint32_t ioapic_gsi_limit(void)
{
	uint32_t limit = 0;
	for (unsigned i = 0; i < nioapics; i++) {
		if (ioapics[i].gsi_base + ioapics[i].npins > limit)
			limit = ioapics[i].gsi_base + ioapics[i].npins;
	}
	return limit;
}

bool isa_irq_override(unsigned isa_irq, uint32_t *gsi, bool *level, bool *active_low)
{
	const madt_info_t *madt = &acpi_info.madt;
	for (unsigned i = 0; acpi_info.have_madt && i < madt->noverrides; i++) {
		const acpi_irq_override_t *o = &madt->overrides[i];
		if (o->isa_irq == isa_irq) {
			*gsi = o->gsi;
			*level = o->level;
			*active_low = o->active_low;
			return true;
		}
	}
	*gsi = isa_irq;
	*level = false;
	*active_low = false;
	return false;
}
