/*
 * Signals: sending, the Linux default actions, and when a signal takes
 * effect.
 *
 * A process has a pending set (one entry per signal number, with what its
 * siginfo will say), a blocked mask and an action per signal. Posting a
 * signal (kill, tkill, tgkill, a child's end, a write to a pipe without
 * reader, the terminal, a timer) queues it unless it would be ignored,
 * then looks at what the process is doing:
 *
 *  - It is the process whose system call is being handled (lx_caller):
 *    nothing more; the signal is delivered as that call returns.
 *  - Its action is to terminate (SIGKILL always): it ends at once,
 *    whatever it is doing, through proc, which needs none of its
 *    registers.
 *  - It is blocked in a system call (a wait4, a pipe read, a poll, ...):
 *    the wait is cancelled (the kinds below) and answered -EINTR, or the
 *    call is restarted as Linux restarts it (SA_RESTART, or no handler
 *    runs), with the handler's frame built on its stack.
 *  - It runs user code, or its system call waits in our queue: its
 *    thread is suspended through its TCB (which proc gave us), the
 *    signal delivered into its registers and the thread resumed
 *    (preempt); a system call not yet received is made again after the
 *    handler, as the kernel undoes it at the suspension.
 *
 * Delivery (sigframe.c) happens on every answer to a system call: the
 * lowest unblocked pending signal is taken; an ignored one is dropped, a
 * default action is carried out (terminate, terminate with a core flag,
 * stop, continue), a handler gets an rt_sigframe on the user stack and the
 * answer carries all registers. Several signals may nest frames in one
 * answer, as on Linux.
 *
 * Stopping: a stopped process's answer is held (its Reply object kept)
 * until SIGCONT, or its thread stays suspended; a process blocked in a
 * call when the stop comes has the call restarted at SIGCONT. The parent learns of stops and continues
 * through SIGCHLD (unless SA_NOCLDSTOP) and wait4's WUNTRACED, WCONTINUED.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>

static uint64_t sigbit(unsigned sig)
{
	return LX_SIGBIT(sig);
}

static const uint64_t unblockable = LX_SIG_UNBLOCKABLE;
static const uint64_t stop_signals = (1ULL << (LX_SIGSTOP - 1)) | (1ULL << (LX_SIGTSTP - 1)) |
                                     (1ULL << (LX_SIGTTIN - 1)) | (1ULL << (LX_SIGTTOU - 1));

lx_process_t *lx_caller;

typedef enum default_action {
	ACT_TERM,
	ACT_CORE,
	ACT_IGNORE,
	ACT_STOP,
	ACT_CONT,
} default_action_t;

/* Linux's default actions (signal(7)); every real-time signal terminates. */
static default_action_t default_action(unsigned sig)
{
	switch (sig) {
	case LX_SIGQUIT:
	case LX_SIGILL:
	case LX_SIGTRAP:
	case LX_SIGABRT:
	case LX_SIGBUS:
	case LX_SIGFPE:
	case LX_SIGSEGV:
	case LX_SIGXCPU:
	case LX_SIGXFSZ:
	case LX_SIGSYS:
		return ACT_CORE;
	case LX_SIGCHLD:
	case LX_SIGURG:
	case LX_SIGWINCH:
		return ACT_IGNORE;
	case LX_SIGCONT:
		return ACT_CONT;
	case LX_SIGSTOP:
	case LX_SIGTSTP:
	case LX_SIGTTIN:
	case LX_SIGTTOU:
		return ACT_STOP;
	default:
		return ACT_TERM;
	}
}

int lx_signal_wstatus(int sig)
{
	int status = LX_W_SIGNALED(sig);
	/* WCOREDUMP: Atoll writes no core file, but reports the action. */
	if (sig > 0 && sig <= LX_NSIG && default_action((unsigned)sig) == ACT_CORE)
		status |= LX_W_COREDUMP;
	return status;
}

bool lx_signal_ignored(const lx_process_t *p, unsigned sig)
{
	uint64_t h = (p->group ? p->group : p)->actions[sig - 1].handler;
	if (sigbit(sig) & unblockable)
		return false;
	if (h == LX_SIG_IGN_HANDLER)
		return true;
	return h == LX_SIG_DFL_HANDLER &&
	       (default_action(sig) == ACT_IGNORE || default_action(sig) == ACT_CONT);
}

