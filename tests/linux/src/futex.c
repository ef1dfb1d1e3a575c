/* futex and clone at their edges: a wait whose value has changed is
 * EAGAIN, bad addresses and timeouts are EFAULT or EINVAL, a zero timeout
 * runs out at once, wakes count the waiters they woke, requeue moves
 * waiters from one word to another; clone refuses the flag combinations
 * Linux refuses; sched affinity shows CPU 0 and accepts it. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* From the kernel's uapi futex.h, which musl does not ship. */
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)

static long futex(void *addr, int op, uint32_t val, const void *timeout, void *addr2, uint32_t val3)
{
	return syscall(SYS_futex, addr, op, val, timeout, addr2, val3);
}

static uint32_t word_a, word_b;
static long results[2];

static void *wait_a(void *arg)
{
	long *result = arg;
	*result = futex(&word_a, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	return NULL;
}

/* Wait until count threads are blocked at word_a: a requeue of word_a onto
 * itself counts them without waking any. */
static void wait_for_waiters(long count)
{
	while (futex(&word_a, FUTEX_REQUEUE_PRIVATE, 0, (void *)(intptr_t)INT_MAX, &word_a, 0) <
	       count)
		sched_yield();
}

int main(void)
{
	test_begin("futex");
	static uint32_t word = 5;
	char *bytes = (char *)&word;
	struct timespec zero = {0, 0}, bad_ns = {0, 1000000000}, negative = {-1, 0};

	check("wait, value differs", futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0));
	check("wait, misaligned", futex(bytes + 1, FUTEX_WAIT, 5, NULL, NULL, 0));
	check("wait, unmapped address", futex((void *)4096, FUTEX_WAIT, 0, NULL, NULL, 0));
	check("wait, kernel address",
	      futex((void *)0xffff800000000000ULL, FUTEX_WAIT, 0, NULL, NULL, 0));
	check("wait, zero timeout", futex(&word, FUTEX_WAIT_PRIVATE, 5, &zero, NULL, 0));
	check("wait, nanoseconds too big", futex(&word, FUTEX_WAIT, 5, &bad_ns, NULL, 0));
	check("wait, negative timeout", futex(&word, FUTEX_WAIT, 5, &negative, NULL, 0));
	check("wait, unreadable timeout", futex(&word, FUTEX_WAIT, 5, (void *)8, NULL, 0));
	check("wait_bitset, bitset 0", futex(&word, FUTEX_WAIT_BITSET, 5, NULL, NULL, 0));
	check("wake, nobody waits", futex(&word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0));
	check("wake, misaligned", futex(bytes + 2, FUTEX_WAKE, 1, NULL, NULL, 0));
	check("wake_bitset, bitset 0", futex(&word, FUTEX_WAKE_BITSET, 1, NULL, NULL, 0));
	check("cmp_requeue, value differs",
	      futex(&word, FUTEX_CMP_REQUEUE, 1, (void *)1, &word_b, 4));
	check("cmp_requeue, negative count",
	      futex(&word, FUTEX_CMP_REQUEUE, -1, (void *)1, &word_b, 5));
	check("requeue, misaligned target",
	      futex(&word, FUTEX_REQUEUE, 1, (void *)1, bytes + 1, 0));
	check("requeue, nobody waits", futex(&word, FUTEX_REQUEUE, 1, (void *)1, &word_b, 0));
	check("unknown operation", futex(&word, 99, 0, NULL, NULL, 0));

	/* One waiter, woken. */
	pthread_t t[2];
	results[0] = results[1] = -2;
	pthread_create(&t[0], NULL, wait_a, &results[0]);
	wait_for_waiters(1);
	check("wake one waiter", futex(&word_a, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	pthread_join(t[0], NULL);
	check("the waiter's wait", results[0]);

	/* Two waiters: one woken, one moved to word_b and woken there. */
	results[0] = results[1] = -2;
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, wait_a, &results[i]);
	wait_for_waiters(2);
	check("cmp_requeue, wake 1 move 1",
	      futex(&word_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1, &word_b, 0));
	check("waiters left at a", futex(&word_a, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
	check("wake at b", futex(&word_b, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	check_yes("both waits returned 0", results[0] == 0 && results[1] == 0);

	/* clone: the rules that hold whatever else is supported. */
	check("clone, thread without sighand",
	      syscall(SYS_clone, CLONE_VM | CLONE_THREAD, NULL, NULL, NULL, 0));
	check("clone, sighand without vm", syscall(SYS_clone, CLONE_SIGHAND, NULL, NULL, NULL, 0));
	check("clone, thread and sighand without vm",
	      syscall(SYS_clone, CLONE_THREAD | CLONE_SIGHAND, NULL, NULL, NULL, 0));
	check("clone, fs with a new mount namespace",
	      syscall(SYS_clone, CLONE_NEWNS | CLONE_FS, NULL, NULL, NULL, 0));

	/* One CPU here, at least one on the host: CPU 0 is in the mask. */
	cpu_set_t set;
	CPU_ZERO(&set);
	long n = syscall(SYS_sched_getaffinity, 0, sizeof(set), &set);
	check_yes("sched_getaffinity: bytes, a multiple of 8", n > 0 && n % 8 == 0);
	check_yes("sched_getaffinity: CPU 0", CPU_ISSET(0, &set));
	check("sched_getaffinity, length 4", syscall(SYS_sched_getaffinity, 0, 4, &set));
	check("sched_getaffinity, bad pointer",
	      syscall(SYS_sched_getaffinity, 0, sizeof(set), (void *)8));
	CPU_ZERO(&set);
	CPU_SET(0, &set);
	check("sched_setaffinity, CPU 0", sched_setaffinity(0, sizeof(set), &set));
	CPU_ZERO(&set);
	check("sched_setaffinity, no CPU", sched_setaffinity(0, sizeof(set), &set));
	check("gettid with set_tid_address",
	      syscall(SYS_set_tid_address, NULL) == syscall(SYS_gettid));
	check("set_robust_list, bad length", syscall(SYS_set_robust_list, NULL, 1));
	/* An empty list: its head points at itself. */
	static struct {
		void *next;
		long offset;
		void *pending;
	} head = {&head, 0, NULL};
	void *got = NULL;
	size_t len = 0;
	check("set_robust_list", syscall(SYS_set_robust_list, &head, sizeof(head)));
	check("get_robust_list", syscall(SYS_get_robust_list, 0, &got, &len));
	check_yes("get_robust_list: the head and length set", got == (void *)&head && len == 24);
	check("get_robust_list, no such thread", syscall(SYS_get_robust_list, INT_MAX, &got, &len));
	check("get_robust_list, bad pointer", syscall(SYS_get_robust_list, 0, (void *)8, &len));
	check("sched_getaffinity, no such thread",
	      syscall(SYS_sched_getaffinity, INT_MAX, sizeof(set), &set));
	test_end();
	return 0;
}
