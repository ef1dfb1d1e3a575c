/* pipe and pipe2: bytes written come out in order, reading after every
 * write end is closed is the end of the file, writing with no reader is
 * EPIPE, O_NONBLOCK makes an empty read EAGAIN, and pipe ends are shared
 * with a forked child (the parent sees the end only when the child's copy
 * of the write end closes too), also across dup2 and execve. The parent
 * prints only what it read or waited for, so the lines come in one order. */
#include "linux_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG (100 * 1024)

/* Read from fd until the end of the file into buf (size bytes): the count. */
static long read_all(int fd, char *buf, long size)
{
	long done = 0, n;
	while (done < size && (n = read(fd, buf + done, (size_t)(size - done))) > 0)
		done += n;
	return done;
}

static int wait_status(pid_t pid)
{
	int status;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
		printf("line from the exec'd child\n");
		return 0;
	}
	signal(SIGPIPE, SIG_IGN); /* Atoll delivers no signals: EPIPE either way */
	test_begin("pipe");

	int fds[2];
	char buf[256];
	check("pipe", pipe(fds));
	check("write", write(fds[1], "hello", 5));
	int avail = -1;
	check("ioctl FIONREAD", ioctl(fds[0], FIONREAD, &avail));
	printf("bytes waiting: %d\n", avail);
	long n = read(fds[0], buf, sizeof(buf));
	printf("read: %ld '%.*s'\n", n, (int)(n > 0 ? n : 0), buf);
	struct stat st;
	check("fstat", fstat(fds[0], &st));
	check_yes("fstat says a FIFO", S_ISFIFO(st.st_mode));
	check("lseek", lseek(fds[0], 0, SEEK_SET));
	check("read on the write end", read(fds[1], buf, 1));
	check("write on the read end", write(fds[0], "x", 1));
	check("close the write end", close(fds[1]));
	check("read after the writers are gone", read(fds[0], buf, sizeof(buf)));
	close(fds[0]);

	check("pipe", pipe(fds));
	close(fds[0]);
	check("write with no reader", write(fds[1], "x", 1));
	close(fds[1]);

	check("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(fds, O_NONBLOCK | O_CLOEXEC));
	check("read of an empty O_NONBLOCK pipe", read(fds[0], buf, sizeof(buf)));
	check_yes("F_GETFL shows O_NONBLOCK", fcntl(fds[0], F_GETFL) & O_NONBLOCK);
	check_yes("F_GETFD shows FD_CLOEXEC", fcntl(fds[1], F_GETFD) & FD_CLOEXEC);
	close(fds[0]);
	close(fds[1]);

	/* A child writes three lines; the parent reads until the end, which
	 * comes only once its own write end is closed too. */
	pipe(fds);
	pid_t pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (int i = 1; i <= 3; i++) {
			char line[32];
			int len = snprintf(line, sizeof(line), "child line %d\n", i);
			write(fds[1], line, (size_t)len);
		}
		_exit(0);
	}
	close(fds[1]);
	n = read_all(fds[0], buf, sizeof(buf) - 1);
	buf[n] = 0;
	printf("from the child:\n%s", buf);
	close(fds[0]);
	printf("child status: %d\n", wait_status(pid));

	/* 100 KB, more than a pipe holds: the child waits for room, the
	 * parent for data. */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		static unsigned char data[BIG];
		for (int i = 0; i < BIG; i++)
			data[i] = (unsigned char)(i * 7);
		_exit(write(fds[1], data, BIG) == BIG ? 0 : 1);
	}
	close(fds[1]);
	static char big[BIG + 1];
	n = read_all(fds[0], big, sizeof(big));
	unsigned long sum = 0, want = 0;
	for (long i = 0; i < n; i++)
		sum += (unsigned char)big[i];
	for (int i = 0; i < BIG; i++)
		want += (unsigned char)(i * 7);
	printf("bytes through the pipe: %ld\n", n);
	check_yes("their sum is right", sum == want);
	close(fds[0]);
	printf("writer status: %d\n", wait_status(pid));

	/* The child's stdout is the pipe, across execve. */
	pipe(fds);
	pid = fork();
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		char *args[] = {argv[0], "exec-child", NULL};
		execv(argv[0], args);
		_exit(127);
	}
	close(fds[1]);
	n = read_all(fds[0], buf, sizeof(buf) - 1);
	buf[n] = 0;
	printf("from the exec'd child: %s", buf);
	close(fds[0]);
	printf("exec'd child status: %d\n", wait_status(pid));
	test_end();
	return 0;
}
