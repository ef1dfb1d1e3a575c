/*
 * The root task's ELF check against hand-assembled images. The images are
 * written field by field at the offsets the ELF64 specification gives (not
 * through the kernel's own structs), and every check runs on a heap copy of
 * exactly the size claimed, so AddressSanitizer catches a read past the end.
 */
#include <stdint.h>
#include <string.h>

#include <atoll/bootinfo.h>

#include "test.h"

#include "../../../kernel/core/elf.c"

/* What the kernel passes for the root task. */
#define USER_TOP ATOLL_ROOT_MODULES_VADDR

/* ELF64 header and program header field offsets. */
enum {
	EH_TYPE = 16,
	EH_MACHINE = 18,
	EH_VERSION = 20,
	EH_ENTRY = 24,
	EH_PHOFF = 32,
	EH_SHOFF = 40,
	EH_FLAGS = 48,
	EH_EHSIZE = 52,
	EH_PHENTSIZE = 54,
	EH_PHNUM = 56,
	EH_SIZE = 64,
	PH_TYPE = 0,
	PH_FLAGS = 4,
	PH_OFFSET = 8,
	PH_VADDR = 16,
	PH_PADDR = 24,
	PH_FILESZ = 32,
	PH_MEMSZ = 40,
	PH_ALIGN = 48,
	PH_SIZE = 56,
};

#define PT_NOTE 4
#define PT_GNU_STACK 0x6474e551
#define PF_X 1
#define PF_W 2
#define PF_R 4

#define IMG_MAX 0x20000

typedef struct img {
	uint8_t b[IMG_MAX];
	size_t len;
} img_t;

typedef struct seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
} seg_t;

static void put16(img_t *im, size_t at, uint16_t v)
{
	memcpy(im->b + at, &v, 2);
}

static void put32(img_t *im, size_t at, uint32_t v)
{
	memcpy(im->b + at, &v, 4);
}

static void put64(img_t *im, size_t at, uint64_t v)
{
	memcpy(im->b + at, &v, 8);
}

static uint64_t get64(const uint8_t *b, size_t at)
{
	uint64_t v;
	memcpy(&v, b + at, 8);
	return v;
}

static uint32_t get32(const uint8_t *b, size_t at)
{
	uint32_t v;
	memcpy(&v, b + at, 4);
	return v;
}

static size_t phdr_at(unsigned i)
{
	return EH_SIZE + (size_t)i * PH_SIZE;
}

/* Program header i, in place. */
static void put_phdr(img_t *im, unsigned i, seg_t s)
{
	size_t at = phdr_at(i);
	put32(im, at + PH_TYPE, s.type);
	put32(im, at + PH_FLAGS, s.flags);
	put64(im, at + PH_OFFSET, s.offset);
	put64(im, at + PH_VADDR, s.vaddr);
	put64(im, at + PH_PADDR, s.vaddr);
	put64(im, at + PH_FILESZ, s.filesz);
	put64(im, at + PH_MEMSZ, s.memsz);
	put64(im, at + PH_ALIGN, 0x1000);
}

/*
 * A static x86_64 executable: the header, n program headers right after it,
 * and a file long enough to hold every segment's data (filled with a
 * pattern), capped at IMG_MAX.
 */
static void build(img_t *im, const seg_t *segs, unsigned n, uint64_t entry)
{
	memset(im, 0, sizeof(*im));
	static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
	memcpy(im->b, ident, sizeof(ident));
	put16(im, EH_TYPE, 2);     /* ET_EXEC */
	put16(im, EH_MACHINE, 62); /* EM_X86_64 */
	put32(im, EH_VERSION, 1);
	put64(im, EH_ENTRY, entry);
	put64(im, EH_PHOFF, EH_SIZE);
	put64(im, EH_SHOFF, 0);
	put32(im, EH_FLAGS, 0);
	put16(im, EH_EHSIZE, EH_SIZE);
	put16(im, EH_PHENTSIZE, PH_SIZE);
	put16(im, EH_PHNUM, (uint16_t)n);
	im->len = phdr_at(n);
	for (unsigned i = 0; i < n; i++) {
		put_phdr(im, i, segs[i]);
		uint64_t end = segs[i].offset + segs[i].filesz;
		if (segs[i].type == PT_LOAD && end <= IMG_MAX && end > im->len)
			im->len = end;
	}
	for (size_t i = phdr_at(n); i < im->len; i++)
		im->b[i] = (uint8_t)(i * 7 + 3);
}

