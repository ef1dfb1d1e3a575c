/*
 * The terminal: the console (the 16550 at /dev/uart0) with Linux's termios
 * and line discipline (ldisc.c). There is one terminal; every console
 * description (0, 1, 2 at the start, /dev/console, /dev/tty) is it.
 *
 * Input. The uart driver signals our notification (bit LX_NOTIFY_CONSOLE)
 * whenever input arrives (UART_NOTIFY with a badged copy of it), and we
 * take the bytes with UART_READ_NOWAIT: this server never waits on another
 * while others wait on it. Bytes go through the line discipline as they
 * arrive: echoed, edited into lines, VINTR/VQUIT/VSUSP posted as signals to
 * the foreground process group. We take input only while it is ours: from
 * the first time a Linux program reads or polls the terminal until no
 * Linux program is left. Before that, input stays in the driver (for the
 * system monitor, which reads the console when no Linux program runs, or
 * for the program's first read, which then sees it under the termios it
 * set); after that, what was typed and not read is dropped and the
 * terminal's settings go back to the defaults for the next program. Input
 * stays in the driver, too, while the line discipline's buffer is full.
 *
 * A read blocks (a deferred reply) until a line is complete in canonical
 * mode, or as VMIN and VTIME say otherwise; VTIME runs on the process's
 * wait timer (timer.c).
 *
 * Job control: the terminal has a foreground process group and a session
 * (the run's first program's, until TIOCSPGRP moves the group). A
 * background group of that session that reads it, or writes it with
 * TOSTOP, or changes it, is stopped by SIGTTIN or SIGTTOU, and its call
 * is made again when it continues (job_check).
 *
 * Should the uart driver restart, proc tells us when the new one serves
 * /dev/uart0 (NS_WATCH, bit LX_NOTIFY_UART_NEW), and a call on the old
 * connection fails anyway: either way we connect again through the
 * namespace and register for input again (io.c), so a reader that waits
 * through the restart gets what is typed afterwards. What the old driver
 * had buffered and we had not taken is lost with it.
 */
#include "ldisc.h"
#include "personality.h"

#include <atoll/proto/uart.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/uart.h>

#define DECISECOND_NS 100000000ULL

/* The ioctl requests of a terminal (asm-generic/ioctls.h). */
#define LX_TCSETS 0x5402
#define LX_TCSETSW 0x5403
#define LX_TCSETSF 0x5404
#define LX_TCSBRK 0x5409
#define LX_TCXONC 0x540a
#define LX_TCFLSH 0x540b
#define LX_TIOCSCTTY 0x540e
#define LX_TIOCGPGRP 0x540f
#define LX_TIOCSPGRP 0x5410
#define LX_TIOCOUTQ 0x5411
#define LX_TIOCSWINSZ 0x5414
#define LX_TIOCNOTTY 0x5422
#define LX_TCSBRKP 0x5425
#define LX_SIGWINCH 28

static lx_ldisc_t ld;
static bool owned;          /* we take the console's input */
static uint64_t foreground; /* the foreground process group; 0: none yet */
static uint64_t session;    /* the session whose terminal it is (with foreground) */
static lx_winsize_t winsize = {.ws_row = 24, .ws_col = 80};
static uint8_t scratch[LX_LDISC_BUF];

void lx_tty_init(void)
{
	lx_ldisc_init(&ld);
}

const lx_termios_t *lx_tty_termios(void)
{
	return &ld.t;
}

/* Post sig to the foreground process group. */
static void post_group(int sig)
{
	if (foreground)
		lx_signal_group(foreground, sig);
}

/* Send what the line discipline echoed, after output processing. */
static void flush_echo(void)
{
	uint8_t out[2 * LX_LDISC_ECHO_MAX];
	if (!ld.echo_len)
		return;
	size_t n = lx_ldisc_output(&ld.t, ld.echo, ld.echo_len, out);
	ld.echo_len = 0;
	lx_console_send((const char *)out, n);
}

/* Ask the uart to signal LX_NOTIFY_CONSOLE on input. */
static void register_input(void)
{
	static bool logged;
	if (!lx_have_uart)
		return;
	cnode_delete(PROC_SLOT_CNODE, LX_SLOT_UART_NOTIFY);
	atoll_error_t err =
		cnode_mint(PROC_SLOT_CNODE, LX_SLOT_UART_NOTIFY, PROC_SLOT_CNODE,
	                   PROC_SLOT_NOTIFICATION, ATOLL_RIGHT_WRITE, LX_NOTIFY_CONSOLE);
	if (!err)
		err = uart_notify(LX_SLOT_UART, LX_SLOT_UART_NOTIFY);
	if (err)
		lx_log_once(&logged, "linux: cannot register for console input: error %d\n", err);
}

