/*
 * fork's copy-on-write: a parent and its children see their own writes
 * only, whichever writes first, through every kind of memory (data, bss,
 * heap, stack, mmap), also when the system writes for them (read() into a
 * buffer), and a child keeps its memory when the parent it shared it with
 * has ended.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux_test.h"

#define HEAP_BYTES (64 * 1024)
#define MAP_BYTES (16 * 4096)

static unsigned char data_bytes[8192] = {1};
static unsigned char bss_bytes[8192];
static unsigned char *heap, *mapped;

/* Every region filled with v (the stack array too). */
static void fill(unsigned char *stack, unsigned char v)
{
	memset(data_bytes, v, sizeof(data_bytes));
	memset(bss_bytes, v, sizeof(bss_bytes));
	memset(heap, v, HEAP_BYTES);
	memset(mapped, v, MAP_BYTES);
	memset(stack, v, 4096);
}

static int all(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* Whether every region holds v only. */
static int holds(const unsigned char *stack, unsigned char v)
{
	return all(data_bytes, sizeof(data_bytes), v) && all(bss_bytes, sizeof(bss_bytes), v) &&
	       all(heap, HEAP_BYTES, v) && all(mapped, MAP_BYTES, v) && all(stack, 4096, v);
}

static const char *yes(int b)
{
	return b ? "yes" : "no";
}

/* The exit status of child c, or -1 when it did not exit. */
static int status_of(pid_t c)
{
	int st;
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

static void children_write_their_own(void)
{
	unsigned char stack[4096];
	fill(stack, 7);
	pid_t kids[4];
	for (int i = 0; i < 4; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			int saw_parent = holds(stack, 7);
			fill(stack, (unsigned char)(20 + i));
			_exit(saw_parent && holds(stack, (unsigned char)(20 + i)) ? 0 : 1);
		}
	}
	int ok = 1;
	for (int i = 0; i < 4; i++)
		ok &= status_of(kids[i]) == 0;
	printf("four children each saw the parent's bytes, then their own: %s\n", yes(ok));
	printf("the parent still sees its own: %s\n", yes(holds(stack, 7)));
}

static void parent_writes_first(void)
{
	unsigned char stack[4096];
	fill(stack, 3);
	int go[2];
	pipe(go);
	pid_t c = fork();
	if (c == 0) {
		char b;
		read(go[0], &b, 1);
		_exit(holds(stack, 3) ? 0 : 1);
	}
	fill(stack, 4);
	write(go[1], "x", 1);
	printf("a child sees the bytes of the fork, not the parent's later ones: %s\n",
	       yes(status_of(c) == 0));
	printf("the parent sees its later ones: %s\n", yes(holds(stack, 4)));
	close(go[0]);
	close(go[1]);
}

static void read_into_shared_memory(void)
{
	unsigned char stack[4096];
	fill(stack, 5);
	int p[2];
	pipe(p);
	pid_t c = fork();
	if (c == 0) {
		/* The system writes into pages the child shares with its parent. */
		int got = (int)read(p[0], heap + 100, 6);
		_exit(got == 6 && memcmp(heap + 100, "abcdef", 6) == 0 && heap[99] == 5 ? 0 : 1);
	}
	write(p[1], "abcdef", 6);
	printf("read() into a shared page gives the child the bytes: %s\n", yes(status_of(c) == 0));
	printf("and leaves the parent's page alone: %s\n", yes(holds(stack, 5)));
	close(p[0]);
	close(p[1]);
}

/* A forks B and ends at once; B then checks (and writes) the memory it
 * shared with A, and reports through a pipe, as it is not our child. */
static void child_outlives_its_parent(void)
{
	unsigned char stack[4096];
	int go[2], report[2];
	fill(stack, 8);
	pipe(go);
	pipe(report);
	pid_t a = fork();
	if (a == 0) {
		fill(stack, 9); /* frames of A's own memory */
		if (fork() == 0) {
			char b;
			close(report[0]);
			read(go[0], &b, 1); /* A is gone now */
			char verdict[2] = {holds(stack, 9) ? 'y' : 'n', 0};
			fill(stack, 10);
			verdict[1] = holds(stack, 10) ? 'y' : 'n';
			write(report[1], verdict, 2);
			_exit(0);
		}
		_exit(0);
	}
	close(report[1]);
	printf("the middle process exits: %d\n", status_of(a));
	write(go[1], "x", 1);
	char verdict[2] = {0};
	int got = (int)read(report[0], verdict, 2);
	printf("the grandchild still has the bytes of its ended parent: %s\n",
	       yes(got == 2 && verdict[0] == 'y'));
	printf("and writes its own afterwards: %s\n", yes(got == 2 && verdict[1] == 'y'));
	printf("the first process's bytes are its own: %s\n", yes(holds(stack, 8)));
	close(go[0]);
	close(go[1]);
	close(report[0]);
}

static void three_generations(void)
{
	unsigned char stack[4096];
	fill(stack, 11);
	pid_t a = fork();
	if (a == 0) {
		pid_t b = fork();
		if (b == 0) {
			int ok = holds(stack, 11);
			fill(stack, 13);
			_exit(ok && holds(stack, 13) ? 0 : 1);
		}
		int ok = holds(stack, 11);
		fill(stack, 12);
		ok &= holds(stack, 12);
		_exit(ok && status_of(b) == 0 ? 0 : 1);
	}
	printf("a child and a grandchild each write their own: %s\n", yes(status_of(a) == 0));
	printf("the first still sees its bytes: %s\n", yes(holds(stack, 11)));
}

static void many_forks_in_a_row(void)
{
	unsigned char stack[4096];
	int ok = 1;
	for (int i = 0; i < 40; i++) {
		fill(stack, (unsigned char)i);
		pid_t c = fork();
		if (c == 0)
			_exit(holds(stack, (unsigned char)i) ? 0 : 1);
		fill(stack, (unsigned char)(i + 100));
		ok &= status_of(c) == 0 && holds(stack, (unsigned char)(i + 100));
	}
	printf("forty forks in a row, each child sees its moment: %s\n", yes(ok));
}

int main(void)
{
	printf("=== cow\n");
	heap = malloc(HEAP_BYTES);
	mapped = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!heap || mapped == MAP_FAILED) {
		printf("no memory\n");
		return 1;
	}
	children_write_their_own();
	parent_writes_first();
	read_into_shared_memory();
	child_outlives_its_parent();
	three_generations();
	many_forks_in_a_row();
	printf("=== end\n");
	fflush(stdout);
	return 0;
}
