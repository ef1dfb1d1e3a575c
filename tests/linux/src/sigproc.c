/* Signals between processes: default actions seen by the parent's wait4
 * (also for a child that never makes a system call), SIGCHLD and its
 * siginfo, SIGCHLD ignored (children reaped at once), SIGPIPE, a blocked
 * pipe read interrupted (EINTR) or restarted (SA_RESTART), stop and
 * continue with WUNTRACED and WCONTINUED, and waitid. */
#include "linux_test.h"

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int count;
static volatile siginfo_t chld_info;

static void on_count(int sig)
{
	(void)sig;
	count++;
}

static void on_chld(int sig, siginfo_t *si, void *ctx)
{
	(void)sig;
	(void)ctx;
	count++;
	chld_info = *si;
}

static void set_handler(int sig, void (*h)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Fork a child that runs f; its pid. */
static pid_t spawn(void (*f)(void))
{
	pid_t pid = fork();
	if (pid == 0) {
		f();
		_exit(0);
	}
	return pid;
}

static void report(const char *what, pid_t pid)
{
	int st = 0;
	pid_t r = waitpid(pid, &st, 0);
	if (r != pid) {
		printf("%s: waitpid %s\n", what, errno_name(errno));
		return;
	}
	if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", what, WTERMSIG(st));
	else
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
}

static void term_self(void)
{
	kill(getpid(), SIGTERM);
	_exit(1);
}

static void segv_self(void)
{
	kill(getpid(), SIGSEGV);
	_exit(1);
}

static void usr1_self(void)
{
	syscall(SYS_tkill, getpid(), SIGUSR1);
	_exit(1);
}

static void spin(void)
{
	for (volatile int i = 0;; i++)
		;
}

static int pipe_fds[2];

static void read_pipe(void)
{
	char c;
	read(pipe_fds[0], &c, 1);
	_exit(2);
}

static void test_default_actions(void)
{
	report("child SIGTERM itself", spawn(term_self));
	report("child SIGSEGV itself", spawn(segv_self));
	report("child SIGUSR1 itself", spawn(usr1_self));
	pid_t c = spawn(spin);
	check("kill a spinning child", kill(c, SIGKILL));
	report("spinning child", c);
	c = spawn(spin);
	check("SIGTERM a spinning child", kill(c, SIGTERM));
	report("spinning child", c);
	pipe(pipe_fds);
	c = spawn(read_pipe);
	check("SIGINT a child blocked reading", kill(c, SIGINT));
	report("reading child", c);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	check("kill a reaped child", kill(c, 0));
}

static void exit_7(void)
{
	_exit(7);
}

static void test_sigchld(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGCHLD, &sa, NULL);
	count = 0;
	pid_t c = spawn(exit_7);
	int st;
	check_yes("waitpid", waitpid(c, &st, 0) == c);
	check("SIGCHLD handler ran", count);
	check("si_signo", chld_info.si_signo);
	check_yes("si_code CLD_EXITED", chld_info.si_code == CLD_EXITED);
	check_yes("si_pid the child", chld_info.si_pid == c);
	check("si_status", chld_info.si_status);
	count = 0;
	c = spawn(term_self);
	waitpid(c, &st, 0);
	check_yes("killed child: CLD_KILLED", chld_info.si_code == CLD_KILLED);
	check("killed child: si_status", chld_info.si_status);

	set_handler(SIGCHLD, SIG_IGN, 0);
	spawn(exit_7);
	spawn(exit_7);
	check("SIGCHLD ignored: wait", wait(&st));
	set_handler(SIGCHLD, SIG_DFL, SA_NOCLDWAIT);
	spawn(exit_7);
	check("SA_NOCLDWAIT: wait", wait(&st));
	set_handler(SIGCHLD, SIG_DFL, 0);
	c = spawn(exit_7);
	check_yes("SIGCHLD default: wait", wait(&st) == c && WEXITSTATUS(st) == 7);
}

static void write_no_reader(void)
{
	long r = write(pipe_fds[1], "x", 1);
	printf("write with no reader: %s\n", r < 0 ? errno_name(errno) : "written");
	fflush(stdout);
	_exit(count ? 3 : 4);
}

