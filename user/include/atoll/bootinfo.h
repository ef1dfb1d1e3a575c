#ifndef ATOLL_BOOTINFO_H
#define ATOLL_BOOTINFO_H

#include <stdint.h>

/*
 * What the kernel tells the root task. The page is mapped read-only at the
 * address the root task receives in rdi; its capabilities live in the root
 * CNode at the slots named here.
 */
#define ATOLL_BOOTINFO_MAGIC 0x61746f6c6c626f6fULL /* "atollboo" */
#define ATOLL_BOOTINFO_MAX_UNTYPED 160
#define ATOLL_BOOTINFO_MAX_MODULES 8

/* Fixed slots in the root task's CNode. */
enum atoll_boot_slot {
	ATOLL_SLOT_NULL = 0,
	ATOLL_SLOT_CNODE, /* the root CNode itself */
	ATOLL_SLOT_VSPACE,
	ATOLL_SLOT_TCB,
	ATOLL_SLOT_IPC_BUFFER, /* the frame of the root thread's IPC buffer */
	ATOLL_SLOT_IRQ_CONTROL,
	ATOLL_SLOT_IOPORT_CONTROL,
	ATOLL_SLOT_BOOTINFO_FRAME,
	ATOLL_SLOT_FIRST_FREE_FIXED,
};

typedef struct atoll_untyped_desc {
	uint64_t paddr;
	uint8_t size_bits;
	uint8_t is_device; /* MMIO or firmware memory: only frames, never zeroed */
	uint8_t pad[6];
} atoll_untyped_desc_t;

typedef struct atoll_module_desc {
	uint64_t vaddr; /* mapped read-only into the root task */
	uint64_t size;
	uint64_t paddr;
	char cmdline[104];
} atoll_module_desc_t;

typedef struct atoll_bootinfo {
	uint64_t magic;
	uint64_t cnode_radix;     /* the root CNode has 2^radix slots */
	uint64_t first_free_slot; /* every slot from here on is empty */
	uint64_t untyped_first;   /* slot of untyped[0] */
	uint64_t untyped_count;
	uint64_t module_count;  /* modules[0] is the root task's own ELF file */
	uint64_t rsdp_paddr;    /* ACPI root pointer, 0 if none was found */
	uint64_t tsc_hz;        /* the calibrated time-stamp counter rate */
	uint64_t timer_tick_ns; /* the scheduling timer's period */
	uint64_t fb_paddr, fb_width, fb_height, fb_pitch, fb_bpp; /* 0 if none */
	uint64_t kernel_cmdline_len;
	char kernel_cmdline[128];
	atoll_module_desc_t modules[ATOLL_BOOTINFO_MAX_MODULES];
	atoll_untyped_desc_t untyped[ATOLL_BOOTINFO_MAX_UNTYPED];
} atoll_bootinfo_t;

/* Where the kernel puts the root task's pieces. */
#define ATOLL_ROOT_BOOTINFO_VADDR 0x7f0000000000ULL
#define ATOLL_ROOT_IPC_BUFFER_VADDR 0x7f0000001000ULL
#define ATOLL_ROOT_STACK_TOP 0x7f0000100000ULL
#define ATOLL_ROOT_STACK_PAGES 16
#define ATOLL_ROOT_MODULES_VADDR 0x7e0000000000ULL

#endif
