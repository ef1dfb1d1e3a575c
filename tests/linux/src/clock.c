/* The clocks: clock_gettime on each clock, gettimeofday, time,
 * clock_getres, and the error cases. Only relations are printed, never a
 * time: realtime is a plausible date, the clocks move forward, the three
 * ways to ask the wall-clock time agree. */
#include "linux_test.h"

#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static int valid(const struct timespec *t)
{
	return t->tv_nsec >= 0 && t->tv_nsec < 1000000000L;
}

/* Work between two readings, so even a coarse look at the TSC moves. */
static volatile unsigned sink;
static void spin(void)
{
	for (unsigned i = 0; i < 1000000; i++)
		sink += i;
}

int main(void)
{
	struct timespec a, b, c, res;
	struct timeval tv;

	test_begin("clock");
	check("clock_gettime REALTIME", clock_gettime(CLOCK_REALTIME, &a));
	check_yes("realtime after 2020", a.tv_sec > 1577836800 && valid(&a));
	check_yes("realtime before 2100", a.tv_sec < 4102444800LL);

	check("clock_gettime MONOTONIC", clock_gettime(CLOCK_MONOTONIC, &a));
	spin();
	clock_gettime(CLOCK_MONOTONIC, &b);
	check_yes("monotonic increases", ns_of(&b) > ns_of(&a) && valid(&a) && valid(&b));
	check("clock_gettime BOOTTIME", clock_gettime(CLOCK_BOOTTIME, &c));
	check_yes("boottime not behind monotonic", ns_of(&c) >= ns_of(&b));
	check("clock_gettime MONOTONIC_RAW", clock_gettime(CLOCK_MONOTONIC_RAW, &c));
	check("clock_gettime MONOTONIC_COARSE", clock_gettime(CLOCK_MONOTONIC_COARSE, &c));
	check_yes("monotonic coarse valid", valid(&c));

	clock_gettime(CLOCK_REALTIME, &a);
	check("gettimeofday", gettimeofday(&tv, NULL));
	long long diff = (long long)tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL - ns_of(&a);
	check_yes("gettimeofday close to clock_gettime",
	          diff > -1000000000LL && diff < 1000000000LL && tv.tv_usec >= 0 &&
	                  tv.tv_usec < 1000000);
	time_t t1 = 0, t2 = time(&t1);
	check_yes("time close to clock_gettime",
	          t1 == t2 && t2 - a.tv_sec >= 0 && t2 - a.tv_sec <= 1);
	check("clock_gettime REALTIME_COARSE", clock_gettime(CLOCK_REALTIME_COARSE, &c));
	diff = ns_of(&c) - ns_of(&a);
	check_yes("realtime coarse close to realtime", diff > -1000000000LL && diff < 1000000000LL);

	check("clock_gettime PROCESS_CPUTIME_ID", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
	spin();
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
	check_yes("process cputime does not go back", ns_of(&b) >= ns_of(&a));
	check("clock_gettime THREAD_CPUTIME_ID", clock_gettime(CLOCK_THREAD_CPUTIME_ID, &a));

	check("clock_getres REALTIME", clock_getres(CLOCK_REALTIME, &res));
	check_yes("realtime resolution 1 ns", res.tv_sec == 0 && res.tv_nsec == 1);
	check("clock_getres MONOTONIC_COARSE", clock_getres(CLOCK_MONOTONIC_COARSE, &res));
	check_yes("coarse resolution at most 10 ms",
	          res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000);
	check("clock_getres NULL", clock_getres(CLOCK_MONOTONIC, NULL));

	check("gettimeofday NULL NULL", syscall(SYS_gettimeofday, NULL, NULL));
	check("clock_gettime bad clock", syscall(SYS_clock_gettime, 999, &a));
	check("clock_getres bad clock", syscall(SYS_clock_getres, 999, &res));
	check("clock_gettime bad pointer", syscall(SYS_clock_gettime, CLOCK_REALTIME, (void *)1));
	check("gettimeofday bad pointer", syscall(SYS_gettimeofday, (void *)1, NULL));
	check("time bad pointer", syscall(SYS_time, (void *)1));
	test_end();
	return 0;
}