void lx_tty_connected(void)
{
	if (owned)
		register_input();
}

static void wake_readers(void);

/* Take what input the uart holds, as far as the buffer has room. Echo
 * goes out a chunk at a time (and before its buffer could fill). */
static void pull(void)
{
	bool got_any = false;
	for (int tries = 0; owned && lx_have_uart && lx_ldisc_room(&ld);) {
		uint8_t buf[UART_IO_MAX];
		size_t want = lx_ldisc_room(&ld) < sizeof(buf) ? lx_ldisc_room(&ld) : sizeof(buf);
		size_t got;
		atoll_error_t err = uart_read_nowait(LX_SLOT_UART, buf, want, &got);
		if (err) {
			if (++tries == 2 || !lx_console_reconnect(err))
				break;
			continue;
		}
		if (!got)
			break;
		got_any = true;
		for (size_t i = 0; i < got; i++) {
			if (ld.echo_len > LX_LDISC_ECHO_MAX / 2)
				flush_echo();
			int sig = lx_ldisc_receive(&ld, buf[i]);
			if (sig) {
				flush_echo();
				post_group(sig);
			}
		}
		flush_echo();
	}
	if (got_any) {
		wake_readers();
		lx_poll_wake();
	}
}

/* Give the terminal its foreground group and session, the first time
 * they matter: those of the program the run started, p's oldest
 * ancestor. */
static void settle(lx_process_t *p)
{
	if (foreground)
		return;
	for (unsigned depth = 0; p->ppid && depth < LX_PROCESS_MAX; depth++) {
		lx_process_t *parent = lx_process_next(NULL);
		while (parent && parent->pid != p->ppid)
			parent = lx_process_next(parent);
		if (!parent)
			break;
		p = parent;
	}
	foreground = p->pgid ? p->pgid : p->pid;
	session = p->sid ? p->sid : p->pid;
}

void lx_tty_want_input(lx_process_t *p)
{
	settle(p);
	if (!owned) {
		owned = true;
		register_input();
	}
	pull();
}

void lx_tty_notify(void)
{
	if (owned)
		pull();
}

bool lx_tty_readable(void)
{
	if (!(ld.t.c_lflag & LX_ICANON))
		return lx_ldisc_available(&ld) > 0;
	return lx_ldisc_line_ready(&ld);
}

/* How many bytes a read of len needs before it returns (non-canonical). */
static size_t wanted(uint64_t len)
{
	size_t vmin = ld.t.c_cc[LX_VMIN];
	return vmin < len ? vmin : (size_t)len;
}

/* Whether a read of len would return now; *timer says it then waits with
 * a deadline VTIME after now (the next byte's). */
static bool read_ready(uint64_t len, bool *timer)
{
	*timer = false;
	if (len == 0)
		return true;
	if (ld.t.c_lflag & LX_ICANON)
		return lx_ldisc_line_ready(&ld);
	size_t avail = lx_ldisc_available(&ld);
	uint8_t vtime = ld.t.c_cc[LX_VTIME];
	size_t need = wanted(len);
	if (need == 0) /* VMIN 0: any byte, or VTIME's end (at once without VTIME) */
		return avail > 0 || vtime == 0;
	if (avail >= need)
		return true;
	/* VMIN and VTIME: the timer runs from the last byte received. */
	*timer = vtime && avail > 0;
	return false;
}

/* Copy n bytes of scratch into the count iovecs at vec in p, in order:
 * false when an iovec or its buffer cannot be reached. */
static bool scatter(lx_process_t *p, uint64_t vec, uint64_t count, size_t n)
{
	size_t done = 0;
	for (uint64_t i = 0; i < count && done < n; i++) {
		lx_iovec_t iov;
		if (!lx_copy_in(p, &iov, vec + i * sizeof(iov), sizeof(iov)))
			return false;
		size_t part = iov.len < n - done ? (size_t)iov.len : n - done;
		if (part && !lx_copy_out(p, iov.base, scratch + done, part))
			return false;
		done += part;
	}
	return true;
}

/* Move the bytes thread t's read may take to where it asked (tty_addr,
 * or the iovecs at tty_vec, in its process's memory): the count or
 * -EFAULT. */
static int64_t take(lx_process_t *t)
{
	uint64_t len = t->tty_len < sizeof(scratch) ? t->tty_len : sizeof(scratch);
	size_t n = lx_ldisc_read(&ld, scratch, len);
	if (!n)
		return 0;
	lx_process_t *p = lx_group(t);
	bool ok = t->tty_vec ? scatter(p, t->tty_vec, t->tty_count, n) :
	                       lx_copy_out(p, t->tty_addr, scratch, n);
	return ok ? (int64_t)n : -LX_EFAULT;
}

