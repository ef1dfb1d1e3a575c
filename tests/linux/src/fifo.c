/* Named pipes: mknod and mkfifo make a FIFO (mode less the umask, EEXIST,
 * ENOENT, ENOTDIR, the types mknod takes); opening one gives a pipe end
 * whose other side is whoever opens it the other way: O_RDONLY and
 * O_WRONLY wait for each other (either one first), O_NONBLOCK makes a
 * reader's open succeed and a writer's ENXIO with no reader, O_RDWR never
 * waits. Then the pipe's rules: the end of the file, EPIPE and SIGPIPE,
 * poll, ESPIPE; each open has its own flags, the data goes with the last
 * close, an unlinked FIFO keeps working, and a signal interrupts a waiting
 * open (EINTR, or the open made again with SA_RESTART). */
#include "linux_test.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define FIFO "/tmp/linux_test_fifo"
#define FIFO2 "/tmp/linux_test_fifo2"
#define REG "/tmp/linux_test_fifo_reg"
#define REG0 "/tmp/linux_test_fifo_reg0"

static volatile int signals;

static void on_signal(int sig)
{
	(void)sig;
	signals++;
}

static int wait_status(pid_t pid)
{
	int status;
	return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void print_mode(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		printf("stat %s: %s\n", path, errno_name(errno));
		return;
	}
	printf("%s: fifo %s, reg %s, mode %04o, size %ld\n", path,
	       S_ISFIFO(st.st_mode) ? "yes" : "no", S_ISREG(st.st_mode) ? "yes" : "no",
	       (unsigned)(st.st_mode & 07777), (long)st.st_size);
}

/* A child that opens FIFO with flags after delay_us, writes text (when it
 * opened for writing) or reads and compares it, and exits 0 on success. */
static pid_t partner(int flags, const char *text, unsigned delay_us)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	usleep(delay_us);
	int fd = open(FIFO, flags);
	if (fd < 0)
		_exit(1);
	size_t len = strlen(text);
	if ((flags & O_ACCMODE) == O_WRONLY)
		_exit(write(fd, text, len) == (ssize_t)len ? 0 : 2);
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf));
	_exit(n == (ssize_t)len && memcmp(buf, text, len) == 0 ? 0 : 3);
}

/* Read fd to the end of the file and print it. */
static void read_to_end(const char *what, int fd)
{
	char buf[128];
	size_t done = 0;
	ssize_t n;
	while (done < sizeof(buf) && (n = read(fd, buf + done, sizeof(buf) - done)) > 0)
		done += (size_t)n;
	printf("%s: '%.*s'\n", what, (int)done, buf);
}

static void make_nodes(void)
{
	check("mknod S_IFIFO", mknod(FIFO, S_IFIFO | 0666, 0));
	print_mode(FIFO);
	check("mkfifo", mkfifo(FIFO2, 0600));
	print_mode(FIFO2);
	check("mknod over a name", mknod(FIFO, S_IFIFO | 0666, 0));
	check("mkfifo over a name", mkfifo(FIFO2, 0600));
	check("mknod in a missing directory",
	      mknod("/tmp/linux_test_fifo_none/f", S_IFIFO | 0600, 0));
	check("mknod S_IFREG", mknod(REG, S_IFREG | 0640, 0));
	print_mode(REG);
	check("mknod type 0", mknod(REG0, 0644, 0));
	print_mode(REG0);
	check("mknod under a file", mknod(REG "/f", S_IFIFO | 0600, 0));
	check("mknod S_IFDIR", mknod("/tmp/linux_test_fifo_dir", S_IFDIR | 0700, 0));
	check("mknod bad type", mknod("/tmp/linux_test_fifo_bad", 0170000 | 0600, 0));
	check("mknod with a trailing slash",
	      mknod("/tmp/linux_test_fifo_slash/", S_IFIFO | 0600, 0));
}