/* Whether sig, delivered now, ends p. */
static bool fatal(const lx_process_t *p, unsigned sig)
{
	if (sig == LX_SIGKILL)
		return true;
	if ((p->group ? p->group : p)->actions[sig - 1].handler != LX_SIG_DFL_HANDLER)
		return false;
	default_action_t a = default_action(sig);
	return a == ACT_TERM || a == ACT_CORE;
}

/* The lowest signal in set, or 0. */
static unsigned lowest(uint64_t set)
{
	return set ? (unsigned)__builtin_ctzll(set) + 1 : 0;
}

/* The signals thread t may take: those sent to it and to its process. */
static uint64_t pending_for(const lx_process_t *t)
{
	return t->sigpending | lx_group((lx_process_t *)t)->shared_pending;
}

/* Take sig from what thread t may take, the thread's own first: what its
 * siginfo says. */
static lx_sigqueued_t dequeue(lx_process_t *t, unsigned sig)
{
	lx_process_t *g = lx_group(t);
	if (t->sigpending & sigbit(sig)) {
		t->sigpending &= ~sigbit(sig);
		return t->siginfo[sig - 1];
	}
	g->shared_pending &= ~sigbit(sig);
	return g->shared_info[sig - 1];
}

/* Drop the pending signals of thread t that would do nothing if
 * delivered now, and return the lowest that would do something (0:
 * none). */
static unsigned next_effective(lx_process_t *t)
{
	uint64_t ready = pending_for(t) & ~t->sigmask;
	for (unsigned sig = lowest(ready); sig; sig = lowest(ready)) {
		if (!lx_signal_ignored(t, sig))
			return sig;
		dequeue(t, sig);
		ready &= ~sigbit(sig);
	}
	return 0;
}

/*
 * The kinds of blocking system call, with what an interruption does. One
 * line per kind: its cancel function (personality.h's contract), whether
 * Linux restarts it after a handler with SA_RESTART (its -ERESTARTSYS;
 * the others are -ERESTARTNOHAND or plain -EINTR), and what it answers
 * when interrupted after part of the work was done (NULL: nothing).
 * Every kind of deferred call is here, or a signal would suspend a thread
 * that waits for an answer (preempt).
 */
typedef struct block_kind {
	bool (*cancel)(lx_process_t *p, unsigned *reply);
	bool sa_restart;
	int64_t (*partial)(lx_process_t *p);
} block_kind_t;

static bool sigwait_cancel(lx_process_t *p, unsigned *reply);

static const block_kind_t kinds[] = {
	{lx_wait_cancel, true, NULL},
	{lx_pipe_cancel, true, lx_pipe_partial},
	{lx_poll_cancel, false, NULL},
	{sigwait_cancel, false, NULL},
	{lx_futex_cancel, true, NULL},
	/* nanosleep is EINTR after a handler, whatever SA_RESTART says
	 * (Linux restarts it only when no handler runs); a terminal read
	 * restarts with SA_RESTART, as n_tty's -ERESTARTSYS. */
	{lx_sleep_cancel, false, NULL},
	{lx_tty_cancel, true, NULL},
	/* F_SETLKW and flock: -ERESTARTSYS */
	{lx_lock_cancel, true, NULL},
	/* a FIFO's open waiting for the other end: -ERESTARTSYS */
	{lx_fifo_cancel, true, NULL},
};

static bool sigwait_cancel(lx_process_t *p, unsigned *reply)
{
	if (!p->sigwaiting)
		return false;
	p->sigwaiting = false;
	*reply = p->sigwait_reply;
	return true;
}

/* Take p out of whatever it is blocked in; the kind, or NULL. */
static const block_kind_t *cancel_any(lx_process_t *p, unsigned *reply)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].cancel(p, reply))
			return &kinds[i];
	return NULL;
}

