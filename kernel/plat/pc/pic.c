/*
 * The legacy 8259 PIC pair. Atoll never takes interrupts from it, but it
 * cannot be switched off: it is reinitialized so that its vectors are
 * 0x20-0x2F instead of the BIOS's 0x08-0x0F (which are CPU exceptions),
 * then every line is masked. A masked 8259 can still signal a spurious
 * IRQ 7 or 15; it then lands harmlessly on 0x27 or 0x2F.
 */
#include <arch/cpu.h>
#include <plat/apic.h>
#include <plat/irq_vectors.h>

#define PIC_MASTER_CMD 0x20
#define PIC_MASTER_DATA 0x21
#define PIC_SLAVE_CMD 0xA0
#define PIC_SLAVE_DATA 0xA1

#define ICW1_INIT_WITH_ICW4 0x11 /* edge-triggered, cascaded, ICW4 follows */
#define ICW3_MASTER_SLAVE_ON_IRQ2 0x04
#define ICW3_SLAVE_ID 0x02
#define ICW4_8086 0x01

/* Old 8259s need a moment between writes; a write to the POST port takes one. */
static void pic_out(uint16_t port, uint8_t v)
{
	outb(port, v);
	outb(0x80, 0);
}

void pic_disable(void)
{
	pic_out(PIC_MASTER_CMD, ICW1_INIT_WITH_ICW4);
	pic_out(PIC_SLAVE_CMD, ICW1_INIT_WITH_ICW4);
	pic_out(PIC_MASTER_DATA, IRQ_VECTOR_PIC_BASE);
	pic_out(PIC_SLAVE_DATA, IRQ_VECTOR_PIC_BASE + 8);
	pic_out(PIC_MASTER_DATA, ICW3_MASTER_SLAVE_ON_IRQ2);
	pic_out(PIC_SLAVE_DATA, ICW3_SLAVE_ID);
	pic_out(PIC_MASTER_DATA, ICW4_8086);
	pic_out(PIC_SLAVE_DATA, ICW4_8086);
	pic_out(PIC_MASTER_DATA, 0xFF);
	pic_out(PIC_SLAVE_DATA, 0xFF);
}
