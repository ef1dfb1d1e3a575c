/* Sleeping and timeouts: nanosleep and clock_nanosleep (relative and
 * TIMER_ABSTIME, realtime and monotonic) return 0 after at least the time
 * asked, bad timespecs are EINVAL and bad pointers EFAULT; poll, ppoll,
 * select and pselect time out with 0 and no time left; alarm, setitimer and
 * getitimer keep and report ITIMER_REAL (disarmed before it fires); a
 * child's sleep while its parent waits; futex waits time out; SIGALRM
 * reaches its handler and interrupts a sleep, which reports the time left. Nothing here depends on how long
 * anything took beyond "at least". */
#define _GNU_SOURCE
#include "linux_test.h"

#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000LL

static long long now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The raw system call, so that errors come back as -1 and errno. */
static long raw_clock_nanosleep(long clock, long flags, const void *req, void *rem)
{
	return syscall(SYS_clock_nanosleep, clock, flags, req, rem);
}

static void sleep_for(const char *what, clockid_t clock, long long ns)
{
	struct timespec req = {ns / 1000000000, ns % 1000000000};
	long long before = now_ns(clock);
	long r = raw_clock_nanosleep(clock, 0, &req, NULL);
	long long slept = now_ns(clock) - before;
	char line[96];
	snprintf(line, sizeof(line), "%s returns", what);
	check(line, r);
	snprintf(line, sizeof(line), "%s slept at least that long", what);
	check_yes(line, slept >= ns);
}

static void bad_requests(void)
{
	struct timespec neg_nsec = {0, -1}, big_nsec = {0, 1000000000}, neg_sec = {-1, 0};
	check("nanosleep tv_nsec -1", nanosleep(&neg_nsec, NULL));
	check("nanosleep tv_nsec 1e9", nanosleep(&big_nsec, NULL));
	check("nanosleep tv_sec -1", nanosleep(&neg_sec, NULL));
	check("nanosleep bad request pointer", syscall(SYS_nanosleep, (void *)8, NULL));
	check("clock_nanosleep tv_nsec 1e9",
	      raw_clock_nanosleep(CLOCK_MONOTONIC, 0, &big_nsec, NULL));
	check("clock_nanosleep bad request pointer",
	      raw_clock_nanosleep(CLOCK_MONOTONIC, 0, (void *)8, NULL));
	struct timespec tiny = {0, 1000};
	check("clock_nanosleep clock 99", raw_clock_nanosleep(99, 0, &tiny, NULL));
	check("clock_nanosleep CLOCK_THREAD_CPUTIME_ID",
	      raw_clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &tiny, NULL));
	check("clock_nanosleep zero",
	      raw_clock_nanosleep(CLOCK_MONOTONIC, 0, &(struct timespec){0, 0}, NULL));
	check("nanosleep zero", nanosleep(&(struct timespec){0, 0}, NULL));
}

static void absolute(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	long long target = t.tv_sec * 1000000000LL + t.tv_nsec + 20 * MS;
	struct timespec at = {target / 1000000000, target % 1000000000};
	check("clock_nanosleep TIMER_ABSTIME monotonic",
	      raw_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL));
	check_yes("monotonic clock reached the deadline", now_ns(CLOCK_MONOTONIC) >= target);

	clock_gettime(CLOCK_REALTIME, &t);
	target = t.tv_sec * 1000000000LL + t.tv_nsec + 20 * MS;
	at = (struct timespec){target / 1000000000, target % 1000000000};
	check("clock_nanosleep TIMER_ABSTIME realtime",
	      raw_clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &at, NULL));
	check_yes("realtime clock reached the deadline", now_ns(CLOCK_REALTIME) >= target);

	struct timespec past = {1, 0};
	check("clock_nanosleep TIMER_ABSTIME in the past",
	      raw_clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
}

