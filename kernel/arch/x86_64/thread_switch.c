#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/paging.h>
#include <arch/thread_switch.h>
#include <core/string.h>

static vspace_t *thread_vspace(tcb_t *t)
{
	return (vspace_t *)t->slots[TCB_SLOT_VSPACE].cap.obj;
}

static void load_io_bitmap(cpu_t *cpu, vspace_t *vs)
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
		load_io_bitmap(cpu, vs);
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

void thread_switch(tcb_t *prev, tcb_t *next)
{
	cpu_t *cpu = this_cpu();
	if (cpu->fpu_owner != next) {
		if (cpu->fpu_owner)
			__asm__ volatile("fxsave64 %0" : "=m"(cpu->fpu_owner->ctx.fpu));
		__asm__ volatile("fxrstor64 %0" ::"m"(next->ctx.fpu));
		cpu->fpu_owner = next;
	}
	if (prev != next) {
		wrmsr(MSR_FS_BASE, next->ctx.fs_base);
		wrmsr(MSR_KERNEL_GS_BASE, next->ctx.gs_base);
	}
	vspace_t *vs = thread_vspace(next);
	uint64_t cr3 = virt_to_phys(vs->pml4);
	if (read_cr3() != cr3)
		write_cr3(cr3);
	if (vs != cpu->io_bitmap_owner)
		load_io_bitmap(cpu, vs);
	cpu->current = next;
	cpu->context_end = (uint64_t)&next->ctx.fs_base;
	cpu->tss.rsp[0] = cpu->context_end;
}
