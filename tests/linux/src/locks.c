/* File locks: record locks (F_GETLK, F_SETLK, F_SETLKW), OFD locks and
 * flock(2). A parent and forked children take turns through two pipes, so
 * each line is printed by one process while the others wait: conflicts,
 * F_GETLK naming the holder, splitting and merging, waits that end when
 * the holder unlocks or ends, EINTR and SA_RESTART, EDEADLK, the POSIX
 * rule that any close drops a process's locks, fork and execve, OFD
 * owners, flock's sharing and conversion, and the errors. Works in a
 * fresh directory under /tmp. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

static char top[64];
static int tell[2]; /* parent to child */
static int hear[2]; /* child to parent */
static pid_t child_pid;
static char **exec_argv; /* this program's, to run it again */

static void put(int fd, char c)
{
	write(fd, &c, 1);
}

static char get(int fd)
{
	char c = 0;
	return read(fd, &c, 1) == 1 ? c : 0;
}

/* The parent waits for the child's byte; the child for the parent's. */
static char child_ready(void)
{
	return get(hear[0]);
}

static void parent_go(void)
{
	put(tell[1], 'g');
}

static void child_wait_go(void)
{
	get(tell[0]);
}

static pid_t spawn(void (*f)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		f();
		fflush(stdout);
		_exit(0);
	}
	child_pid = pid;
	return pid;
}

static void reap(const char *what, pid_t pid)
{
	int st = 0;
	if (waitpid(pid, &st, 0) != pid)
		printf("%s: waitpid %s\n", what, errno_name(errno));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d\n", what, WTERMSIG(st));
	else
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
}

/* Run f in a child and wait for it: it prints while the parent waits. */
static void in_child(void (*f)(void))
{
	reap("child", spawn(f));
}

/* Who l_pid names, from where this process stands. */
static const char *who(pid_t pid)
{
	if (pid == -1)
		return "-1 (OFD)";
	if (pid == 0)
		return "0";
	if (pid == getpid())
		return "self";
	if (pid == getppid())
		return "parent";
	if (pid == child_pid)
		return "child";
	return "someone else";
}

static const char *type_name(int type)
{
	switch (type) {
	case F_RDLCK:
		return "read";
	case F_WRLCK:
		return "write";
	case F_UNLCK:
		return "unlocked";
	}
	return "?";
}

static long lock(int fd, int cmd, int type, long start, long len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	return fcntl(fd, cmd, &fl);
}

static void check_lock(const char *what, int fd, int cmd, int type, long start, long len)
{
	check(what, lock(fd, cmd, type, start, len));
}

/* What F_GETLK (or cmd) says about type on start, len. */
static void show_cmd(const char *what, int fd, int cmd, int type, long start, long len)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
	if (fcntl(fd, cmd, &fl) < 0) {
		check(what, -1);
		return;
	}
	if (fl.l_type == F_UNLCK) {
		printf("%s: free\n", what);
		return;
	}
	printf("%s: %s at %ld len %ld whence %d pid %s\n", what, type_name(fl.l_type),
	       (long)fl.l_start, (long)fl.l_len, fl.l_whence, who(fl.l_pid));
}

static void show(const char *what, int fd, long start, long len)
{
	show_cmd(what, fd, F_GETLK, F_WRLCK, start, len);
}

/* F_OFD_GETLK through a description of its own sees every lock, this
 * process's record locks too. */
static int probe;

static void seen(const char *what, long start, long len)
{
	show_cmd(what, probe, F_OFD_GETLK, F_WRLCK, start, len);
}

static int open_file(const char *name, int flags)
{
	int fd = open(name, flags | O_CREAT, 0644);
	if (fd < 0)
		check(name, -1);
	return fd;
}

/* The section's file, opened read-write, and the probe on it. */
static int fresh(const char *name)
{
	int fd = open_file(name, O_RDWR | O_TRUNC);
	if (probe > 0)
		close(probe);
	probe = open_file(name, O_RDWR);
	return fd;
}