static void timeouts(void)
{
	int fds[2];
	check("pipe", pipe(fds));
	long long before = now_ns(CLOCK_MONOTONIC);
	check("poll with no descriptors, 10 ms", poll(NULL, 0, 10));
	check_yes("poll waited at least 10 ms", now_ns(CLOCK_MONOTONIC) - before >= 10 * MS);

	struct pollfd p = {.fd = fds[0], .events = POLLIN};
	check("poll on an empty pipe, 10 ms", poll(&p, 1, 10));
	check("its revents", p.revents);

	struct timespec ts = {0, 10 * MS};
	check("ppoll on an empty pipe, 10 ms", ppoll(&p, 1, &ts, NULL));
	check_yes("ppoll left no time", ts.tv_sec == 0 && ts.tv_nsec == 0);

	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	struct timeval tv = {0, 10000};
	before = now_ns(CLOCK_MONOTONIC);
	check("select on an empty pipe, 10 ms", select(fds[0] + 1, &rd, NULL, NULL, &tv));
	check_yes("select waited at least 10 ms", now_ns(CLOCK_MONOTONIC) - before >= 10 * MS);
	check_yes("select left no time", tv.tv_sec == 0 && tv.tv_usec == 0);
	check_yes("select cleared the set", !FD_ISSET(fds[0], &rd));

	tv = (struct timeval){0, 10000};
	check("select with no descriptors, 10 ms", select(0, NULL, NULL, NULL, &tv));

	ts = (struct timespec){0, 10 * MS};
	FD_SET(fds[0], &rd);
	check("pselect on an empty pipe, 10 ms", pselect(fds[0] + 1, &rd, NULL, NULL, &ts, NULL));
	check_yes("pselect left no time", ts.tv_sec == 0 && ts.tv_nsec == 0);

	/* Data that comes before the timeout ends the wait early. */
	pid_t child = fork();
	if (child == 0) {
		nanosleep(&(struct timespec){0, 20 * MS}, NULL);
		write(fds[1], "x", 1);
		_exit(0);
	}
	p = (struct pollfd){.fd = fds[0], .events = POLLIN};
	check("poll, 10 s, a child writes after 20 ms", poll(&p, 1, 10000));
	check("its revents", p.revents);
	int status;
	check_yes("child exited 0", waitpid(child, &status, 0) == child && status == 0);
	close(fds[0]);
	close(fds[1]);
}

/* futex timeouts: a wait on an unchanging word ends with ETIMEDOUT. */
static void futex_timeouts(void)
{
	enum { WAIT = 0, WAIT_BITSET = 9, PRIVATE = 128 };
	static unsigned word = 7;
	struct timespec rel = {0, 20 * MS};
	long long before = now_ns(CLOCK_MONOTONIC);
	check("FUTEX_WAIT, 20 ms", syscall(SYS_futex, &word, WAIT | PRIVATE, 7, &rel, NULL, 0));
	check_yes("it waited at least 20 ms", now_ns(CLOCK_MONOTONIC) - before >= 20 * MS);
	struct timespec at;
	clock_gettime(CLOCK_MONOTONIC, &at);
	long long target = at.tv_sec * 1000000000LL + at.tv_nsec + 20 * MS;
	at = (struct timespec){target / 1000000000, target % 1000000000};
	check("FUTEX_WAIT_BITSET until 20 ms from now",
	      syscall(SYS_futex, &word, WAIT_BITSET | PRIVATE, 7, &at, NULL, ~0u));
	check_yes("the monotonic clock reached it", now_ns(CLOCK_MONOTONIC) >= target);
	struct timespec past = {1, 0};
	check("FUTEX_WAIT_BITSET until a time past",
	      syscall(SYS_futex, &word, WAIT_BITSET | PRIVATE, 7, &past, NULL, ~0u));
	check("FUTEX_WAIT, word differs",
	      syscall(SYS_futex, &word, WAIT | PRIVATE, 8, &rel, NULL, 0));
}