static void arm_vtime(lx_process_t *t)
{
	uint64_t now = lx_rdtsc();
	lx_wait_timer_set(t, now + lx_ns_to_ticks(ld.t.c_cc[LX_VTIME] * DECISECOND_NS));
}

/* Answer thread t's read with what it may take now. */
static void finish(lx_process_t *t)
{
	t->tty_reading = false;
	lx_timer_stop(&t->wait_timer);
	lx_signal_answer(t, t->tty_reply, take(t));
}

static void wake_readers(void)
{
	bool took = false;
	for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q)) {
		if (!q->tty_reading)
			continue;
		bool timer;
		if (read_ready(q->tty_len, &timer)) {
			finish(q);
			took = true;
		} else if (timer) {
			arm_vtime(q); /* a byte came: VTIME counts from it */
		}
	}
	/* Room again: input held back in the driver may come now. */
	if (took)
		pull();
}

/*
 * Job control, as Linux's __tty_check_change: the caller, in a background
 * group of the terminal's session, reads it (sig SIGTTIN), or writes it
 * with TOSTOP or changes its settings (SIGTTOU). Its group gets sig and
 * the call is made again after the stop (-ERESTARTSYS); with sig blocked
 * or ignored a read is EIO and the rest goes on; an orphaned group, which
 * nobody would continue, gets EIO instead of the stop. Processes of
 * other sessions (after setsid) have no controlling terminal on Linux:
 * nothing stops them.
 */
static int64_t job_check(lx_call_t *c, int sig)
{
	lx_process_t *p = c->p;
	settle(p);
	if (p->sid != session || p->pgid == foreground)
		return 0;
	if ((c->t->sigmask & LX_SIGBIT(sig)) || p->actions[sig - 1].handler == LX_SIG_IGN_HANDLER)
		return sig == LX_SIGTTIN ? -LX_EIO : 0;
	if (lx_group_orphaned(p->pgid))
		return -LX_EIO;
	lx_signal_group(p->pgid, sig);
	return -LX_ERESTARTSYS;
}

int64_t lx_tty_write_check(lx_call_t *c)
{
	return ld.t.c_lflag & LX_TOSTOP ? job_check(c, LX_SIGTTOU) : 0;
}

int64_t lx_tty_read(lx_call_t *c, const lx_file_t *f, uint64_t addr, uint64_t len, uint64_t vec,
                    uint64_t count)
{
	lx_process_t *p = c->p, *t = c->t; /* the thread t blocks */
	if ((f->flags & LX_O_ACCMODE) == LX_O_WRONLY)
		return -LX_EBADF;
	int64_t err = job_check(c, LX_SIGTTIN);
	if (err)
		return err;
	if (len > LX_MAX_RW_COUNT)
		len = LX_MAX_RW_COUNT;
	/* Where the bytes go, kept in t for a read that waits. */
	t->tty_addr = addr;
	t->tty_len = len;
	t->tty_vec = vec;
	t->tty_count = count;
	lx_tty_want_input(p);
	bool timer;
	if (read_ready(len, &timer)) {
		int64_t n = take(t);
		if (n > 0)
			pull();
		return n;
	}
	if (f->flags & LX_O_NONBLOCK)
		return -LX_EAGAIN;
	if (lx_signal_pending(t))
		return -LX_EINTR;
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): a terminal read would block, but every Reply "
		            "object is held: EINTR\n",
		            p->pid, p->name);
		return -LX_EINTR;
	}
	bool canon = ld.t.c_lflag & LX_ICANON;
	if (!canon && ld.t.c_cc[LX_VTIME] && (timer || wanted(len) == 0)) {
		if (!lx_timer_available())
			return take(t); /* no timer: VTIME is over at once */
		arm_vtime(t);
	} else {
		lx_timer_stop(&t->wait_timer);
	}
	t->tty_reading = true;
	t->tty_reply = c->reply_object;
	c->reply = LX_REPLY_DEFER;
	return 0;
}

void lx_tty_expired(lx_process_t *p)
{
	if (p->tty_reading)
		finish(p); /* VTIME ran out: what is there, maybe nothing */
}

bool lx_tty_cancel(lx_process_t *p, unsigned *reply)
{
	if (!p->tty_reading)
		return false;
	p->tty_reading = false;
	lx_timer_stop(&p->wait_timer);
	*reply = p->tty_reply;
	return true;
}

void lx_tty_release(void)
{
	if (lx_process_next(NULL))
		return;
	/* No Linux program is left: the next program's run has a
	 * foreground group of its own, the console's input is the monitor's
	 * again, and the next program starts on a fresh terminal. */
	foreground = session = 0;
	if (!owned)
		return;
	owned = false;
	lx_ldisc_init(&ld);
	winsize = (lx_winsize_t){.ws_row = 24, .ws_col = 80};
}

