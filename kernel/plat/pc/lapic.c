/*
 * The boot CPU's local APIC in xAPIC mode: a page of 32-bit registers at
 * the address IA32_APIC_BASE holds, read and written with single 32-bit
 * accesses. It receives every interrupt the kernel takes (IOAPIC and MSI
 * messages, its own timer) and needs an EOI for each except the spurious
 * vector.
 */
#include <arch/cpu.h>
#include <arch/paging.h>
#include <core/log.h>
#include <plat/apic.h>
#include <plat/irq_vectors.h>

#define LAPIC_ID 0x020
#define LAPIC_VERSION 0x030
#define LAPIC_TPR 0x080
#define LAPIC_EOI 0x0B0
#define LAPIC_SVR 0x0F0
#define LAPIC_ESR 0x280
#define LAPIC_LVT_CMCI 0x2F0
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_THERMAL 0x330
#define LAPIC_LVT_PERF 0x340
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_INITIAL 0x380
#define LAPIC_TIMER_CURRENT 0x390
#define LAPIC_TIMER_DIVIDE_CONFIG 0x3E0

#define SVR_ENABLE (1u << 8)
#define LVT_DELIVERY_NMI (4u << 8)
#define LVT_ACTIVE_LOW (1u << 13)
#define LVT_MASKED (1u << 16)
#define LVT_TIMER_PERIODIC (1u << 17)
#define LVT_TIMER_TSC_DEADLINE (2u << 17)
#define TIMER_DIVIDE_CONFIG_16 0x3

#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_ADDR_MASK 0x000FFFFFFFFFF000ULL

#define CPUID1_EDX_APIC (1u << 9)

_Static_assert(LAPIC_TIMER_DIVIDE == 16, "TIMER_DIVIDE_CONFIG_16 sets a divider of 16");

static volatile uint32_t *lapic_regs;

static uint32_t lapic_read(unsigned reg)
{
	return lapic_regs[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic_regs[reg / 4] = v;
}

/* Returns the physical address the APIC decodes, after enabling it in xAPIC mode. */
static uint64_t lapic_enable_xapic(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	if (base & APIC_BASE_X2APIC) {
		/* x2APIC can only be left through the disabled state. */
		kprintf("lapic: firmware left x2APIC mode on; switching to xAPIC\n");
		base &= ~(APIC_BASE_X2APIC | APIC_BASE_ENABLE);
		wrmsr(MSR_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_ENABLE))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
	return base & APIC_BASE_ADDR_MASK;
}

void lapic_init(uint64_t paddr)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[3] & CPUID1_EDX_APIC))
		halt_with_message("this CPU has no local APIC");
	uint64_t decoded = lapic_enable_xapic();
	if (decoded != paddr)
		kprintf("lapic: MADT says %lx but the CPU decodes %lx; using the latter\n", paddr,
		        decoded);
	lapic_regs = kmap_device(decoded, PAGE_SIZE);

	/* While software-disabled the APIC forces every LVT mask bit on, so
	 * enable it before unmasking anything. */
	lapic_write(LAPIC_SVR, SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	lapic_write(LAPIC_TPR, 0);
	lapic_timer_program(LAPIC_TIMER_ONESHOT, IRQ_VECTOR_TIMER, true, 0);
	lapic_write(LAPIC_TIMER_DIVIDE_CONFIG, TIMER_DIVIDE_CONFIG_16);
	/* The 8259's ExtINT path through LINT0 is never used; LINT1 is NMI. */
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_DELIVERY_NMI);
	/* Which further LVTs exist depends on the APIC's version. */
	unsigned max_lvt = (lapic_read(LAPIC_VERSION) >> 16) & 0xFF;
	if (max_lvt >= 3)
		lapic_write(LAPIC_LVT_ERROR, LVT_MASKED);
	if (max_lvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LVT_MASKED);
	if (max_lvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LVT_MASKED);
	if (max_lvt >= 6)
		lapic_write(LAPIC_LVT_CMCI, LVT_MASKED);
	/* ESR is latched by a write; two clear anything firmware left. */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	/* Retire an interrupt firmware may have left in service. */
	lapic_eoi();
	kprintf("lapic: id %u at %lx, version %x\n", lapic_id(), decoded,
	        lapic_read(LAPIC_VERSION) & 0xFF);
}

uint32_t lapic_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_set_nmi(unsigned lint, bool active_low)
{
	uint32_t lvt = LVT_DELIVERY_NMI | (active_low ? LVT_ACTIVE_LOW : 0);
	lapic_write(lint ? LAPIC_LVT_LINT1 : LAPIC_LVT_LINT0, lvt);
}

void lapic_timer_program(enum lapic_timer_mode mode, uint8_t vector, bool masked, uint32_t count)
{
	uint32_t lvt = vector | (masked ? LVT_MASKED : 0);
	if (mode == LAPIC_TIMER_PERIODIC)
		lvt |= LVT_TIMER_PERIODIC;
	else if (mode == LAPIC_TIMER_TSC_DEADLINE)
		lvt |= LVT_TIMER_TSC_DEADLINE;
	/* Stop first, so the new mode never fires on the old count. */
	lapic_write(LAPIC_TIMER_INITIAL, 0);
	lapic_write(LAPIC_LVT_TIMER, lvt);
	if (mode == LAPIC_TIMER_TSC_DEADLINE)
		/* The SDM requires the LVT write to be ordered before any
		 * IA32_TSC_DEADLINE write, which a store alone does not ensure. */
		__asm__ volatile("mfence" ::: "memory");
	else
		lapic_write(LAPIC_TIMER_INITIAL, count);
}

uint32_t lapic_timer_current(void)
{
	return lapic_read(LAPIC_TIMER_CURRENT);
}