/* A child writes to a pipe whose read end is already closed. */
static void sigpipe_case(const char *what)
{
	pipe(pipe_fds);
	close(pipe_fds[0]);
	pid_t c = spawn(write_no_reader);
	close(pipe_fds[1]);
	report(what, c);
}

static void test_sigpipe(void)
{
	sigpipe_case("SIGPIPE default");
	set_handler(SIGPIPE, SIG_IGN, 0);
	count = 0;
	sigpipe_case("SIGPIPE ignored");
	set_handler(SIGPIPE, on_count, 0);
	count = 0;
	sigpipe_case("SIGPIPE caught");
	set_handler(SIGPIPE, SIG_DFL, 0);
}

static int ack[2];

/* Signal the parent until it answers on ack (a byte each time; want
 * bytes), then write "data" to the pipe. The wait between two signals
 * lets the parent reach its read; on Atoll it lasts until the answer. */
static int want;

static void pester(void)
{
	char c;
	int got = 0;
	struct pollfd pfd = {.fd = ack[0], .events = POLLIN};
	while (got < want) {
		kill(getppid(), SIGUSR1);
		if (poll(&pfd, 1, 20) == 1 && read(ack[0], &c, 1) == 1)
			got++;
	}
	write(pipe_fds[1], "data", 4);
}

static void on_ack(int sig)
{
	(void)sig;
	count++;
	write(ack[1], "k", 1);
}

static void test_interrupt(void)
{
	char buf[8];
	pipe(pipe_fds);
	pipe(ack);
	set_handler(SIGUSR1, on_count, 0);
	count = 0;
	want = 1;
	pid_t c = spawn(pester);
	long r = read(pipe_fds[0], buf, sizeof(buf));
	check("blocked pipe read", r);
	check_yes("handler ran", count > 0);
	write(ack[1], "k", 1);
	r = read(pipe_fds[0], buf, sizeof(buf));
	check("then the data", r);
	report("pestering child", c);

	/* Restarted three times, each after the handler ran. */
	set_handler(SIGUSR1, on_ack, SA_RESTART);
	count = 0;
	want = 3;
	c = spawn(pester);
	r = read(pipe_fds[0], buf, sizeof(buf));
	check("SA_RESTART pipe read", r);
	check_yes("handler ran 3 times or more", count >= 3);
	report("pestering child", c);
	set_handler(SIGUSR1, SIG_DFL, 0);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	close(ack[0]);
	close(ack[1]);
}

static volatile int flag;

static void on_flag(int sig)
{
	(void)sig;
	flag = 1;
}

/* Compute, without a system call, until the handler sets flag. */
static void wait_for_flag(void)
{
	while (!flag)
		;
	_exit(7);
}

static void on_clobber_xmm(int sig)
{
	(void)sig;
	__asm__ volatile("xorps %%xmm6, %%xmm6" ::: "xmm6");
	flag = 1;
}

/* Compute with a value in xmm6 until the handler, which clears xmm6, has
 * run: the value must still be there (the frame saved the FPU state).
 * The byte on pipe_fds[1] says xmm6 is set; the raw write keeps it. */
static void xmm_until_flag(void)
{
	double v = 42.0, out = 0;
	long rax = SYS_write;
	__asm__ volatile("movsd %[v], %%xmm6\n"
	                 "syscall\n"
	                 "1: cmpl $0, %[flag]\n"
	                 "je 1b\n"
	                 "movsd %%xmm6, %[out]\n"
	                 : [out] "=m"(out), "+a"(rax)
	                 : [v] "m"(v), [flag] "m"(flag), "D"((long)pipe_fds[1]), "S"("r"), "d"(1L)
	                 : "xmm6", "rcx", "r11", "memory");
	_exit(out == 42.0 ? 0 : 1);
}

