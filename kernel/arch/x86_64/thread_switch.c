#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <core/string.h>

void thread_load_io_bitmap(cpu_t *cpu, vspace_t *vs)
{
	const void *owner = vs && vs->meta.io_ports_open ? vs : NULL;
	if (owner == cpu->io_bitmap_owner && owner == NULL)
		return;
	if (owner)
		memcpy(cpu->io_bitmap, vs->io_bitmap, IO_BITMAP_BYTES);
	else
		memset(cpu->io_bitmap, 0xff, IO_BITMAP_BYTES);
	cpu->io_bitmap_owner = owner;
}

void thread_io_bitmap_changed(vspace_t *vs)
{
	cpu_t *cpu = this_cpu();
	if (cpu->current && thread_vspace(cpu->current) == vs) {
		cpu->io_bitmap_owner = NULL;
		memset(cpu->io_bitmap, 0xff, IO_BITMAP_BYTES);
		thread_load_io_bitmap(cpu, vs);
	}
}

void thread_forget(tcb_t *t)
{
	cpu_t *cpu = this_cpu();
	if (cpu->fpu_owner == t)
		cpu->fpu_owner = NULL;
	if (cpu->current == t)
		cpu->current = NULL;
}
