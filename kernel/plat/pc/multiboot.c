/*
 * Multiboot 1 (what `qemu -kernel` and GRUB's multiboot command speak).
 * Everything needed later is copied into boot_params, so the loader's
 * structures can be reused as free memory.
 */
#include <arch/boot_defs.h>
#include <core/boot.h>
#include <core/log.h>
#include <core/string.h>

#define MB_BOOT_MAGIC 0x2BADB002
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MODS (1u << 3)
#define MB_INFO_MMAP (1u << 6)
#define MB_INFO_FRAMEBUFFER (1u << 12)

#define MB_MEM_AVAILABLE 1
#define MB_MEM_ACPI 3
#define MB_MEM_NVS 4

struct mb_info {
	uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
	uint32_t drives_length, drives_addr, config_table, boot_loader_name, apm_table;
	uint32_t vbe_control_info, vbe_mode_info;
	uint16_t vbe_mode, vbe_interface_seg, vbe_interface_off, vbe_interface_len;
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp, fb_type;
} __attribute__((packed));

struct mb_mmap_entry {
	uint32_t size;
	uint64_t addr, len;
	uint32_t type;
} __attribute__((packed));

struct mb_module {
	uint32_t start, end, cmdline, pad;
};

boot_params_t boot_params;

/* Before the kernel's own page tables exist, the first GiB is mapped at KERNEL_VMA. */
#define LOW_GIB (1ULL << 30)

static const void *early_phys(uint64_t paddr, uint64_t len)
{
	if (paddr >= LOW_GIB || len > LOW_GIB - paddr)
		halt_with_message("boot loader data at %p lies above the first GiB", (void *)paddr);
	return (const void *)(paddr + KERNEL_VMA);
}

static void copy_string(char *dst, size_t size, uint64_t paddr)
{
	const char *src = early_phys(paddr, 1);
	size_t i = 0;
	for (; i + 1 < size && (uint64_t)i < LOW_GIB - paddr - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = 0;
}

static void parse_mmap(const struct mb_info *mbi)
{
	boot_params_t *bp = &boot_params;
	uint64_t off = 0;
	while (off + sizeof(struct mb_mmap_entry) <= mbi->mmap_length) {
		const struct mb_mmap_entry *e = early_phys(mbi->mmap_addr + off, sizeof(*e));
		uint64_t end = e->addr + e->len;
		if (end < e->addr)
			end = UINT64_MAX & ~0xfffULL;
		if (e->type == MB_MEM_AVAILABLE) {
			/* Only whole pages are usable. */
			uint64_t base = (e->addr + 0xfff) & ~0xfffULL;
			if (base >= e->addr) /* a base in the last page would wrap to 0 */
				memmap_add(&bp->ram, base, end & ~0xfffULL);
			if (end > bp->ram_top)
				bp->ram_top = end;
		}
		if (e->type == MB_MEM_AVAILABLE || e->type == MB_MEM_ACPI || e->type == MB_MEM_NVS)
			memmap_add(&bp->physmap, e->addr, end);
		off += e->size + sizeof(e->size);
	}
}

void multiboot_parse(uint32_t magic, uint64_t info_phys)
{
	boot_params_t *bp = &boot_params;
	if (magic != MB_BOOT_MAGIC)
		halt_with_message("not started by a multiboot loader (magic %x)", magic);
	const struct mb_info *mbi = early_phys(info_phys, sizeof(*mbi));
	if (!(mbi->flags & MB_INFO_MMAP))
		halt_with_message("the boot loader gave no memory map");

	memmap_init(&bp->ram);
	memmap_init(&bp->physmap);
	parse_mmap(mbi);
	bp->ram_firmware = bp->ram;
	/* BIOS data, the EBDA and option ROMs live below 1 MiB: mapped, never handed out. */
	memmap_add(&bp->physmap, 0, 0x100000);

	if (mbi->flags & MB_INFO_CMDLINE)
		copy_string(bp->cmdline, sizeof(bp->cmdline), mbi->cmdline);

	if (mbi->flags & MB_INFO_MODS) {
		if (mbi->mods_count > BOOT_MAX_MODULES)
			halt_with_message("%u boot modules given, at most %u are supported",
			                  mbi->mods_count, BOOT_MAX_MODULES);
		const struct mb_module *mods =
			early_phys(mbi->mods_addr, mbi->mods_count * sizeof(*mods));
		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			if (mods[i].end < mods[i].start)
				halt_with_message("boot module %u has a negative size", i);
			bp->modules[i].start = mods[i].start;
			bp->modules[i].end = mods[i].end;
			if (mods[i].cmdline)
				copy_string(bp->modules[i].cmdline, sizeof(bp->modules[i].cmdline),
				            mods[i].cmdline);
		}
		bp->nmodules = mbi->mods_count;
	}

	if ((mbi->flags & MB_INFO_FRAMEBUFFER) && mbi->fb_type == 1) {
		bp->fb_paddr = mbi->fb_addr;
		bp->fb_width = mbi->fb_width;
		bp->fb_height = mbi->fb_height;
		bp->fb_pitch = mbi->fb_pitch;
		bp->fb_bpp = mbi->fb_bpp;
	}
}
