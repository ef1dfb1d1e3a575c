#ifndef ARCH_THREAD_SWITCH_H
#define ARCH_THREAD_SWITCH_H

#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/paging.h>
#include <object/structures.h>

static inline vspace_t *thread_vspace(tcb_t *t)
{
	return (vspace_t *)t->slots[TCB_SLOT_VSPACE].cap.obj;
}

/* Copy the ports of vs, which has some open, into the TSS bitmap in place
 * of its owner's. */
void thread_load_io_bitmap(cpu_t *cpu, vspace_t *vs);

/* Let the threads of vs, about to run, use exactly its open ports. An
 * address space without ports costs one store: the I/O map base moves past
 * the TSS limit and the bitmap, with whichever space's ports it holds,
 * stays as it is. The bitmap is copied only when a space with ports comes
 * in that is not the one it holds. */
static inline void thread_select_io_bitmap(cpu_t *cpu, vspace_t *vs)
{
	if (vs->meta.io_ports_open) {
		if (vs != cpu->io_bitmap_owner)
			thread_load_io_bitmap(cpu, vs);
		cpu->tss.iomap_base = TSS_IOMAP_BITMAP;
	} else {
		cpu->tss.iomap_base = TSS_IOMAP_NONE;
	}
}

/* Make next the current thread: FPU state, FS/GS bases, address space,
 * I/O permissions and the entry stack pointer. Inline: it is half of every
 * IPC fast path. */
static inline void thread_switch(tcb_t *next)
{
	cpu_t *cpu = this_cpu();
	if (cpu->fpu_owner != next) {
		if (cpu->fpu_owner)
			__asm__ volatile("fxsave64 %0" : "=m"(cpu->fpu_owner->ctx.fpu));
		__asm__ volatile("fxrstor64 %0" ::"m"(next->ctx.fpu));
		cpu->fpu_owner = next;
	}
	/* Most threads share bases (zero for native programs): skip the wrmsr. */
	if (cpu->fs_base != next->ctx.fs_base) {
		cpu->fs_base = next->ctx.fs_base;
		wrmsr(MSR_FS_BASE, cpu->fs_base);
	}
	if (cpu->gs_base != next->ctx.gs_base) {
		cpu->gs_base = next->ctx.gs_base;
		wrmsr(MSR_KERNEL_GS_BASE, cpu->gs_base);
	}
	vspace_t *vs = thread_vspace(next);
	if (read_cr3() != vs->meta.cr3) {
		/* With its own PCID and nothing stale, its TLB entries can stay. */
		bool keep = paging_pcid && (vs->meta.cr3 & (PCID_COUNT - 1)) && !vs->meta.tlb_stale;
		vs->meta.tlb_stale = 0;
		write_cr3(vs->meta.cr3 | (keep ? CR3_NOFLUSH : 0));
	}
	thread_select_io_bitmap(cpu, vs);
	cpu->current = next;
	cpu->context_end = (uint64_t)&next->ctx.fs_base;
	cpu->tss.rsp[0] = cpu->context_end;
}
/* A dying thread: the CPU must not touch its TCB again. */
void thread_forget(tcb_t *t);
/* Ports of vs were opened or closed: the TSS bitmap must not keep a stale
 * copy of them, and if vs is the address space the CPU runs, its threads
 * get the new set at once. */
void thread_io_bitmap_changed(vspace_t *vs);
/* vs is being destroyed: no copy of its ports may stay in the TSS bitmap. */
void thread_io_bitmap_forget(const vspace_t *vs);
/* The I/O permission invariants, checked by the kernel self-check: the
 * bitmap holds exactly its owner's ports, and the I/O map base selects it
 * only while the owner runs. Returns what is broken, or NULL. */
const char *thread_io_bitmap_check(void);

#endif
