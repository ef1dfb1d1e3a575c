/*
 * Bringing up the PC platform: the glue between what ACPI says and the
 * interrupt controllers and timers. Where the firmware says nothing usable,
 * the PC defaults stand in: the local APIC at 0xFEE00000 and one IOAPIC at
 * 0xFEC00000 serving GSIs from 0, which is what every PC since the MP
 * specification has.
 */
#include <core/log.h>
#include <plat/acpi.h>
#include <plat/apic.h>
#include <plat/plat.h>
#include <plat/timer.h>

static void plat_log_madt(const madt_info_t *madt)
{
	kprintf("madt: LAPIC at %lx, %u CPUs, %u IOAPICs%s\n", madt->lapic_paddr, madt->ncpus,
	        madt->nioapics, madt->pcat_compat ? ", PC/AT 8259s" : "");
	for (unsigned i = 0; i < madt->noverrides; i++) {
		const acpi_irq_override_t *o = &madt->overrides[i];
		kprintf("madt: ISA IRQ %u -> GSI %u, %s, active %s\n", o->isa_irq, o->gsi,
		        o->level ? "level" : "edge", o->active_low ? "low" : "high");
	}
}

/* The MADT's NMI wiring of this CPU's LINT pins, found through its UID. */
static void plat_apply_lapic_nmis(const madt_info_t *madt)
{
	uint32_t self = lapic_id();
	for (unsigned c = 0; c < madt->ncpus; c++) {
		if (madt->cpus[c].apic_id != self)
			continue;
		for (unsigned i = 0; i < madt->nlapic_nmis; i++) {
			const acpi_lapic_nmi_t *n = &madt->lapic_nmis[i];
			if (n->uid == ACPI_UID_ALL || n->uid == madt->cpus[c].uid)
				lapic_set_nmi(n->lint, n->active_low);
		}
		return;
	}
}

static void plat_add_ioapics(const madt_info_t *madt)
{
	unsigned added = 0;
	for (unsigned i = 0; i < madt->nioapics; i++) {
		const acpi_ioapic_t *io = &madt->ioapics[i];
		added += ioapic_add(io->id, io->paddr, io->gsi_base);
	}
	if (added)
		return;
	kprintf("plat: no IOAPIC described; trying one at %lx for GSIs from 0\n",
	        IOAPIC_DEFAULT_PADDR);
	if (!ioapic_add(0, IOAPIC_DEFAULT_PADDR, 0))
		kprintf("plat: no IOAPIC; device interrupts can only be MSIs\n");
}

void plat_init(void)
{
	acpi_init();
	pic_disable();
	const madt_info_t *madt = &acpi_info.madt;
	uint64_t lapic_paddr = LAPIC_DEFAULT_PADDR;
	if (acpi_info.have_madt) {
		plat_log_madt(madt);
		if (madt->lapic_paddr)
			lapic_paddr = madt->lapic_paddr;
	} else {
		kprintf("plat: no usable MADT; assuming the local APIC at %lx\n", lapic_paddr);
	}
	lapic_init(lapic_paddr);
	plat_apply_lapic_nmis(madt);
	plat_add_ioapics(madt);
	timer_calibrate();
}
