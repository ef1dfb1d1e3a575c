/* Standard output through stdio: printf, puts, fputs, and one line on
 * standard error (the console shows both on Atoll; run.sh merges them on the
 * host). */
#include "linux_test.h"

#include <stdio.h>
#include <unistd.h>

int main(void)
{
	test_begin("hello");
	printf("hello, %s\n", "world");
	puts("puts adds a newline");
	fputs("fputs to stdout\n", stdout);
	printf("int %d, negative %d, hex %#x, long %ld, unsigned long %lu\n", 42, -7, 0xbeef,
	       -1234567890123L, 18446744073709551615UL);
	printf("string %-6s| %6s| %.3s\n", "left", "right", "truncated");
	printf("double %.3f, %e, %g\n", 3.14159, 1e-10, 0.5);
	printf("char %c, percent %%\n", 'x');
	fflush(stdout);
	fputs("fputs to stderr\n", stderr);
	fprintf(stderr, "fprintf to stderr: %d\n", 7);
	printf("back on stdout\n");
	test_end();
	return 0;
}
