/*
 * Kernel symbol table for backtraces. The build links the kernel with an
 * empty, fixed-size table, then tools/ksyms writes the sorted (address, name)
 * list of the final image into it, so no address moves.
 */
#include <core/ksyms.h>
#include <core/log.h>

#define KSYMS_SPACE (128 * 1024)

/* Layout: uint32 count, then count entries of {uint64 addr, uint32 name offset,
 * uint32 pad}, then the NUL-terminated names. */
__attribute__((section(".rodata.ksyms"), used, aligned(16)))
const unsigned char ksyms_table[KSYMS_SPACE] = "KSYMS-EMPTY";

struct ksym {
	uint64_t addr;
	uint32_t name;
	uint32_t pad;
};

void ksyms_print_address(uint64_t addr)
{
	uint32_t count = *(const uint32_t *)ksyms_table;
	const struct ksym *syms = (const struct ksym *)(ksyms_table + 16);
	if (count == 0 || count > KSYMS_SPACE / sizeof(struct ksym)) {
		kprintf("  %p\n", (void *)addr);
		return;
	}
	uint32_t lo = 0, hi = count;
	while (hi - lo > 1) {
		uint32_t mid = (lo + hi) / 2;
		if (syms[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (syms[lo].addr > addr) {
		kprintf("  %p\n", (void *)addr);
		return;
	}
	const char *name = (const char *)ksyms_table + syms[lo].name;
	kprintf("  %p %s+0x%lx\n", (void *)addr, name, addr - syms[lo].addr);
}
