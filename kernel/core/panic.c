/*
 * The end of the line for kernel bugs: print why, the caller chain with
 * symbol names, and stop the machine. User space can never get here; every
 * path from a system call returns an error instead.
 */
#include <arch/cpu.h>
#include <core/ksyms.h>
#include <core/log.h>
#include <plat/power.h>

static void halt_forever(void)
{
	irq_disable();
	for (;;)
		cpu_halt();
}

void backtrace_from(uint64_t rbp)
{
	kprintf("backtrace:\n");
	for (int depth = 0; depth < 32 && rbp >= 0xFFFF800000000000ULL && !(rbp & 7); depth++) {
		uint64_t *frame = (uint64_t *)rbp;
		uint64_t ret = frame[1];
		if (!ret)
			break;
		ksyms_print_address(ret);
		rbp = frame[0];
	}
}

_Noreturn void panic(const char *fmt, ...)
{
	irq_disable();
	kprintf("\nKERNEL PANIC: ");
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\n");
	backtrace_from((uint64_t)__builtin_frame_address(0));
	power_exit_status(POWER_EXIT_PANIC);
	halt_forever();
	__builtin_unreachable();
}

_Noreturn void halt_with_message(const char *fmt, ...)
{
	irq_disable();
	kprintf("\nAtoll cannot boot: ");
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kprintf("\nThe machine is halted.\n");
	power_exit_status(POWER_EXIT_BOOT_ERROR);
	halt_forever();
	__builtin_unreachable();
}

/* The stack protector's canary; boot_main replaces it with a TSC-derived value. */
uint64_t __stack_chk_guard = 0x595e9fbd94fda766ULL;
_Noreturn void __stack_chk_fail(void);
_Noreturn void __stack_chk_fail(void)
{
	panic("kernel stack smashed");
}