#define TEXT_VADDR 0x401000ULL
#define DATA_VADDR 0x403000ULL

/* Text at 0x401000 (R-X, 0x800 bytes), data at 0x403000 (RW-, 0x100 bytes
 * of file, 0x3000 of memory); entry at the start of text. */
static const seg_t valid_segs[] = {
	{PT_LOAD, PF_R | PF_X, 0x1000, TEXT_VADDR, 0x800, 0x800},
	{PT_LOAD, PF_R | PF_W, 0x2000, DATA_VADDR, 0x100, 0x3000},
};

static void build_valid(img_t *im)
{
	build(im, valid_segs, 2, TEXT_VADDR);
}

/* Checks the first size bytes of im from an allocation of exactly that size. */
static const char *check_sized(const img_t *im, size_t size, elf_image_t *out)
{
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, im->b, size);
	const char *why = elf_check(copy, size, USER_TOP, out);
	free(copy);
	return why;
}

static const char *check(const img_t *im)
{
	static elf_image_t out;
	return check_sized(im, im->len, &out);
}

/* A rejection whose message says why. */
#define REJECTS(why_, word)                                                       \
	do {                                                                      \
		const char *w_ = (why_);                                          \
		CHECK(w_ != NULL);                                                \
		if (w_ && !strstr(w_, word)) {                                    \
			printf("  message: \"%s\", expected \"%s\"\n", w_, word); \
			CHECK(0);                                                 \
		}                                                                 \
	} while (0)

TEST(elf_valid_static_image_is_accepted_with_its_entry_and_segments)
{
	static img_t im;
	build_valid(&im);
	elf_image_t out;
	memset(&out, 0xaa, sizeof(out));
	const char *why = check_sized(&im, im.len, &out);
	CHECK(why == NULL);
	if (why)
		printf("  rejected: %s\n", why);
	CHECK_EQ(out.entry, TEXT_VADDR);
	CHECK_EQ(out.nsegments, 2);
	CHECK_EQ(out.segments[0].vaddr, TEXT_VADDR);
	CHECK_EQ(out.segments[0].memsz, 0x800);
	CHECK_EQ(out.segments[0].offset, 0x1000);
	CHECK_EQ(out.segments[0].filesz, 0x800);
	CHECK_EQ(out.segments[0].flags, ELF_SEG_READ | ELF_SEG_EXEC);
	CHECK_EQ(out.segments[1].vaddr, DATA_VADDR);
	CHECK_EQ(out.segments[1].memsz, 0x3000);
	CHECK_EQ(out.segments[1].offset, 0x2000);
	CHECK_EQ(out.segments[1].filesz, 0x100);
	CHECK_EQ(out.segments[1].flags, ELF_SEG_READ | ELF_SEG_WRITE);
}

TEST(elf_segment_flags_keep_only_read_write_execute)
{
	static img_t im;
	seg_t s[] = {{PT_LOAD, 0xf0000000 | PF_R | PF_X, 0x1000, TEXT_VADDR, 0x10, 0x10}};
	build(&im, s, 1, TEXT_VADDR);
	elf_image_t out;
	CHECK(check_sized(&im, im.len, &out) == NULL);
	CHECK_EQ(out.segments[0].flags, ELF_SEG_READ | ELF_SEG_EXEC);
}

TEST(elf_non_load_and_empty_segments_are_skipped)
{
	static img_t im;
	seg_t s[] = {
		/* Garbage in headers that are not loaded must not matter. */
		{PT_NOTE, PF_R, 0xffffffffffff0000ULL, 0, 0x100000, 0},
		{PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0},
		{PT_LOAD, PF_R | PF_X, 0x1000, TEXT_VADDR, 0x800, 0x800},
		{PT_LOAD, PF_R, 0xffffffff00000000ULL, 0, 0, 0}, /* memsz 0 */
	};
	build(&im, s, 4, TEXT_VADDR + 0x10);
	elf_image_t out;
	const char *why = check_sized(&im, im.len, &out);
	CHECK(why == NULL);
	CHECK_EQ(out.nsegments, 1);
	CHECK_EQ(out.segments[0].vaddr, TEXT_VADDR);
}