static void itimers(void)
{
	check("alarm(100) with none set", alarm(100));
	check("alarm(0) returns what was left", alarm(0));
	check("alarm(0) again", alarm(0));

	struct itimerval v = {{2, 500000}, {50, 0}}, old, cur;
	check("setitimer ITIMER_REAL 50 s, interval 2.5 s", setitimer(ITIMER_REAL, &v, &old));
	check_yes("the old value was disarmed",
	          old.it_value.tv_sec == 0 && old.it_value.tv_usec == 0);
	check("getitimer", getitimer(ITIMER_REAL, &cur));
	check_yes("value between 49 and 50 s",
	          cur.it_value.tv_sec >= 49 && cur.it_value.tv_sec <= 50);
	check_yes("interval 2.5 s",
	          cur.it_interval.tv_sec == 2 && cur.it_interval.tv_usec == 500000);
	struct itimerval zero = {{0, 0}, {0, 0}};
	check("setitimer disarm", setitimer(ITIMER_REAL, &zero, &old));
	check_yes("old value between 49 and 50 s",
	          old.it_value.tv_sec >= 49 && old.it_value.tv_sec <= 50);
	check("getitimer after disarming", getitimer(ITIMER_REAL, &cur));
	check_yes("value 0", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0);

	struct itimerval bad = {{0, 0}, {0, 1000000}};
	check("setitimer tv_usec 1e6", setitimer(ITIMER_REAL, &bad, NULL));
	bad = (struct itimerval){{0, 0}, {-1, 0}};
	check("setitimer tv_sec -1", setitimer(ITIMER_REAL, &bad, NULL));
	check("setitimer which 99", syscall(SYS_setitimer, 99, &zero, NULL));
	check("setitimer bad new pointer", syscall(SYS_setitimer, ITIMER_REAL, (void *)8, NULL));
	check("getitimer bad pointer", syscall(SYS_getitimer, ITIMER_REAL, (void *)8));
	check("getitimer which 99", syscall(SYS_getitimer, 99, &cur));
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* SIGALRM from alarm and setitimer reaches its handler, and interrupts a
 * sleep (EINTR, the time left in rem). */
static void alarm_signals(void)
{
	struct sigaction sa = {.sa_handler = on_alarm};
	sigemptyset(&sa.sa_mask);
	check("sigaction SIGALRM", sigaction(SIGALRM, &sa, NULL));
	struct itimerval v = {{0, 0}, {0, 20000}};
	check("setitimer 20 ms", setitimer(ITIMER_REAL, &v, NULL));
	check("pause until it fires", pause());
	check_yes("the handler ran once", alarms == 1);

	check("alarm(1)", alarm(1));
	struct timespec req = {5, 0}, rem = {0, 0};
	check("nanosleep 5 s, interrupted by the alarm", nanosleep(&req, &rem));
	check_yes("the handler ran again", alarms == 2);
	check_yes("rem holds the rest: less than 5 s, more than 3 s",
	          rem.tv_sec >= 3 && rem.tv_sec < 5);

	/* An interval timer fires again and again until disarmed. */
	struct itimerval every = {{0, 10000}, {0, 10000}};
	check("setitimer every 10 ms", setitimer(ITIMER_REAL, &every, NULL));
	while (alarms < 5)
		pause();
	struct itimerval zero = {{0, 0}, {0, 0}};
	check("disarm", setitimer(ITIMER_REAL, &zero, NULL));
	check_yes("three more alarms came", alarms >= 5);
	signal(SIGALRM, SIG_DFL);
}

int main(void)
{
	test_begin("sleep");

	long long before = now_ns(CLOCK_MONOTONIC);
	check("nanosleep 10 ms", nanosleep(&(struct timespec){0, 10 * MS}, NULL));
	check_yes("monotonic clock advanced at least 10 ms",
	          now_ns(CLOCK_MONOTONIC) - before >= 10 * MS);
	sleep_for("clock_nanosleep monotonic 15 ms", CLOCK_MONOTONIC, 15 * MS);
	sleep_for("clock_nanosleep realtime 15 ms", CLOCK_REALTIME, 15 * MS);
	sleep_for("clock_nanosleep monotonic 120 ms (several timer rounds)", CLOCK_MONOTONIC,
	          120 * MS);
	absolute();
	bad_requests();
	timeouts();
	futex_timeouts();
	itimers();
	alarm_signals();

	test_end();
	return 0;
}
