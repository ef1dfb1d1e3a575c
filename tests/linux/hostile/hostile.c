/*
 * A hostile Linux program: every system-call number from 0 to 450, called
 * again and again with garbage — random and wild pointers, huge lengths,
 * bad descriptors, random flags. The personality must answer every call
 * with a result or an error and keep serving everyone else; this program
 * and its children may die of what they asked for, as they would on Linux.
 *
 * Each number runs in a child of its own, in a process group of its own,
 * with its standard descriptors closed (garbage written to the console
 * would only be noise): a call that ends or blocks the child (exit, pause,
 * a read that waits) costs the child, not the run. The parent reaps it,
 * and after a deadline kills what is left of its group. A number whose
 * argument is a pid gets only the child's own pid or one that does not
 * exist, so that no garbage kill reaches the shell that started us.
 *
 * Atoll only: on a real Linux this would be a bad idea to run as root.
 * `hostile [SEED]`: a seed other than the built-in one gives other garbage.
 * Prints "hostile: N calls, M children died of a signal, K killed late"
 * and exits 0 when every child was accounted for.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FIRST_NR 0
#define LAST_NR 450
#define CALLS_PER_NR 24
#define CHILD_DEADLINE_NS 2000000000LL /* how long one child may take */
#define SCRATCH_BYTES 65536

static unsigned char scratch[SCRATCH_BYTES];
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	/* xorshift64*: the same garbage every run, so a failure repeats. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static uint64_t pick(const uint64_t *choices, size_t n)
{
	return choices[rng() % n];
}

/* One argument: any of the kinds a careless or malicious caller passes. */
static uint64_t garbage(void)
{
	static const uint64_t small[] = {
		0, 1, 2, 3, 4, 8, 16, 64, 255, 4096, (uint64_t)-1, (uint64_t)-2, (uint64_t)-4096};
	static const uint64_t lengths[] = {
		0,           1,          7,          4095,          4096,
		65536,       1ULL << 30, 1ULL << 40, 0x7fffffffULL, 0xffffffffULL,
		(uint64_t)-1};
	static const uint64_t fds[] = {
		(uint64_t)-1,  3, 4, 5, 7, 31, 32, 63, 64, 1023, 1 << 20, 0x7fffffff,
		(uint64_t)-100 /* AT_FDCWD */};
	const uint64_t pointers[] = {
		0,
		1,
		(uint64_t)scratch,
		(uint64_t)scratch + SCRATCH_BYTES - 3, /* runs off the end */
		(uint64_t)scratch + rng() % SCRATCH_BYTES,
		0x7ffffffff000ULL,     /* the top user page */
		0x800000000000ULL,     /* not canonical */
		0xffff800000000000ULL, /* kernel half */
		0xffffffffffff0000ULL,
		0x1000,
		0x400000,
	};
	switch (rng() % 6) {
	case 0:
		return pick(small, sizeof(small) / sizeof(small[0]));
	case 1:
		return pick(lengths, sizeof(lengths) / sizeof(lengths[0]));
	case 2:
		return pick(fds, sizeof(fds) / sizeof(fds[0]));
	case 3:
	case 4:
		return pick(pointers, sizeof(pointers) / sizeof(pointers[0]));
	default:
		return rng();
	}
}

/* A pid argument: ours, or one that is nobody's. */
static uint64_t safe_pid(void)
{
	return rng() % 2 ? (uint64_t)getpid() : 0x3fffffffULL;
}

static void storm(long nr)
{
	for (int i = 0; i < CALLS_PER_NR; i++) {
		uint64_t a[6];
		for (int j = 0; j < 6; j++)
			a[j] = garbage();
		switch (nr) {
		case SYS_kill:
		case SYS_tkill:
		case SYS_rt_sigqueueinfo:
		case SYS_setpgid:
		case SYS_prlimit64:
		case SYS_process_vm_readv:
		case SYS_process_vm_writev:
		case SYS_pidfd_open:
		case SYS_ptrace:
			a[0] = safe_pid();
			break;
		case SYS_tgkill:
		case SYS_rt_tgsigqueueinfo:
			a[0] = a[1] = safe_pid();
			break;
		case SYS_getpriority:
		case SYS_setpriority:
			a[1] = safe_pid();
			break;
		}
		syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}

static long long now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	if (argc > 1) /* another seed: other garbage, as repeatable */
		rng_state ^= strtoull(argv[1], NULL, 0) * 0x9e3779b97f4a7c15ULL;
	unsigned long calls = 0, signalled = 0, late = 0, lost = 0;
	for (long nr = FIRST_NR; nr <= LAST_NR; nr++) {
		/* Each child's garbage differs, and the parent's stays in step. */
		rng_state += 0x9e3779b97f4a7c15ULL;
		pid_t child = fork();
		if (child < 0) {
			printf("hostile: fork failed before number %ld\n", nr);
			return 1;
		}
		if (child == 0) {
			setpgid(0, 0);
			close(0);
			close(1);
			close(2);
			storm(nr);
			_exit(0);
		}
		setpgid(child, child); /* either may come first */
		calls += CALLS_PER_NR;
		long long deadline = now_ns() + CHILD_DEADLINE_NS;
		int status;
		pid_t got;
		while ((got = waitpid(child, &status, WNOHANG)) == 0 && now_ns() < deadline) {
			struct timespec nap = {0, 1000000};
			nanosleep(&nap, NULL);
		}
		if (got == 0) {
			late++;
			kill(child, SIGKILL);
			got = waitpid(child, &status, 0);
		}
		if (got != child)
			lost++;
		else if (WIFSIGNALED(status))
			signalled++;
		/* Whatever the child forked is in its group: end it too. */
		kill(-child, SIGKILL);
		while (waitpid(-1, &status, WNOHANG) > 0)
			;
	}
	printf("hostile: %lu calls, %lu children died of a signal, %lu killed late\n", calls,
	       signalled, late);
	if (lost) {
		printf("hostile: %lu children were not accounted for\n", lost);
		return 1;
	}
	return 0;
}