TEST(elf_segment_ending_exactly_at_user_top_or_file_end_is_accepted)
{
	static img_t im;
	seg_t s[] = {{PT_LOAD, PF_R | PF_X, 0x1000, USER_TOP - 0x2000, 0x1000, 0x2000}};
	build(&im, s, 1, USER_TOP - 0x2000);
	CHECK_EQ(im.len, 0x2000);
	CHECK(check(&im) == NULL);
}

TEST(elf_page_offset_shared_by_vaddr_and_file_offset_is_accepted)
{
	static img_t im;
	seg_t s[] = {{PT_LOAD, PF_R | PF_X, 0x1100, TEXT_VADDR + 0x100, 0x200, 0x200}};
	build(&im, s, 1, TEXT_VADDR + 0x100);
	CHECK(check(&im) == NULL);
}

TEST(elf_empty_buffer_is_rejected)
{
	static img_t im;
	build_valid(&im);
	REJECTS(check_sized(&im, 0, &(elf_image_t){0}), "shorter than an ELF header");
}

TEST(elf_truncated_header_is_rejected)
{
	static img_t im;
	build_valid(&im);
	REJECTS(check_sized(&im, EH_SIZE - 1, &(elf_image_t){0}), "shorter than an ELF header");
	REJECTS(check_sized(&im, 4, &(elf_image_t){0}), "shorter than an ELF header");
}

TEST(elf_bad_magic_is_rejected)
{
	static img_t im;
	for (int i = 0; i < 4; i++) {
		build_valid(&im);
		im.b[i] ^= 0x20;
		REJECTS(check(&im), "not an ELF file");
	}
}

TEST(elf_32_bit_class_is_rejected)
{
	static img_t im;
	build_valid(&im);
	im.b[4] = 1; /* ELFCLASS32 */
	REJECTS(check(&im), "64-bit");
}

TEST(elf_big_endian_is_rejected)
{
	static img_t im;
	build_valid(&im);
	im.b[5] = 2; /* ELFDATA2MSB */
	REJECTS(check(&im), "little-endian");
}

TEST(elf_shared_object_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put16(&im, EH_TYPE, 3); /* ET_DYN */
	REJECTS(check(&im), "static x86_64 executable");
	put16(&im, EH_TYPE, 1); /* ET_REL */
	REJECTS(check(&im), "static x86_64 executable");
}

TEST(elf_wrong_machine_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put16(&im, EH_MACHINE, 3); /* EM_386 */
	REJECTS(check(&im), "static x86_64 executable");
	put16(&im, EH_MACHINE, 183); /* EM_AARCH64 */
	REJECTS(check(&im), "static x86_64 executable");
}

TEST(elf_wrong_program_header_size_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put16(&im, EH_PHENTSIZE, 32);
	REJECTS(check(&im), "bad program header table");
	put16(&im, EH_PHENTSIZE, PH_SIZE + 8);
	REJECTS(check(&im), "bad program header table");
	put16(&im, EH_PHENTSIZE, 0);
	REJECTS(check(&im), "bad program header table");
}

TEST(elf_no_program_headers_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put16(&im, EH_PHNUM, 0);
	REJECTS(check(&im), "bad program header table");
}

TEST(elf_program_header_offset_beyond_the_file_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, EH_PHOFF, im.len + 8);
	REJECTS(check(&im), "program header table lies outside the file");
	put64(&im, EH_PHOFF, im.len);
	REJECTS(check(&im), "program header table lies outside the file");
	put64(&im, EH_PHOFF, UINT64_MAX - 8);
	REJECTS(check(&im), "program header table lies outside the file");
}

TEST(elf_program_header_table_running_past_the_end_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put16(&im, EH_PHNUM, 0xffff);
	REJECTS(check(&im), "program header table lies outside the file");
	/* One byte short of the last program header. */
	build_valid(&im);
	REJECTS(check_sized(&im, phdr_at(2) - 1, &(elf_image_t){0}),
	        "program header table lies outside the file");
	/* Starts inside the file, ends one byte past it. */
	build_valid(&im);
	put16(&im, EH_PHNUM, 1);
	put64(&im, EH_PHOFF, im.len - PH_SIZE + 1);
	REJECTS(check(&im), "program header table lies outside the file");
}

