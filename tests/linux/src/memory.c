/* Memory: the raw brk system call, anonymous mmap and its error cases,
 * mprotect, then malloc of many sizes up to 64 MiB. The checks most likely
 * to crash an incomplete implementation come last. */
#include "linux_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MIB (1024UL * 1024)

/* The compiler may not drop or fold the stores before this. */
static void touch(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
}

/* Fills n bytes with a byte that depends on n, except the first byte of
 * each 4 KiB, which holds the block's number (a page mapped twice would
 * show), then checks every byte. Word-sized checks keep 64 MiB quick under
 * QEMU's emulation. */
static int fill_and_check(unsigned char *p, size_t n)
{
	unsigned char fill = (unsigned char)(n * 37 + 11);
	uint64_t word = fill * 0x0101010101010101ULL, v, want;
	size_t i;

	memset(p, fill, n);
	for (i = 0; i < n; i += 4096)
		p[i] = (unsigned char)(i / 4096);
	touch(p);
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&v, p + i, 8);
		want = i % 4096 ? word : (word & ~0xffULL) | (unsigned char)(i / 4096);
		if (v != want)
			return 0;
	}
	for (; i < n; i++)
		if (p[i] != (i % 4096 ? fill : (unsigned char)(i / 4096)))
			return 0;
	return 1;
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static void test_brk(void)
{
	/* musl's brk() and sbrk(n) always fail: use the system call. */
	uintptr_t start = syscall(SYS_brk, 0);
	uintptr_t grown, shrunk, low;

	check_yes("brk(0) is nonzero", start != 0);
	grown = syscall(SYS_brk, start + MIB);
	check_yes("brk grows by 1 MiB", grown == start + MIB);
	if (grown == start + MIB) {
		check_yes("brk memory is zero", all_zero((unsigned char *)start, MIB));
		check_yes("brk memory holds a pattern",
		          fill_and_check((unsigned char *)start, MIB));
	}
	check_yes("brk(0) reports the new end", (uintptr_t)syscall(SYS_brk, 0) == grown);
	shrunk = syscall(SYS_brk, start + 4096);
	check_yes("brk shrinks", shrunk == start + 4096);
	low = syscall(SYS_brk, 4096);
	check_yes("brk below the start is refused (end unchanged)", low == start + 4096);
	check_yes("brk back to the start", (uintptr_t)syscall(SYS_brk, start) == start);
}

static void test_mmap(void)
{
	unsigned char *p;
	void *q;

	p = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_yes("mmap 1 MiB", p != MAP_FAILED);
	if (p != MAP_FAILED) {
		check_yes("mmap is page aligned", ((uintptr_t)p & 4095) == 0);
		check_yes("mmap memory is zero", all_zero(p, MIB));
		check_yes("mmap memory holds a pattern", fill_and_check(p, MIB));
		check("munmap 1 MiB", munmap(p, MIB));
	}

	q = mmap(NULL, 4096 * 3 + 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_yes("mmap of an unaligned length", q != MAP_FAILED);
	if (q != MAP_FAILED) {
		/* The length is rounded up to whole pages. */
		check_yes("mmap rounds up to pages", fill_and_check(q, 4096 * 4));
		check("munmap unaligned length", munmap(q, 4096 * 3 + 1));
	}

	q = mmap(NULL, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap length 0", q == MAP_FAILED ? -1 : 0);
	q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, -1, 0);
	check("mmap fd -1 without MAP_ANONYMOUS", q == MAP_FAILED ? -1 : 0);
	q = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_ANONYMOUS, -1, 0);
	check("mmap neither private nor shared", q == MAP_FAILED ? -1 : 0);
	q = mmap((void *)0x10000001, 4096, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	check("mmap MAP_FIXED unaligned address", q == MAP_FAILED ? -1 : 0);
	q = mmap(NULL, 1UL << 60, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check("mmap 2^60 bytes", q == MAP_FAILED ? -1 : 0);
}

static void test_mprotect(void)
{
	unsigned char *p;

	p = mmap(NULL, 2 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_yes("mmap PROT_NONE", p != MAP_FAILED);
	if (p == MAP_FAILED)
		return;
	/* musl's mprotect rounds the address down: the system call does not. */
	check("mprotect unaligned address", syscall(SYS_mprotect, p + 1, 4096, PROT_READ));
	check("mprotect to read-write", mprotect(p, 2 * 4096, PROT_READ | PROT_WRITE));
	check_yes("PROT_NONE then read-write memory holds a pattern", fill_and_check(p, 2 * 4096));
	check("munmap unaligned address", munmap(p + 1, 4096));
	check("munmap", munmap(p, 2 * 4096));
}

static void test_malloc(void)
{
	static const size_t sizes[] = {1,     7,     16,     100,     1000,    4096,
	                               10000, 65536, 100000, 1 * MIB, 3 * MIB, 64 * MIB};
	char what[64];
	unsigned char *p, *r;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p = malloc(sizes[i]);
		snprintf(what, sizeof(what), "malloc %zu", sizes[i]);
		if (!p) {
			check(what, -1);
			continue;
		}
		check_yes(what, fill_and_check(p, sizes[i]));
		free(p);
	}

	p = calloc(1, MIB);
	check_yes("calloc 1 MiB is zero", p && all_zero(p, MIB));
	free(p);

	p = malloc(100);
	if (p) {
		for (int i = 0; i < 100; i++)
			p[i] = (unsigned char)i;
		r = realloc(p, 2 * MIB);
		int kept = r != NULL;
		for (int i = 0; r && i < 100; i++)
			kept &= r[i] == (unsigned char)i;
		check_yes("realloc to 2 MiB keeps the contents", kept);
		free(r ? r : p);
	}
	errno = 0;
	p = malloc(SIZE_MAX / 2);
	check_yes("malloc(SIZE_MAX / 2) fails", p == NULL);
	check("malloc(SIZE_MAX / 2) errno", -1);
}

int main(void)
{
	test_begin("memory");
	test_brk();
	test_mmap();
	test_malloc();
	test_mprotect();
	test_end();
	return 0;
}