bool lx_signal_unblock(lx_process_t *p, unsigned *reply)
{
	if (cancel_any(p, reply))
		return true;
	if (p->vfork_child) { /* the parent ends before its vfork returns */
		p->vfork_child->vfork_parent = NULL;
		p->vfork_child = NULL;
		*reply = p->vfork_reply;
		return true;
	}
	if (p->stopped) {
		p->stopped = false;
		*reply = p->stop_reply;
		return !p->stop_suspended;
	}
	return false;
}

/* Tell the parent of thread t's process that it stopped or continued
 * (wait_report): SIGCHLD unless the parent asked for none with
 * SA_NOCLDSTOP, and its wait. */
static void notify_parent(lx_process_t *t, int code, int sig)
{
	lx_process_t *p = lx_group(t);
	lx_process_t *parent = p->ppid ? lx_process_get(p->ppid) : NULL;
	if (!parent || parent->zombie)
		return;
	if (!(parent->actions[LX_SIGCHLD - 1].flags & LX_SA_NOCLDSTOP)) {
		lx_sigqueued_t q = {.code = code, .pid = (int32_t)p->pid, .status = sig};
		lx_signal_queue(parent, LX_SIGCHLD, &q);
	}
	lx_wait_notify(parent);
	lx_signal_kick_process(parent);
}

/* Thread t took stop signal sig: the process stops. The parent hears of
 * it once; the other threads stop too, each at its next chance. */
static void process_stopped(lx_process_t *t, int sig)
{
	lx_process_t *p = lx_group(t);
	if (p->group_stop)
		return; /* another thread's stop told it already */
	p->group_stop = true;
	p->wait_report = (sig << 8) | 0x7f;
	for (lx_process_t *o = lx_process_next(NULL); o; o = lx_process_next(o)) {
		if (lx_group(o) != p || o == t || o->stopped)
			continue;
		lx_sigqueued_t q = {.code = LX_SI_KERNEL};
		lx_signal_queue_thread(o, sig, &q);
	}
	notify_parent(t, LX_CLD_STOPPED, sig);
	for (lx_process_t *o = lx_process_next(NULL); o; o = lx_process_next(o))
		if (lx_group(o) == p && o != t)
			lx_signal_kick(o);
}

/* Hold thread t's answer (regs, in Reply object reply) while it is
 * stopped by sig. */
static void stop_hold(lx_process_t *t, unsigned reply, const uint64_t *regs, unsigned nregs,
                      int sig)
{
	t->stopped = true;
	t->stop_reply = reply;
	memcpy(t->stop_regs, regs, nregs * sizeof(regs[0]));
	t->stop_nregs = nregs;
	process_stopped(t, sig);
}

typedef enum outcome {
	OUT_RUN,  /* answer with the registers (changed or not) */
	OUT_STOP, /* hold the answer: the process stopped */
	OUT_END,  /* end the process */
} outcome_t;

/*
 * Deliver p's pending signals into regs (nregs of them), the answer p is
 * about to get: frames for handlers, default actions. *sig is the signal
 * that stops or ends it; *changed says whether regs other than rax
 * changed. can_stop: the answer can be held (else a stop is dropped).
 */
