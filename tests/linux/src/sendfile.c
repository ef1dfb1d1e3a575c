/* sendfile and copy_file_range: a file to a file, a pipe, /dev/null and
 * standard output, with and without an offset pointer, past the end of
 * the file, into a full pipe (blocking while a child drains it,
 * O_NONBLOCK, a signal), a pipe with no reader, and the errors of each.
 * Pipes hold 64 KiB on Linux and 16 KiB on Atoll, so no line depends on
 * how much a pipe holds. Everything happens in a fresh directory under
 * /tmp, removed at the end. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG 100000 /* more than a pipe holds, on Linux as on Atoll */

static char top[64];
static int signals;

static void on_signal(int sig)
{
	(void)sig;
	signals++;
}

/* A file called name holding text, open for reading and writing. */
static int make_file(const char *name, const char *text)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0)
		write(fd, text, strlen(text));
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* "what: TEXT": the file's contents from its start. */
static void show_file(const char *what, int fd)
{
	char buf[64] = {0};
	pread(fd, buf, sizeof(buf) - 1, 0);
	printf("%s: [%s]\n", what, buf);
}

static void show_pipe(const char *what, int fd)
{
	char buf[64] = {0};
	read(fd, buf, sizeof(buf) - 1);
	printf("%s: [%s]\n", what, buf);
}

static long offset_of(int fd)
{
	return lseek(fd, 0, SEEK_CUR);
}

static void file_to_file(void)
{
	int in = make_file("in", "hello, sendfile world");
	int out = make_file("out", "");
	check("file to file", sendfile(out, in, NULL, 5));
	check("  in's offset moved", offset_of(in));
	check("  out's offset moved", offset_of(out));
	check("again", sendfile(out, in, NULL, 2));
	show_file("  out holds", out);
	off_t off = 7;
	check("with an offset pointer", sendfile(out, in, &off, 8));
	check("  the pointer moved", off);
	check("  in's offset stayed", offset_of(in));
	show_file("  out holds", out);
	off = 16;
	check("past the end", sendfile(out, in, &off, 100));
	check("  the pointer moved to the end", off);
	check("at the end", sendfile(out, in, &off, 100));
	check("count 0", sendfile(out, in, &off, 0));
	check("from beyond the end", sendfile(out, in, &(off_t){1000}, 10));
	off = 0;
	check("a file to itself", sendfile(in, in, &off, 5));
	check("  its offset moved", offset_of(in));
	show_file("  it holds", in);
	close(in);
	close(out);
}

static void file_to_others(void)
{
	int in = make_file("in", "to a pipe and elsewhere\n");
	int p[2];
	pipe(p);
	check("file to pipe", sendfile(p[1], in, NULL, 9));
	check("  in's offset moved", offset_of(in));
	show_pipe("  the pipe holds", p[0]);
	off_t off = 0;
	check("file to pipe at an offset", sendfile(p[1], in, &off, 4));
	show_pipe("  the pipe holds", p[0]);
	int null = open("/dev/null", O_WRONLY);
	check("file to /dev/null", sendfile(null, in, &(off_t){0}, 100));
	int zero = open("/dev/zero", O_RDONLY);
	check("/dev/zero to a pipe", sendfile(p[1], zero, NULL, 5));
	char z[8] = {1};
	check("  reads back", read(p[0], z, sizeof(z)));
	check_yes("  zeros", !z[0] && !z[4]);
	int devnull = open("/dev/null", O_RDONLY);
	check("/dev/null to a pipe", sendfile(p[1], devnull, NULL, 5));
	int stdout_in = make_file("so", "sendfile to standard output\n");
	fflush(stdout);
	check("  (the line above came by sendfile)", sendfile(1, stdout_in, NULL, 100));
	close(stdout_in);
	close(devnull);
	close(zero);
	close(null);
	close(p[0]);
	close(p[1]);
	close(in);
}

