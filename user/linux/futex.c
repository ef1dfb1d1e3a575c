/*
 * futex: the waits and wakes the C library builds its mutexes, condition
 * variables, joins and once-flags on.
 *
 * A futex is a 32-bit word named by (process, address). Every thread of a
 * process sees the same memory, and processes never share memory here
 * (fork copies it), so FUTEX_PRIVATE_FLAG changes nothing: both kinds are
 * keyed the same way, by the process's entry and the address.
 *
 * A waiter is deferred in the Reply object its thread's system call came
 * in (lx_futex_wait_t in its entry); a wake answers it with 0. Waits are
 * woken oldest first, as Linux does for threads of one priority. The check
 * of the value and the start of the wait are one step: this server handles
 * one request at a time, and every wake comes through it.
 *
 * Timeouts: a zero relative timeout, or an absolute one already past, ends
 * at once (ETIMEDOUT) and a bad one is EINVAL or EFAULT, as on Linux. A
 * finite timeout is a deadline on the thread's wait timer (timer.c), whose
 * expiry ends the wait with ETIMEDOUT (lx_futex_timeout).
 *
 * Each blocked thread holds one of the server's Reply objects; when none
 * is left to hold, FUTEX_WAIT returns EAGAIN (logged once): the caller's
 * loop looks at the word again and waits again, so it spins instead of
 * blocking, but neither hangs nor fails.
 *
 * FUTEX_WAKE_OP and the priority-inheritance operations are ENOSYS.
 */
#include "personality.h"

#define NS_PER_SEC 1000000000LL

static uint64_t next_order;

/* Waiters of p at addr (any bitset), oldest first: how many, at most max. */
static unsigned waiters_at(lx_process_t *p, uint64_t addr, lx_process_t **out, unsigned max)
{
	unsigned n = 0;
	for (lx_process_t *t = lx_process_next(NULL); t; t = lx_process_next(t)) {
		if (!t->futex.waiting || lx_group(t) != p || t->futex.addr != addr)
			continue;
		if (n == max)
			break;
		unsigned i = n++;
		/* Insertion: tables are small. */
		while (i > 0 && out[i - 1]->futex.order > t->futex.order) {
			out[i] = out[i - 1];
			i--;
		}
		out[i] = t;
	}
	return n;
}

static void answer(lx_process_t *t, int64_t ret)
{
	t->futex.waiting = false;
	lx_timer_stop(&t->wait_timer);
	lx_signal_answer(t, t->futex.reply, ret);
}

unsigned lx_futex_wake(lx_process_t *p, uint64_t addr, unsigned n, uint32_t bitset)
{
	lx_process_t *w[LX_PROCESS_MAX];
	unsigned count = waiters_at(p, addr, w, LX_PROCESS_MAX), woken = 0;
	for (unsigned i = 0; i < count && woken < n; i++) {
		if (!(w[i]->futex.bitset & bitset))
			continue;
		answer(w[i], 0);
		woken++;
	}
	return woken;
}

bool lx_futex_cancel(lx_process_t *p, unsigned *reply)
{
	if (!p->futex.waiting)
		return false;
	p->futex.waiting = false;
	lx_timer_stop(&p->wait_timer);
	*reply = p->futex.reply;
	return true;
}

void lx_futex_timeout(lx_process_t *t)
{
	if (t->futex.waiting)
		answer(t, -LX_ETIMEDOUT);
}

/* A futex word's address: 4-byte aligned, or EINVAL. */
static bool aligned(uint64_t addr)
{
	return (addr & 3) == 0;
}