static outcome_t deliver(lx_process_t *p, uint64_t *regs, unsigned nregs, bool can_stop,
                         bool *changed, int *sig_out)
{
	/* The FPU state each frame saves: the thread's, read at the first
	 * frame, then the clean state the handler before it started with. */
	uint64_t fpu[LX_FPU_WORDS];
	bool fpu_read = false, have_fpu = false;
	outcome_t out = OUT_RUN;
	for (unsigned sig = next_effective(p); sig; sig = next_effective(p)) {
		lx_sigqueued_t q = dequeue(p, sig);
		lx_sigaction_t act = lx_group(p)->actions[sig - 1];
		*sig_out = (int)sig;
		if (act.handler == LX_SIG_DFL_HANDLER || sig == LX_SIGKILL) {
			if (fatal(p, sig)) {
				out = OUT_END;
				break;
			}
			if (default_action(sig) == ACT_STOP) {
				if (can_stop) {
					out = OUT_STOP;
					break;
				}
				static bool logged;
				lx_log_once(
					&logged,
					"linux: pid %lu (%s): cannot stop: every Reply object is "
					"held; the stop signal is dropped\n",
					p->pid, p->name);
			}
			continue;
		}
		if (!fpu_read) {
			fpu_read = true;
			have_fpu = p->have_tcb && !p->thread_gone &&
			           tcb_read_fpu(p->tcb, fpu) == ATOLL_E_OK;
		}
		if (!lx_signal_frame(p, sig, &q, &act, regs, nregs, have_fpu ? fpu : NULL)) {
			printf("linux: pid %lu (%s): no room for the frame of signal %u\n", p->pid,
			       p->name, sig);
			*sig_out = LX_SIGSEGV;
			return OUT_END;
		}
		*changed = true;
		if (have_fpu)
			lx_fpu_init_state(fpu);
		if (act.flags & LX_SA_RESETHAND)
			lx_group(p)->actions[sig - 1].handler = LX_SIG_DFL_HANDLER;
		p->sigmask |= act.mask;
		if (!(act.flags & LX_SA_NODEFER))
			p->sigmask |= sigbit(sig);
		p->sigmask &= ~unblockable;
	}
	/* A handler starts with a clean FPU state, as on Linux. */
	if (have_fpu && *changed)
		tcb_write_fpu(p->tcb, fpu);
	if (out != OUT_RUN)
		return out;
	/* rt_sigsuspend and friends are over and no frame took their mask. */
	if (p->restore_mask) {
		p->sigmask = p->saved_mask;
		p->restore_mask = false;
	}
	return OUT_RUN;
}

/* Answer p's call waiting in Reply object reply with regs, after the
 * pending signals had their effect. */
static void finish(lx_process_t *p, unsigned reply, uint64_t *regs, unsigned nregs, bool changed)
{
	int sig = 0;
	switch (deliver(p, regs, nregs, true, &changed, &sig)) {
	case OUT_END:
		server_reply(&lx_server, reply, (atoll_error_t)ATOLL_FAULT_REPLY_STOP, NULL, 0);
		lx_process_end(p, lx_signal_wstatus(sig));
		return;
	case OUT_STOP:
		stop_hold(p, reply, regs, nregs, sig);
		return;
	case OUT_RUN:
		break;
	}
	atoll_msg_t answer;
	unsigned n = changed ? nregs : 1;
	for (unsigned i = 0; i < n; i++)
		msg_set_word(&answer, i, regs[i]);
	server_reply(&lx_server, reply, ATOLL_E_OK, &answer, n);
}

void lx_signal_answer(lx_process_t *p, unsigned reply, int64_t ret)
{
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned nregs = p->call_nregs ? p->call_nregs : 1;
	memcpy(regs, p->call_regs, sizeof(regs));
	regs[ATOLL_REG_RAX] = (uint64_t)ret;
	finish(p, reply, regs, nregs, false);
}

lx_reply_kind_t lx_signal_return(lx_call_t *c, int64_t ret)
{
	lx_process_t *p = c->t;
	if (!(pending_for(p) & ~p->sigmask) && !p->restore_mask)
		return c->reply;
	bool changed = c->reply == LX_REPLY_REGS;
	c->regs[ATOLL_REG_RAX] = (uint64_t)ret;
	int sig = 0;
	switch (deliver(p, c->regs, c->nregs, server_can_defer(&lx_server, c->reply_object),
	                &changed, &sig)) {
	case OUT_END:
		lx_process_end(p, lx_signal_wstatus(sig));
		return LX_REPLY_NONE;
	case OUT_STOP:
		stop_hold(p, c->reply_object, c->regs, c->nregs, sig);
		return LX_REPLY_DEFER;
	case OUT_RUN:
		break;
	}
	return changed ? LX_REPLY_REGS : LX_REPLY_RAX;
}

/* Whether a call of p that sig interrupts is made again after sig's
 * effect: when no handler runs (a stop), or when the handler has
 * SA_RESTART and the call is one Linux restarts then (sa_restart). */
static bool restarts(const lx_process_t *p, unsigned sig, bool sa_restart)
{
	const lx_sigaction_t *act = &lx_group((lx_process_t *)p)->actions[sig - 1];
	return act->handler == LX_SIG_DFL_HANDLER || (sa_restart && (act->flags & LX_SA_RESTART));
}