TEST(elf_segment_data_beyond_the_file_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_FILESZ, im.len - 0x2000 + 1);
	put64(&im, phdr_at(1) + PH_MEMSZ, 0x3000);
	REJECTS(check(&im), "segment data lies outside the file");
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_OFFSET, im.len + 0x1000);
	put64(&im, phdr_at(1) + PH_VADDR, DATA_VADDR + im.len + 0x1000 - 0x2000);
	REJECTS(check(&im), "segment data lies outside the file");
}

TEST(elf_segment_offset_plus_size_wrapping_is_rejected)
{
	static img_t im;
	build_valid(&im);
	/* offset + filesz wraps to 0x1000: inside the file if computed naively. */
	put64(&im, phdr_at(1) + PH_OFFSET, 0xffffffffffffe000ULL);
	put64(&im, phdr_at(1) + PH_FILESZ, 0x3000);
	put64(&im, phdr_at(1) + PH_MEMSZ, 0x3000);
	REJECTS(check(&im), "segment data lies outside the file");
}

TEST(elf_file_size_larger_than_memory_size_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, phdr_at(0) + PH_MEMSZ, 0x7ff);
	REJECTS(check(&im), "file size exceeds its memory size");
}

TEST(elf_segment_whose_end_wraps_around_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_MEMSZ, UINT64_MAX - DATA_VADDR + 0x2000);
	REJECTS(check(&im), "outside the user address range");
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_VADDR, 0xfffffffffffff000ULL);
	put64(&im, phdr_at(1) + PH_OFFSET, 0x2000);
	REJECTS(check(&im), "outside the user address range");
}

TEST(elf_segment_at_or_above_user_top_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_VADDR, USER_TOP);
	REJECTS(check(&im), "outside the user address range");
	/* Starts below, ends one page past. */
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_VADDR, USER_TOP - 0x2000);
	REJECTS(check(&im), "outside the user address range");
	/* Kernel half. */
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_VADDR, 0xffffffff80002000ULL);
	REJECTS(check(&im), "outside the user address range");
}

TEST(elf_segment_in_the_null_page_is_rejected)
{
	static img_t im;
	seg_t s[] = {
		{PT_LOAD, PF_R | PF_X, 0x1000, TEXT_VADDR, 0x800, 0x800},
		{PT_LOAD, PF_R | PF_W, 0x2000, 0, 0x100, 0x1000},
	};
	build(&im, s, 2, TEXT_VADDR);
	REJECTS(check(&im), "outside the user address range");
	s[1].vaddr = 0x800;
	s[1].offset = 0x2800;
	s[1].filesz = 0x10;
	build(&im, s, 2, TEXT_VADDR);
	REJECTS(check(&im), "outside the user address range");
}

TEST(elf_vaddr_and_offset_disagreeing_modulo_the_page_size_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, phdr_at(0) + PH_VADDR, TEXT_VADDR + 0x100); /* offset stays 0x1000 */
	put64(&im, EH_ENTRY, TEXT_VADDR + 0x100);
	REJECTS(check(&im), "modulo the page size");
	build_valid(&im);
	put64(&im, phdr_at(1) + PH_OFFSET, 0x2008); /* vaddr stays page-aligned */
	put64(&im, phdr_at(1) + PH_FILESZ, 0x10);
	REJECTS(check(&im), "modulo the page size");
}

TEST(elf_entry_outside_every_executable_segment_is_rejected)
{
	static img_t im;
	build_valid(&im);
	put64(&im, EH_ENTRY, DATA_VADDR); /* in a segment, but not executable */
	REJECTS(check(&im), "entry point");
	put64(&im, EH_ENTRY, TEXT_VADDR + 0x800); /* one past the end of text */
	REJECTS(check(&im), "entry point");
	put64(&im, EH_ENTRY, TEXT_VADDR - 1);
	REJECTS(check(&im), "entry point");
	put64(&im, EH_ENTRY, 0);
	REJECTS(check(&im), "entry point");
	put64(&im, EH_ENTRY, TEXT_VADDR + 0x7ff); /* last byte: fine */
	CHECK(check(&im) == NULL);
}

