#include <arch/cpu.h>
#include <plat/power.h>

#define DEBUG_EXIT_PORT 0xf4

void power_exit_status(unsigned code)
{
	outl(DEBUG_EXIT_PORT, code);
}