static int fd_main; /* the file a section works on, as the children see it */

static void errors(void)
{
	int fd = fresh("errors");
	struct flock fl = {.l_type = F_WRLCK};
	check("F_GETLK on a bad descriptor", fcntl(-1, F_GETLK, &fl));
	check("F_SETLK on a closed descriptor", fcntl(99, F_SETLK, &fl));
	check_lock("l_type 7", fd, F_SETLK, 7, 0, 0);
	check_lock("F_GETLK of F_UNLCK", fd, F_GETLK, F_UNLCK, 0, 0);
	check_lock("F_GETLK of l_type 7", fd, F_GETLK, 7, 0, 0);
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = 9};
	check("l_whence 9", fcntl(fd, F_SETLK, &fl));
	check_lock("a start before 0", fd, F_SETLK, F_WRLCK, -1, 0);
	check_lock("an unlock starting before 0", fd, F_SETLK, F_UNLCK, -1, 10);
	check_lock("a negative length past 0", fd, F_SETLK, F_WRLCK, 5, -6);
	check_lock("a negative length to 0", fd, F_SETLK, F_WRLCK, 5, -5);
	seen("locked by it", 0, 0);
	check_lock("unlocked", fd, F_SETLK, F_UNLCK, 0, 5);
	check_lock("a range past the largest offset", fd, F_SETLK, F_WRLCK, INT64_MAX, 2);
	check_lock("the largest offset alone", fd, F_SETLK, F_WRLCK, INT64_MAX, 1);
	seen("it", INT64_MAX, 0);
	check_lock("unlocked", fd, F_SETLK, F_UNLCK, 0, 0);
	fl = (struct flock){.l_type = F_WRLCK, .l_whence = SEEK_END, .l_start = INT64_MAX};
	ftruncate(fd, 10);
	check("SEEK_END past the largest offset", fcntl(fd, F_SETLK, &fl));
	check("F_GETLK with a bad pointer", fcntl(fd, F_GETLK, (void *)8));
	check("F_SETLK with a bad pointer", fcntl(fd, F_SETLK, (void *)8));
	check("F_SETLKW with a bad pointer", fcntl(fd, F_SETLKW, (void *)8));

	int ro = open_file("errors", O_RDONLY), wo = open_file("errors", O_WRONLY);
	check_lock("write lock, read-only descriptor", ro, F_SETLK, F_WRLCK, 0, 0);
	check_lock("read lock, write-only descriptor", wo, F_SETLK, F_RDLCK, 0, 0);
	check_lock("unlock, read-only descriptor", ro, F_SETLK, F_UNLCK, 0, 0);
	check_lock("F_GETLK of a write lock, read-only descriptor", ro, F_GETLK, F_WRLCK, 0, 0);
	check_lock("read lock, read-only descriptor", ro, F_SETLK, F_RDLCK, 0, 0);
	check_lock("write lock, write-only descriptor", wo, F_SETLK, F_WRLCK, 0, 0);
	seen("read then write: the write", 0, 0);
	close(ro);
	close(wo);
	int path = open("errors", O_PATH);
	check_lock("F_GETLK on O_PATH", path, F_GETLK, F_WRLCK, 0, 0);
	check_lock("F_SETLK on O_PATH", path, F_SETLK, F_RDLCK, 0, 0);
	check("flock on O_PATH", flock(path, LOCK_SH));
	close(path);

	fl = (struct flock){.l_type = F_WRLCK, .l_pid = 3};
	check("F_OFD_SETLK with l_pid 3", fcntl(fd, F_OFD_SETLK, &fl));
	check("F_OFD_GETLK with l_pid 3", fcntl(fd, F_OFD_GETLK, &fl));
	fl = (struct flock){.l_type = F_WRLCK, .l_pid = 3};
	check("F_SETLK ignores l_pid", fcntl(fd, F_SETLK, &fl));
	check_lock("unlocked", fd, F_SETLK, F_UNLCK, 0, 0);

	check("flock LOCK_SH|LOCK_EX", flock(fd, LOCK_SH | LOCK_EX));
	check("flock LOCK_NB alone", flock(fd, LOCK_NB));
	check("flock 0", flock(fd, 0));
	check("flock on a closed descriptor", flock(99, LOCK_SH));
	check("flock -1 LOCK_UN", flock(-1, LOCK_UN));
	check("a bad operation on a closed descriptor", flock(99, 3));
	check("LOCK_MAND is ignored", flock(fd, 32 | LOCK_EX));

	/* Nothing in the way: only l_type changes. */
	fl = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_CUR, .l_start = 5, .l_len = 7};
	check("F_GETLK of a free range", fcntl(fd, F_GETLK, &fl));
	printf("it says: type %s whence %d start %ld len %ld\n", type_name(fl.l_type), fl.l_whence,
	       (long)fl.l_start, (long)fl.l_len);
	close(fd);
}