TEST(elf_image_without_loadable_segments_is_rejected)
{
	static img_t im;
	seg_t s[] = {{PT_NOTE, PF_R, 0x100, 0x401000, 0x10, 0x10}};
	build(&im, s, 1, TEXT_VADDR);
	REJECTS(check(&im), "no loadable segments");
}

/* n one-page text segments, entry in the first. */
static void build_many(img_t *im, unsigned n)
{
	seg_t s[ELF_MAX_SEGMENTS + 2];
	for (unsigned i = 0; i < n; i++)
		s[i] = (seg_t){PT_LOAD,
		               PF_R | PF_X,
		               0x2000 + 0x1000 * (uint64_t)i,
		               TEXT_VADDR + 0x1000 * (uint64_t)i,
		               0x10,
		               0x1000};
	build(im, s, n, TEXT_VADDR);
}

TEST(elf_max_segments_are_accepted)
{
	static img_t im;
	build_many(&im, ELF_MAX_SEGMENTS);
	elf_image_t out;
	CHECK(check_sized(&im, im.len, &out) == NULL);
	CHECK_EQ(out.nsegments, ELF_MAX_SEGMENTS);
	CHECK_EQ(out.segments[ELF_MAX_SEGMENTS - 1].vaddr,
	         TEXT_VADDR + 0x1000 * (ELF_MAX_SEGMENTS - 1));
}

TEST(elf_more_than_max_loadable_segments_is_rejected)
{
	static img_t im;
	build_many(&im, ELF_MAX_SEGMENTS + 1);
	REJECTS(check(&im), "too many loadable segments");
}

/*
 * The loadable segments read straight from the file, for cross-checking an
 * accepted image: the same segments, in order, must have been reported.
 */
static int reported_segments_match_file(const uint8_t *b, size_t size, const elf_image_t *out)
{
	uint64_t phoff = get64(b, EH_PHOFF);
	uint16_t phnum;
	memcpy(&phnum, b + EH_PHNUM, 2);
	unsigned n = 0;
	for (unsigned i = 0; i < phnum; i++) {
		if (phoff + (uint64_t)(i + 1) * PH_SIZE > size)
			return 0;
		const uint8_t *ph = b + phoff + (size_t)i * PH_SIZE;
		if (get32(ph, PH_TYPE) != PT_LOAD || get64(ph, PH_MEMSZ) == 0)
			continue;
		if (n >= out->nsegments)
			return 0;
		const elf_segment_t *s = &out->segments[n++];
		if (s->vaddr != get64(ph, PH_VADDR) || s->memsz != get64(ph, PH_MEMSZ) ||
		    s->offset != get64(ph, PH_OFFSET) || s->filesz != get64(ph, PH_FILESZ) ||
		    s->flags != (get32(ph, PH_FLAGS) & 7))
			return 0;
	}
	return n == out->nsegments;
}

/* The promises an accepted image keeps, whatever its bytes. */
static int accepted_invariants_hold(const uint8_t *b, size_t size, const elf_image_t *out)
{
	if (out->nsegments == 0 || out->nsegments > ELF_MAX_SEGMENTS)
		return 0;
	int entry_ok = 0;
	for (unsigned i = 0; i < out->nsegments; i++) {
		const elf_segment_t *s = &out->segments[i];
		if (s->offset > size || s->filesz > size - s->offset)
			return 0;
		if (s->filesz > s->memsz || s->memsz == 0)
			return 0;
		if (s->vaddr < 4096 || s->vaddr >= USER_TOP || s->memsz > USER_TOP - s->vaddr)
			return 0;
		if ((s->vaddr ^ s->offset) & 4095)
			return 0;
		if (s->flags & ~7u)
			return 0;
		if ((s->flags & ELF_SEG_EXEC) && out->entry >= s->vaddr &&
		    out->entry - s->vaddr < s->memsz)
			entry_ok = 1;
	}
	return entry_ok && out->entry == get64(b, EH_ENTRY) &&
	       reported_segments_match_file(b, size, out);
}

