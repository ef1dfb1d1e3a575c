#ifndef ATOLL_RT_ELF_H
#define ATOLL_RT_ELF_H

#include <stddef.h>
#include <stdint.h>

/* Reading static x86_64 ELF executables, for loaders in user space. */
#define ELF_LOAD_MAX 16
#define ELF_PF_X 1
#define ELF_PF_W 2

typedef struct elf_load {
	uint64_t vaddr, memsz, offset, filesz;
	unsigned flags;
} elf_load_t;

typedef struct elf_info {
	uint64_t entry;
	uint64_t phdr_vaddr; /* where the program headers are once loaded, 0 if nowhere */
	unsigned phnum;
	uint64_t end; /* the end of the highest segment */
	unsigned nloads;
	elf_load_t loads[ELF_LOAD_MAX];
} elf_info_t;

/* NULL if the image is a loadable static executable, else the reason. */
const char *elf_read(const void *image, size_t size, elf_info_t *out);

#endif