static void test_running(void)
{
	int st = 0;
	set_handler(SIGUSR1, on_flag, 0);
	flag = 0;
	pid_t c = spawn(wait_for_flag);
	check("SIGUSR1 to a child that makes no system call", kill(c, SIGUSR1));
	report("its handler ended the loop", c);
	set_handler(SIGUSR1, on_clobber_xmm, 0);
	flag = 0;
	char ready;
	pipe(pipe_fds);
	c = spawn(xmm_until_flag);
	read(pipe_fds[0], &ready, 1);
	kill(c, SIGUSR1);
	close(pipe_fds[0]);
	close(pipe_fds[1]);
	report("vector registers kept across a handler", c);
	set_handler(SIGUSR1, SIG_DFL, 0);

	c = spawn(spin);
	check("SIGSTOP a spinning child", kill(c, SIGSTOP));
	check_yes("WUNTRACED reports the stop", waitpid(c, &st, WUNTRACED) == c);
	check("WSTOPSIG", WSTOPSIG(st));
	check("SIGCONT", kill(c, SIGCONT));
	check_yes("WCONTINUED reports it", waitpid(c, &st, WCONTINUED) == c);
	check("SIGKILL", kill(c, SIGKILL));
	report("spinning child", c);
}

static void pause_loop(void)
{
	for (;;)
		pause();
}

static void test_stop(void)
{
	int st = 0;
	pid_t c = spawn(pause_loop);
	check("SIGSTOP", kill(c, SIGSTOP));
	check_yes("WUNTRACED reports the stop", waitpid(c, &st, WUNTRACED) == c);
	check_yes("WIFSTOPPED", WIFSTOPPED(st));
	check("WSTOPSIG", WSTOPSIG(st));
	check("nothing more with WNOHANG", waitpid(c, &st, WNOHANG | WUNTRACED));
	check("SIGCONT", kill(c, SIGCONT));
	check_yes("WCONTINUED reports it", waitpid(c, &st, WCONTINUED) == c);
	check_yes("WIFCONTINUED", WIFCONTINUED(st));
	check("SIGTSTP", kill(c, SIGTSTP));
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	check("waitid WSTOPPED", waitid(P_PID, c, &si, WSTOPPED));
	check_yes("si_code CLD_STOPPED", si.si_code == CLD_STOPPED);
	check("si_status", si.si_status);
	check("SIGKILL the stopped child", kill(c, SIGKILL));
	report("stopped child", c);
}

static void test_waitid(void)
{
	siginfo_t si;
	pid_t c = spawn(exit_7);
	memset(&si, 0, sizeof(si));
	check("waitid WNOWAIT", waitid(P_PID, c, &si, WEXITED | WNOWAIT));
	check_yes("si_pid", si.si_pid == c);
	check_yes("si_code CLD_EXITED", si.si_code == CLD_EXITED);
	check("si_status", si.si_status);
	memset(&si, 0, sizeof(si));
	check("waitid P_ALL reaps it", waitid(P_ALL, 0, &si, WEXITED));
	check_yes("si_pid", si.si_pid == c);
	check("waitid no children", waitid(P_ALL, 0, &si, WEXITED | WNOHANG));
	check("waitid no options", waitid(P_ALL, 0, &si, 0));
	check("waitid bad options", waitid(P_ALL, 0, &si, WEXITED | 0x100));
	check("waitid bad idtype", waitid(7, 0, &si, WEXITED));
	check("waitid P_PID 0", waitid(P_PID, 0, &si, WEXITED));
	c = spawn(pause_loop);
	si.si_pid = 99;
	check("waitid WNOHANG, child running", waitid(P_PID, c, &si, WEXITED | WNOHANG));
	check("si_pid cleared", si.si_pid);
	kill(c, SIGKILL);
	check("waitid P_PGID", waitid(P_PGID, getpgrp(), &si, WEXITED));
	check_yes("si_code CLD_KILLED", si.si_code == CLD_KILLED);
	check("si_status", si.si_status);
}

int main(void)
{
	test_begin("sigproc");
	test_default_actions();
	test_sigchld();
	test_sigpipe();
	test_waitid();
	test_interrupt();
	test_stop();
	test_running();
	test_end();
	return 0;
}