/* The child's view of the parent's locks on fd_main. */
static void child_sees_split(void)
{
	show("child: 0 on", fd_main, 0, 0);
	show("child: 40 on", fd_main, 40, 0);
	show("child: 40 to 59", fd_main, 40, 20);
	show("child: read lock on 0", fd_main, 0, 1);
	check_lock("child: read lock on 50", fd_main, F_SETLK, F_RDLCK, 50, 1);
	check_lock("child: write lock on 0", fd_main, F_SETLK, F_WRLCK, 0, 1);
	check_lock("child: write lock on 40 to 59", fd_main, F_SETLK, F_WRLCK, 40, 20);
	show("child: its own lock is no conflict", fd_main, 40, 20);
	/* Closing its copy drops its locks, not the parent's. */
	close(fd_main);
}

static void child_reads(void)
{
	check_lock("child: read lock on 250 to 349", fd_main, F_SETLK, F_RDLCK, 250, 100);
	check_lock("child: write lock on 200", fd_main, F_SETLK, F_WRLCK, 200, 1);
	check_lock("child: write lock on 300", fd_main, F_SETLK, F_WRLCK, 300, 1);
	show("child: read on 200", fd_main, 200, 0);
}

static void records(void)
{
	int fd = fd_main = fresh("records");
	check_lock("write lock 0 to 99", fd, F_SETLK, F_WRLCK, 0, 100);
	check_lock("unlock 40 to 59", fd, F_SETLK, F_UNLCK, 40, 20);
	seen("0 on", 0, 0);
	seen("40 on", 40, 0);
	seen("40 to 59", 40, 20);
	in_child(child_sees_split);
	seen("after the child closed", 0, 0);
	check_lock("read lock 45 to 49 in the gap", fd, F_SETLK, F_RDLCK, 45, 5);
	seen("45 on", 45, 0);
	check_lock("write lock 40 to 59 again", fd, F_SETLK, F_WRLCK, 40, 20);
	seen("merged", 0, 0);
	check_lock("write lock 100 to 149 (touching)", fd, F_SETLK, F_WRLCK, 100, 50);
	seen("merged with what it touches", 0, 0);
	check_lock("read lock 20 to 29 inside", fd, F_SETLK, F_RDLCK, 20, 10);
	seen("0 on", 0, 0);
	seen("20 on", 20, 0);
	seen("30 on", 30, 0);
	check_lock("unlock 150 back to 100 (negative length)", fd, F_SETLK, F_UNLCK, 150, -50);
	check_lock("write lock 10 to 39 over both kinds", fd, F_SETLK, F_WRLCK, 10, 30);
	seen("one write lock again", 0, 0);
	check_lock("unlock all", fd, F_SETLK, F_UNLCK, 0, 0);
	seen("nothing", 0, 0);

	/* Read locks share, write locks exclude. */
	check_lock("read lock 200 to 299", fd, F_SETLK, F_RDLCK, 200, 100);
	in_child(child_reads);
	check_lock("write lock 250 over its own read lock", fd, F_SETLK, F_WRLCK, 250, 1);

	/* SEEK_CUR and SEEK_END. */
	lseek(fd, 1000, SEEK_SET);
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_CUR, .l_start = 5, .l_len = 5};
	check("SEEK_CUR 5 len 5 at 1000", fcntl(fd, F_SETLK, &fl));
	seen("1000 on", 1000, 0);
	ftruncate(fd, 2000);
	fl = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_END, .l_start = -10, .l_len = 0};
	check("SEEK_END -10 to the end", fcntl(fd, F_SETLK, &fl));
	fl = (struct flock){.l_type = F_RDLCK, .l_whence = SEEK_END, .l_start = 0, .l_len = -5};
	check("SEEK_END, 5 bytes before it", fcntl(fd, F_SETLK, &fl));
	seen("1011 on", 1011, 0);

	/* Any close of the file drops the process's locks on it. */
	int other = open_file("records", O_RDONLY);
	close(other);
	seen("after closing another descriptor", 0, 0);
	check_lock("write lock 0 to 9", fd, F_SETLK, F_WRLCK, 0, 10);
	int dup_fd = dup(fd);
	int over = open_file("records", O_RDONLY);
	dup2(dup_fd, over);
	seen("after dup2 over a descriptor of the file", 0, 0);
	close(dup_fd);
	close(over);
	close(fd);
}

