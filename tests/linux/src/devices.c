/* /dev and /proc: null, zero, full, random and urandom read and written;
 * the device numbers of those and of console and tty; /proc/self,
 * /proc/self/{exe,cmdline,stat,status}, /proc/meminfo, cpuinfo, uptime,
 * version and mounts, checked for what they say about this process and
 * system rather than for values that differ between machines. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static char text[8192];

/* The whole of a /proc file into text: its length, or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	long total = 0, n;
	/* Small reads, so the offset logic is exercised. */
	while (total < (long)sizeof(text) - 1 && (n = read(fd, text + total, 7)) > 0)
		total += n;
	close(fd);
	text[total] = 0;
	return total;
}

static int gate[2];

static void *waiter(void *arg)
{
	char c;
	(void)arg;
	read(gate[0], &c, 1);
	return NULL;
}

/* Threads: status counts them, and /proc/TID leads to the process. */
static void threads(void)
{
	pthread_t t;
	pipe(gate);
	pthread_create(&t, NULL, waiter, NULL);
	slurp("/proc/self/status");
	check_yes("status counts two threads", strstr(text, "\nThreads:\t2\n") != NULL);
	write(gate[1], "x", 1);
	pthread_join(t, NULL);
	/* Linux wakes the joiner as the thread exits, a moment before it
	 * leaves the group: give it that moment. */
	for (int tries = 0; tries < 1000; tries++) {
		slurp("/proc/self/status");
		if (strstr(text, "\nThreads:\t1\n"))
			break;
		usleep(1000);
	}
	check_yes("and one after the join", strstr(text, "\nThreads:\t1\n") != NULL);
	close(gate[0]);
	close(gate[1]);
}

static void device(const char *path, unsigned major_n, unsigned minor_n)
{
	struct stat st;
	char what[64];
	snprintf(what, sizeof(what), "%s is the character device %u,%u", path, major_n, minor_n);
	check_yes(what, stat(path, &st) == 0 && S_ISCHR(st.st_mode) &&
	                        major(st.st_rdev) == major_n && minor(st.st_rdev) == minor_n);
}

static void devices(void)
{
	char buf[64];
	device("/dev/null", 1, 3);
	device("/dev/zero", 1, 5);
	device("/dev/full", 1, 7);
	device("/dev/random", 1, 8);
	device("/dev/urandom", 1, 9);
	device("/dev/tty", 5, 0);
	device("/dev/console", 5, 1);

	int fd = open("/dev/null", O_RDWR);
	check("read /dev/null", read(fd, buf, sizeof(buf)));
	check("write /dev/null", write(fd, "abc", 3));
	/* Linux never reads what goes to /dev/null: no EFAULT. */
	check("write /dev/null from a bad address", write(fd, (void *)8, 4096));
	check("lseek /dev/null", lseek(fd, 100, SEEK_SET));
	struct stat st;
	fstat(fd, &st);
	check_yes("fstat says a character device", S_ISCHR(st.st_mode));
	close(fd);

	fd = open("/dev/zero", O_RDONLY);
	memset(buf, 'x', sizeof(buf));
	check("read /dev/zero", read(fd, buf, sizeof(buf)));
	int zeros = 1;
	for (size_t i = 0; i < sizeof(buf); i++)
		zeros &= buf[i] == 0;
	check_yes("all zeros", zeros);
	close(fd);
	fd = open("/dev/zero", O_WRONLY);
	check("write /dev/zero from a bad address", write(fd, (void *)8, 100));
	close(fd);
	/* urandom does read what is written (Linux mixes it in). */
	fd = open("/dev/urandom", O_WRONLY);
	check("write /dev/urandom from a bad address", write(fd, (void *)8, 16));
	close(fd);

	fd = open("/dev/full", O_RDWR);
	check("write /dev/full", write(fd, "abc", 3));
	check("write /dev/full from a bad address", write(fd, (void *)8, 16));
	check("read /dev/full", read(fd, buf, 8));
	close(fd);

	fd = open("/dev/urandom", O_RDONLY);
	memset(buf, 0, sizeof(buf));
	check("read /dev/urandom", read(fd, buf, 32));
	int nonzero = 0;
	for (int i = 0; i < 32; i++)
		nonzero += buf[i] != 0;
	check_yes("mostly not zeros", nonzero > 16);
	check("read /dev/urandom into a bad pointer", read(fd, (char *)8, 4));
	close(fd);
	fd = open("/dev/random", O_RDONLY);
	check("read /dev/random", read(fd, buf, 16));
	close(fd);
	check("open a missing device", open("/dev/no-such-device", O_RDONLY));
}

