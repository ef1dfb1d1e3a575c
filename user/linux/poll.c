/*
 * poll, ppoll, select and pselect6. What a descriptor reports is Linux's:
 * a file, directory or device is always ready to read and to write
 * (Linux's DEFAULT_POLLMASK for regular files, read-only or not); the
 * console is ready to write, and to read when a read would not block
 * (tty.c); a pipe end says what pipe.c's lx_pipe_poll says. poll marks a
 * descriptor that is not open POLLNVAL; select fails with EBADF.
 *
 * A call that finds nothing ready and may wait blocks: the caller stays in
 * its Reply object (server_defer) with its request in p->poll_wait, and
 * every change of a pipe or of the terminal's input evaluates the request
 * again from the process's memory, answering with the ready count and the
 * revents or fd sets once something is ready. A finite timeout is a
 * deadline on the process's wait timer (timer.c): when it runs out the
 * call answers 0. ppoll, select and pselect6 write the time left back into
 * their timeout, as Linux does. ppoll's and pselect6's signal mask stands
 * while the call runs: a signal it lets through interrupts the call
 * (EINTR, the handler running with that mask); any other answer puts the
 * old mask back first, so such a signal then waits, as on Linux.
 */
#include "personality.h"

/* poll's most descriptors: its RLIMIT_NOFILE. */
#define POLL_MAX LX_FD_MAX
/* select's descriptors are cut to Linux's smallest descriptor table, one
 * word of bits per set: LX_FD_MAX and more are never open. */
#define SELECT_MAX 64
_Static_assert(LX_FD_MAX <= SELECT_MAX, "select's sets are one word");

/* What select counts as ready in each set (Linux's POLLIN_SET, POLLOUT_SET
 * and POLLEX_SET). */
#define SELECT_IN (LX_POLLIN | LX_POLLRDNORM | LX_POLLRDBAND | LX_POLLHUP | LX_POLLERR)
#define SELECT_OUT (LX_POLLOUT | LX_POLLWRNORM | LX_POLLWRBAND | LX_POLLERR)
#define SELECT_EX LX_POLLPRI

#define NS_PER_SEC 1000000000ULL
/* A timeout in nanoseconds: 0 answers at once, TIMEOUT_NEVER waits for
 * ever. */
#define TIMEOUT_NEVER UINT64_MAX

/* What f is ready for (LX_POLL*). */
static uint32_t file_poll(const lx_file_t *f)
{
	if (f->pipe)
		return lx_pipe_poll(f);
	if (f->console)
		return LX_POLLOUT | LX_POLLWRNORM |
		       (lx_tty_readable() ? LX_POLLIN | LX_POLLRDNORM : 0);
	return LX_POLLIN | LX_POLLOUT | LX_POLLRDNORM | LX_POLLWRNORM;
}

/*
 * Evaluate poll's request w in p: the count of ready descriptors, or
 * -errno. The revents go back to p when some are ready or when final;
 * *console says whether the terminal is among the descriptors.
 */
static int64_t scan_poll(lx_process_t *p, const lx_poll_wait_t *w, bool final, bool *console)
{
	lx_pollfd_t fds[POLL_MAX];
	size_t size = w->nfds * sizeof(fds[0]);
	if (!lx_copy_in(p, fds, w->fds, size))
		return -LX_EFAULT;
	int64_t ready = 0;
	*console = false;
	for (uint64_t i = 0; i < w->nfds; i++) {
		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue; /* ignored, as Linux ignores it */
		lx_file_t *f = lx_fd_get(p, fds[i].fd);
		uint32_t mask = LX_POLLNVAL;
		if (f) {
			*console |= f->console;
			mask = file_poll(f) & ((uint16_t)fds[i].events | LX_POLLERR | LX_POLLHUP);
		}
		fds[i].revents = (int16_t)mask;
		ready += mask != 0;
	}
	if ((ready || final) && !lx_copy_out(p, w->fds, fds, size))
		return -LX_EFAULT;
	return ready;
}

/* The same for select's request: the count of bits set in the three
 * result sets, which replace the sets asked. */
static int64_t scan_select(lx_process_t *p, const lx_poll_wait_t *w, bool final, bool *console)
{
	static const uint32_t wanted[3] = {SELECT_IN, SELECT_OUT, SELECT_EX};
	uint64_t in[3] = {0}, out[3] = {0};
	size_t bytes = w->nfds ? sizeof(uint64_t) : 0;
	uint64_t all = 0;
	for (int k = 0; k < 3; k++) {
		if (w->sets[k] && !lx_copy_in(p, &in[k], w->sets[k], bytes))
			return -LX_EFAULT;
		if (w->nfds < SELECT_MAX)
			in[k] &= (1ULL << w->nfds) - 1;
		all |= in[k];
	}
	int64_t ready = 0;
	*console = false;
	for (uint64_t fd = 0; fd < w->nfds; fd++) {
		uint64_t bit = 1ULL << fd;
		if (!(all & bit))
			continue;
		lx_file_t *f = lx_fd_get(p, (int64_t)fd);
		if (!f)
			return -LX_EBADF;
		*console |= f->console;
		uint32_t mask = file_poll(f);
		for (int k = 0; k < 3; k++) {
			if ((in[k] & bit) && (mask & wanted[k])) {
				out[k] |= bit;
				ready++;
			}
		}
	}
	if (ready || final)
		for (int k = 0; k < 3; k++)
			if (w->sets[k] && !lx_copy_out(p, w->sets[k], &out[k], bytes))
				return -LX_EFAULT;
	return ready;
}

