/* fork, vfork, execve and wait4: a child's exit status reaches its parent,
 * the child has a copy of the parent's memory (data, heap, mmap'd, stack)
 * that it changes on its own, execve runs a new program in the same
 * process, and waiting with no children is ECHILD. The parent prints only
 * after it has waited, so the lines come out in one order. */
#include "linux_test.h"

#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int global = 5;

/* The status of pid, or -1 when waitpid fails or returns another pid. */
static int wait_for(pid_t pid)
{
	int status;
	return waitpid(pid, &status, 0) == pid ? status : -1;
}

/* A page half a megabyte down the stack, written before a fork: the child
 * has a copy of it too. */
static __attribute__((noinline)) int fork_with_deep_stack(void)
{
	volatile char deep[512 * 1024];
	deep[0] = 'd';
	deep[sizeof(deep) - 1] = 'e';
	pid_t pid = fork();
	if (pid == 0)
		_exit(deep[0] == 'd' && deep[sizeof(deep) - 1] == 'e' ? 30 : 31);
	int status = wait_for(pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 30;
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "exec-child") == 0) {
		printf("exec child: argc %d, argument %s\n", argc, argv[2]);
		return 3;
	}
	test_begin("fork");

	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0)
		_exit(getppid() == parent && getpid() != parent ? 7 : 8);
	int status = wait_for(pid);
	check_yes("fork returned a child pid", pid > 0);
	printf("child exited: %d, status %d\n", WIFEXITED(status), WEXITSTATUS(status));

	/* Memory: the child sees the parent's and its writes stay its own. */
	char *heap = malloc(64);
	char *big = malloc(200000); /* musl mmaps this */
	char stack[64];
	strcpy(heap, "on the heap");
	strcpy(stack, "on the stack");
	big[150000] = 42;
	pid = fork();
	if (pid == 0) {
		int ok = global == 5 && strcmp(heap, "on the heap") == 0 &&
		         strcmp(stack, "on the stack") == 0 && big[150000] == 42;
		global = 99;
		heap[0] = stack[0] = big[150000] = 0;
		_exit(ok ? 20 : 21);
	}
	status = wait_for(pid);
	printf("child saw the parent's memory: %s\n", WEXITSTATUS(status) == 20 ? "yes" : "no");
	check_yes("child's writes stayed in the child",
	          global == 5 && heap[0] == 'o' && stack[0] == 'o' && big[150000] == 42);

	check_yes("child saw a page deep in the parent's stack", fork_with_deep_stack());

	/* Two children, collected in any order. */
	pid_t a = fork();
	if (a == 0)
		_exit(10);
	pid_t b = fork();
	if (b == 0)
		_exit(11);
	int s1, s2;
	pid_t w1 = wait(&s1), w2 = wait(&s2);
	check_yes("wait returned both children", (w1 == a && w2 == b) || (w1 == b && w2 == a));
	printf("their statuses add up to: %d\n", WEXITSTATUS(s1) + WEXITSTATUS(s2));
	check("waitpid WNOHANG with no children", waitpid(-1, &status, WNOHANG));
	struct rusage ru;
	check("wait4 with no children", wait4(-1, &status, 0, &ru));

	/* vfork, used as vfork should be: the child exits at once. */
	pid = vfork();
	if (pid == 0)
		_exit(5);
	status = wait_for(pid);
	printf("vfork child status: %d\n", WEXITSTATUS(status));

	/* execve: this program again, in the child, with an argument. */
	pid = fork();
	if (pid == 0) {
		char *args[] = {argv[0], "exec-child", "hello", NULL};
		execv(argv[0], args);
		_exit(127);
	}
	status = wait_for(pid);
	printf("exec'd child status: %d\n", WEXITSTATUS(status));

	char *none[] = {"missing", NULL};
	check("execve of a missing file", execv("/no/such/program", none));
	check("wait4 for a pid that is no child", waitpid(parent, &status, 0));
	test_end();
	return 0;
}