static void errors(void)
{
	int in = make_file("in", "errors");
	int out = make_file("out", "");
	int p[2];
	pipe(p);
	check("in_fd not open", sendfile(out, 99, NULL, 1));
	check("out_fd not open", sendfile(99, in, NULL, 1));
	check("out_fd not open, count 0", sendfile(99, in, NULL, 0));
	check("a bad offset pointer", sendfile(out, in, (off_t *)8, 1));
	check("a bad offset pointer and bad fds", sendfile(99, 98, (off_t *)8, 1));
	int wronly = open("in", O_WRONLY);
	check("in_fd write-only", sendfile(out, wronly, NULL, 1));
	int rdonly = open("out", O_RDONLY);
	check("out_fd read-only", sendfile(rdonly, in, NULL, 1));
	int path = open("in", O_PATH);
	check("in_fd O_PATH", sendfile(out, path, NULL, 1));
	int append = open("out", O_WRONLY | O_APPEND);
	check("out_fd O_APPEND", sendfile(append, in, NULL, 1));
	check("a pipe's write end to read", sendfile(out, p[1], NULL, 1));
	check("a pipe's read end to write", sendfile(p[0], in, NULL, 1));
	write(p[1], "x", 1);
	check("a pipe to a file", sendfile(out, p[0], NULL, 1));
	check("a pipe to a pipe", sendfile(p[1], p[0], NULL, 1));
	check("a pipe with an offset pointer", sendfile(out, p[0], &(off_t){0}, 1));
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	check("a directory to a file", sendfile(out, dir, NULL, 1));
	check("a directory to a pipe", sendfile(p[1], dir, NULL, 1));
	check("a negative offset", sendfile(out, in, &(off_t){-1}, 1));
	check("a negative count", sendfile(out, in, &(off_t){0}, (size_t)-1));
	check("offset + count past the largest",
	      sendfile(out, in, &(off_t){1}, 0x7fffffffffffffffULL));
	check("out's offset untouched by the errors", offset_of(out));
	close(dir);
	close(append);
	close(path);
	close(rdonly);
	close(wronly);
	close(p[0]);
	close(p[1]);
	close(out);
	close(in);
}

/* A file of BIG bytes, i * 7 % 251 at i. */
static int make_big(void)
{
	static char buf[BIG];
	for (int i = 0; i < BIG; i++)
		buf[i] = (char)(i * 7 % 251);
	int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, buf, BIG);
	lseek(fd, 0, SEEK_SET);
	return fd;
}

/* A child reads fd to its end and exits with 0 when the bytes are those
 * of make_big, all of them. */
static pid_t drain_child(int fd, int other)
{
	pid_t pid = fork();
	if (pid)
		return pid;
	close(other);
	static char buf[BIG + 1];
	long got = 0, n;
	while ((n = read(fd, buf + got, sizeof(buf) - (size_t)got)) > 0)
		got += n;
	int ok = got == BIG;
	for (int i = 0; ok && i < BIG; i++)
		ok = buf[i] == (char)(i * 7 % 251);
	_exit(ok ? 0 : 1);
}

static void full_pipes(void)
{
	int big = make_big();
	int p[2];
	pipe(p);
	long n = sendfile(p[1], big, NULL, BIG);
	check_yes("into an empty pipe: some, no more than it holds", n > 0 && n < BIG);
	check_yes("  in's offset moved as much", offset_of(big) == n);
	close(p[0]);
	close(p[1]);

	/* Blocking: the pipe fills, the child drains it, sendfile goes on. */
	lseek(big, 0, SEEK_SET);
	pipe(p);
	pid_t child = drain_child(p[0], p[1]);
	close(p[0]);
	long total = 0, calls = 0;
	while ((n = sendfile(p[1], big, NULL, BIG)) > 0) {
		total += n;
		calls++;
	}
	check("a big file through a pipe, the last call", n);
	check("  bytes in all", total);
	check_yes("  in several calls", calls > 1);
	close(p[1]);
	int st;
	waitpid(child, &st, 0);
	check_yes("  the reader got every byte right", WIFEXITED(st) && WEXITSTATUS(st) == 0);

	/* A full pipe with O_NONBLOCK, then without: a signal interrupts. */
	pipe(p);
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	while (sendfile(p[1], big, &(off_t){0}, BIG) > 0)
		;
	check("into a full O_NONBLOCK pipe", sendfile(p[1], big, &(off_t){0}, 10));
	fcntl(p[1], F_SETFL, 0);
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGALRM, &sa, NULL);
	signals = 0;
	alarm(1);
	check("into a full pipe until a signal", sendfile(p[1], big, &(off_t){0}, 10));
	check("  the handler ran", signals);
	close(p[0]);
	signals = 0;
	sigaction(SIGPIPE, &sa, NULL);
	check("into a pipe without a reader", sendfile(p[1], big, &(off_t){0}, 10));
	check("  SIGPIPE", signals);
	close(p[1]);
	close(big);
}