/* A child that takes a write lock on fd_main at hold_start, says so, and
 * waits for the parent; then what hold_then says. */
static long hold_start;
static int hold_type = F_WRLCK;
static void (*hold_then)(void);

static void holder(void)
{
	check_lock("holder: lock", fd_main, F_SETLK, hold_type, hold_start, 10);
	put(hear[1], 'r');
	child_wait_go();
	if (hold_then)
		hold_then();
	child_wait_go();
}

static pid_t hold(long start, void (*then)(void))
{
	hold_start = start;
	hold_then = then;
	pid_t pid = spawn(holder);
	child_ready();
	return pid;
}

/* After the parent's first go (hold_then ran), the second ends it. */
static void release(pid_t pid)
{
	parent_go();
	reap("holder", pid);
}

/* The holder unlocks a moment after the parent starts waiting, having
 * said so first. */
static void unlock_later(void)
{
	usleep(20000);
	put(hear[1], 'u');
	lock(fd_main, F_SETLK, F_UNLCK, hold_start, 10);
}

static void exit_later(void)
{
	usleep(20000);
	put(hear[1], 'x');
	_exit(0);
}

static volatile int alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* SIGALRM's action: handler h with flags (0 or SA_RESTART), or SIG_DFL. */
static void alarm_action(void (*h)(int), int flags)
{
	struct sigaction sa = {.sa_handler = h, .sa_flags = flags};
	sigaction(SIGALRM, &sa, NULL);
}