/* p's call of kind k, just cancelled, is interrupted by sig (which has an
 * effect): set regs (from the call's) to what Linux answers: the partial
 * count, -EINTR, or the call run again (rewound over the 2-byte syscall
 * instruction, rax still its number). True when more than rax changed. */
static bool interrupted(lx_process_t *p, const block_kind_t *k, unsigned sig, uint64_t *regs)
{
	unsigned nregs = p->call_nregs;
	memcpy(regs, p->call_regs, sizeof(p->call_regs));
	int64_t done = k->partial ? k->partial(p) : 0;
	if (done) {
		regs[ATOLL_REG_RAX] = (uint64_t)done;
		return false;
	}
	if (nregs == ATOLL_REG_COUNT && restarts(p, sig, k->sa_restart)) {
		regs[ATOLL_REG_RIP] -= 2;
		if (lx_group(p)->actions[sig - 1].handler == LX_SIG_DFL_HANDLER)
			lx_signal_restore_mask(p);
		return true;
	}
	regs[ATOLL_REG_RAX] = (uint64_t)-LX_EINTR;
	return false;
}

int64_t lx_signal_restart_call(lx_call_t *c)
{
	unsigned sig = next_effective(c->t);
	if (c->nregs < ATOLL_REG_COUNT || (sig && !restarts(c->t, sig, true)))
		return -LX_EINTR;
	c->regs[ATOLL_REG_RIP] -= 2;
	c->reply = LX_REPLY_REGS;
	return (int64_t)c->nr; /* rax: the call's number again */
}

void lx_signal_restart(lx_process_t *p, unsigned reply)
{
	uint64_t regs[ATOLL_REG_COUNT];
	if (p->call_nregs < ATOLL_REG_COUNT) {
		lx_signal_answer(p, reply, -LX_EINTR); /* no rip to move back */
		return;
	}
	memcpy(regs, p->call_regs, sizeof(regs));
	regs[ATOLL_REG_RIP] -= 2;
	finish(p, reply, regs, p->call_nregs, true);
}

/* The same for a call blocked until now: answer it. */
static void interrupt(lx_process_t *p, const block_kind_t *k, unsigned reply, unsigned sig)
{
	uint64_t regs[ATOLL_REG_COUNT];
	bool changed = interrupted(p, k, sig, regs);
	finish(p, reply, regs, p->call_nregs ? p->call_nregs : 1, changed);
}

bool lx_signal_deferred(lx_call_t *c)
{
	lx_process_t *p = c->t;
	memcpy(p->call_regs, c->regs, sizeof(c->regs));
	p->call_nregs = c->nregs;
	unsigned sig = next_effective(p);
	unsigned reply;
	const block_kind_t *k = sig ? cancel_any(p, &reply) : NULL;
	if (!k)
		return false;
	/* A signal came before the call blocked: Linux's waits give up at
	 * once when one is pending. */
	if (interrupted(p, k, sig, c->regs))
		c->reply = LX_REPLY_REGS;
	else
		c->reply = LX_REPLY_RAX;
	return true;
}

/*
 * p runs user code, or its system call waits in our queue: stop its
 * thread and deliver into its registers now, as Linux does when an
 * interrupt returns to user mode. A system call not yet received is
 * undone by the suspension (the kernel moves rip back over it) and is
 * made again after the handler returns.
 */
static void preempt(lx_process_t *p)
{
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n = 0;
	if (tcb_suspend(p->tcb) != ATOLL_E_OK)
		return;
	if (tcb_read_registers(p->tcb, regs, &n) != ATOLL_E_OK || n < ATOLL_REG_COUNT) {
		tcb_resume(p->tcb);
		return;
	}
	bool changed = false;
	int sig = 0;
	switch (deliver(p, regs, n, true, &changed, &sig)) {
	case OUT_END:
		lx_process_end(p, lx_signal_wstatus(sig));
		return;
	case OUT_STOP:
		p->stopped = true;
		p->stop_suspended = true;
		process_stopped(p, sig);
		return;
	case OUT_RUN:
		break;
	}
	atoll_error_t err = changed ? tcb_write_registers(p->tcb, 1, regs, n) : tcb_resume(p->tcb);
	if (err) {
		printf("linux: pid %lu (%s): cannot resume it after a signal: error %d\n", p->pid,
		       p->name, err);
		lx_process_end(p, lx_signal_wstatus(LX_SIGSEGV));
	}
}

