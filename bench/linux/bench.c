/*
 * Linux half of Atoll's side-by-side benchmark.
 *
 * Runs as /init (PID 1) in a one-file initramfs under QEMU TCG with
 * -icount shift=0, where one rdtsc tick is one executed guest instruction.
 * Prints one "BENCH <name> <median> <min> <iterations>" line per figure,
 * then "BENCH-DONE", then powers the VM off.  As PID 1 it must never
 * return from main: the kernel panics when init exits.
 *
 * Build: musl-gcc -static -O2 -pthread bench.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

/* musl-gcc ships no <linux/futex.h>; these values are fixed kernel ABI. */
enum { FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_PRIVATE_FLAG = 128 };

/* 30 warm-up batches let a new task's start-up scheduling regime pass. */
enum { BATCHES = 100, BATCH_ITERS = 100, WARMUP_BATCHES = 30 };

/* The pipe child and futex thread serve the warm-up batches too. */
#define ROUND_TRIPS ((BATCHES + WARMUP_BATCHES) * BATCH_ITERS)

/* As /init on Linux the machine powers off; as an ordinary program (on
 * Atoll) the program exits. */
static const char *system_name = "linux";

static void power_off(void)
{
	fflush(stdout);
	reboot(RB_POWER_OFF);
	_exit(0);
}

/* Any failure ends the run; the host script notices the missing BENCH-DONE. */
static void die(const char *what)
{
	printf("BENCH-ERROR %s: %s\n", what, strerror(errno));
	power_off();
}

/* lfence keeps rdtsc from being reordered before earlier instructions. */
static inline uint64_t ticks(void)
{
	uint32_t lo, hi;

	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Times op in BATCHES batches of BATCH_ITERS calls after WARMUP_BATCHES
 * uncounted batches, and prints the median and minimum per-call batch mean.
 */
static void measure_batches(const char *name, void (*op)(void *), void *ctx, int batches, int iters,
                            int warmup)
{
	uint64_t means[BATCHES];

	for (int b = -warmup; b < batches; b++) {
		uint64_t start = ticks();
		for (int i = 0; i < iters; i++)
			op(ctx);
		uint64_t end = ticks();
		if (b >= 0)
			means[b] = (end - start) / iters;
	}
	qsort(means, batches, sizeof means[0], cmp_u64);
	printf("BENCH %s.%s %llu %llu %d\n", system_name, name,
	       (unsigned long long)(means[batches / 2 - 1] + means[batches / 2]) / 2,
	       (unsigned long long)means[0], batches * iters);
	fflush(stdout);
}

static void measure(const char *name, void (*op)(void *), void *ctx)
{
	measure_batches(name, op, ctx, BATCHES, BATCH_ITERS, WARMUP_BATCHES);
}

/* Children and threads inherit the mask, so both sides share CPU 0. */
static void pin_to_cpu0(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	/* A system without the call has one CPU to offer anyway. */
	if (sched_setaffinity(0, sizeof set, &set) != 0 && errno != ENOSYS)
		die("sched_setaffinity");
}

/* --- linux.getppid ------------------------------------------------------ */

/* Raw syscall: libc must not be able to cache the answer. */
static void getppid_op(void *ctx)
{
	(void)ctx;
	syscall(SYS_getppid);
}

/* --- linux.pipe_rt ------------------------------------------------------ */

struct pipe_pair {
	int to_child;
	int from_child;
};

static void transfer_byte(int from, int to)
{
	char c;

	if (read(from, &c, 1) != 1)
		die("pipe read");
	if (write(to, &c, 1) != 1)
		die("pipe write");
}

static void pipe_op(void *ctx)
{
	struct pipe_pair *p = ctx;
	char c = 'x';

	if (write(p->to_child, &c, 1) != 1)
		die("pipe write");
	if (read(p->from_child, &c, 1) != 1)
		die("pipe read");
}

static void bench_pipe(void)
{
	int down[2], up[2];

	if (pipe(down) != 0 || pipe(up) != 0)
		die("pipe");
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		for (int i = 0; i < ROUND_TRIPS; i++)
			transfer_byte(down[0], up[1]);
		_exit(0);
	}
	struct pipe_pair p = {.to_child = down[1], .from_child = up[0]};
	measure("pipe_rt", pipe_op, &p);
	if (waitpid(child, NULL, 0) != child)
		die("waitpid");
	close(down[0]);
	close(down[1]);
	close(up[0]);
	close(up[1]);
}

/* --- linux.futex_rt ----------------------------------------------------- */

/* Each word is 1 while a signal is pending; the waiter consumes it. */
struct ping_pong {
	uint32_t ping;
	uint32_t pong;
};

static void futex(uint32_t *word, int op, uint32_t val)
{
	if (syscall(SYS_futex, word, op | FUTEX_PRIVATE_FLAG, val, NULL, NULL, 0) < 0 &&
	    errno != EAGAIN && errno != EINTR)
		die("futex");
}

static void post(uint32_t *word)
{
	__atomic_store_n(word, 1, __ATOMIC_RELEASE);
	futex(word, FUTEX_WAKE, 1);
}

static void await(uint32_t *word)
{
	while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 0)
		futex(word, FUTEX_WAIT, 0);
	__atomic_store_n(word, 0, __ATOMIC_RELAXED);
}

static void *futex_partner(void *ctx)
{
	struct ping_pong *pp = ctx;

	for (int i = 0; i < ROUND_TRIPS; i++) {
		await(&pp->ping);
		post(&pp->pong);
	}
	return NULL;
}

static void futex_op(void *ctx)
{
	struct ping_pong *pp = ctx;

	post(&pp->ping);
	await(&pp->pong);
}

static void bench_futex(void)
{
	struct ping_pong pp = {0, 0};
	pthread_t partner;

	errno = pthread_create(&partner, NULL, futex_partner, &pp);
	if (errno != 0)
		die("pthread_create");
	measure("futex_rt", futex_op, &pp);
	errno = pthread_join(partner, NULL);
	if (errno != 0)
		die("pthread_join");
}

/* --- linux.fork_exec_wait ------------------------------------------------ */

/* The child runs this same static binary again with one argument: it exits at once. */
#define EXEC_SELF "/init"
#define EXIT_AT_ONCE "exit-at-once"

static void fork_exec_op(void *ctx)
{
	(void)ctx;
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char *argv[] = {EXEC_SELF, EXIT_AT_ONCE, NULL};
		execv(EXEC_SELF, argv);
		_exit(127);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("waitpid");
}

int main(int argc, char **argv)
{
	/* The same binary measures another system running Linux programs:
	 * `bench --system atoll.linux` names its figures atoll.linux.*. */
	if (argc > 2 && strcmp(argv[1], "--system") == 0)
		system_name = argv[2];
	if (argc > 1 && strcmp(argv[1], EXIT_AT_ONCE) == 0)
		return 0;
	pin_to_cpu0();
	measure("getppid", getppid_op, NULL);
	bench_pipe();
	bench_futex();
	/* A process start costs about a million instructions: fewer, smaller batches. */
	measure_batches("fork_exec_wait", fork_exec_op, NULL, 20, 5, 2);
	printf("BENCH-DONE\n");
	power_off();
}
