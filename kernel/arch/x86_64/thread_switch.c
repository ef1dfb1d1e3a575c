#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <core/string.h>

/* Only the bytes an address space ever opened ports in are touched: a
 * driver with two ports costs a byte per copy, not the whole 8 KiB. */
static void io_bitmap_clear(cpu_t *cpu)
{
	const vspace_t *old = cpu->io_bitmap_owner;
	if (old)
		memset(cpu->io_bitmap + old->meta.io_lo, 0xff, old->meta.io_hi - old->meta.io_lo);
	cpu->io_bitmap_owner = NULL;
}

void thread_load_io_bitmap(cpu_t *cpu, vspace_t *vs)
{
	io_bitmap_clear(cpu);
	memcpy(cpu->io_bitmap + vs->meta.io_lo, vs->io_bitmap + vs->meta.io_lo,
	       vs->meta.io_hi - vs->meta.io_lo);
	cpu->io_bitmap_owner = vs;
}

void thread_io_bitmap_changed(vspace_t *vs)
{
	cpu_t *cpu = this_cpu();
	/* The owner may be away (the map base hides it): it would come back to
	 * the old copy, so the copy goes and its next switch in makes a new one. */
	if (cpu->io_bitmap_owner == vs)
		io_bitmap_clear(cpu);
	if (cpu->current && thread_vspace(cpu->current) == vs)
		thread_select_io_bitmap(cpu, vs);
}

void thread_io_bitmap_forget(const vspace_t *vs)
{
	cpu_t *cpu = this_cpu();
	if (cpu->io_bitmap_owner == vs) {
		io_bitmap_clear(cpu);
		cpu->tss.iomap_base = TSS_IOMAP_NONE;
	}
}

const char *thread_io_bitmap_check(void)
{
	const cpu_t *cpu = this_cpu();
	const vspace_t *owner = cpu->io_bitmap_owner;
	if (cpu->io_bitmap[IO_BITMAP_BYTES] != 0xff)
		return "I/O bitmap lost its terminating byte";
	if (owner && !owner->meta.io_ports_open)
		return "I/O bitmap owned by an address space without ports";
	for (unsigned i = 0; i < IO_BITMAP_BYTES; i++)
		if (cpu->io_bitmap[i] != (owner ? owner->io_bitmap[i] : 0xff))
			return "I/O bitmap differs from its owner's";
	if (cpu->tss.iomap_base == TSS_IOMAP_NONE)
		return NULL;
	if (cpu->tss.iomap_base != TSS_IOMAP_BITMAP)
		return "I/O map base neither the bitmap nor none";
	if (!owner || !cpu->current || thread_vspace(cpu->current) != owner)
		return "I/O bitmap selected for an address space that is not its owner";
	return NULL;
}

void thread_forget(tcb_t *t)
{
	cpu_t *cpu = this_cpu();
	if (cpu->fpu_owner == t)
		cpu->fpu_owner = NULL;
	if (cpu->current == t)
		cpu->current = NULL;
}