int64_t lx_signal_take(lx_process_t *p, unsigned sig, uint64_t info)
{
	lx_sigqueued_t q = dequeue(p, sig);
	if (!info)
		return sig;
	lx_siginfo_t si;
	lx_signal_siginfo(&si, sig, &q);
	return lx_copy_out(p, info, &si, sizeof(si)) ? (int64_t)sig : -LX_EFAULT;
}

server_result_t lx_signal_fault(lx_process_t *t, int sig, int code, uint64_t addr, const char *why,
                                atoll_msg_t *msg)
{
	lx_process_t *p = lx_group(t);
	uint64_t handler = p->actions[sig - 1].handler;
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned n = 0;
	/* A fault's signal cannot wait: blocked or ignored, it ends the
	 * process as its default action would (Linux's force_sig). */
	if (handler == LX_SIG_DFL_HANDLER || handler == LX_SIG_IGN_HANDLER ||
	    (t->sigmask & sigbit((unsigned)sig)) || !t->have_tcb || t->thread_gone ||
	    tcb_read_registers(t->tcb, regs, &n) != ATOLL_E_OK || n < ATOLL_REG_COUNT) {
		lx_process_kill(p, sig, why);
		return lx_stop_thread();
	}
	lx_sigqueued_t q = {.code = code, .addr = addr};
	lx_signal_queue_thread(t, sig, &q);
	bool changed = false;
	int end_sig = 0;
	/* The registers are those of the faulting instruction, which runs
	 * again after the handler returns (unless it changes them). */
	switch (deliver(t, regs, n, false, &changed, &end_sig)) {
	case OUT_END:
		lx_process_end(p, lx_signal_wstatus(end_sig));
		return lx_stop_thread();
	default:
		break;
	}
	for (unsigned i = 0; i < n; i++)
		msg_set_word(msg, i, regs[i]);
	return server_ok(changed ? n : 0);
}

void lx_signal_kick(lx_process_t *p)
{
	if (!p->used || p->zombie || p == lx_caller)
		return;
	if (p->sigwaiting && (pending_for(p) & p->sigwait_set)) {
		p->sigwaiting = false;
		int64_t r =
			lx_signal_take(p, lowest(pending_for(p) & p->sigwait_set), p->sigwait_info);
		lx_signal_answer(p, p->sigwait_reply, r);
		return;
	}
	unsigned sig = next_effective(p);
	if (!sig)
		return;
	if (fatal(p, sig)) {
		lx_process_end(p, lx_signal_wstatus((int)sig));
		return;
	}
	if (p->stopped || p->vfork_child)
		return; /* it takes the signal when it continues, or its vfork returns */
	unsigned reply;
	const block_kind_t *k = cancel_any(p, &reply);
	if (k)
		interrupt(p, k, reply, sig);
	else if (p->have_tcb && !p->thread_gone)
		preempt(p);
	/* else the signal waits for its next system call */
}

/* Put sig into a pending set (pending, info), dropping what it cancels:
 * SIGCONT and SIGKILL the stops, a stop SIGCONT. Nothing when it would be
 * ignored and mask does not block it. */
static void queue_in(lx_process_t *t, uint64_t *pending, lx_sigqueued_t *infos, uint64_t mask,
                     int sig, const lx_sigqueued_t *info)
{
	uint64_t bit = sigbit((unsigned)sig);
	if (sig == LX_SIGCONT || sig == LX_SIGKILL)
		*pending &= ~stop_signals;
	if (bit & stop_signals)
		*pending &= ~sigbit(LX_SIGCONT);
	if (lx_signal_ignored(t, (unsigned)sig) && !(mask & bit))
		return;
	if (!(*pending & bit))
		infos[sig - 1] = *info;
	*pending |= bit;
}

void lx_signal_queue(lx_process_t *p, int sig, const lx_sigqueued_t *info)
{
	p = lx_group(p);
	/* Ignored unless the first thread blocks it, as Linux asks of the
	 * thread it is sent to. */
	queue_in(p, &p->shared_pending, p->shared_info, p->sigmask, sig, info);
}

