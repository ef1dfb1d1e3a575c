#include <core/elf.h>

#define EI_NIDENT 16
#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1

typedef struct {
	unsigned char ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} elf64_header_t;

typedef struct {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
} elf64_phdr_t;

const char *elf_check(const void *data, size_t size, uint64_t user_top, elf_image_t *out)
{
	const unsigned char *bytes = data;
	elf64_header_t h;
	if (size < sizeof(h))
		return "shorter than an ELF header";
	__builtin_memcpy(&h, data, sizeof(h));
	if (h.ident[0] != 0x7f || h.ident[1] != 'E' || h.ident[2] != 'L' || h.ident[3] != 'F')
		return "not an ELF file";
	if (h.ident[4] != 2 || h.ident[5] != 1)
		return "not a 64-bit little-endian ELF file";
	if (h.type != ET_EXEC || h.machine != EM_X86_64)
		return "not a static x86_64 executable";
	if (h.phentsize != sizeof(elf64_phdr_t) || h.phnum == 0)
		return "bad program header table";
	if (h.phoff > size || (size - h.phoff) / sizeof(elf64_phdr_t) < h.phnum)
		return "program header table lies outside the file";

	out->entry = h.entry;
	out->nsegments = 0;
	int entry_ok = 0;
	for (unsigned i = 0; i < h.phnum; i++) {
		elf64_phdr_t p;
		__builtin_memcpy(&p, bytes + h.phoff + i * sizeof(p), sizeof(p));
		if (p.type != PT_LOAD || p.memsz == 0)
			continue;
		if (out->nsegments == ELF_MAX_SEGMENTS)
			return "too many loadable segments";
		if (p.filesz > p.memsz)
			return "segment file size exceeds its memory size";
		if (p.offset > size || size - p.offset < p.filesz)
			return "segment data lies outside the file";
		if (p.vaddr >= user_top || user_top - p.vaddr < p.memsz || p.vaddr < 4096)
			return "segment outside the user address range";
		if ((p.vaddr & 4095) != (p.offset & 4095))
			return "segment address and file offset disagree modulo the page size";
		if ((p.flags & ELF_SEG_EXEC) && h.entry >= p.vaddr && h.entry < p.vaddr + p.memsz)
			entry_ok = 1;
		out->segments[out->nsegments++] = (elf_segment_t){
			.vaddr = p.vaddr,
			.memsz = p.memsz,
			.offset = p.offset,
			.filesz = p.filesz,
			.flags = p.flags & 7,
		};
	}
	if (out->nsegments == 0)
		return "no loadable segments";
	if (!entry_ok)
		return "entry point is not in an executable segment";
	return 0;
}
