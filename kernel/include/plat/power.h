#ifndef PLAT_POWER_H
#define PLAT_POWER_H

/*
 * Ending a run under QEMU: with an isa-debug-exit device at port 0xf4 QEMU
 * exits with status (v << 1) | 1; on other machines this does nothing and
 * the caller halts.
 */
enum power_exit_code {
	POWER_EXIT_PANIC = 0x7e,      /* QEMU status 253 */
	POWER_EXIT_BOOT_ERROR = 0x7d, /* QEMU status 251 */
};

void power_exit_status(unsigned code);

#endif
