/* Reads the console in raw mode and back in canonical mode, and asks the
 * terminal's ioctls; run by tests/system/tty.sh with the console's input
 * "abcdefgh\nline two\n". Prints one "what: result" line per check. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

static void result(const char *what, long n, const char *buf)
{
	if (n < 0) {
		printf("%s: error %s\n", what, strerror(errno));
		return;
	}
	printf("%s: %ld \"", what, n);
	for (long i = 0; i < n; i++)
		printf(buf[i] == '\n' ? "\\n" : "%c", buf[i]);
	printf("\"\n");
}

static void set_raw(const struct termios *base, int vmin, int vtime)
{
	struct termios t = *base;
	t.c_lflag &= ~(ICANON | ECHO);
	t.c_cc[VMIN] = vmin;
	t.c_cc[VTIME] = vtime;
	tcsetattr(0, TCSANOW, &t);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	char buf[64];
	struct termios orig, now;
	printf("tcgetattr: %d\n", tcgetattr(0, &orig));
	printf("default lflag ICANON ECHO ISIG: %s\n",
	       (orig.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG) ? "yes" : "no");
	printf("default oflag OPOST ONLCR: %s\n",
	       (orig.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR) ? "yes" : "no");
	printf("default VERASE DEL, VEOF ^D, VINTR ^C: %s\n",
	       orig.c_cc[VERASE] == 0x7f && orig.c_cc[VEOF] == 4 && orig.c_cc[VINTR] == 3 ? "yes" :
	                                                                                    "no");

	set_raw(&orig, 3, 0);
	tcgetattr(0, &now);
	printf("raw mode set: %s\n", !(now.c_lflag & ICANON) && now.c_cc[VMIN] == 3 ? "yes" : "no");
	result("raw read of 3, VMIN 3", read(0, buf, 3), buf);
	result("raw read of 2, VMIN 3", read(0, buf, 2), buf);
	set_raw(&orig, 0, 0);
	result("raw read of 3, VMIN 0", read(0, buf, 3), buf);
	int queued = -1;
	int r = ioctl(0, FIONREAD, &queued);
	printf("FIONREAD: %d %d\n", r, queued);
	struct pollfd p = {.fd = 0, .events = POLLIN};
	r = poll(&p, 1, 0);
	printf("poll with input waiting: %d revents 0x%x\n", r, p.revents);

	tcsetattr(0, TCSANOW, &orig);
	result("canonical read of what was pending", read(0, buf, sizeof(buf)), buf);
	p.revents = 0;
	r = poll(&p, 1, 50);
	printf("poll, nothing waiting, 50 ms: %d revents 0x%x\n", r, p.revents);
	set_raw(&orig, 0, 2);
	result("raw read, VMIN 0 VTIME 2, no input", read(0, buf, sizeof(buf)), buf);
	tcsetattr(0, TCSAFLUSH, &orig);

	struct winsize ws;
	r = ioctl(1, TIOCGWINSZ, &ws);
	printf("TIOCGWINSZ: %d %dx%d\n", r, ws.ws_row, ws.ws_col);
	struct winsize big = {.ws_row = 50, .ws_col = 132};
	ioctl(1, TIOCSWINSZ, &big);
	ioctl(1, TIOCGWINSZ, &ws);
	printf("TIOCSWINSZ then TIOCGWINSZ: %dx%d\n", ws.ws_row, ws.ws_col);
	printf("tcgetpgrp is our pid: %s\n", tcgetpgrp(0) == getpid() ? "yes" : "no");
	r = tcsetpgrp(0, getpid());
	printf("tcsetpgrp to our pid: %d\n", r);
	r = tcsetpgrp(0, 999999);
	printf("tcsetpgrp to a group that does not exist: %d %s\n", r, strerror(errno));
	printf("tcflush TCIFLUSH: %d\n", tcflush(0, TCIFLUSH));
	r = tcflush(0, 7);
	printf("tcflush 7: %d %s\n", r, strerror(errno));
	printf("tcflow TCOON: %d\n", tcflow(0, TCOON));
	r = ioctl(0, TCGETS, (void *)8);
	printf("TCGETS to a bad pointer: %d %s\n", r, strerror(errno));
	int fds[2];
	pipe(fds);
	r = tcgetattr(fds[0], &now);
	printf("TCGETS on a pipe: %d %s\n", r, strerror(errno));
	printf("isatty(0) %d isatty(pipe) %d\n", isatty(0), isatty(fds[0]));
	printf("rawread done\n");
	return 0;
}
