/* mremap: shrinking in place, growing by moving (the contents come along,
 * the new pages read as zeros), its errors, and musl's realloc of a large
 * block, which uses it. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define PAGE 4096

int main(void)
{
	test_begin("mremap");
	char *p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check_yes("mmap", p != MAP_FAILED);
	memset(p, 'A', PAGE);
	memset(p + 2 * PAGE, 'C', PAGE);
	check_yes("shrink keeps the address", mremap(p, 3 * PAGE, PAGE, 0) == p);
	char *q = mremap(p, PAGE, 4 * PAGE, MREMAP_MAYMOVE);
	check_yes("grow with MREMAP_MAYMOVE", q != MAP_FAILED);
	check_yes("the contents moved", q[0] == 'A' && q[PAGE - 1] == 'A');
	check_yes("new pages are zeros", q[PAGE] == 0 && q[2 * PAGE] == 0 && q[4 * PAGE - 1] == 0);
	q[4 * PAGE - 1] = 'z';
	check_yes("and writable", q[4 * PAGE - 1] == 'z');

	check_yes("new size 0",
	          mremap(q, PAGE, 0, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);
	check_yes("unaligned",
	          mremap(q + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);
	check_yes("unknown flag", mremap(q, PAGE, 2 * PAGE, 0x80) == MAP_FAILED && errno == EINVAL);
	check_yes("FIXED without MAYMOVE",
	          mremap(q, PAGE, 2 * PAGE, MREMAP_FIXED, (void *)0x700000000000) == MAP_FAILED &&
	                  errno == EINVAL);
	check_yes("old size 0 of a private mapping",
	          mremap(q, 0, PAGE, MREMAP_MAYMOVE) == MAP_FAILED && errno == EINVAL);
	check_yes("nothing mapped there",
	          mremap((void *)0x10000, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED &&
	                  errno == EFAULT);

	size_t big = 1 << 20;
	unsigned char *b = malloc(big);
	for (size_t i = 0; i < big; i++)
		b[i] = (unsigned char)(i * 7);
	b = realloc(b, 4 * big);
	int same = b != NULL;
	for (size_t i = 0; same && i < big; i++)
		same = b[i] == (unsigned char)(i * 7);
	check_yes("realloc of 1 MiB to 4 MiB keeps the bytes", same);
	free(b);
	test_end();
	return 0;
}
