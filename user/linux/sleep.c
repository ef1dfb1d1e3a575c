/*
 * Sleeping: nanosleep and clock_nanosleep. A sleep is a deferred reply
 * (the caller stays in its Reply object) with a deadline on the process's
 * wait timer (timer.c); the timer's expiry answers 0. Deadlines are TSC
 * values, rounded up, so a sleep never ends early by the TSC; a realtime
 * deadline (TIMER_ABSTIME on CLOCK_REALTIME) is turned into one at the
 * start, which is exact because nothing sets the wall clock.
 *
 * A sleep is interrupted through lx_sleep_cancel: the time left goes to
 * the rem argument of a relative sleep (as Linux writes it with EINTR), and
 * the caller answers.
 */
#include "personality.h"

#define NS_PER_SEC 1000000000ULL
#define LX_TIMER_ABSTIME 1

/* The timespec at addr as nanoseconds: 0, -EFAULT or -EINVAL (Linux checks
 * the copy first, then the fields). */
static int64_t read_request(lx_process_t *p, uint64_t addr, uint64_t *ns)
{
	lx_timespec_t ts;
	if (!lx_copy_in(p, &ts, addr, sizeof(ts)))
		return -LX_EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || (uint64_t)ts.tv_nsec >= NS_PER_SEC)
		return -LX_EINVAL;
	uint64_t sec = (uint64_t)ts.tv_sec;
	*ns = sec > UINT64_MAX / NS_PER_SEC - 1 ? UINT64_MAX :
	                                          sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/* Block c's process until TSC deadline; rem (0: none) gets the time left
 * should the sleep be interrupted. */
static int64_t sleep_until(lx_call_t *c, uint64_t deadline, uint64_t rem)
{
	lx_process_t *p = c->p, *t = c->t; /* the calling thread sleeps */
	if (!lx_timer_available())
		return -LX_ENOSYS;
	if (lx_signal_pending(t))
		return -LX_EINTR;
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): a sleep would block, but every Reply object is "
		            "held: EINTR\n",
		            p->pid, p->name);
		return -LX_EINTR;
	}
	t->sleeping = true;
	t->sleep_reply = c->reply_object;
	t->sleep_rem = rem;
	lx_wait_timer_set(t, deadline);
	c->reply = LX_REPLY_DEFER;
	return 0;
}

static uint64_t deadline_after(uint64_t ns)
{
	uint64_t now = lx_rdtsc(), ticks = lx_ns_to_ticks(ns);
	return ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
}

int64_t lx_sys_nanosleep(lx_call_t *c)
{
	uint64_t ns;
	int64_t err = read_request(c->p, c->arg[0], &ns);
	if (err)
		return err;
	return ns ? sleep_until(c, deadline_after(ns), c->arg[1]) : 0;
}

/* clock_nanosleep(clock, flags, request, remain). Errors are negative
 * errno values, as the system call returns them (the C library turns them
 * into its return value). */
int64_t lx_sys_clock_nanosleep(lx_call_t *c)
{
	int64_t clock = (int32_t)c->arg[0];
	bool absolute = c->arg[1] & LX_TIMER_ABSTIME;
	switch (clock) {
	case LX_CLOCK_REALTIME:
	case LX_CLOCK_MONOTONIC:
	case LX_CLOCK_BOOTTIME:
	case LX_CLOCK_PROCESS_CPUTIME_ID: /* the monotonic clock here (time.c) */
		break;
	case LX_CLOCK_MONOTONIC_RAW:
	case LX_CLOCK_REALTIME_COARSE:
	case LX_CLOCK_MONOTONIC_COARSE:
	case LX_CLOCK_THREAD_CPUTIME_ID:
		return -LX_EOPNOTSUPP; /* clocks Linux reads but cannot sleep on */
	default:
		return -LX_EINVAL;
	}
	uint64_t ns;
	int64_t err = read_request(c->p, c->arg[2], &ns);
	if (err)
		return err;
	if (!absolute)
		return ns ? sleep_until(c, deadline_after(ns), c->arg[3]) : 0;
	uint64_t now;
	if (!lx_clock_now(clock, &now))
		return -LX_ENOSYS;
	if (ns <= now)
		return 0;
	return sleep_until(c, deadline_after(ns - now), 0);
}

void lx_sleep_expired(lx_process_t *t)
{
	if (!t->sleeping)
		return;
	t->sleeping = false;
	lx_signal_answer(t, t->sleep_reply, 0);
}

bool lx_sleep_cancel(lx_process_t *t, unsigned *reply)
{
	if (!t->sleeping)
		return false;
	uint64_t left = lx_ticks_to_ns(lx_timer_left(&t->wait_timer));
	lx_timer_stop(&t->wait_timer);
	t->sleeping = false;
	if (t->sleep_rem) {
		lx_timespec_t ts = {(int64_t)(left / NS_PER_SEC), (int64_t)(left % NS_PER_SEC)};
		/* A bad rem changes no result. */
		lx_copy_out(lx_group(t), t->sleep_rem, &ts, sizeof(ts));
	}
	*reply = t->sleep_reply;
	return true;
}
