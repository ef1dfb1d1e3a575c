/*
 * Per-CPU setup: GDT with a TSS (whose I/O bitmap follows it), the IDT,
 * the syscall MSRs, SSE, and the protection features the CPU offers
 * (SMEP, SMAP, write protection). One CPU today; everything per-CPU lives
 * in cpu_t so more can follow.
 */
#include <arch/boot_defs.h>
#include <arch/context.h>
#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <core/log.h>
#include <core/string.h>
#include <stddef.h>

_Static_assert(offsetof(cpu_t, self) == CPU_SELF, "entry.S offset");
_Static_assert(offsetof(cpu_t, user_rsp) == CPU_USER_RSP, "entry.S offset");
_Static_assert(offsetof(cpu_t, context_end) == CPU_CONTEXT_END, "entry.S offset");
_Static_assert(offsetof(cpu_t, kernel_stack) == CPU_KERNEL_STACK, "entry.S offset");
_Static_assert(offsetof(cpu_t, current) == CPU_CURRENT, "entry.S offset");
_Static_assert(offsetof(cpu_t, io_bitmap) == offsetof(cpu_t, tss) + TSS_IOMAP_BITMAP,
               "the I/O bitmap follows the TSS");
_Static_assert(sizeof(tss_t) == 0x68 && offsetof(tss_t, iomap_base) == 0x66, "64-bit TSS");
_Static_assert(TSS_LIMIT == sizeof(tss_t) + sizeof(cpu0.io_bitmap) - 1, "TSS limit");
_Static_assert(TSS_IOMAP_NONE > TSS_LIMIT, "no bitmap: the I/O map base is past the limit");

cpu_t cpu0 __attribute__((aligned(64)));

extern char boot_stack_top[];
extern const uint64_t interrupt_stubs[256];
void syscall_entry(void);

static uint8_t double_fault_stack[4096] __attribute__((aligned(16)));

typedef struct idt_entry {
	uint16_t offset_low, selector;
	uint8_t ist, type;
	uint16_t offset_mid;
	uint32_t offset_high, reserved;
} __attribute__((packed)) idt_entry_t;

static idt_entry_t idt[256] __attribute__((aligned(16)));

struct descriptor_pointer {
	uint16_t limit;
	uint64_t base;
} __attribute__((packed));

#define IDT_INTERRUPT_GATE 0x8E
#define IDT_USER_INTERRUPT_GATE 0xEE /* DPL 3: int3 and into from user mode */
#define VECTOR_BREAKPOINT 3
#define VECTOR_OVERFLOW 4
#define IST_DOUBLE_FAULT 1
#define VECTOR_DOUBLE_FAULT 8

static void gdt_init(cpu_t *c)
{
	c->gdt[0] = 0;
	c->gdt[1] = 0x00af9a000000ffffULL; /* kernel code, 64-bit */
	c->gdt[2] = 0x00cf92000000ffffULL; /* kernel data */
	c->gdt[3] = 0x00cff2000000ffffULL; /* user data, DPL 3 */
	c->gdt[4] = 0x00affa000000ffffULL; /* user code, 64-bit, DPL 3 */
	uint64_t base = (uint64_t)&c->tss;
	uint64_t limit = TSS_LIMIT;
	c->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ULL << 40) |
	            (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	c->gdt[6] = base >> 32;

	memset(&c->tss, 0, sizeof(c->tss));
	c->tss.ist[IST_DOUBLE_FAULT - 1] =
		(uint64_t)double_fault_stack + sizeof(double_fault_stack);
	c->tss.iomap_base = TSS_IOMAP_NONE;
	memset(c->io_bitmap, 0xff, sizeof(c->io_bitmap)); /* every port closed */

	struct descriptor_pointer gdtr = {sizeof(c->gdt) - 1, (uint64_t)c->gdt};
	__asm__ volatile("lgdt %0\n"
	                 "pushq $0x08\n"
	                 "leaq 1f(%%rip), %%rax\n"
	                 "pushq %%rax\n"
	                 "lretq\n"
	                 "1: mov $0x10, %%ax\n"
	                 "mov %%ax, %%ss\n"
	                 "mov %%ax, %%ds\n"
	                 "mov %%ax, %%es\n"
	                 "xor %%eax, %%eax\n"
	                 "mov %%ax, %%fs\n"
	                 "mov %%ax, %%gs\n"
	                 :
	                 : "m"(gdtr)
	                 : "rax", "memory");
	__asm__ volatile("ltr %w0" ::"r"(GDT_TSS));
}

static void idt_init(void)
{
	for (int v = 0; v < 256; v++) {
		uint64_t handler = interrupt_stubs[v];
		idt[v] = (idt_entry_t){
			.offset_low = handler & 0xffff,
			.selector = GDT_KERNEL_CS,
			.ist = v == VECTOR_DOUBLE_FAULT ? IST_DOUBLE_FAULT : 0,
			.type = v == VECTOR_BREAKPOINT || v == VECTOR_OVERFLOW ?
		                        IDT_USER_INTERRUPT_GATE :
		                        IDT_INTERRUPT_GATE,
			.offset_mid = (handler >> 16) & 0xffff,
			.offset_high = handler >> 32,
		};
	}
	struct descriptor_pointer idtr = {sizeof(idt) - 1, (uint64_t)idt};
	__asm__ volatile("lidt %0" ::"m"(idtr));
}

static void syscall_init(void)
{
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	/* syscall: CS = 0x08, SS = 0x10. sysret: CS = 0x10 + 16, SS = 0x10 + 8, RPL 3. */
	wrmsr(MSR_STAR, (0x10ULL << 48) | ((uint64_t)GDT_KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
	/* Entering the kernel clears IF, TF, DF, NT and AC. */
	wrmsr(MSR_SFMASK, 0x47700);
}

static void features_init(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[3] & (1u << 24)) || !(r[3] & (1u << 25)))
		halt_with_message("this CPU lacks FXSAVE or SSE");
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT;
	cpuid(7, 0, r);
	if (r[1] & (1u << 7))
		cr4 |= CR4_SMEP;
	if (r[1] & (1u << 20))
		cr4 |= CR4_SMAP;
	write_cr4(cr4);
	/* FPU on, no emulation, native x87 errors. */
	write_cr0((read_cr0() & ~(1ULL << 2)) | (1ULL << 1) | (1ULL << 5));
	__asm__ volatile("fninit");
	kprintf("cpu: SMEP %s, SMAP %s\n", (cr4 & CR4_SMEP) ? "on" : "absent",
	        (cr4 & CR4_SMAP) ? "on" : "absent");
}

void cpu_local_init(void)
{
	cpu_t *c = &cpu0;
	c->self = c;
	c->id = 0;
	c->kernel_stack = (uint64_t)boot_stack_top;
	gdt_init(c);
	idt_init();
	wrmsr(MSR_GS_BASE, (uint64_t)c);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	syscall_init();
	features_init();
}
