#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <core/string.h>

/* Only the bytes an address space ever opened ports in are touched: a
 * driver with two ports costs a byte per switch, not the whole 8 KiB. */
void thread_load_io_bitmap(cpu_t *cpu, vspace_t *vs)
{
	const vspace_t *old = cpu->io_bitmap_owner;
	if (old)
		memset(cpu->io_bitmap + old->meta.io_lo, 0xff, old->meta.io_hi - old->meta.io_lo);
	cpu->io_bitmap_owner = NULL;
	if (vs && vs->meta.io_ports_open) {
		memcpy(cpu->io_bitmap + vs->meta.io_lo, vs->io_bitmap + vs->meta.io_lo,
		       vs->meta.io_hi - vs->meta.io_lo);
		cpu->io_bitmap_owner = vs;
	}
}

void thread_io_bitmap_changed(vspace_t *vs)
{
	cpu_t *cpu = this_cpu();
	if (cpu->current && thread_vspace(cpu->current) == vs)
		thread_load_io_bitmap(cpu, vs);
}

void thread_forget(tcb_t *t)
{
	cpu_t *cpu = this_cpu();
	if (cpu->fpu_owner == t)
		cpu->fpu_owner = NULL;
	if (cpu->current == t)
		cpu->current = NULL;
}
