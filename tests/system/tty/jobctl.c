/* Job control seen from a background process group: run by
 * tests/system/tty.sh on the console, with no input. A child moves to a
 * group of its own and reads, writes and sets the terminal with SIGTTIN
 * and SIGTTOU blocked, ignored and caught; a grandchild whose parent has
 * ended (an orphaned group) reads and sets it. Prints one "what: result"
 * line per check. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

static int caught;

static void on_signal(int sig)
{
	(void)sig;
	caught++;
}

static void result(const char *what, long r)
{
	if (r < 0)
		printf("%s: %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

/* sig's disposition: SIG_IGN, SIG_DFL, or on_signal without SA_RESTART. */
static void dispose(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigaction(sig, &sa, NULL);
}

static void block(int sig, int how)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(how, &set, NULL);
}

static long set_modes(void)
{
	struct termios t;
	tcgetattr(0, &t);
	return tcsetattr(0, TCSANOW, &t);
}

static void reads(void)
{
	char c;
	block(SIGTTIN, SIG_BLOCK);
	result("read, SIGTTIN blocked", read(0, &c, 1));
	block(SIGTTIN, SIG_UNBLOCK);
	dispose(SIGTTIN, SIG_IGN);
	result("read, SIGTTIN ignored", read(0, &c, 1));
	dispose(SIGTTIN, on_signal);
	caught = 0;
	result("read, SIGTTIN caught", read(0, &c, 1));
	result("  the handler ran", caught);
	dispose(SIGTTIN, SIG_DFL);
}

static void writes_and_modes(void)
{
	struct termios t;
	result("TCGETS needs no foreground", tcgetattr(0, &t));
	printf("tcgetpgrp is the parent's group: %s\n",
	       tcgetpgrp(0) == getpgid(getppid()) ? "yes" : "no");
	result("write, TOSTOP clear", write(1, "written\n", 8));
	block(SIGTTOU, SIG_BLOCK);
	result("tcsetattr, SIGTTOU blocked", set_modes());
	block(SIGTTOU, SIG_UNBLOCK);
	dispose(SIGTTOU, on_signal);
	caught = 0;
	result("tcsetattr, SIGTTOU caught", set_modes());
	result("  the handler ran", caught);
	dispose(SIGTTOU, SIG_IGN);
	t.c_lflag |= TOSTOP;
	result("tcsetattr TOSTOP, SIGTTOU ignored", tcsetattr(0, TCSANOW, &t));
	result("write, TOSTOP, SIGTTOU ignored", write(1, "ignored\n", 8));
	/* Caught, the signal fails stdout's writes too: the result waits
	 * until TOSTOP is clear. */
	dispose(SIGTTOU, on_signal);
	caught = 0;
	long r = write(1, "caught\n", 7);
	int err = errno, ran = caught;
	block(SIGTTOU, SIG_BLOCK);
	result("write, TOSTOP, SIGTTOU blocked", write(1, "blocked\n", 8));
	t.c_lflag &= ~TOSTOP;
	result("tcsetattr back", tcsetattr(0, TCSANOW, &t));
	block(SIGTTOU, SIG_UNBLOCK);
	dispose(SIGTTOU, SIG_DFL);
	errno = err;
	result("write, TOSTOP, SIGTTOU caught", r);
	result("  the handler ran", ran);
}

/* A grandchild in a group of its own whose parent has ended. */
static void orphan(void)
{
	int done[2];
	pipe(done);
	pid_t mid = fork();
	if (mid == 0) {
		if (fork() == 0) {
			char c;
			setpgid(0, 0);
			close(done[0]);
			while (getppid() == mid)
				usleep(1000);
			result("orphaned: read", read(0, &c, 1));
			result("orphaned: tcsetattr", set_modes());
			result("orphaned: tcsetpgrp", tcsetpgrp(0, getpgrp()));
			fflush(stdout);
			_exit(0);
		}
		_exit(0);
	}
	close(done[1]);
	waitpid(mid, NULL, 0);
	char c;
	read(done[0], &c, 1); /* the end: the grandchild has printed */
	close(done[0]);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		reads();
		writes_and_modes();
		fflush(stdout);
		_exit(0);
	}
	setpgid(child, child);
	int st;
	waitpid(child, &st, WUNTRACED);
	printf("the child ended: %s\n", WIFEXITED(st) ? "yes" : "no");
	orphan();
	printf("jobctl done\n");
	return 0;
}