/* SIGALRM every ms milliseconds (0: never again). */
static void ticks(long ms)
{
	struct itimerval it = {.it_value = {0, ms * 1000}, .it_interval = {0, ms * 1000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The holder waits for the parent to block, then unlocks. */
static void unlock_much_later(void)
{
	usleep(100000);
	lock(fd_main, F_SETLK, F_UNLCK, hold_start, 10);
}

static void killed_waiter(void)
{
	put(hear[1], 'r');
	check_lock("waiter: F_SETLKW", fd_main, F_SETLKW, F_WRLCK, 1000, 1);
}

static void waits(void)
{
	int fd = fd_main = fresh("waits");
	pid_t h = hold(600, unlock_later);
	seen("held", 600, 1);
	parent_go();
	check_lock("F_SETLKW until the holder unlocks", fd, F_SETLKW, F_WRLCK, 600, 1);
	check_yes("it had unlocked", get(hear[0]) == 'u');
	release(h);
	check_lock("unlocked", fd, F_SETLK, F_UNLCK, 0, 0);

	h = hold(700, exit_later);
	parent_go();
	check_lock("F_SETLKW until the holder ends", fd, F_SETLKW, F_RDLCK, 705, 1);
	check_yes("it had ended", get(hear[0]) == 'x');
	reap("holder", h);
	check_lock("unlocked", fd, F_SETLK, F_UNLCK, 0, 0);

	h = hold(800, NULL);
	parent_go();
	alarm_action(on_alarm, 0);
	alarms = 0;
	ticks(30);
	check_lock("F_SETLKW interrupted by SIGALRM", fd, F_SETLKW, F_WRLCK, 800, 10);
	ticks(0);
	check_yes("the handler ran", alarms > 0);
	check_lock("F_SETLK still conflicts", fd, F_SETLK, F_WRLCK, 800, 10);
	release(h);

	h = hold(900, unlock_much_later);
	alarm_action(on_alarm, SA_RESTART);
	alarms = 0;
	parent_go();
	ticks(30);
	check_lock("F_SETLKW with SA_RESTART until the unlock", fd, F_SETLKW, F_WRLCK, 900, 10);
	ticks(0);
	check_yes("the handler ran", alarms > 0);
	release(h);
	alarm_action(SIG_DFL, 0);

	/* A waiter killed while it waits. */
	check_lock("write lock 1000", fd, F_SETLK, F_WRLCK, 1000, 10);
	pid_t w = spawn(killed_waiter);
	child_ready();
	usleep(20000);
	kill(w, SIGKILL);
	reap("waiter", w);
	check_lock("unlock", fd, F_SETLK, F_UNLCK, 0, 0);
	close(fd);
}

/* Deadlocks: the parent holds 0..9 and child i holds 10 i .. 10 i + 9
 * and waits for the lock before its own; last the parent asks for the
 * last child's. Whoever closes the cycle gets EDEADLK, whatever the
 * order the waits came in; it lets go (a child by ending) and the others
 * get their locks in turn. */
static long cycle_start;

static char result(long r)
{
	return r == 0 ? '0' : errno == EDEADLK ? 'd' : 'e';
}

static void cycle_child(void)
{
	lock(fd_main, F_SETLK, F_WRLCK, cycle_start, 10);
	put(hear[1], 'r');
	put(hear[1], result(lock(fd_main, F_SETLKW, F_WRLCK, cycle_start - 10, 10)));
}

static void cycle(const char *what, int children)
{
	pid_t pid[4];
	check_lock("lock 0 to 9", fd_main, F_SETLK, F_WRLCK, 0, 10);
	for (int i = 0; i < children; i++) {
		cycle_start = 10 * (i + 1);
		pid[i] = spawn(cycle_child);
		child_ready();
		usleep(20000); /* it waits by now, most likely */
	}
	char r = result(lock(fd_main, F_SETLKW, F_WRLCK, 10L * children, 10));
	int deadlocks = r == 'd', granted = r == '0';
	lock(fd_main, F_SETLK, F_UNLCK, 0, 0);
	for (int i = 0; i < children; i++) {
		char c = get(hear[0]);
		deadlocks += c == 'd';
		granted += c == '0';
	}
	for (int i = 0; i < children; i++)
		waitpid(pid[i], NULL, 0);
	printf("%s: EDEADLK for one: %s, the lock for the others: %s\n", what,
	       deadlocks == 1 ? "yes" : "no", granted == children ? "yes" : "no");
}

/* The child waits for the parent's OFD lock, which Linux does not follow
 * when it looks for a cycle: the parent's wait for the child's lock is
 * no EDEADLK, whether it asks as an OFD or as its process. */
static int ofd_fd;

static void ofd_cycle_child(void)
{
	close(ofd_fd);
	lock(fd_main, F_SETLK, F_WRLCK, 10, 10);
	put(hear[1], 'r');
	check_lock("child: waits for the OFD lock", fd_main, F_SETLKW, F_WRLCK, 0, 10);
}

static void deadlocks(void)
{
	int fd = fd_main = fresh("deadlocks");
	cycle("two processes", 1);
	cycle("three processes", 2);

	ofd_fd = open_file("deadlocks", O_RDWR);
	check_lock("F_OFD_SETLK 0 to 9", ofd_fd, F_OFD_SETLK, F_WRLCK, 0, 10);
	pid_t c = spawn(ofd_cycle_child);
	child_ready();
	usleep(20000);
	alarm_action(on_alarm, 0);
	ticks(30);
	check_lock("F_OFD_SETLKW on the child's lock", ofd_fd, F_OFD_SETLKW, F_WRLCK, 10, 10);
	check_lock("F_SETLKW on the child's lock", fd, F_SETLKW, F_WRLCK, 10, 10);
	ticks(0);
	alarm_action(SIG_DFL, 0);
	close(ofd_fd);
	reap("child", c);

	/* A wait that closes no cycle is no deadlock. */
	check_lock("lock 0 to 9", fd, F_SETLK, F_WRLCK, 0, 10);
	pid_t h = hold(100, unlock_later);
	parent_go();
	check_lock("F_SETLKW on the holder's lock", fd, F_SETLKW, F_WRLCK, 100, 10);
	get(hear[0]);
	release(h);
	close(fd);
}

static void fork_child(void)
{
	show("child: the parent's lock", fd_main, 0, 0);
	check_lock("child: unlock it", fd_main, F_SETLK, F_UNLCK, 0, 0);
}

static void exec_child_run(void)
{
	int f = open_file("cloexec", O_RDWR | O_CLOEXEC);
	int g = open_file("kept", O_RDWR);
	lock(f, F_SETLK, F_WRLCK, 0, 10);
	lock(g, F_SETLK, F_WRLCK, 0, 10);
	char arg_hear[16], arg_tell[16];
	snprintf(arg_hear, sizeof(arg_hear), "%d", hear[1]);
	snprintf(arg_tell, sizeof(arg_tell), "%d", tell[0]);
	char *args[] = {exec_argv[0], "exec-child", arg_hear, arg_tell, NULL};
	execv(exec_argv[0], args);
	put(hear[1], 'e');
}

static void processes(void)
{
	int fd = fd_main = fresh("processes");
	check_lock("lock 0 to 99", fd, F_SETLK, F_WRLCK, 0, 100);
	in_child(fork_child);
	seen("the child's unlock changed nothing", 0, 0);

	pid_t h = hold(500, NULL);
	seen("the holder's lock", 500, 0);
	parent_go();
	release(h);
	seen("gone with the holder", 500, 0);

	int f = fresh("cloexec");
	int g = open_file("kept", O_RDWR);
	pid_t c = spawn(exec_child_run);
	check_yes("the child ran execve", get(hear[0]) == 'r');
	seen("after execve: the close-on-exec file", 0, 0);
	show("after execve: the other file", g, 0, 0);
	parent_go();
	reap("child", c);
	close(f);
	close(g);
	close(fd);
}

static void ofd_child(void)
{
	show("child: F_GETLK sees it", fd_main, 0, 0);
	check_lock("child: F_OFD_SETLK through the shared description", fd_main, F_OFD_SETLK,
	           F_WRLCK, 5, 10);
	int own = open_file("ofd", O_RDWR);
	show_cmd("child: F_OFD_GETLK on its own description", own, F_OFD_GETLK, F_RDLCK, 0, 0);
	check_lock("child: unlock through the shared description", fd_main, F_OFD_SETLK, F_UNLCK, 0,
	           0);
	close(own);
}

static void ofd_waiter(void)
{
	int own = open_file("ofd", O_RDWR);
	put(hear[1], 'r');
	check_lock("child: F_OFD_SETLKW", own, F_OFD_SETLKW, F_WRLCK, 0, 1);
	close(own);
}

static void ofd(void)
{
	int fd = fd_main = fresh("ofd");
	check_lock("F_OFD_SETLK 0 to 9", fd, F_OFD_SETLK, F_WRLCK, 0, 10);
	seen("seen", 0, 0);
	in_child(ofd_child);
	seen("the child's unlock was the parent's", 0, 0);
	check_lock("F_OFD_SETLK 0 to 9", fd, F_OFD_SETLK, F_WRLCK, 0, 10);
	int other = open_file("ofd", O_RDWR);
	check_lock("a record lock of the same process conflicts", other, F_SETLK, F_RDLCK, 5, 1);
	check_lock("so does another description's", other, F_OFD_SETLK, F_RDLCK, 5, 1);
	check_lock("a record lock elsewhere", other, F_SETLK, F_WRLCK, 100, 10);
	check_lock("F_OFD_SETLK over it", fd, F_OFD_SETLK, F_WRLCK, 105, 1);
	show_cmd("F_OFD_GETLK on the record lock", fd, F_OFD_GETLK, F_RDLCK, 100, 10);
	close(other);
	check_lock("the record lock went with a close", fd, F_OFD_SETLK, F_WRLCK, 105, 1);
	int copy = dup(fd);
	close(fd);
	seen("one descriptor closed, one left", 0, 0);
	close(copy);
	seen("the last one closed", 0, 0);

	fd = fd_main = open_file("ofd", O_RDWR);
	check_lock("F_OFD_SETLK 0", fd, F_OFD_SETLK, F_WRLCK, 0, 1);
	pid_t c = spawn(ofd_waiter);
	child_ready();
	usleep(20000);
	lock(fd, F_OFD_SETLK, F_UNLCK, 0, 1);
	reap("child", c);
	close(fd);
}

static void flock_child(void)
{
	check("child: LOCK_EX|LOCK_NB through the shared description",
	      flock(fd_main, LOCK_EX | LOCK_NB));
	int own = open_file("flock", O_RDONLY);
	check("child: LOCK_SH|LOCK_NB on its own", flock(own, LOCK_SH | LOCK_NB));
	struct flock fl = {.l_type = F_WRLCK};
	check("child: a record lock on the whole file", fcntl(fd_main, F_SETLK, &fl));
	check("child: LOCK_UN through the shared description", flock(fd_main, LOCK_UN));
	check("child: LOCK_SH|LOCK_NB on its own now", flock(own, LOCK_SH | LOCK_NB));
	close(own);
}

static void flock_holder(void)
{
	int own = open_file("flock", O_RDONLY);
	check("holder: LOCK_EX", flock(own, LOCK_EX));
	put(hear[1], 'r');
	child_wait_go();
	if (hold_then)
		hold_then();
	child_wait_go();
}

static void flock_unlock_later(void)
{
	usleep(20000);
	put(hear[1], 'u');
	_exit(0);
}

static void flocks(void)
{
	int a = fd_main = fresh("flock");
	int b = open_file("flock", O_RDONLY);
	check("a: LOCK_SH", flock(a, LOCK_SH));
	check("b: LOCK_SH|LOCK_NB", flock(b, LOCK_SH | LOCK_NB));
	check("b: LOCK_SH again", flock(b, LOCK_SH | LOCK_NB));
	check("b: LOCK_EX|LOCK_NB", flock(b, LOCK_EX | LOCK_NB));
	check_yes("EWOULDBLOCK", errno == EWOULDBLOCK);
	check("a: LOCK_EX|LOCK_NB (b lost its lock converting)", flock(a, LOCK_EX | LOCK_NB));
	check("b: LOCK_SH|LOCK_NB", flock(b, LOCK_SH | LOCK_NB));
	int d = dup(a);
	check("LOCK_UN through a dup", flock(d, LOCK_UN));
	check("b: LOCK_EX|LOCK_NB", flock(b, LOCK_EX | LOCK_NB));
	check("b: LOCK_UN", flock(b, LOCK_UN));
	check("b: LOCK_UN with none", flock(b, LOCK_UN));
	close(d);
	seen("flock and record locks do not meet", 0, 0);

	check("a: LOCK_EX", flock(a, LOCK_EX));
	in_child(flock_child);
	check("b: LOCK_EX|LOCK_NB after the child's unlock", flock(b, LOCK_EX | LOCK_NB));
	int c = open_file("flock", O_RDONLY);
	check("c: LOCK_SH|LOCK_NB", flock(c, LOCK_SH | LOCK_NB));
	close(b);
	check("c: LOCK_SH|LOCK_NB after b's close", flock(c, LOCK_SH | LOCK_NB));
	close(c);

	hold_then = flock_unlock_later;
	pid_t h = spawn(flock_holder);
	child_ready();
	check("a: LOCK_SH|LOCK_NB", flock(a, LOCK_SH | LOCK_NB));
	parent_go();
	check("a: LOCK_SH waits for the holder's end", flock(a, LOCK_SH));
	check_yes("it had ended", get(hear[0]) == 'u');
	reap("holder", h);
	check("a: LOCK_UN", flock(a, LOCK_UN));

	hold_then = NULL;
	h = spawn(flock_holder);
	child_ready();
	parent_go();
	alarm_action(on_alarm, 0);
	alarms = 0;
	ticks(30);
	check("a: LOCK_EX interrupted by SIGALRM", flock(a, LOCK_EX));
	ticks(0);
	check_yes("the handler ran", alarms > 0);
	alarm_action(SIG_DFL, 0);
	release(h);
	check("a: LOCK_EX|LOCK_NB after the holder", flock(a, LOCK_EX | LOCK_NB));
	close(a);
}

static void pipe_child(void)
{
	int fds[2] = {hear[0], hear[1]};
	show("child: through the write end", fds[1], 0, 0);
	check("child: flock LOCK_EX|LOCK_NB", flock(fds[0], LOCK_EX | LOCK_NB));
}

static void pipes(void)
{
	check_lock("read lock on a pipe's read end", hear[0], F_SETLK, F_RDLCK, 0, 0);
	check_lock("write lock on the read end", hear[0], F_SETLK, F_WRLCK, 0, 0);
	check("flock LOCK_EX on the pipe", flock(hear[1], LOCK_EX));
	in_child(pipe_child);
	check_lock("unlock", hear[0], F_SETLK, F_UNLCK, 0, 0);
	check("flock LOCK_UN", flock(hear[1], LOCK_UN));
}

static void cleanup(void)
{
	const char *names[] = {"errors",  "records", "waits", "deadlocks", "processes",
	                       "cloexec", "kept",    "ofd",   "flock"};
	close(probe);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		unlink(names[i]);
	chdir("/");
	check("cleaned up", rmdir(top));
}

int main(int argc, char **argv)
{
	exec_argv = argv;
	if (argc > 3 && strcmp(argv[1], "exec-child") == 0) {
		int h = atoi(argv[2]), t = atoi(argv[3]);
		put(h, 'r');
		get(t);
		return 0;
	}
	test_begin("locks");
	snprintf(top, sizeof(top), "/tmp/locks.XXXXXX");
	if (!mkdtemp(top) || chdir(top) < 0) {
		check("mkdtemp", -1);
		return 1;
	}
	pipe(tell);
	pipe(hear);
	errors();
	records();
	processes();
	ofd();
	flocks();
	pipes();
	waits();
	deadlocks();
	cleanup();
	test_end();
	return 0;
}
