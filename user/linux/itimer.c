/*
 * The real-time interval timer: alarm, setitimer and getitimer with
 * ITIMER_REAL. Each process has one, alarm_timer in the deadline queue
 * (timer.c); when it runs out, SIGALRM is posted to the process and an
 * interval timer is queued again one interval after the deadline it
 * reached (or after now, should it have fallen that far behind: missed
 * expiries are not made up for, as with Linux's overruns). A fork does not
 * inherit it; execve keeps it.
 *
 * ITIMER_VIRTUAL and ITIMER_PROF count the CPU time a process uses, which
 * nothing accounts here: they are EINVAL.
 */
#include "personality.h"

#define NS_PER_SEC 1000000000ULL
#define NS_PER_USEC 1000ULL
#define LX_ITIMER_REAL 0
#define LX_SIGALRM 14

typedef struct lx_itimerval {
	lx_timeval_t it_interval;
	lx_timeval_t it_value;
} lx_itimerval_t;

static void alarm_fire(lx_timer_t *t)
{
	lx_process_t *p = (lx_process_t *)((char *)t - offsetof(lx_process_t, alarm_timer));
	if (p->alarm_interval) {
		uint64_t now = lx_rdtsc(), next = t->deadline + p->alarm_interval;
		lx_timer_set(t, next > now ? next : now + p->alarm_interval);
	}
	lx_signal_send(p, LX_SIGALRM);
}

static uint64_t timeval_ns(const lx_timeval_t *tv)
{
	uint64_t sec = (uint64_t)tv->tv_sec;
	if (sec >= UINT64_MAX / NS_PER_SEC - 1)
		return UINT64_MAX - NS_PER_SEC;
	return sec * NS_PER_SEC + (uint64_t)tv->tv_usec * NS_PER_USEC;
}

/* ns as a timeval, rounded up to whole microseconds. */
static lx_timeval_t ns_timeval(uint64_t ns)
{
	uint64_t usec = (ns + NS_PER_USEC - 1) / NS_PER_USEC;
	return (lx_timeval_t){(int64_t)(usec / 1000000), (int64_t)(usec % 1000000)};
}

static bool timeval_valid(const lx_timeval_t *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

/* What p's timer holds now: the time left and the interval. */
static lx_itimerval_t current(const lx_process_t *p)
{
	lx_itimerval_t v = {{0, 0}, {0, 0}};
	if (p->alarm_timer.armed) {
		uint64_t left = lx_ticks_to_ns(lx_timer_left(&p->alarm_timer));
		/* A timer due but not yet fired still reads as running. */
		v.it_value = ns_timeval(left ? left : NS_PER_USEC);
		v.it_interval = ns_timeval(lx_ticks_to_ns(p->alarm_interval));
	}
	return v;
}

/* Arm p's timer for value_ns from now (0: disarm), then every interval_ns. */
static void arm(lx_process_t *p, uint64_t value_ns, uint64_t interval_ns)
{
	lx_timer_stop(&p->alarm_timer);
	p->alarm_interval = 0;
	if (!value_ns)
		return;
	uint64_t now = lx_rdtsc(), ticks = lx_ns_to_ticks(value_ns);
	p->alarm_interval = lx_ns_to_ticks(interval_ns);
	p->alarm_timer.fire = alarm_fire;
	lx_timer_set(&p->alarm_timer, ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks);
}

static bool check_which(int64_t which)
{
	static bool logged;
	if (which == LX_ITIMER_REAL)
		return true;
	if (which == 1 || which == 2)
		lx_log_once(&logged, "linux: ITIMER_VIRTUAL and ITIMER_PROF are not supported: "
		                     "EINVAL\n");
	return false;
}

int64_t lx_sys_setitimer(lx_call_t *c)
{
	lx_process_t *p = c->p;
	lx_itimerval_t v = {{0, 0}, {0, 0}};
	if (!check_which((int32_t)c->arg[0]))
		return -LX_EINVAL;
	/* A null new value disarms, as Linux has it. */
	if (c->arg[1] && !lx_copy_in(p, &v, c->arg[1], sizeof(v)))
		return -LX_EFAULT;
	if (!timeval_valid(&v.it_value) || !timeval_valid(&v.it_interval))
		return -LX_EINVAL;
	if (!lx_timer_available())
		return -LX_ENOSYS;
	lx_itimerval_t old = current(p);
	arm(p, timeval_ns(&v.it_value), timeval_ns(&v.it_interval));
	if (c->arg[2] && !lx_copy_out(p, c->arg[2], &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

int64_t lx_sys_getitimer(lx_call_t *c)
{
	if (!check_which((int32_t)c->arg[0]))
		return -LX_EINVAL;
	lx_itimerval_t v = current(c->p);
	return lx_copy_out(c->p, c->arg[1], &v, sizeof(v)) ? 0 : -LX_EFAULT;
}

/* alarm(seconds): the seconds the previous alarm had left, rounded to the
 * nearest (a running one never says 0), as Linux answers. */
int64_t lx_sys_alarm(lx_call_t *c)
{
	lx_process_t *p = c->p;
	if (!lx_timer_available())
		return -LX_ENOSYS;
	lx_itimerval_t old = current(p);
	arm(p, (uint64_t)(uint32_t)c->arg[0] * NS_PER_SEC, 0);
	int64_t sec = old.it_value.tv_sec;
	if ((!sec && old.it_value.tv_usec) || old.it_value.tv_usec >= 500000)
		sec++;
	return sec;
}

void lx_itimer_forget(lx_process_t *p)
{
	lx_timer_stop(&p->alarm_timer);
	p->alarm_interval = 0;
}
