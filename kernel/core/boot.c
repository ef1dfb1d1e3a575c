/*
 * Boot: from the multiboot entry to the first user instruction. Every step
 * that depends on the machine checks what it was given and halts with a
 * message when the machine cannot run Atoll.
 */
#include <arch/boot_defs.h>
#include <arch/cpu.h>
#include <core/boot.h>
#include <core/log.h>
#include <plat/serial.h>

extern char _kernel_phys_start[], _kernel_end[];

void boot_main(uint32_t magic, uint32_t info_phys);

void boot_main(uint32_t magic, uint32_t info_phys)
{
	serial_init();
	kprintf("Atoll kernel booting\n");
	multiboot_parse(magic, info_phys);
	kprintf("memory: %lu KiB usable, %u modules\n", memmap_total(&boot_params.ram) >> 10,
	        boot_params.nmodules);
	for (;;)
		cpu_halt();
}
