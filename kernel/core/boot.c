/*
 * Boot: from the multiboot entry to the first user instruction. Every step
 * that depends on the machine checks what it was given and halts with a
 * message when the machine cannot run Atoll.
 */
#include <arch/boot_defs.h>
#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/paging.h>
#include <core/boot.h>
#include <core/log.h>
#include <core/sched.h>
#include <plat/plat.h>
#include <plat/serial.h>
#include <plat/timer.h>

#define MIN_MEMORY (8ULL << 20)

extern char _kernel_phys_start[], _kernel_end[];
extern uint64_t __stack_chk_guard;
void restore_user_context(user_context_t *ctx) __attribute__((noreturn));
void boot_main(uint32_t magic, uint32_t info_phys) __attribute__((noreturn));

static void reserve_taken_memory(void)
{
	memmap_t *ram = &boot_params.ram;
	memmap_reserve(ram, 0, 0x100000);
	memmap_reserve(ram, (uint64_t)_kernel_phys_start, (uint64_t)_kernel_end - KERNEL_VMA);
	for (unsigned i = 0; i < boot_params.nmodules; i++) {
		const boot_module_t *m = &boot_params.modules[i];
		memmap_reserve(ram, m->start & ~0xfffULL, (m->end + 0xfff) & ~0xfffULL);
	}
	if (memmap_total(ram) < MIN_MEMORY)
		halt_with_message("only %lu KiB of free memory; Atoll needs at least %llu KiB",
		                  memmap_total(ram) >> 10, MIN_MEMORY >> 10);
	if (ram->overflow)
		kprintf("boot: the memory map has more ranges than fit; some memory is unused\n");
}

void boot_main(uint32_t magic, uint32_t info_phys)
{
	__stack_chk_guard ^= rdtsc() * 0x9e3779b97f4a7c15ULL;
	serial_init();
	kprintf("Atoll kernel booting\n");
	multiboot_parse(magic, info_phys);
	reserve_taken_memory();
	kprintf("memory: %lu KiB free, %u modules\n", memmap_total(&boot_params.ram) >> 10,
	        boot_params.nmodules);
	paging_init();
	cpu_local_init();
	plat_init();
	roottask_create();
	timer_start_periodic(SCHED_TICK_NS);
	restore_user_context(schedule());
}
