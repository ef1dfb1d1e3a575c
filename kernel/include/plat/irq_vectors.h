#ifndef PLAT_IRQ_VECTORS_H
#define PLAT_IRQ_VECTORS_H

/*
 * The interrupt vector plan. Vectors 0x00-0x1F are CPU exceptions. The
 * legacy 8259 PICs are remapped to 0x20-0x2F and kept masked, so the only
 * thing that can arrive there is a PIC spurious interrupt (0x27, 0x2F),
 * which must be ignored without an EOI. IOAPIC pins are routed one to one:
 * GSI g arrives at vector IRQ_VECTOR_GSI_BASE + g. MSIs get the block
 * after that. The local APIC's own sources sit at the top, above every
 * device vector, so they win priority ties.
 */
#define IRQ_VECTOR_PIC_BASE 0x20 /* master 0x20-0x27, slave 0x28-0x2F */
#define IRQ_VECTOR_PIC_LAST 0x2F

#define IRQ_VECTOR_GSI_BASE 0x30
#define IRQ_MAX_GSI 64 /* GSIs 0..63 -> vectors 0x30..0x6F */

#define IRQ_VECTOR_MSI_BASE 0x70
#define IRQ_VECTOR_MSI_LAST 0xEF

#define IRQ_VECTOR_TIMER 0xF0
#define IRQ_VECTOR_SPURIOUS 0xFF /* the LAPIC's spurious vector: never EOI'd */

_Static_assert(IRQ_VECTOR_GSI_BASE + IRQ_MAX_GSI == IRQ_VECTOR_MSI_BASE,
               "GSI and MSI vector blocks must not overlap");

#endif
