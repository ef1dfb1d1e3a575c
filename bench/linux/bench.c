/*
 * Linux half of Atoll's side-by-side benchmark.
 *
 * Runs as /init (PID 1) in a small initramfs under QEMU TCG with
 * -icount shift=0, where one rdtsc tick is one executed guest instruction.
 * Prints one "BENCH <name> <median> <min> <iterations>" line per figure,
 * then "BENCH-DONE", then powers the VM off.  As PID 1 it must never
 * return from main: the kernel panics when init exits.
 *
 * Build: musl-gcc -static -O2 -pthread bench.c. The same binary runs on
 * Atoll's Linux personality (see README.md).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

/* The path of this binary (argv[0]: /init on Linux, /bin/bench on Atoll):
 * the file every system has for exec and for reading. */
static const char *self_path;

/* Any failure ends the run; the host script notices the missing BENCH-DONE. */
static void die(const char *what)
{
	printf("BENCH-ERROR %s: %s\n", what, strerror(errno));
	power_off();
}

/* A figure the system cannot measure yet (a call it lacks): a note instead
 * of a BENCH line, and the run goes on. */
static void skip(const char *name, const char *what, int err)
{
	printf("BENCH-SKIP %s.%s: %s: %s\n", system_name, name, what, strerror(err));
	fflush(stdout);
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
 * Times op in batches of iters calls after warmup uncounted batches, and
 * prints the median and minimum per-call batch mean. prepare, when given,
 * runs before every batch outside the timed region.
 */
static void measure_prepared(const char *name, void (*op)(void *), void (*prepare)(void *),
                             void *ctx, int batches, int iters, int warmup)
{
	uint64_t means[BATCHES];

	for (int b = -warmup; b < batches; b++) {
		if (prepare)
			prepare(ctx);
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

static void measure_batches(const char *name, void (*op)(void *), void *ctx, int batches, int iters,
                            int warmup)
{
	measure_prepared(name, op, NULL, ctx, batches, iters, warmup);
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

	int err = pthread_create(&partner, NULL, futex_partner, &pp);
	if (err != 0) {
		/* A system without threads (clone) yet: nothing to measure. */
		skip("futex_rt", "pthread_create", err);
		return;
	}
	measure("futex_rt", futex_op, &pp);
	errno = pthread_join(partner, NULL);
	if (errno != 0)
		die("pthread_join");
}

/* --- linux.fork_exit_wait, linux.fork_exec_wait ---------------------------- */

/* The exec'd child runs this same static binary again with this argument: it exits at once. */
#define EXIT_AT_ONCE "exit-at-once"

static void wait_for(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("waitpid");
}

static void fork_exit_op(void *ctx)
{
	(void)ctx;
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		_exit(0);
	wait_for(pid);
}

static void fork_exec_op(void *ctx)
{
	(void)ctx;
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char *argv[] = {(char *)self_path, EXIT_AT_ONCE, NULL};
		execv(self_path, argv);
		_exit(127);
	}
	wait_for(pid);
}

/* --- linux.open_read_close ---------------------------------------------- */

/* The first 4 KiB of this binary: a file both systems have. */
static void open_read_close_op(void *ctx)
{
	char *buf = ctx;

	int fd = open(self_path, O_RDONLY);
	if (fd < 0)
		die("open");
	if (read(fd, buf, 4096) != 4096)
		die("read");
	if (close(fd) != 0)
		die("close");
}

/* --- linux.devnull_write ------------------------------------------------ */

struct devnull {
	int fd;
	char buf[4096];
};

static void devnull_write_op(void *ctx)
{
	struct devnull *d = ctx;

	if (write(d->fd, d->buf, sizeof d->buf) != sizeof d->buf)
		die("write /dev/null");
}

static void bench_devnull_write(void)
{
	static struct devnull d;

	d.fd = open("/dev/null", O_WRONLY);
	if (d.fd < 0) {
		skip("devnull_write", "open /dev/null", errno);
		return;
	}
	memset(d.buf, 'x', sizeof d.buf);
	measure("devnull_write", devnull_write_op, &d);
	close(d.fd);
}

/* --- linux.page_fault --------------------------------------------------- */

/* Each batch writes to BATCH_ITERS pages of a fresh anonymous mapping; the
 * previous batch's mapping is unmapped before it, outside the timed region. */
struct fresh_pages {
	char *base;
	int next;
};

static void page_fault_prepare(void *ctx)
{
	struct fresh_pages *f = ctx;
	size_t size = (size_t)BATCH_ITERS * 4096;

	if (f->base && munmap(f->base, size) != 0)
		die("munmap");
	f->base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (f->base == MAP_FAILED)
		die("mmap");
	f->next = 0;
}

static void page_fault_op(void *ctx)
{
	struct fresh_pages *f = ctx;

	*(volatile char *)(f->base + (size_t)f->next++ * 4096) = 1;
}

static void bench_page_fault(void)
{
	struct fresh_pages f = {NULL, 0};

	/* Ten warm-up batches: every page touched stays in use on a system
	 * whose munmap does not give memory back. */
	measure_prepared("page_fault", page_fault_op, page_fault_prepare, &f, BATCHES, BATCH_ITERS,
	                 10);
	if (munmap(f.base, (size_t)BATCH_ITERS * 4096) != 0)
		die("munmap");
}

int main(int argc, char **argv)
{
	/* The same binary measures another system running Linux programs:
	 * `bench --system atoll.linux` names its figures atoll.linux.*. */
	if (argc > 2 && strcmp(argv[1], "--system") == 0)
		system_name = argv[2];
	if (argc > 1 && strcmp(argv[1], EXIT_AT_ONCE) == 0)
		return 0;
	self_path = argv[0];
	pin_to_cpu0();
	measure("getppid", getppid_op, NULL);
	bench_pipe();
	bench_futex();
	/* A process start costs hundreds of thousands of instructions: fewer,
	 * smaller batches. */
	measure_batches("fork_exit_wait", fork_exit_op, NULL, 20, 5, 2);
	measure_batches("fork_exec_wait", fork_exec_op, NULL, 20, 5, 2);
	static char file_buf[4096];
	measure("open_read_close", open_read_close_op, file_buf);
	bench_devnull_write();
	/* Last: on a system that keeps unmapped pages, a fork after this
	 * would copy them all. */
	bench_page_fault();
	printf("BENCH-DONE\n");
	power_off();
}
