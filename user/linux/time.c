/*
 * The clocks: clock_gettime, clock_getres, gettimeofday, time.
 *
 * Every clock is the time-stamp counter. Its rate comes from proc
 * (PROC_SYSINFO, which passes on the kernel's calibration); the TSC is one
 * counter for the whole machine, so what this server reads with rdtsc is
 * the time the calling program would have read. The monotonic clocks count
 * from the TSC's reset (the machine's start). The wall clock is read once,
 * at our start, from the CMOS RTC, together with the TSC; afterwards
 * realtime is that reading plus the TSC's advance since. Nothing sets the
 * clock: no settimeofday, no NTP, and the RTC's one-second resolution is
 * the wall clock's accuracy.
 *
 * Under QEMU with -icount the TSC counts executed instructions, not host
 * time: the clocks then advance with the work done (what the benchmarks
 * want: repeatable elapsed times), and the wall clock drifts from the
 * host's while the guest idles or runs fast.
 */
#include "clock.h"
#include "personality.h"

#include <atoll_rt/objects.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_SLOT_PORTS PROC_SLOT_GRANTS /* the manifest's `ioports 0x70-0x71` */
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_A_UPDATING 0x80
#define RTC_CENTURY 0x32
#define RTC_TRIES 1000000
#define NS_PER_SEC 1000000000ULL

static uint64_t tsc_hz;          /* 0: unknown, the clocks are ENOSYS */
static uint64_t tick_ns;         /* the scheduling timer's period: the coarse clocks' step */
static int64_t boot_rtc_seconds; /* Unix time the RTC said at our start */
static uint64_t boot_rtc_tsc;    /* the TSC then */

static uint8_t rtc_read(uint8_t reg)
{
	atoll_outb(RTC_INDEX, reg);
	return atoll_inb(RTC_DATA);
}

/* The date registers once the clock is not mid-update; false when it never
 * stops updating (no clock there). */
static bool rtc_snapshot(lx_rtc_raw_t *r)
{
	unsigned tries = 0;
	while (rtc_read(RTC_STATUS_A) & RTC_A_UPDATING)
		if (++tries == RTC_TRIES)
			return false;
	r->sec = rtc_read(0x00);
	r->min = rtc_read(0x02);
	r->hour = rtc_read(0x04);
	r->day = rtc_read(0x07);
	r->mon = rtc_read(0x08);
	r->year = rtc_read(0x09);
	r->century = rtc_read(RTC_CENTURY);
	return true;
}

/* Unix time from the RTC. An update may start between two registers, so
 * read until two snapshots in a row agree. */
static bool rtc_read_time(int64_t *out)
{
	if (ioport_open(RTC_SLOT_PORTS, PROC_SLOT_VSPACE)) {
		printf("linux: no RTC ports (ioports 0x70-0x71): realtime starts at 1970\n");
		return false;
	}
	lx_rtc_raw_t a, b;
	if (!rtc_snapshot(&a))
		return false;
	for (unsigned i = 0; i < 10; i++) {
		if (!rtc_snapshot(&b))
			return false;
		if (!memcmp(&a, &b, sizeof(a)))
			break;
		a = b;
	}
	if (!lx_rtc_decode(&a, rtc_read(RTC_STATUS_B), out)) {
		printf("linux: the RTC holds no valid date: realtime starts at 1970\n");
		return false;
	}
	return true;
}

void lx_time_init(void)
{
	proc_sysinfo_t info;
	if (proc_sysinfo(&info) || !info.tsc_hz) {
		printf("linux: proc does not know the TSC's rate: no clocks\n");
		tsc_hz = 0;
		return;
	}
	tsc_hz = info.tsc_hz;
	tick_ns = info.tick_ns;
	if (!tick_ns)
		tick_ns = 1;
	int64_t t;
	boot_rtc_tsc = lx_rdtsc();
	if (rtc_read_time(&t))
		boot_rtc_seconds = t;
	/* The RTC is never read again. Giving the ports up closes them: while
	 * an address space has ports open, every switch into it and out of it
	 * updates the CPU's I/O bitmap, and we are switched to on every Linux
	 * system call. */
	cnode_delete(PROC_SLOT_CNODE, RTC_SLOT_PORTS);
}

/* TSC ticks as nanoseconds, without overflow for any TSC under 18 GHz. */
static uint64_t ticks_to_ns(uint64_t ticks)
{
	return ticks / tsc_hz * NS_PER_SEC + ticks % tsc_hz * NS_PER_SEC / tsc_hz;
}

uint64_t lx_ns_to_ticks(uint64_t ns)
{
	uint64_t sec = ns / NS_PER_SEC, rest = ns % NS_PER_SEC;
	if (!tsc_hz)
		return 0;
	if (sec > (UINT64_MAX - tsc_hz) / tsc_hz)
		return UINT64_MAX;
	/* Rounded up: a wait of ns lasts at least ns. */
	return sec * tsc_hz + (rest * tsc_hz + NS_PER_SEC - 1) / NS_PER_SEC;
}