static int64_t scan(lx_process_t *p, const lx_poll_wait_t *w, bool final, bool *console)
{
	return w->select ? scan_select(p, w, final, console) : scan_poll(p, w, final, console);
}

/* Write the time left until the wait timer's deadline into the timeout of
 * w (a timeval for select, a timespec for ppoll and pselect6); a failed
 * copy changes no result, as in Linux. */
static void write_time_left(lx_process_t *p, const lx_poll_wait_t *w, uint64_t ns)
{
	_Static_assert(sizeof(lx_timespec_t) == sizeof(lx_timeval_t), "both two words");
	if (!w->time_addr)
		return;
	lx_timespec_t ts = {(int64_t)(ns / NS_PER_SEC), (int64_t)(ns % NS_PER_SEC)};
	if (w->timeval)
		ts.tv_nsec /= 1000;
	lx_copy_out(p, w->time_addr, &ts, sizeof(ts));
}

/*
 * Answer request w now, or block until it is ready or timeout_ns have
 * passed (personality.h's LX_REPLY_DEFER).
 */
static int64_t poll_start(lx_call_t *c, const lx_poll_wait_t *w, uint64_t timeout_ns)
{
	lx_process_t *p = c->p;
	bool console;
	int64_t n = scan(p, w, false, &console);
	if (!n && console) {
		/* Asked about the terminal: take its input, which may make
		 * the request ready after all. */
		lx_tty_want_input(p);
		n = scan(p, w, false, &console);
	}
	if (n) {
		lx_signal_restore_mask(c->t);
		return n;
	}
	if (timeout_ns == 0) {
		lx_signal_restore_mask(c->t);
		write_time_left(p, w, 0);
		return scan(p, w, true, &console); /* the empty revents or sets */
	}
	if (lx_signal_pending(c->t))
		return -LX_EINTR;
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): a poll or select would block, but every Reply "
		            "object is held: EINTR\n",
		            p->pid, p->name);
		return -LX_EINTR;
	}
	lx_process_t *t = c->t; /* the calling thread blocks */
	if (timeout_ns != TIMEOUT_NEVER) {
		if (!lx_timer_available()) {
			static bool logged;
			lx_log_once(&logged, "linux: no timer: a finite poll or select timeout "
			                     "expires at once\n");
			lx_signal_restore_mask(c->t);
			write_time_left(p, w, 0);
			return scan(p, w, true, &console);
		}
		uint64_t now = lx_rdtsc(), ticks = lx_ns_to_ticks(timeout_ns);
		lx_wait_timer_set(t, ticks > UINT64_MAX - now ? UINT64_MAX : now + ticks);
	} else {
		lx_timer_stop(&t->wait_timer);
	}
	t->polling = true;
	t->poll_wait = *w;
	t->poll_reply = c->reply_object;
	c->reply = LX_REPLY_DEFER;
	return 0;
}

void lx_poll_wake(void)
{
	for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q)) {
		if (!q->polling)
			continue;
		bool console;
		/* A thread's descriptors and memory are its process's. */
		int64_t n = scan(lx_group(q), &q->poll_wait, false, &console);
		/* Paging in for the scan may have ended q, or a nested wake
		 * answered it already. */
		if (!n || !q->polling)
			continue;
		q->polling = false;
		if (q->wait_timer.armed)
			write_time_left(lx_group(q), &q->poll_wait,
			                lx_ticks_to_ns(lx_timer_left(&q->wait_timer)));
		lx_timer_stop(&q->wait_timer);
		if (n > 0)
			lx_signal_restore_mask(q);
		lx_signal_answer(q, q->poll_reply, n);
	}
}

void lx_poll_expired(lx_process_t *t)
{
	if (!t->polling)
		return;
	bool console;
	t->polling = false;
	int64_t n = scan(lx_group(t), &t->poll_wait, true, &console);
	if (n >= 0) {
		write_time_left(lx_group(t), &t->poll_wait, 0);
		lx_signal_restore_mask(t);
	}
	lx_signal_answer(t, t->poll_reply, n);
}

bool lx_poll_cancel(lx_process_t *p, unsigned *reply)
{
	if (!p->polling)
		return false;
	p->polling = false;
	lx_timer_stop(&p->wait_timer);
	*reply = p->poll_reply;
	return true;
}

