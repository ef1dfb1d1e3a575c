/* poll, ppoll, select and pselect: a pipe with data is readable, an empty
 * one is not (timeout 0 answers at once), the write end is writable, a
 * pipe whose writers are gone is hung up, a descriptor that is not open is
 * POLLNVAL for poll and EBADF for select, an archive file is ready both
 * ways, and a parent polling with no timeout wakes when its child writes. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <unistd.h>

/* poll one descriptor for events with timeout ms: "what: N revents 0xR". */
static void poll_one(const char *what, int fd, short events, int ms)
{
	struct pollfd p = {.fd = fd, .events = events, .revents = 0x7fff};
	int n = poll(&p, 1, ms);
	if (n < 0)
		printf("%s: %s\n", what, errno_name(errno));
	else
		printf("%s: %d revents 0x%x\n", what, n, (unsigned)(unsigned short)p.revents);
}

int main(int argc, char **argv)
{
	signal(SIGPIPE, SIG_IGN);
	test_begin("poll");

	int fds[2];
	char buf[16];
	check("pipe", pipe(fds));
	poll_one("empty pipe, read end, timeout 0", fds[0], POLLIN, 0);
	poll_one("empty pipe, write end", fds[1], POLLOUT, 0);
	poll_one("write end asked for POLLIN", fds[1], POLLIN, 0);
	check("write", write(fds[1], "abc", 3));
	poll_one("pipe with data, read end", fds[0], POLLIN, -1);
	poll_one("pipe with data, events 0", fds[0], 0, 0);

	fd_set rd, wr;
	FD_ZERO(&rd);
	FD_ZERO(&wr);
	FD_SET(fds[0], &rd);
	FD_SET(fds[1], &wr);
	struct timeval tv = {0, 0};
	check("select on both ends", select(fds[1] + 1, &rd, &wr, NULL, &tv));
	check_yes("read end in readfds", FD_ISSET(fds[0], &rd));
	check_yes("write end in writefds", FD_ISSET(fds[1], &wr));

	check("read", read(fds[0], buf, sizeof(buf)));
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	tv = (struct timeval){0, 0};
	check("select on the empty pipe", select(fds[0] + 1, &rd, NULL, NULL, &tv));
	check_yes("read end left in readfds", FD_ISSET(fds[0], &rd));
	struct timespec ts = {0, 0};
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	check("pselect on the empty pipe", pselect(fds[0] + 1, &rd, NULL, NULL, &ts, NULL));

	check("write", write(fds[1], "x", 1));
	check("close the write end", close(fds[1]));
	poll_one("writer gone, a byte left", fds[0], POLLIN, 0);
	check("read", read(fds[0], buf, sizeof(buf)));
	poll_one("writer gone, empty", fds[0], POLLIN, 0);
	close(fds[0]);

	check("pipe", pipe(fds));
	close(fds[0]);
	poll_one("reader gone, write end", fds[1], POLLOUT, 0);
	close(fds[1]);

	poll_one("descriptor not open", 20, POLLIN, 0);
	poll_one("negative descriptor", -1, POLLIN, 0);
	FD_ZERO(&rd);
	FD_SET(20, &rd);
	tv = (struct timeval){0, 0};
	check("select on a descriptor not open", select(21, &rd, NULL, NULL, &tv));
	check("poll of a bad address", poll((struct pollfd *)8, 1, 0));
	check("poll of nothing", poll(NULL, 0, 0));

	(void)argc;
	int file = open(argv[0], O_RDONLY);
	check_yes("open the program's file", file >= 0);
	poll_one("archive file", file, POLLIN | POLLOUT, 0);
	close(file);
	poll_one("stdout", 1, POLLOUT, 0);

	struct pollfd two[2];
	check("pipe", pipe(fds));
	two[0] = (struct pollfd){.fd = fds[0], .events = POLLIN};
	two[1] = (struct pollfd){.fd = fds[1], .events = POLLOUT};
	check("ppoll of both ends", ppoll(two, 2, &ts, NULL));
	printf("revents: 0x%x 0x%x\n", (unsigned)two[0].revents, (unsigned)two[1].revents);
	close(fds[0]);
	close(fds[1]);

	/* The parent polls first with no timeout; the child writes after some
	 * yields, so the parent is usually waiting by then, and sees the data
	 * either way. The child keeps its write end open until the parent
	 * closes the second pipe, so no POLLHUP comes with the data. */
	int ack[2];
	check("pipe", pipe(fds));
	check("pipe", pipe(ack));
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(ack[1]);
		for (int i = 0; i < 1000; i++)
			sched_yield();
		long n = write(fds[1], "late", 4);
		read(ack[0], buf, 1); /* until the parent has polled */
		_exit(n == 4 ? 0 : 1);
	}
	close(fds[1]);
	close(ack[0]);
	poll_one("parent waits for the child", fds[0], POLLIN, -1);
	check("read", read(fds[0], buf, sizeof(buf)));
	close(ack[1]);
	int status;
	waitpid(pid, &status, 0);
	printf("child status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	poll_one("the child has exited", fds[0], POLLIN, -1);
	close(fds[0]);

	/* select with no timeout wakes for a child's write too. */
	check("pipe", pipe(fds));
	check("pipe", pipe(ack));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(ack[1]);
		for (int i = 0; i < 1000; i++)
			sched_yield();
		long n = write(fds[1], "z", 1);
		read(ack[0], buf, 1);
		_exit(n == 1 ? 0 : 1);
	}
	close(fds[1]);
	close(ack[0]);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	check("select waits for the child", select(fds[0] + 1, &rd, NULL, NULL, NULL));
	check_yes("read end in readfds", FD_ISSET(fds[0], &rd));
	close(ack[1]);
	waitpid(pid, &status, 0);
	printf("child status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	close(fds[0]);
	test_end();
	return 0;
}
