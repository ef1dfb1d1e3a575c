/*
 * The first Linux program: prints the time-stamp counter when it starts,
 * which under QEMU's -icount shift=0 is the number of instructions the
 * machine has run since reset, then ends the boot. As Linux's /init it
 * powers the machine off; on Atoll the monitor does that when it returns.
 * tools/boot-time runs it on both systems.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	printf("BOOT-FIRST %llu\n", (unsigned long long)hi << 32 | lo);
	fflush(stdout);
	if (getpid() == 1)
		reboot(RB_POWER_OFF);
	return 0;
}
