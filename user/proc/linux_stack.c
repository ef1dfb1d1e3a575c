#include <atoll_rt/string.h>

#include "linux_stack.h"

/* Auxiliary vector tags (Linux include/uapi/linux/auxvec.h values). */
enum {
	AT_NULL = 0,
	AT_PHDR = 3,
	AT_PHENT = 4,
	AT_PHNUM = 5,
	AT_PAGESZ = 6,
	AT_BASE = 7,
	AT_FLAGS = 8,
	AT_ENTRY = 9,
	AT_UID = 11,
	AT_EUID = 12,
	AT_GID = 13,
	AT_EGID = 14,
	AT_PLATFORM = 15,
	AT_HWCAP = 16,
	AT_CLKTCK = 17,
	AT_SECURE = 23,
	AT_RANDOM = 25,
};
#define ELF64_PHDR_SIZE 56
#define AUXV_PAIRS 17

typedef struct layout {
	uint8_t *page;
	uint64_t base;   /* the address of page[0] */
	uint64_t strtop; /* strings grow down from here */
} layout_t;

/* Copy bytes to the top of the free string area; returns their address, 0 if full. */
static uint64_t push_bytes(layout_t *l, const void *data, size_t n, uint64_t floor)
{
	if (l->strtop - l->base < n || l->strtop - n < floor)
		return 0;
	l->strtop -= n;
	memcpy(l->page + (l->strtop - l->base), data, n);
	return l->strtop;
}

bool linux_stack_build(uint8_t page[LINUX_STACK_PAGE], uint64_t top, const elf_info_t *elf,
                       const args_t *a, const uint8_t random[16], uint64_t *sp)
{
	const char *const *argv = a->argv, *const *envp = a->envp;
	unsigned argc = a->argc, envc = a->envc;

	memset(page, 0, LINUX_STACK_PAGE);
	layout_t l = {page, top - LINUX_STACK_PAGE, top};
	/* The pointer area needs this much below the strings. */
	uint64_t words = 1 + argc + 1 + envc + 1 + 2 * AUXV_PAIRS;
	uint64_t floor = l.base + words * 8 + 16;
	uint64_t platform = push_bytes(&l, "x86_64", 7, floor);
	uint64_t rnd = push_bytes(&l, random, 16, floor);
	uint64_t argp[ARGS_MAX_STRINGS], envpp[ARGS_MAX_STRINGS];
	for (unsigned i = 0; i < envc; i++)
		if (!(envpp[i] = push_bytes(&l, envp[i], strlen(envp[i]) + 1, floor)))
			return false;
	for (unsigned i = 0; i < argc; i++)
		if (!(argp[i] = push_bytes(&l, argv[i], strlen(argv[i]) + 1, floor)))
			return false;
	if (!platform || !rnd)
		return false;

	uint64_t start = (l.strtop - words * 8) & ~15ULL; /* rsp: 16-byte aligned at argc */
	if (start < l.base)
		return false;
	uint64_t *w = (uint64_t *)(page + (start - l.base));
	*w++ = argc;
	for (unsigned i = 0; i < argc; i++)
		*w++ = argp[i];
	*w++ = 0;
	for (unsigned i = 0; i < envc; i++)
		*w++ = envpp[i];
	*w++ = 0;
	const uint64_t auxv[AUXV_PAIRS][2] = {
		{AT_PHDR, elf->phdr_vaddr},
		{AT_PHENT, ELF64_PHDR_SIZE},
		{AT_PHNUM, elf->phnum},
		{AT_PAGESZ, 4096},
		{AT_BASE, 0},
		{AT_FLAGS, 0},
		{AT_ENTRY, elf->entry},
		{AT_UID, 0},
		{AT_EUID, 0},
		{AT_GID, 0},
		{AT_EGID, 0},
		{AT_SECURE, 0},
		{AT_RANDOM, rnd},
		{AT_HWCAP, 0},
		{AT_CLKTCK, 100},
		{AT_PLATFORM, platform},
		{AT_NULL, 0},
	};
	memcpy(w, auxv, sizeof(auxv));
	*sp = start;
	return true;
}