static void proc(char **argv)
{
	char buf[256] = {0}, pid[32];
	snprintf(pid, sizeof(pid), "%d", getpid());
	long n = readlink("/proc/self", buf, sizeof(buf) - 1);
	check_yes("/proc/self is the pid", n > 0 && strcmp(buf, pid) == 0);
	memset(buf, 0, sizeof(buf));
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	const char *base = strrchr(buf, '/');
	check_yes("/proc/self/exe names this program",
	          n > 0 && base && strcmp(base, "/devices") == 0);
	struct stat st;
	check_yes("/proc/self/exe leads to it",
	          stat("/proc/self/exe", &st) == 0 && S_ISREG(st.st_mode));
	check_yes("/proc/self is a directory", stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode));

	n = slurp("/proc/self/cmdline");
	check_yes("cmdline is argv", n == (long)strlen(argv[0]) + 1 + 4 &&
	                                     strcmp(text, argv[0]) == 0 &&
	                                     strcmp(text + strlen(argv[0]) + 1, "arg") == 0);

	slurp("/proc/self/stat");
	char comm[64] = {0}, state = 0;
	int spid = 0, sppid = 0;
	check("fields of stat", sscanf(text, "%d %63s %c %d", &spid, comm, &state, &sppid));
	check_yes("its pid", spid == getpid());
	printf("its name: %s\n", comm);
	printf("its state: %c\n", state);
	check_yes("its parent", sppid == getppid());

	slurp("/proc/self/status");
	char line[64];
	snprintf(line, sizeof(line), "\nPid:\t%s\n", pid);
	check_yes("status has Pid", strstr(text, line) != NULL);
	check_yes("status has Name", strncmp(text, "Name:\tdevices\n", 14) == 0);
	snprintf(buf, sizeof(buf), "/proc/%s/status", pid);
	check_yes("/proc/PID/status is the same", slurp(buf) > 0 && strstr(text, line) != NULL);
	check("a missing /proc entry", open("/proc/self/no-such-file", O_RDONLY));
	check("/proc of no process", open("/proc/999999/status", O_RDONLY));
	int fd = open("/proc/meminfo", O_WRONLY);
	check_yes("opening /proc/meminfo for writing", fd >= 0);
	check("writing it", write(fd, "x", 1));
	close(fd);
	check("creating in /proc", open("/proc/new", O_CREAT | O_RDWR, 0644));
	check("mkdir in /proc", mkdir("/proc/new", 0755));
	check("symlink in /proc", symlink("x", "/proc/new"));
	check("unlink in /proc", unlink("/proc/meminfo"));
	check("rmdir a symlink with a trailing slash", rmdir("/proc/self/"));
	check("rmdir /proc", rmdir("/proc"));
	check("rename /proc", rename("/proc", "/proc-moved"));
	check("chmod in /proc", chmod("/proc/self/status", 0600));

	slurp("/proc/meminfo");
	unsigned long total = 0, free_kb = 0;
	check_yes("meminfo starts with MemTotal", sscanf(text, "MemTotal: %lu kB", &total) == 1);
	char *f = strstr(text, "\nMemFree:");
	check_yes("MemFree below MemTotal", f && sscanf(f, "\nMemFree: %lu", &free_kb) == 1 &&
	                                            free_kb > 0 && free_kb < total);
	slurp("/proc/cpuinfo");
	check_yes("cpuinfo starts with processor 0", strncmp(text, "processor\t: 0\n", 14) == 0);
	check_yes("cpuinfo has vendor_id and flags",
	          strstr(text, "\nvendor_id\t: ") && strstr(text, "\nflags\t\t: "));
	check_yes("the flags have fpu", strstr(text, " fpu ") != NULL);
	slurp("/proc/uptime");
	double up = 0, idle = -1;
	check_yes("uptime has two numbers", sscanf(text, "%lf %lf", &up, &idle) == 2 && up > 0);
	slurp("/proc/version");
	check_yes("version", strncmp(text, "Linux version ", 14) == 0);
	slurp("/proc/mounts");
	check_yes("mounts has /proc", strstr(text, " /proc proc ") != NULL);
	check_yes("mounts has /", strstr(text, " / ") != NULL);
}

int main(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "arg") != 0) {
		char *args[] = {argv[0], "arg", NULL};
		execv(argv[0], args);
		return 1;
	}
	test_begin("devices");
	devices();
	proc(argv);
	threads();
	test_end();
	return 0;
}
