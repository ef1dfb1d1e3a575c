#ifndef ARCH_CPU_LOCAL_H
#define ARCH_CPU_LOCAL_H

/*
 * Per-CPU state, reached through GS in the kernel. Assembly reads the first
 * fields; their offsets are fixed here and checked in cpu_local.c.
 */
#define CPU_SELF 0
#define CPU_USER_RSP 8
#define CPU_CONTEXT_END 16 /* current thread's &ctx->fs_base: the TSS rsp0 */
#define CPU_KERNEL_STACK 24
#define CPU_CURRENT 32

#ifndef __ASSEMBLY__
#include <stdint.h>

struct tcb;
struct vspace;

typedef struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed)) tss_t;

#define IO_BITMAP_BYTES 8192

/*
 * The TSS's limit covers the bitmap and the byte after it, which must be
 * 0xff because the CPU reads two bitmap bytes for every port (SDM vol. 1,
 * "I/O Permission Bit Map"). Its I/O map base points at the bitmap while
 * an address space with open ports runs, and past the limit otherwise: the
 * CPU then finds no bitmap, and every in/out from user mode raises #GP
 * without the kernel touching a single bitmap byte.
 */
#define TSS_LIMIT (sizeof(tss_t) + IO_BITMAP_BYTES)
#define TSS_IOMAP_BITMAP ((uint16_t)sizeof(tss_t))
#define TSS_IOMAP_NONE ((uint16_t)(TSS_LIMIT + 1))

typedef struct cpu {
	struct cpu *self;
	uint64_t user_rsp;
	uint64_t context_end;
	uint64_t kernel_stack;
	struct tcb *current;
	uint32_t id;
	struct tcb *fpu_owner;     /* whose registers the FPU holds */
	int reload_current;        /* the current thread's address space or I/O ports changed */
	uint64_t fs_base, gs_base; /* the user segment bases loaded in the MSRs */
	uint64_t gdt[7] __attribute__((aligned(16)));
	/* The TSS is followed directly by its I/O permission bitmap and the
	 * terminating byte the CPU requires. The bitmap keeps the ports of
	 * io_bitmap_owner while other address spaces run (the I/O map base then
	 * hides it), so a switch back to the owner copies nothing. */
	tss_t tss __attribute__((aligned(16)));
	uint8_t io_bitmap[IO_BITMAP_BYTES + 1];
	const struct vspace *io_bitmap_owner; /* whose ports are open in io_bitmap, NULL: none */
} cpu_t;

extern cpu_t cpu0;

static inline cpu_t *this_cpu(void)
{
	cpu_t *c;
	__asm__("mov %%gs:0, %0" : "=r"(c));
	return c;
}

void cpu_local_init(void);
#endif

#endif