static long cfr(int in, off_t *off_in, int out, off_t *off_out, size_t len, unsigned flags)
{
	return syscall(SYS_copy_file_range, in, off_in, out, off_out, len, flags);
}

static void copy_file_range_calls(void)
{
	int in = make_file("in", "copy_file_range text");
	int out = make_file("out", "");
	check("copy_file_range", cfr(in, NULL, out, NULL, 5, 0));
	check("  in's offset", offset_of(in));
	check("  out's offset", offset_of(out));
	off_t oi = 10, oo = 2;
	check("with offset pointers", cfr(in, &oi, out, &oo, 5, 0));
	printf("  the pointers: %ld %ld\n", (long)oi, (long)oo);
	check("  in's offset stayed", offset_of(in));
	show_file("  out holds", out);
	check("past the end", cfr(in, &(off_t){15}, out, NULL, 100, 0));
	check("at the end", cfr(in, &(off_t){20}, out, NULL, 100, 0));
	check("beyond the end", cfr(in, &(off_t){99}, out, NULL, 100, 0));
	check("within one file, apart", cfr(in, &(off_t){0}, in, &(off_t){30}, 4, 0));
	show_file("  it holds", in);
	check("within one file, overlapping", cfr(in, &(off_t){0}, in, &(off_t){2}, 4, 0));
	check("flags", cfr(in, NULL, out, NULL, 1, 1));
	check("a bad fd", cfr(99, NULL, out, NULL, 1, 0));
	check("a bad offset pointer", cfr(in, (off_t *)8, out, NULL, 1, 0));
	int wronly = open("in", O_WRONLY);
	check("from a write-only fd", cfr(wronly, NULL, out, NULL, 1, 0));
	int append = open("out", O_WRONLY | O_APPEND);
	check("to an O_APPEND fd", cfr(in, NULL, append, NULL, 1, 0));
	int p[2];
	pipe(p);
	check("to a pipe", cfr(in, NULL, p[1], NULL, 1, 0));
	int dir = open(".", O_RDONLY | O_DIRECTORY);
	check("from a directory", cfr(dir, NULL, out, NULL, 1, 0));
	int proc = open("/proc/self/status", O_RDONLY);
	check("from /proc", cfr(proc, NULL, out, NULL, 1, 0));
	check("a negative offset", cfr(in, &(off_t){-5}, out, NULL, 1, 0));
	close(proc);
	close(dir);
	close(p[0]);
	close(p[1]);
	close(append);
	close(wronly);
	close(out);
	close(in);
}

static void cleanup(void)
{
	const char *names[] = {"in", "out", "so", "big"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	chdir("/");
	check("cleaned up", rmdir(top));
}

int main(void)
{
	test_begin("sendfile");
	snprintf(top, sizeof(top), "/tmp/sendfile.XXXXXX");
	if (!mkdtemp(top) || chdir(top) < 0) {
		check("mkdtemp", -1);
		return 1;
	}
	file_to_file();
	file_to_others();
	errors();
	full_pipes();
	copy_file_range_calls();
	cleanup();
	test_end();
	return 0;
}
