/*
 * MAP_SHARED anonymous memory (and /dev/zero's) stays shared across fork:
 * parent, children and grandchildren see each other's writes, also after
 * the process that made it ends, while MAP_PRIVATE memory beside it stays
 * each one's own.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux_test.h"

#define PAGE 4096

static volatile unsigned char *shared, *private_mem, *zero_shared;

static int status_of(pid_t c)
{
	int st;
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static const char *yes(int b)
{
	return b ? "yes" : "no";
}

static sigjmp_buf jump;

static void on_segv(int sig)
{
	(void)sig;
	siglongjmp(jump, 1);
}

static void child_writes_parent_sees(void)
{
	shared[0] = 'p';
	private_mem[0] = 'p';
	pid_t c = fork();
	if (c == 0) {
		int saw = shared[0] == 'p';
		shared[0] = 'c';
		shared[PAGE + 5] = 'C'; /* a page nobody touched before the fork */
		private_mem[0] = 'c';
		_exit(saw ? 0 : 1);
	}
	printf("the child saw the parent's byte: %s\n", yes(status_of(c) == 0));
	printf("the parent sees the child's write: %s\n", yes(shared[0] == 'c'));
	printf("and on a page first touched in the child: %s\n", yes(shared[PAGE + 5] == 'C'));
	printf("private memory stays the parent's: %s\n", yes(private_mem[0] == 'p'));
}

static void parent_writes_child_sees(void)
{
	int go[2];
	pipe(go);
	pid_t c = fork();
	if (c == 0) {
		char b;
		read(go[0], &b, 1);
		_exit(shared[1] == 'x' ? 0 : 1);
	}
	shared[1] = 'x';
	write(go[1], "g", 1);
	printf("a child sees a write the parent made after the fork: %s\n", yes(status_of(c) == 0));
	close(go[0]);
	close(go[1]);
}

static void children_count_together(void)
{
	volatile unsigned *counter = (volatile unsigned *)(shared + 2 * PAGE);
	*counter = 0;
	pid_t kids[4];
	for (int i = 0; i < 4; i++)
		if ((kids[i] = fork()) == 0) {
			for (int n = 0; n < 1000; n++)
				__atomic_fetch_add(counter, 1, __ATOMIC_SEQ_CST);
			_exit(0);
		}
	for (int i = 0; i < 4; i++)
		status_of(kids[i]);
	printf("four children counting to 1000 each: %u\n", *counter);
}

/* A makes a mapping, forks B and C, and ends; then B writes, C reads. */
static void maker_ends_first(void)
{
	int start[2], written[2], report[2];
	pipe(start);
	pipe(written);
	pipe(report);
	pid_t a = fork();
	if (a == 0) {
		volatile char *m =
			mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		m[0] = 'a';
		char x;
		if (fork() == 0) {             /* B */
			read(start[0], &x, 1); /* A has ended */
			m[0] = 'b';
			write(written[1], "w", 1);
			_exit(0);
		}
		if (fork() == 0) { /* C */
			read(written[0], &x, 1);
			char verdict = m[0] == 'b' ? 'y' : 'n';
			write(report[1], &verdict, 1);
			_exit(0);
		}
		_exit(0);
	}
	printf("the maker ends: %d\n", status_of(a));
	write(start[1], "s", 1);
	char verdict = 0;
	read(report[0], &verdict, 1);
	printf("its children still share it after it ended: %s\n", yes(verdict == 'y'));
	for (int i = 0; i < 2; i++) {
		close(start[i]);
		close(written[i]);
		close(report[i]);
	}
}

static void protect_in_child(void)
{
	shared[3 * PAGE] = 's';
	pid_t c = fork();
	if (c == 0) {
		mprotect((void *)(shared + 3 * PAGE), PAGE, PROT_READ);
		signal(SIGSEGV, on_segv);
		int faulted = sigsetjmp(jump, 1);
		if (!faulted)
			shared[3 * PAGE] = 'z';
		_exit(faulted && shared[3 * PAGE] == 's' ? 0 : 1);
	}
	printf("a read-only share in the child faults on a write: %s\n", yes(status_of(c) == 0));
	shared[3 * PAGE] = 't';
	printf("and the parent still writes it: %s\n", yes(shared[3 * PAGE] == 't'));
	c = fork();
	if (c == 0) {
		munmap((void *)(shared + 3 * PAGE), PAGE);
		_exit(0);
	}
	status_of(c);
	printf("a child's munmap leaves the parent's: %s\n", yes(shared[3 * PAGE] == 't'));
}

static void dev_zero_shared(void)
{
	zero_shared[0] = 'z';
	pid_t c = fork();
	if (c == 0) {
		zero_shared[0] = 'Z';
		_exit(0);
	}
	status_of(c);
	printf("a shared mapping of /dev/zero is shared too: %s\n", yes(zero_shared[0] == 'Z'));
}

int main(void)
{
	printf("=== shared_anon\n");
	setvbuf(stdout, NULL, _IONBF, 0);
	shared = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	private_mem = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int zero = open("/dev/zero", O_RDWR);
	zero_shared = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
	if (shared == MAP_FAILED || private_mem == MAP_FAILED || zero_shared == MAP_FAILED) {
		printf("mmap failed\n");
		return 1;
	}
	child_writes_parent_sees();
	parent_writes_child_sees();
	children_count_together();
	maker_ends_first();
	protect_in_child();
	dev_zero_shared();
	printf("=== end\n");
	return 0;
}