static void nonblocking_opens(void)
{
	char buf[16];
	check("open O_WRONLY|O_NONBLOCK, no reader", open(FIFO, O_WRONLY | O_NONBLOCK));
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	check_yes("open O_RDONLY|O_NONBLOCK, no writer", r >= 0);
	check("read with no writer", read(r, buf, sizeof(buf)));
	int w = open(FIFO, O_WRONLY | O_NONBLOCK);
	check_yes("open O_WRONLY|O_NONBLOCK, a reader", w >= 0);
	check("F_GETFL of the reader", fcntl(r, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	check("write", write(w, "abc", 3));
	check("read what was written", read(r, buf, sizeof(buf)));
	check("read, empty with a writer", read(r, buf, sizeof(buf)));
	close(w);
	close(r);
}

static void blocking_opens(void)
{
	/* The reader waits for the writer ... */
	pid_t pid = partner(O_WRONLY, "hello from the child", 100000);
	int r = open(FIFO, O_RDONLY);
	check_yes("open O_RDONLY met a writer", r >= 0);
	read_to_end("read to the end", r);
	printf("child: %d\n", wait_status(pid));
	struct stat st, fst;
	stat(FIFO, &st);
	check("fstat", fstat(r, &fst));
	check_yes("fstat: the FIFO's inode", S_ISFIFO(fst.st_mode) && fst.st_ino == st.st_ino);
	check("lseek", lseek(r, 0, SEEK_SET));
	close(r);

	/* ... and the writer for the reader. */
	pid = partner(O_RDONLY, "to the child", 100000);
	int w = open(FIFO, O_WRONLY);
	check_yes("open O_WRONLY met a reader", w >= 0);
	check("write", write(w, "to the child", 12));
	printf("child: %d\n", wait_status(pid));
	close(w);
}

static void epipe(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigaction(SIGPIPE, &sa, NULL);
	int rw = open(FIFO, O_RDWR);
	int w = open(FIFO, O_WRONLY);
	check_yes("open O_WRONLY beside O_RDWR", w >= 0);
	close(rw);
	signals = 0;
	check("write with no reader", write(w, "x", 1));
	printf("SIGPIPE: %d\n", signals);
	close(w);
}

static void rdwr(void)
{
	char buf[16];
	int a = open(FIFO, O_RDWR);
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	check("F_GETFL O_RDWR", fcntl(a, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	check("F_GETFL O_RDONLY|O_NONBLOCK", fcntl(r, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	check("write O_RDWR", write(a, "xy", 2));
	ssize_t n = read(a, buf, sizeof(buf));
	printf("read O_RDWR: %ld '%.*s'\n", (long)n, (int)(n > 0 ? n : 0), buf);
	check("write again", write(a, "zz", 2));
	int avail = -1;
	ioctl(r, FIONREAD, &avail);
	printf("bytes waiting, seen by another open: %d\n", avail);
	close(r);
	close(a);
	a = open(FIFO, O_RDWR);
	avail = -1;
	ioctl(a, FIONREAD, &avail);
	printf("bytes waiting after every end closed: %d\n", avail);
	close(a);
}

static void polls(void)
{
	int r = open(FIFO, O_RDONLY | O_NONBLOCK);
	int w = open(FIFO, O_WRONLY);
	struct pollfd p[2] = {{.fd = r, .events = POLLIN}, {.fd = w, .events = POLLOUT}};
	check("poll, empty", poll(p, 2, 0));
	printf("revents: %#x %#x\n", p[0].revents, p[1].revents);
	write(w, "p", 1);
	check("poll, a byte", poll(p, 1, 0));
	printf("revents: %#x\n", p[0].revents);
	close(w);
	check("poll, the writer gone", poll(p, 1, 0));
	printf("revents: %#x\n", p[0].revents);
	close(r);
}

/* An open waiting for its partner, interrupted by SIGALRM after 100 ms. */
static void interrupted(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	struct itimerval it = {.it_value = {.tv_usec = 100000}};
	sigaction(SIGALRM, &sa, NULL);
	signals = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	check("open O_RDONLY interrupted", open(FIFO, O_RDONLY));
	printf("SIGALRM: %d\n", signals);
	check("open O_RDWR after", close(open(FIFO, O_RDWR)));

	/* With SA_RESTART the open is made again and meets the writer. */
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	signals = 0;
	pid_t pid = partner(O_WRONLY, "restarted", 300000);
	setitimer(ITIMER_REAL, &it, NULL);
	int r = open(FIFO, O_RDONLY);
	check_yes("open O_RDONLY restarted", r >= 0);
	printf("SIGALRM: %d\n", signals);
	read_to_end("read", r);
	printf("child: %d\n", wait_status(pid));
	close(r);
}

static void unlinked(void)
{
	char buf[16];
	int a = open(FIFO2, O_RDWR);
	check("unlink an open FIFO", unlink(FIFO2));
	check("write", write(a, "still", 5));
	ssize_t n = read(a, buf, sizeof(buf));
	printf("read: %ld '%.*s'\n", (long)n, (int)(n > 0 ? n : 0), buf);
	struct stat st;
	fstat(a, &st);
	printf("fstat: fifo %s, nlink %ld\n", S_ISFIFO(st.st_mode) ? "yes" : "no",
	       (long)st.st_nlink);
	close(a);
}

int main(void)
{
	test_begin("fifo");
	umask(022);
	unlink(FIFO);
	unlink(FIFO2);
	unlink(REG);
	unlink(REG0);
	make_nodes();
	nonblocking_opens();
	blocking_opens();
	epipe();
	rdwr();
	polls();
	interrupted();
	unlinked();
	check("unlink", unlink(FIFO));
	unlink(REG);
	unlink(REG0);
	test_end();
	return 0;
}