static uint64_t fuzz_state;

static uint64_t fuzz_rng(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return fuzz_state;
}

/* Values that sit on the edges the checks care about. */
static uint64_t interesting(size_t len)
{
	static const uint64_t v[] = {
		0,
		1,
		0x7f,
		0xff,
		0xfff,
		0x1000,
		0x1001,
		0xffff,
		0x10000,
		TEXT_VADDR,
		DATA_VADDR,
		USER_TOP - 0x1000,
		USER_TOP - 1,
		USER_TOP,
		USER_TOP + 0x1000,
		0x7fffffffffffffffULL,
		0x8000000000000000ULL,
		0xfffffffffffff000ULL,
		UINT64_MAX - 1,
		UINT64_MAX,
	};
	uint64_t r = fuzz_rng();
	if (r % 4 == 0)
		return len + (r >> 8) % 3 - 1; /* around the file size */
	return v[(r >> 8) % (sizeof(v) / sizeof(v[0]))];
}

/* One to eight mutations, mostly in the headers where the checks look. */
static void mutate(img_t *im)
{
	unsigned n = 1 + (unsigned)(fuzz_rng() % 8);
	size_t headers = phdr_at(get32(im->b, EH_PHNUM) & 0xffff);
	if (headers > im->len)
		headers = im->len;
	for (unsigned i = 0; i < n; i++) {
		uint64_t r = fuzz_rng();
		size_t at = (size_t)((r >> 8) % (r % 5 == 0 ? im->len : headers));
		switch (r % 5) {
		case 0:
		case 1:
			im->b[at] = (uint8_t)(fuzz_rng() >> 16);
			break;
		case 2:
			im->b[at] ^= (uint8_t)(1u << (fuzz_rng() % 8));
			break;
		case 3:
			/* An 8-byte field of a program header or the header. */
			at &= ~(size_t)7;
			if (at + 8 <= im->len)
				put64(im, at, interesting(im->len));
			break;
		case 4:
			/* Truncate, or extend with zeros. */
			im->len = (size_t)(fuzz_rng() % (im->len + 0x100));
			if (im->len > IMG_MAX)
				im->len = IMG_MAX;
			if (headers > im->len)
				headers = im->len;
			if (headers == 0)
				return;
			break;
		}
	}
}

TEST(elf_random_mutations_never_overread_and_accepted_images_keep_the_invariants)
{
	static img_t base, im;
	seg_t s[] = {
		{PT_LOAD, PF_R | PF_X, 0x1000, TEXT_VADDR, 0x800, 0x800},
		{PT_NOTE, PF_R, 0x1800, 0, 0x20, 0x20},
		{PT_LOAD, PF_R, 0x2000, 0x402000, 0x400, 0x400},
		{PT_LOAD, PF_R | PF_W, 0x3000, DATA_VADDR + 0x1000, 0x100, 0x3000},
	};
	build(&base, s, 4, TEXT_VADDR + 0x40);
	CHECK(check(&base) == NULL);
	fuzz_state = 0x2545f4914f6cdd1dULL;
	unsigned accepted = 0, nreasons = 0;
	const char *reasons[16];
	for (int i = 0; i < 10000 && !host_test_failed_now; i++) {
		memcpy(&im, &base, sizeof(im));
		mutate(&im);
		uint8_t *copy = malloc(im.len ? im.len : 1);
		memcpy(copy, im.b, im.len);
		elf_image_t out;
		const char *why = elf_check(copy, im.len, USER_TOP, &out);
		if (why) {
			unsigned k = 0;
			while (k < nreasons && reasons[k] != why)
				k++;
			if (k == nreasons && nreasons < 16)
				reasons[nreasons++] = why;
		} else {
			accepted++;
			if (!accepted_invariants_hold(copy, im.len, &out)) {
				printf("  mutation %d accepted an image that breaks the rules\n",
				       i);
				CHECK(0);
			}
		}
		free(copy);
	}
	/* Enough images got through for the invariants to have been tested,
	 * and the mutations reached nearly every rejection. */
	CHECK(accepted >= 1000);
	CHECK(nreasons >= 11);
}