/* A process of group pgrp (0: none): TIOCSPGRP's check. */
static lx_process_t *group_member(uint64_t pgrp)
{
	for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q))
		if (!q->group && q->pgid == pgrp)
			return q;
	return NULL;
}

static int64_t set_termios(lx_call_t *c, uint32_t request)
{
	lx_termios_t t;
	if (!lx_copy_in(c->p, &t, c->arg[2], sizeof(t)))
		return -LX_EFAULT;
	if (request == LX_TCSETSF)
		lx_ldisc_flush(&ld);
	/* TCSETSW waits for output to drain: ours has left when write
	 * returned. */
	lx_ldisc_set_termios(&ld, &t);
	wake_readers();
	lx_poll_wake();
	return 0;
}

static int64_t put_int(lx_call_t *c, int32_t v)
{
	return lx_copy_out(c->p, c->arg[2], &v, sizeof(v)) ? 0 : -LX_EFAULT;
}

/* Whether request changes the terminal, so that a background group
 * gets SIGTTOU for it (Linux's tty_check_change callers). */
static bool changes_terminal(uint32_t request)
{
	switch (request) {
	case LX_TCSETS:
	case LX_TCSETSW:
	case LX_TCSETSF:
	case LX_TCSBRK:
	case LX_TCSBRKP:
	case LX_TCXONC:
	case LX_TCFLSH:
	case LX_TIOCSPGRP:
		return true;
	default:
		return false;
	}
}

int64_t lx_tty_ioctl(lx_call_t *c)
{
	uint32_t request = (uint32_t)c->arg[1];
	uint64_t arg = c->arg[2];
	if (changes_terminal(request)) {
		int64_t err = job_check(c, LX_SIGTTOU);
		if (err)
			return err == -LX_EIO && request == LX_TIOCSPGRP ? -LX_ENOTTY : err;
	}
	switch (request) {
	case LX_TCGETS:
		return lx_copy_out(c->p, arg, &ld.t, sizeof(ld.t)) ? 0 : -LX_EFAULT;
	case LX_TCSETS:
	case LX_TCSETSW:
	case LX_TCSETSF:
		return set_termios(c, request);
	case LX_TIOCGWINSZ:
		return lx_copy_out(c->p, arg, &winsize, sizeof(winsize)) ? 0 : -LX_EFAULT;
	case LX_TIOCSWINSZ: {
		lx_winsize_t ws;
		if (!lx_copy_in(c->p, &ws, arg, sizeof(ws)))
			return -LX_EFAULT;
		bool changed = ws.ws_row != winsize.ws_row || ws.ws_col != winsize.ws_col ||
		               ws.ws_xpixel != winsize.ws_xpixel ||
		               ws.ws_ypixel != winsize.ws_ypixel;
		winsize = ws;
		if (changed)
			post_group(LX_SIGWINCH);
		return 0;
	}
	case LX_TIOCGPGRP:
		settle(c->p);
		return put_int(c, (int32_t)foreground);
	case LX_TIOCSPGRP: {
		int32_t pgrp;
		if (!lx_copy_in(c->p, &pgrp, arg, sizeof(pgrp)))
			return -LX_EFAULT;
		if (pgrp < 0)
			return -LX_EINVAL;
		lx_process_t *member = group_member((uint64_t)pgrp);
		if (!member)
			return -LX_ESRCH;
		if (member->sid != c->p->sid)
			return -LX_EPERM; /* a group of another session */
		foreground = (uint64_t)pgrp;
		return 0;
	}
	case LX_TIOCSCTTY:
	case LX_TIOCNOTTY:
		/* The console is every Linux process's controlling terminal. */
		return 0;
	case LX_FIONREAD:
		lx_tty_want_input(c->p);
		return put_int(c, (int32_t)lx_ldisc_available(&ld));
	case LX_TIOCOUTQ:
		return put_int(c, 0); /* output has left when write returns */
	case LX_TCFLSH:
		if (arg > 2)
			return -LX_EINVAL;
		if (arg != 1) /* TCIFLUSH or TCIOFLUSH; the output queue is always empty */
			lx_ldisc_flush(&ld);
		return 0;
	case LX_TCXONC:
		/* TCOOFF, TCOON, TCIOFF, TCION: output never waits, so
		 * suspending it is accepted and has no effect. */
		return arg <= 3 ? 0 : -LX_EINVAL;
	case LX_TCSBRK:
	case LX_TCSBRKP:
		return 0; /* drains the output, which has always left */
	default:
		return -LX_ENOTTY;
	}
}