/* The timeout at addr (0: none) into w: 0, -EFAULT or -EINVAL. */
static int64_t read_timeout(lx_process_t *p, uint64_t addr, lx_futex_wait_t *w)
{
	if (!addr)
		return 0;
	lx_timespec_t ts;
	if (!lx_copy_in(p, &ts, addr, sizeof(ts)))
		return -LX_EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= NS_PER_SEC)
		return -LX_EINVAL;
	w->timed = true;
	/* Saturated: anything past 292 years is forever anyway. */
	w->timeout = (uint64_t)ts.tv_sec > INT64_MAX / NS_PER_SEC - 1 ?
	                     INT64_MAX :
	                     (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/*
 * FUTEX_WAIT (a relative timeout) and FUTEX_WAIT_BITSET (an absolute one,
 * on the clock op names): block while the word at addr holds val.
 */
static int64_t futex_wait(lx_call_t *c, uint64_t addr, uint32_t val, uint64_t timeout,
                          uint32_t bitset, bool absolute, bool realtime)
{
	lx_process_t *p = c->p;
	lx_futex_wait_t w = {.addr = addr, .bitset = bitset, .clock_realtime = realtime};
	int64_t r = read_timeout(p, timeout, &w);
	if (r)
		return r;
	if (!bitset || !aligned(addr))
		return -LX_EINVAL;
	uint32_t cur;
	if (!lx_copy_in(p, &cur, addr, sizeof(cur)))
		return -LX_EFAULT;
	if (cur != val)
		return -LX_EAGAIN;
	/* The deadline on the TSC: a relative timeout counts from now, an
	 * absolute one is a time of the clock op names. */
	uint64_t deadline = 0;
	if (w.timed) {
		uint64_t now_ns = 0, wait_ns = w.timeout;
		if (absolute) {
			if (!lx_clock_now(realtime ? LX_CLOCK_REALTIME : LX_CLOCK_MONOTONIC,
			                  &now_ns))
				return -LX_ENOSYS;
			wait_ns = w.timeout > now_ns ? w.timeout - now_ns : 0;
		}
		if (wait_ns == 0)
			return -LX_ETIMEDOUT; /* run out already */
		if (!lx_timer_available())
			return -LX_ENOSYS;
		uint64_t now = lx_rdtsc(), ticks = lx_ns_to_ticks(wait_ns);
		deadline = ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks;
	}
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): a futex wait would block, but every Reply object "
		            "is held: EAGAIN\n",
		            p->pid, p->name);
		return -LX_EAGAIN;
	}
	w.waiting = true;
	w.order = ++next_order;
	w.reply = c->reply_object;
	c->t->futex = w;
	if (w.timed)
		lx_wait_timer_set(c->t, deadline);
	else
		lx_timer_stop(&c->t->wait_timer);
	c->reply = LX_REPLY_DEFER;
	return 0;
}

/* FUTEX_REQUEUE and FUTEX_CMP_REQUEUE (cmp: the value val3 must match):
 * wake nr_wake waiters at addr, move up to nr_requeue more to addr2. */
static int64_t futex_requeue(lx_process_t *p, uint64_t addr, int32_t nr_wake, int32_t nr_requeue,
                             uint64_t addr2, bool cmp, uint32_t val3)
{
	if (nr_wake < 0 || nr_requeue < 0 || !aligned(addr) || !aligned(addr2))
		return -LX_EINVAL;
	if (cmp) {
		uint32_t cur;
		if (!lx_copy_in(p, &cur, addr, sizeof(cur)))
			return -LX_EFAULT;
		if (cur != val3)
			return -LX_EAGAIN;
	}
	lx_process_t *w[LX_PROCESS_MAX];
	unsigned count = waiters_at(p, addr, w, LX_PROCESS_MAX);
	int64_t done = 0;
	for (unsigned i = 0; i < count && done - nr_wake < nr_requeue; i++) {
		if (++done <= nr_wake) {
			answer(w[i], 0);
		} else {
			/* Behind the waiters already there, as a new wait would be. */
			w[i]->futex.addr = addr2;
			w[i]->futex.order = ++next_order;
		}
	}
	return done;
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
int64_t lx_sys_futex(lx_call_t *c)
{
	uint64_t addr = c->arg[0], addr2 = c->arg[4];
	uint32_t op = (uint32_t)c->arg[1], val = (uint32_t)c->arg[2], val3 = (uint32_t)c->arg[5];
	uint32_t cmd = op & ~(uint32_t)(LX_FUTEX_PRIVATE_FLAG | LX_FUTEX_CLOCK_REALTIME);
	bool realtime = op & LX_FUTEX_CLOCK_REALTIME;
	if (realtime && cmd != LX_FUTEX_WAIT_BITSET)
		return -LX_ENOSYS;
	switch (cmd) {
	case LX_FUTEX_WAIT:
		return futex_wait(c, addr, val, c->arg[3], LX_FUTEX_BITSET_MATCH_ANY, false, false);
	case LX_FUTEX_WAIT_BITSET:
		return futex_wait(c, addr, val, c->arg[3], val3, true, realtime);
	case LX_FUTEX_WAKE:
	case LX_FUTEX_WAKE_BITSET: {
		uint32_t bitset = cmd == LX_FUTEX_WAKE ? LX_FUTEX_BITSET_MATCH_ANY : val3;
		if (!bitset || !aligned(addr))
			return -LX_EINVAL;
		/* Linux wakes at least one even when asked for 0 or fewer. */
		int32_t n = (int32_t)val;
		return lx_futex_wake(c->p, addr, n > 0 ? (unsigned)n : 1, bitset);
	}
	case LX_FUTEX_REQUEUE:
	case LX_FUTEX_CMP_REQUEUE:
		return futex_requeue(c->p, addr, (int32_t)val, (int32_t)c->arg[3], addr2,
		                     cmd == LX_FUTEX_CMP_REQUEUE, val3);
	default: {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): futex operation %u is not supported: "
		            "ENOSYS\n",
		            c->p->pid, c->p->name, cmd);
		return -LX_ENOSYS;
	}
	}
}
