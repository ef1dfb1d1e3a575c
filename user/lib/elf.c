#include <atoll_rt/elf.h>
#include <atoll_rt/string.h>
#include <stdbool.h>

#define USER_LIMIT 0x00007f0000000000ULL /* keep clear of the stack and IPC buffer */

struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static bool load_is_sane(const struct phdr *p, size_t size)
{
	return p->filesz <= p->memsz && p->offset <= size && size - p->offset >= p->filesz &&
	       p->vaddr >= 4096 && p->vaddr < USER_LIMIT && USER_LIMIT - p->vaddr >= p->memsz &&
	       (p->vaddr & 4095) == (p->offset & 4095);
}

const char *elf_read(const void *image, size_t size, elf_info_t *out)
{
	struct ehdr h;
	if (size < sizeof(h))
		return "too short";
	memcpy(&h, image, sizeof(h));
	if (memcmp(h.ident, "\177ELF\2\1", 6) != 0)
		return "not a 64-bit little-endian ELF";
	if (h.type != 2 || h.machine != 62)
		return "not a static x86_64 executable";
	if (h.phentsize != sizeof(struct phdr) || h.phoff > size ||
	    (size - h.phoff) / sizeof(struct phdr) < h.phnum)
		return "bad program headers";
	out->entry = h.entry;
	out->nloads = 0;
	out->phdr_vaddr = 0;
	out->phnum = h.phnum;
	out->end = 0;
	for (unsigned i = 0; i < h.phnum; i++) {
		struct phdr p;
		memcpy(&p, (const uint8_t *)image + h.phoff + i * sizeof(p), sizeof(p));
		if (p.type != 1 || p.memsz == 0)
			continue;
		if (out->nloads == ELF_LOAD_MAX)
			return "too many segments";
		if (!load_is_sane(&p, size))
			return "segment outside the file or the user address range";
		out->loads[out->nloads++] =
			(elf_load_t){p.vaddr, p.memsz, p.offset, p.filesz, p.flags & 3};
		if (h.phoff >= p.offset && h.phoff - p.offset < p.filesz)
			out->phdr_vaddr = p.vaddr + (h.phoff - p.offset);
		if (p.vaddr + p.memsz > out->end)
			out->end = p.vaddr + p.memsz;
	}
	return out->nloads ? NULL : "nothing to load";
}
