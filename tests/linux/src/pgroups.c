/* Process groups and sessions: setsid, setpgid, getpgid, getpgrp,
 * getsid and their errors (EPERM, ESRCH, EINVAL, EACCES after execve);
 * kill(0), kill(-pgid), wait4(0) and wait4(-pgid). Everything runs in a
 * child that first makes its own session, so what the test starts from
 * (a shell's group, or none) does not matter. */
#include "linux_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int count;

static void on_usr1(int sig)
{
	(void)sig;
	count++;
}

static void report(const char *what, pid_t pid)
{
	int st = 0;
	pid_t r = waitpid(pid, &st, 0);
	if (r != pid)
		printf("%s: waitpid %s\n", what, errno_name(errno));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", what, WTERMSIG(st));
	else
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
}

/* A child that waits until a signal ends it. */
static pid_t idle_child(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	return pid;
}

static void in_session(const char *self)
{
	pid_t me = getpid();
	check_yes("setsid returns our pid", setsid() == me);
	check_yes("getsid(0) is us", getsid(0) == me);
	check_yes("getpgrp is us", getpgrp() == me);
	check_yes("getpgid(0) is us", getpgid(0) == me);
	check_yes("getpgid(self) is us", getpgid(me) == me);
	check("setsid again (a group leader)", setsid());
	check("setpgid of a session leader", setpgid(0, 0));
	check("setpgid pgid -1", setpgid(0, -1));
	check("setpgid no such pid", setpgid(99999, 0));
	check("getpgid no such pid", getpgid(99999));
	check("getsid no such pid", getsid(99999));
	char text[512] = {0};
	int fd = open("/proc/self/stat", O_RDONLY), pid = 0, ppid = 0, pgrp = 0, session = 0;
	char state = 0;
	if (fd >= 0) {
		read(fd, text, sizeof(text) - 1);
		close(fd);
	}
	sscanf(text, "%d %*s %c %d %d %d", &pid, &state, &ppid, &pgrp, &session);
	check_yes("/proc/self/stat: our group and session", pgrp == me && session == me);

	pid_t a = idle_child();
	check_yes("a child is in our group", getpgid(a) == me);
	check_yes("and our session", getsid(a) == me);
	check("setpgid child to its own group", setpgid(a, a));
	check_yes("its group now", getpgid(a) == a);
	check("setpgid child to no such group", setpgid(a, 99999));
	pid_t b = idle_child();
	check("setpgid another child into that group", setpgid(b, a));
	check_yes("its group", getpgid(b) == a);
	check("kill the group", kill(-a, SIGTERM));
	report("first of the group", a);
	report("second of the group", b);
	check("kill the group once reaped", kill(-a, 0));

	/* A child in a session of its own is out of reach. */
	int fds[2];
	char c;
	pipe(fds);
	pid_t s = fork();
	if (s == 0) {
		setsid();
		write(fds[1], "s", 1);
		for (;;)
			pause();
	}
	read(fds[0], &c, 1);
	check("setpgid of a child in another session", setpgid(s, s));
	check("setpgid of a child into our group from another session", setpgid(s, me));
	kill(s, SIGKILL);
	report("child in its own session", s);

	/* After execve a child's group cannot be changed by its parent. */
	pid_t e = fork();
	if (e == 0) {
		char fd[16];
		snprintf(fd, sizeof(fd), "%d", fds[1]);
		execl(self, "pgroups", "exec", fd, (char *)NULL);
		_exit(127);
	}
	read(fds[0], &c, 1);
	check("setpgid after the child's execve", setpgid(e, e));
	kill(e, SIGKILL);
	report("child after execve", e);
	close(fds[0]);
	close(fds[1]);

	/* kill(0): our group, which holds only us now. */
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	count = 0;
	check("kill(0, SIGUSR1)", kill(0, SIGUSR1));
	check("our handler ran", count);
	count = 0;
	check("kill(-our group)", kill(-me, SIGUSR1));
	check("our handler ran", count);

	/* wait4(0) waits for our group's children only; wait4(-pgid) for
	 * that group's. */
	pid_t in = fork();
	if (in == 0)
		_exit(5);
	pid_t out = fork();
	if (out == 0) {
		setpgid(0, 0);
		_exit(6);
	}
	setpgid(out, out);
	int st;
	check_yes("wait4(0) is the child of our group", waitpid(0, &st, 0) == in);
	check("its status", WEXITSTATUS(st));
	check("wait4(0) again: none left in the group", waitpid(0, &st, WNOHANG));
	check_yes("wait4(-pgid) is the other", waitpid(-out, &st, 0) == out);
	check("its status", WEXITSTATUS(st));
	check("wait4 no such group", waitpid(-99999, &st, 0));
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "exec")) {
		write(atoi(argv[2]), "e", 1);
		for (;;)
			pause();
	}
	test_begin("pgroups");
	pid_t pid = fork();
	if (pid == 0) {
		in_session(argv[0]);
		fflush(stdout);
		_exit(0);
	}
	report("the session's leader", pid);
	test_end();
	return 0;
}
