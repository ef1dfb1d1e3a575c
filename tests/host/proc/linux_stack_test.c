/* The Linux initial stack proc builds for Linux programs. */
#include <string.h>

#include "../../../user/proc/args.c"
#include "../../../user/proc/linux_stack.c"
#include "test.h"

#define TOP 0x7ff000000000ULL

static uint8_t page[LINUX_STACK_PAGE];
static const uint8_t random16[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
static const elf_info_t elf = {.entry = 0x401000, .phdr_vaddr = 0x400040, .phnum = 5};

static uint64_t word_at(uint64_t addr)
{
	uint64_t v;
	memcpy(&v, page + (addr - (TOP - LINUX_STACK_PAGE)), 8);
	return v;
}

static const char *string_at(uint64_t addr)
{
	return (const char *)page + (addr - (TOP - LINUX_STACK_PAGE));
}

/* Split packed arguments and lay out the stack, as proc does. */
static bool build(const char *packed, size_t len, uint64_t *sp)
{
	static args_t a;
	return args_split(packed, len, &a) && linux_stack_build(page, TOP, &elf, &a, random16, sp);
}

static const char args[] = "/bin/prog\0prog\0-v\0\0PATH=/bin\0HOME=/\0";

TEST(linux_stack_has_argc_argv_envp_in_order)
{
	uint64_t sp = 0;
	CHECK(build(args, sizeof(args), &sp));
	CHECK_EQ(sp % 16, 0);
	CHECK_EQ(word_at(sp), 2);
	CHECK(!strcmp(string_at(word_at(sp + 8)), "prog"));
	CHECK(!strcmp(string_at(word_at(sp + 16)), "-v"));
	CHECK_EQ(word_at(sp + 24), 0);
	CHECK(!strcmp(string_at(word_at(sp + 32)), "PATH=/bin"));
	CHECK(!strcmp(string_at(word_at(sp + 40)), "HOME=/"));
	CHECK_EQ(word_at(sp + 48), 0);
}

TEST(linux_stack_auxv_names_program_headers_entry_and_random)
{
	uint64_t sp = 0;
	CHECK(build(args, sizeof(args), &sp));
	uint64_t a = sp + 56, phdr = 0, entry = 0, rnd = 0, pagesz = 0;
	int terminated = 0;
	for (int i = 0; i < 32; i++, a += 16) {
		uint64_t tag = word_at(a), val = word_at(a + 8);
		if (tag == AT_NULL) {
			terminated = 1;
			break;
		}
		if (tag == AT_PHDR)
			phdr = val;
		if (tag == AT_ENTRY)
			entry = val;
		if (tag == AT_RANDOM)
			rnd = val;
		if (tag == AT_PAGESZ)
			pagesz = val;
	}
	CHECK(terminated);
	CHECK_EQ(phdr, 0x400040);
	CHECK_EQ(entry, 0x401000);
	CHECK_EQ(pagesz, 4096);
	CHECK(rnd >= TOP - LINUX_STACK_PAGE && rnd + 16 <= TOP);
	CHECK(!memcmp(page + (rnd - (TOP - LINUX_STACK_PAGE)), random16, 16));
}

TEST(linux_stack_refuses_malformed_lists)
{
	uint64_t sp;
	static const char no_env_end[] = "/bin/p\0p\0\0E=1";
	CHECK(!build(no_env_end, sizeof(no_env_end) - 1, &sp));
	static const char missing_lists[] = "/bin/p";
	CHECK(!build(missing_lists, sizeof(missing_lists), &sp));
	static const char trailing[] = "/bin/p\0\0\0junk";
	CHECK(!build(trailing, sizeof(trailing), &sp));
	CHECK(!build("", 0, &sp));
}

TEST(linux_stack_refuses_what_does_not_fit)
{
	static char big[5000];
	size_t n = 0;
	memcpy(big, "/p", 3);
	n = 3;
	for (int i = 0; i < 40; i++) {
		memset(big + n, 'a', 99);
		n += 99;
		big[n++] = 0;
	}
	big[n++] = 0;
	big[n++] = 0;
	uint64_t sp;
	CHECK(!build(big, n, &sp));
}