uint64_t lx_ticks_to_ns(uint64_t ticks)
{
	return tsc_hz ? ticks_to_ns(ticks) : 0;
}

bool lx_clock_now(int64_t id, uint64_t *ns)
{
	uint64_t tsc = lx_rdtsc();
	if (!tsc_hz)
		return false;
	switch (id) {
	case LX_CLOCK_REALTIME:
		*ns = (uint64_t)boot_rtc_seconds * NS_PER_SEC + ticks_to_ns(tsc - boot_rtc_tsc);
		return true;
	case LX_CLOCK_REALTIME_COARSE:
		*ns = (uint64_t)boot_rtc_seconds * NS_PER_SEC + ticks_to_ns(tsc - boot_rtc_tsc);
		*ns -= *ns % tick_ns;
		return true;
	case LX_CLOCK_MONOTONIC:
	case LX_CLOCK_MONOTONIC_RAW:
	case LX_CLOCK_BOOTTIME: /* nothing suspends, so boot time is monotonic */
		*ns = ticks_to_ns(tsc);
		return true;
	case LX_CLOCK_MONOTONIC_COARSE:
		*ns = ticks_to_ns(tsc);
		*ns -= *ns % tick_ns;
		return true;
	case LX_CLOCK_PROCESS_CPUTIME_ID:
	case LX_CLOCK_THREAD_CPUTIME_ID:
		/* An approximation: no CPU time is accounted per process, so
		 * these are the monotonic clock, which only ever runs ahead of
		 * the CPU time really used. Differences measure elapsed time. */
		*ns = ticks_to_ns(tsc);
		return true;
	default:
		return false;
	}
}

int64_t lx_sys_clock_gettime(lx_call_t *c)
{
	uint64_t ns;
	if (!tsc_hz)
		return -LX_ENOSYS;
	if (!lx_clock_now((int64_t)c->arg[0], &ns))
		return -LX_EINVAL;
	lx_timespec_t ts = {(int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC)};
	return lx_copy_out(c->p, c->arg[1], &ts, sizeof(ts)) ? 0 : -LX_EFAULT;
}

/* 1 ns for the TSC clocks, the timer's tick for the coarse ones. A NULL
 * res just checks the clock id. */
int64_t lx_sys_clock_getres(lx_call_t *c)
{
	uint64_t ns;
	int64_t id = (int64_t)c->arg[0];
	if (!tsc_hz)
		return -LX_ENOSYS;
	if (!lx_clock_now(id, &ns))
		return -LX_EINVAL;
	bool coarse = id == LX_CLOCK_REALTIME_COARSE || id == LX_CLOCK_MONOTONIC_COARSE;
	uint64_t res = coarse ? tick_ns : 1;
	lx_timespec_t ts = {(int64_t)(res / NS_PER_SEC), (int64_t)(res % NS_PER_SEC)};
	if (c->arg[1] && !lx_copy_out(c->p, c->arg[1], &ts, sizeof(ts)))
		return -LX_EFAULT;
	return 0;
}

/* gettimeofday(tv, tz): either may be NULL; the time zone is UTC. */
int64_t lx_sys_gettimeofday(lx_call_t *c)
{
	uint64_t ns;
	if (!tsc_hz)
		return -LX_ENOSYS;
	lx_clock_now(LX_CLOCK_REALTIME, &ns);
	lx_timeval_t tv = {(int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC / 1000)};
	lx_timezone_t tz = {0, 0};
	if (c->arg[0] && !lx_copy_out(c->p, c->arg[0], &tv, sizeof(tv)))
		return -LX_EFAULT;
	if (c->arg[1] && !lx_copy_out(c->p, c->arg[1], &tz, sizeof(tz)))
		return -LX_EFAULT;
	return 0;
}

/* time(tloc): the seconds, also stored at tloc unless it is NULL. */
int64_t lx_sys_time(lx_call_t *c)
{
	uint64_t ns;
	if (!tsc_hz)
		return -LX_ENOSYS;
	lx_clock_now(LX_CLOCK_REALTIME, &ns);
	int64_t s = (int64_t)(ns / NS_PER_SEC);
	if (c->arg[0] && !lx_copy_out(c->p, c->arg[0], &s, sizeof(s)))
		return -LX_EFAULT;
	return s;
}

uint64_t lx_tsc_hz(void)
{
	return tsc_hz;
}

/* The ramfs's times: the wall clock (1970 when there is none). */
void lx_ramfs_now(lx_timespec_t *ts)
{
	uint64_t ns;
	if (!lx_clock_now(LX_CLOCK_REALTIME, &ns))
		ns = 0;
	*ts = (lx_timespec_t){(int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC)};
}
