#ifndef CORE_BOOT_H
#define CORE_BOOT_H

#include <core/memmap.h>
#include <stdint.h>

/* What the boot loader told us, copied out of its structures early. */
#define BOOT_MAX_MODULES 8

typedef struct boot_module {
	uint64_t start, end; /* physical */
	char cmdline[104];
} boot_module_t;

typedef struct boot_params {
	memmap_t ram;          /* usable RAM, minus what is taken */
	memmap_t ram_firmware; /* usable RAM as the firmware reported it */
	memmap_t physmap;      /* everything the kernel maps in its direct map */
	uint64_t ram_top;      /* highest usable address */
	unsigned nmodules;
	boot_module_t modules[BOOT_MAX_MODULES];
	char cmdline[128];
	uint64_t fb_paddr, fb_width, fb_height, fb_pitch, fb_bpp;
} boot_params_t;

extern boot_params_t boot_params;

/* Fills boot_params from a multiboot 1 information block, or halts with a message. */
void multiboot_parse(uint32_t magic, uint64_t info_phys);

/* Boot-time page allocation (zeroed); halts if memory runs out. Never used after boot. */
uint64_t boot_alloc_page(void);
uint64_t boot_alloc(uint64_t size, uint64_t align);

/* Build the root task from the first module and make it the current thread. */
void roottask_create(void);

#endif
