/*
 * vfork: the parent waits until the child execs or ends, and sees what the
 * child wrote to their memory meanwhile (a variable, its stack), which is
 * how programs learn that the child's exec failed; a signal for the parent
 * waits until vfork returns.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "linux_test.h"

static volatile int set_by_child;
static volatile int exec_errno;
static volatile int handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled = 1;
}

static int status_of(pid_t c)
{
	int st;
	if (waitpid(c, &st, 0) != c || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	if (argc > 1) /* the program a child execs */
		return atoi(argv[1]);
	printf("=== vfork\n");
	setvbuf(stdout, NULL, _IONBF, 0);

	volatile int on_stack = 1;
	pid_t c = vfork();
	if (c == 0) {
		struct timespec t = {0, 50 * 1000 * 1000};
		nanosleep(&t, NULL); /* the parent must not run meanwhile */
		set_by_child = 42;
		on_stack = 2;
		_exit(3);
	}
	printf("the parent ran after the child ended: %s\n", set_by_child == 42 ? "yes" : "no");
	printf("and sees what it wrote on the stack: %s\n", on_stack == 2 ? "yes" : "no");
	printf("its status: %d\n", status_of(c));

	c = vfork();
	if (c == 0) {
		char *args[] = {"vfork", NULL};
		execv("/nonexistent/program", args);
		exec_errno = errno;
		_exit(127);
	}
	printf("a failed exec is known at once: %s\n", errno_name(exec_errno));
	printf("its status: %d\n", status_of(c));

	c = vfork();
	if (c == 0) {
		char *args[] = {"vfork", "5", NULL};
		execv("/proc/self/exe", args);
		_exit(99);
	}
	printf("a child that execs: status %d\n", status_of(c));

	signal(SIGUSR1, on_usr1);
	volatile int handled_in_child = -1;
	c = vfork();
	if (c == 0) {
		kill(getppid(), SIGUSR1);
		handled_in_child = handled;
		_exit(0);
	}
	printf("the parent's handler waited for vfork to return: %s\n",
	       handled_in_child == 0 ? "yes" : "no");
	printf("and ran then: %s\n", handled ? "yes" : "no");
	status_of(c);

	pid_t s;
	char *spawn_args[] = {"vfork", "6", NULL};
	int err = posix_spawn(&s, "/proc/self/exe", NULL, NULL, spawn_args, NULL);
	printf("posix_spawn: %s, status %d\n", errno_name(err), err ? -1 : status_of(s));
	err = posix_spawn(&s, "/nonexistent/program", NULL, NULL, spawn_args, NULL);
	printf("posix_spawn of nothing: %s\n", errno_name(err));
	if (!err)
		status_of(s);
	printf("=== end\n");
	return 0;
}
