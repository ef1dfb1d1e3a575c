#ifndef PLAT_APIC_H
#define PLAT_APIC_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The PC's interrupt controllers. The legacy 8259 PICs are remapped and
 * masked for good; device interrupts come through IOAPICs (or MSI) to the
 * local APIC, which is used in xAPIC (MMIO) mode.
 *
 * Callers serialize: the IOAPIC's select/window register pair is not safe
 * to use from two CPUs at once. Routing a GSI never unmasks it; the IRQ
 * code unmasks a pin once a handler is bound to its vector.
 */

#define LAPIC_DEFAULT_PADDR 0xFEE00000UL
#define IOAPIC_DEFAULT_PADDR 0xFEC00000UL
#define IOAPIC_MAX 8

/* 8259 PICs: remap to IRQ_VECTOR_PIC_BASE and mask every line. */
void pic_disable(void);

/* Boot only: maps and software-enables the boot CPU's local APIC with
 * spurious vector IRQ_VECTOR_SPURIOUS, every LVT masked except LINT1 as NMI
 * (the PC convention; lapic_set_nmi changes that). paddr is what the MADT
 * says; the IA32_APIC_BASE MSR wins if they differ. */
void lapic_init(uint64_t paddr);
uint32_t lapic_id(void);
/* Ends the interrupt being handled; not for the spurious vector. */
void lapic_eoi(void);
/* Makes local pin LINT0 or LINT1 deliver NMI (edge-triggered by definition). */
void lapic_set_nmi(unsigned lint, bool active_low);

/* The LAPIC timer counts down at its input clock divided by LAPIC_TIMER_DIVIDE. */
#define LAPIC_TIMER_DIVIDE 16
enum lapic_timer_mode {
	LAPIC_TIMER_ONESHOT,
	LAPIC_TIMER_PERIODIC,
	LAPIC_TIMER_TSC_DEADLINE, /* the count is unused; IA32_TSC_DEADLINE arms it */
};
/* Reprograms the timer: a zero count in the counting modes stops it. */
void lapic_timer_program(enum lapic_timer_mode mode, uint8_t vector, bool masked, uint32_t count);
uint32_t lapic_timer_current(void);

/* Boot only: adds the IOAPIC whose pin 0 is gsi_base and masks all its pins.
 * Returns false (and logs) if it does not answer or overlaps another. */
bool ioapic_add(uint32_t id, uint64_t paddr, uint32_t gsi_base);
/* Programs gsi to raise vector on this CPU, leaving it masked. Returns 0, or
 * negative if no IOAPIC has that GSI or the vector is not a device vector. */
int ioapic_route(uint32_t gsi, uint8_t vector, bool level, bool active_low);
/* Does nothing for a GSI that no IOAPIC has. */
void ioapic_set_masked(uint32_t gsi, bool masked);
/* The highest GSI any IOAPIC has, plus one; 0 without IOAPICs. */
uint32_t ioapic_gsi_limit(void);

/* Where ISA IRQ isa_irq (0-15) arrives: always fills the outputs, with the
 * MADT's override if there is one (and then returns true), otherwise with
 * the ISA default of the same-numbered GSI, edge-triggered, active high. */
bool isa_irq_override(unsigned isa_irq, uint32_t *gsi, bool *level, bool *active_low);

#endif
