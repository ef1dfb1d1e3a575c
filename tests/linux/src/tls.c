/* Thread-local storage, which musl sets up with arch_prctl(ARCH_SET_FS):
 * initialized and zeroed __thread variables, an over-aligned one, errno,
 * and arch_prctl's error cases. */
#include "linux_test.h"

#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* asm/prctl.h, which musl does not ship. */
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

static __thread int initialized = 1234;
static __thread long zeroed;
static __thread _Alignas(64) char aligned[3] = "ab";

int main(void)
{
	unsigned long fs = 0;

	test_begin("tls");
	printf("initialized __thread: %d\n", initialized);
	printf("zeroed __thread: %ld\n", zeroed);
	check_yes("__thread aligned to 64", ((uintptr_t)aligned & 63) == 0);
	printf("aligned __thread: %s\n", aligned);
	initialized += 1;
	zeroed = -5;
	aligned[0] = 'x';
	printf("after writes: %d %ld %s\n", initialized, zeroed, aligned);

	errno = 0;
	check("write fd 99", write(99, "x", 1));
	printf("errno after the failed write: %s\n", errno_name(errno));
	errno = 0;
	check("write fd 1 (empty)", write(1, "", 0));
	printf("errno after a successful write: %s\n", errno_name(errno));

	check("arch_prctl ARCH_GET_FS", syscall(SYS_arch_prctl, ARCH_GET_FS, &fs));
	check_yes("fs base is the thread pointer", fs == (unsigned long)pthread_self());
	check("arch_prctl ARCH_GET_FS bad pointer", syscall(SYS_arch_prctl, ARCH_GET_FS, 1));
	check("arch_prctl bad code", syscall(SYS_arch_prctl, 0x9999, 0));
	check("arch_prctl ARCH_SET_FS non-canonical",
	      syscall(SYS_arch_prctl, ARCH_SET_FS, 0x8000000000000000UL));
	check("arch_prctl ARCH_SET_FS same base", syscall(SYS_arch_prctl, ARCH_SET_FS, fs));
	printf("__thread after setting the same base: %d\n", initialized);
	test_end();
	return 0;
}