/* The timespec at addr (0: none, no timeout) as ppoll and pselect6 read
 * it, in nanoseconds. */
static int64_t read_timespec(lx_process_t *p, uint64_t addr, uint64_t *timeout_ns)
{
	*timeout_ns = TIMEOUT_NEVER;
	if (!addr)
		return 0;
	lx_timespec_t ts;
	if (!lx_copy_in(p, &ts, addr, sizeof(ts)))
		return -LX_EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int64_t)NS_PER_SEC)
		return -LX_EINVAL;
	*timeout_ns = (uint64_t)ts.tv_sec >= TIMEOUT_NEVER / NS_PER_SEC - 1 ?
	                      TIMEOUT_NEVER - 1 :
	                      (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
	return 0;
}

/* Read the signal mask at addr (0: none) of size bytes into *mask. */
static int64_t read_sigmask(lx_process_t *p, uint64_t addr, uint64_t size, uint64_t *mask)
{
	if (!addr)
		return 0;
	if (size != sizeof(*mask))
		return -LX_EINVAL;
	return lx_copy_in(p, mask, addr, sizeof(*mask)) ? 0 : -LX_EFAULT;
}

/* poll and ppoll: the pollfds at fds, nfds of them; ppoll's timespec at
 * time_addr (0: poll, or none) gets the time left. */
static int64_t do_poll(lx_call_t *c, uint64_t fds, uint64_t nfds, uint64_t timeout_ns,
                       uint64_t time_addr)
{
	if (nfds > POLL_MAX)
		return -LX_EINVAL;
	lx_poll_wait_t w = {.select = false, .fds = fds, .nfds = nfds, .time_addr = time_addr};
	return poll_start(c, &w, timeout_ns);
}

int64_t lx_sys_poll(lx_call_t *c)
{
	int32_t ms = (int32_t)c->arg[2];
	return do_poll(c, c->arg[0], (uint32_t)c->arg[1],
	               ms < 0 ? TIMEOUT_NEVER : (uint64_t)ms * 1000000, 0);
}

int64_t lx_sys_ppoll(lx_call_t *c)
{
	uint64_t timeout_ns, mask;
	int64_t r = read_timespec(c->p, c->arg[2], &timeout_ns);
	if (!r)
		r = read_sigmask(c->p, c->arg[3], c->arg[4], &mask);
	if (r)
		return r;
	if (c->arg[3])
		lx_signal_set_mask(c->t, mask);
	return do_poll(c, c->arg[0], (uint32_t)c->arg[1], timeout_ns, c->arg[2]);
}

/* select and pselect6: nfds and the three sets at c->arg[1..3]; the
 * timeout at time_addr (a timeval for select) gets the time left. */
static int64_t do_select(lx_call_t *c, uint64_t timeout_ns, uint64_t time_addr, bool timeval)
{
	int32_t nfds = (int32_t)c->arg[0];
	if (nfds < 0)
		return -LX_EINVAL;
	lx_poll_wait_t w = {
		.select = true,
		.nfds = nfds < SELECT_MAX ? (uint64_t)nfds : SELECT_MAX,
		.sets = {c->arg[1], c->arg[2], c->arg[3]},
		.time_addr = time_addr,
		.timeval = timeval,
	};
	return poll_start(c, &w, timeout_ns);
}

int64_t lx_sys_select(lx_call_t *c)
{
	uint64_t timeout_ns = TIMEOUT_NEVER;
	if (c->arg[4]) {
		lx_timeval_t tv;
		if (!lx_copy_in(c->p, &tv, c->arg[4], sizeof(tv)))
			return -LX_EFAULT;
		if (tv.tv_sec < 0 || tv.tv_usec < 0)
			return -LX_EINVAL;
		/* Linux carries microseconds past a second over into seconds. */
		uint64_t sec = (uint64_t)tv.tv_sec + (uint64_t)tv.tv_usec / 1000000;
		uint64_t usec = (uint64_t)tv.tv_usec % 1000000;
		timeout_ns = sec >= TIMEOUT_NEVER / NS_PER_SEC - 1 ? TIMEOUT_NEVER - 1 :
		                                                     sec * NS_PER_SEC + usec * 1000;
	}
	return do_select(c, timeout_ns, c->arg[4], true);
}

int64_t lx_sys_pselect6(lx_call_t *c)
{
	uint64_t timeout_ns;
	int64_t r = read_timespec(c->p, c->arg[4], &timeout_ns);
	if (r)
		return r;
	if (c->arg[5]) {
		lx_pselect_sigmask_t sm;
		if (!lx_copy_in(c->p, &sm, c->arg[5], sizeof(sm)))
			return -LX_EFAULT;
		uint64_t mask;
		r = read_sigmask(c->p, sm.ss, sm.ss_len, &mask);
		if (r)
			return r;
		if (sm.ss)
			lx_signal_set_mask(c->t, mask);
	}
	return do_select(c, timeout_ns, c->arg[4], false);
}
