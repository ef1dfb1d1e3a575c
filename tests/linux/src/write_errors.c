/* write and writev: the successful cases, then each error the kernel checks
 * (bad descriptor, bad buffer, bad iovec). */
#include "linux_test.h"

#include <limits.h>
#include <stdint.h>
#include <sys/uio.h>
#include <unistd.h>

#define BAD_POINTER ((void *)1)

int main(void)
{
	struct iovec iov[3];

	test_begin("write_errors");

	check("write 4 bytes", write(1, "abc\n", 4));
	check("write 0 bytes", write(1, "x", 0));
	check("write 0 bytes from a bad pointer", write(1, BAD_POINTER, 0));
	check("write fd 99", write(99, "x", 1));
	check("write fd -1", write(-1, "x", 1));
	check("write bad pointer", write(1, BAD_POINTER, 5));
	check("write NULL", write(1, NULL, 5));
	check("write kernel address", write(1, (void *)0xffffffff80000000UL, 5));

	iov[0] = (struct iovec){"ab", 2};
	iov[1] = (struct iovec){"", 0};
	iov[2] = (struct iovec){"cd\n", 3};
	check("writev 3 segments", writev(1, iov, 3));
	check("writev count 0", writev(1, iov, 0));
	check("writev count 0, NULL iov", writev(1, NULL, 0));
	check("writev negative count", writev(1, iov, -1));
	check("writev count IOV_MAX + 1", writev(1, iov, IOV_MAX + 1));
	check("writev fd 99", writev(99, iov, 1));
	check("writev bad iov pointer", writev(1, BAD_POINTER, 1));
	iov[0] = (struct iovec){BAD_POINTER, 5};
	check("writev bad segment pointer", writev(1, iov, 1));
	iov[0] = (struct iovec){"x", SIZE_MAX};
	check("writev segment length over SSIZE_MAX", writev(1, iov, 1));

	test_end();
	return 0;
}