void lx_signal_queue_thread(lx_process_t *t, int sig, const lx_sigqueued_t *info)
{
	queue_in(t, &t->sigpending, t->siginfo, t->sigmask, sig, info);
}

/* SIGCONT goes on with a stopped thread t: its held answer goes out, with
 * the signals now pending delivered into it. */
static void resume(lx_process_t *t)
{
	if (!t->stopped)
		return;
	t->stopped = false;
	t->sigpending &= ~stop_signals;
	if (t->stop_suspended) {
		t->stop_suspended = false;
		tcb_resume(t->tcb);
		return; /* the kick that follows delivers what is pending */
	}
	uint64_t regs[ATOLL_REG_COUNT];
	memcpy(regs, t->stop_regs, sizeof(regs));
	finish(t, t->stop_reply, regs, t->stop_nregs, t->stop_nregs > 1);
}

/* SIGCONT to process p: every thread goes on, and the parent hears of it
 * if the process was stopped. */
static void resume_process(lx_process_t *p)
{
	bool was_stopped = p->group_stop;
	p->group_stop = false;
	for (lx_process_t *o = lx_process_next(NULL); o; o = lx_process_next(o)) {
		if (lx_group(o) != p)
			continue;
		o->sigpending &= ~stop_signals;
		if (o->stopped)
			resume(o);
	}
	if (was_stopped && p->used && !p->zombie) {
		p->wait_report = 0xffff;
		notify_parent(p, LX_CLD_CONTINUED, LX_SIGCONT);
	}
}

void lx_signal_kick_process(lx_process_t *p)
{
	/* Its threads in table order, the first thread first: the first that
	 * does not block a signal takes it. */
	for (lx_process_t *o = lx_process_next(NULL); o; o = lx_process_next(o)) {
		if (!p->used || p->zombie)
			return;
		if (lx_group(o) == p)
			lx_signal_kick(o);
	}
}

void lx_signal_post(lx_process_t *p, int sig, const lx_sigqueued_t *info)
{
	p = lx_group(p);
	if (!p->used || p->zombie || sig <= 0 || sig > LX_NSIG)
		return;
	lx_signal_queue(p, sig, info);
	if (sig == LX_SIGCONT)
		resume_process(p);
	lx_signal_kick_process(p);
}

void lx_signal_post_thread(lx_process_t *t, int sig, const lx_sigqueued_t *info)
{
	lx_process_t *p = lx_group(t);
	if (!t->used || p->zombie || sig <= 0 || sig > LX_NSIG)
		return;
	lx_signal_queue_thread(t, sig, info);
	if (sig == LX_SIGCONT)
		resume_process(p);
	lx_signal_kick(t);
}

void lx_signal_send(lx_process_t *p, int sig)
{
	lx_sigqueued_t q = {.code = LX_SI_KERNEL};
	lx_signal_post(p, sig, &q);
}

void lx_signal_group(uint64_t pgid, int sig)
{
	for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q))
		if (!q->group && q->pgid == pgid)
			lx_signal_send(q, sig);
}

void lx_signal_fork(lx_process_t *child, const lx_process_t *parent, const lx_process_t *thread)
{
	child->sigmask = thread->sigmask;
	memcpy(child->actions, parent->actions, sizeof(child->actions));
	child->altstack = thread->altstack;
	child->pgid = parent->pgid;
	child->sid = parent->sid;
	child->exit_signal = LX_SIGCHLD;
}

/* execve: the new program has none of the old one's handlers; ignored
 * signals stay ignored, the mask and the pending signals stay, the
 * alternate stack goes, as on Linux. */
void lx_signals_exec(lx_process_t *p)
{
	for (unsigned i = 0; i < LX_NSIG; i++)
		if (p->actions[i].handler != LX_SIG_IGN_HANDLER)
			p->actions[i] = (lx_sigaction_t){0};
	p->altstack = (lx_stack_t){0};
	p->did_exec = true;
}

bool lx_signal_pending(lx_process_t *p)
{
	return next_effective(p) != 0;
}
