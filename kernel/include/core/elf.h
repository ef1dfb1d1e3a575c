#ifndef CORE_ELF_H
#define CORE_ELF_H

#include <stddef.h>
#include <stdint.h>

/*
 * Checks a static x86_64 ELF executable before the kernel loads it as the
 * root task. Pure: tested on the host with truncated and corrupt images.
 */
#define ELF_MAX_SEGMENTS 16
#define ELF_SEG_EXEC 0x1
#define ELF_SEG_WRITE 0x2
#define ELF_SEG_READ 0x4

typedef struct elf_segment {
	uint64_t vaddr, memsz, offset, filesz;
	uint32_t flags;
} elf_segment_t;

typedef struct elf_image {
	uint64_t entry;
	unsigned nsegments;
	elf_segment_t segments[ELF_MAX_SEGMENTS];
} elf_image_t;

/* Returns NULL when the image is acceptable, else why it is not. Every
 * loadable segment lies inside the file and below user_top. */
const char *elf_check(const void *data, size_t size, uint64_t user_top, elf_image_t *out);

#endif
