/*
 * The signal system calls: actions, the mask, pending signals, waiting
 * for a signal, the alternate stack, and sending (kill, tkill, tgkill).
 * What a signal does once sent is signals.c's.
 */
#include "personality.h"

#define SIGSET_SIZE 8 /* bytes of the kernel's sigset_t on x86_64 */

static uint64_t sigbit(unsigned sig)
{
	return LX_SIGBIT(sig);
}

static const uint64_t unblockable = LX_SIG_UNBLOCKABLE;

/* rt_sigaction(sig, act, oact, sigsetsize) */
int64_t lx_sys_rt_sigaction(lx_call_t *c)
{
	lx_process_t *p = c->p;
	uint64_t sig = c->arg[0], act = c->arg[1], oact = c->arg[2];
	if (c->arg[3] != SIGSET_SIZE)
		return -LX_EINVAL;
	lx_sigaction_t next;
	if (act && !lx_copy_in(p, &next, act, sizeof(next)))
		return -LX_EFAULT;
	if (sig < 1 || sig > LX_NSIG || (act && (sigbit((unsigned)sig) & unblockable)))
		return -LX_EINVAL;
	lx_sigaction_t old = p->actions[sig - 1];
	if (act) {
		next.mask &= ~unblockable;
		p->actions[sig - 1] = next;
		/* POSIX: ignoring a pending signal discards it, in every thread. */
		if (lx_signal_ignored(p, (unsigned)sig)) {
			p->shared_pending &= ~sigbit((unsigned)sig);
			for (lx_process_t *t = lx_process_next(NULL); t; t = lx_process_next(t))
				if (lx_group(t) == p)
					t->sigpending &= ~sigbit((unsigned)sig);
		}
	}
	if (oact && !lx_copy_out(p, oact, &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

/* rt_sigprocmask(how, set, oset, sigsetsize) */
int64_t lx_sys_rt_sigprocmask(lx_call_t *c)
{
	lx_process_t *p = c->t; /* the mask is the calling thread's */
	int how = (int)c->arg[0];
	uint64_t set = c->arg[1], oset = c->arg[2];
	if (c->arg[3] != SIGSET_SIZE)
		return -LX_EINVAL;
	uint64_t old = p->sigmask, mask = 0;
	if (set) {
		if (!lx_copy_in(p, &mask, set, sizeof(mask)))
			return -LX_EFAULT;
		switch (how) {
		case LX_SIG_BLOCK:
			p->sigmask |= mask;
			break;
		case LX_SIG_UNBLOCK:
			p->sigmask &= ~mask;
			break;
		case LX_SIG_SETMASK:
			p->sigmask = mask;
			break;
		default:
			return -LX_EINVAL;
		}
		p->sigmask &= ~unblockable;
	}
	/* As in Linux, the new mask stands even if the old cannot be stored. */
	if (oset && !lx_copy_out(p, oset, &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

/* rt_sigpending(set, sigsetsize): the pending signals that are blocked. */
int64_t lx_sys_rt_sigpending(lx_call_t *c)
{
	uint64_t size = c->arg[1];
	if (size > SIGSET_SIZE)
		return -LX_EINVAL;
	uint64_t set = (c->t->sigpending | c->p->shared_pending) & c->t->sigmask;
	return lx_copy_out(c->p, c->arg[0], &set, size) ? 0 : -LX_EFAULT;
}

/* Block the caller until a signal: rt_sigsuspend, pause, rt_sigtimedwait
 * (for one of set, its siginfo to info). */
static int64_t sigwait_block(lx_call_t *c, uint64_t set, uint64_t info)
{
	lx_process_t *p = c->t;
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): waiting for a signal would block, but every "
		            "Reply object is held: EINTR\n",
		            p->pid, p->name);
		return -LX_EINTR;
	}
	p->sigwaiting = true;
	p->sigwait_set = set;
	p->sigwait_info = info;
	p->sigwait_reply = c->reply_object;
	c->reply = LX_REPLY_DEFER;
	return 0;
}

/* rt_sigsuspend(mask, sigsetsize): wait with mask for a signal that runs
 * a handler or ends the process; always -EINTR, the old mask back after
 * the handler. */
int64_t lx_sys_rt_sigsuspend(lx_call_t *c)
{
	lx_process_t *p = c->t;
	uint64_t mask;
	if (c->arg[1] != SIGSET_SIZE)
		return -LX_EINVAL;
	if (!lx_copy_in(p, &mask, c->arg[0], sizeof(mask)))
		return -LX_EFAULT;
	lx_signal_set_mask(p, mask);
	if (lx_signal_pending(p))
		return -LX_EINTR;
	return sigwait_block(c, 0, 0);
}

/* pause(): wait for a signal that runs a handler or ends the process. */
int64_t lx_sys_pause(lx_call_t *c)
{
	if (lx_signal_pending(c->t))
		return -LX_EINTR;
	return sigwait_block(c, 0, 0);
}

void lx_signal_restore_mask(lx_process_t *p)
{
	if (p->restore_mask)
		lx_signal_set_mask_now(p, p->saved_mask);
}

void lx_signal_set_mask_now(lx_process_t *p, uint64_t mask)
{
	p->sigmask = mask & ~unblockable;
	p->restore_mask = false;
}

void lx_signal_set_mask(lx_process_t *p, uint64_t mask)
{
	if (!p->restore_mask) {
		p->saved_mask = p->sigmask;
		p->restore_mask = true;
	}
	p->sigmask = mask & ~unblockable;
}

/*
 * rt_sigtimedwait(set, info, timeout, sigsetsize): take a pending signal
 * of set, or wait for one. A zero timeout polls (EAGAIN). There is no
 * timer yet, so a finite timeout does not expire: the call waits as with
 * none. A signal outside set that runs a handler interrupts it (EINTR).
 */
int64_t lx_sys_rt_sigtimedwait(lx_call_t *c)
{
	lx_process_t *p = c->t;
	uint64_t set, info = c->arg[1], timeout = c->arg[2];
	if (c->arg[3] != SIGSET_SIZE)
		return -LX_EINVAL;
	if (!lx_copy_in(p, &set, c->arg[0], sizeof(set)))
		return -LX_EFAULT;
	set &= ~unblockable;
	bool poll = false;
	if (timeout) {
		lx_timespec_t ts;
		if (!lx_copy_in(p, &ts, timeout, sizeof(ts)))
			return -LX_EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -LX_EINVAL;
		poll = !ts.tv_sec && !ts.tv_nsec;
	}
	uint64_t ready = (p->sigpending | c->p->shared_pending) & set;
	if (ready)
		return lx_signal_take(p, (unsigned)__builtin_ctzll(ready) + 1, info);
	if (poll)
		return -LX_EAGAIN;
	return sigwait_block(c, set, info);
}

/* Whether sp is on p's alternate signal stack (sigaltstack(2)). */
bool lx_signal_on_altstack(const lx_process_t *p, uint64_t sp)
{
	if (p->altstack.flags & (int32_t)LX_SS_AUTODISARM)
		return false;
	return sp > p->altstack.sp && sp - p->altstack.sp <= p->altstack.size;
}

int32_t lx_signal_altstack_flags(const lx_process_t *p, uint64_t sp)
{
	if (!p->altstack.size)
		return LX_SS_DISABLE;
	return (lx_signal_on_altstack(p, sp) ? LX_SS_ONSTACK : 0) | p->altstack.flags;
}

int64_t lx_signal_set_altstack(lx_process_t *p, const lx_stack_t *ss, uint64_t sp)
{
	if (lx_signal_on_altstack(p, sp))
		return -LX_EPERM;
	uint32_t mode = (uint32_t)ss->flags & ~LX_SS_AUTODISARM;
	if (mode != LX_SS_DISABLE && mode != LX_SS_ONSTACK && mode != 0)
		return -LX_EINVAL;
	if (mode == LX_SS_DISABLE) {
		p->altstack = (lx_stack_t){0};
		return 0;
	}
	if (ss->size < LX_MINSIGSTKSZ)
		return -LX_ENOMEM;
	p->altstack = (lx_stack_t){
		.sp = ss->sp,
		.flags = (int32_t)((uint32_t)ss->flags & LX_SS_AUTODISARM),
		.size = ss->size,
	};
	return 0;
}

/* sigaltstack(ss, old_ss) */
int64_t lx_sys_sigaltstack(lx_call_t *c)
{
	lx_process_t *p = c->t; /* each thread has its own */
	uint64_t sp = c->regs[ATOLL_REG_RSP];
	lx_stack_t ss, old = {
			       .sp = p->altstack.sp,
			       .flags = lx_signal_altstack_flags(p, sp),
			       .size = p->altstack.size,
		       };
	if (c->nregs <= ATOLL_REG_RSP)
		return -LX_ENOSYS;
	if (c->arg[0]) {
		if (!lx_copy_in(p, &ss, c->arg[0], sizeof(ss)))
			return -LX_EFAULT;
		int64_t r = lx_signal_set_altstack(p, &ss, sp);
		if (r)
			return r;
	}
	if (c->arg[1] && !lx_copy_out(p, c->arg[1], &old, sizeof(old)))
		return -LX_EFAULT;
	return 0;
}

/* Send sig (0: only check) from the caller to process q (kill) or to
 * thread q alone (tkill, tgkill): 0, or -EINVAL for a signal number Linux
 * does not have. */
static int64_t send_one(lx_call_t *c, lx_process_t *q, int64_t sig, bool thread)
{
	if (sig < 0 || sig > LX_NSIG)
		return -LX_EINVAL;
	if (!sig)
		return 0;
	lx_sigqueued_t info = {.code = thread ? LX_SI_TKILL : LX_SI_USER,
	                       .pid = (int32_t)c->p->pid};
	if (thread)
		lx_signal_post_thread(q, (int)sig, &info);
	else
		lx_signal_post(q, (int)sig, &info);
	return 0;
}

/* The process pid names, zombie or not; a thread's tid names its
 * process too, as on Linux. */
static lx_process_t *process_named(uint64_t pid)
{
	lx_process_t *q = lx_process_get(pid);
	if (!q && (q = lx_task_find(pid)))
		q = lx_group(q);
	return q;
}

/* kill(pid, sig): one process, the caller's group (0), every process but
 * init and the caller (-1), or group -pid. ESRCH when nobody matched; a
 * zombie matches and feels nothing, as on Linux. */
int64_t lx_sys_kill(lx_call_t *c)
{
	int64_t pid = (int32_t)c->arg[0], sig = (int32_t)c->arg[1];
	if (pid == INT32_MIN)
		return -LX_ESRCH;
	if (pid > 0) {
		lx_process_t *q = process_named((uint64_t)pid);
		return q ? send_one(c, q, sig, false) : -LX_ESRCH;
	}
	uint64_t pgid = pid == 0 ? c->p->pgid : (uint64_t)-pid;
	/* The matches are listed first, by pid: a signal may end a process
	 * and free its entry. */
	uint64_t pids[LX_PROCESS_MAX];
	unsigned n = 0;
	for (lx_process_t *q = lx_process_next_any(NULL); q; q = lx_process_next_any(q))
		if (pid == -1 ? q != c->p : q->pgid == pgid)
			pids[n++] = q->pid;
	int64_t ret = 0;
	for (unsigned i = 0; i < n; i++) {
		lx_process_t *q = lx_process_get(pids[i]);
		int64_t r = q ? send_one(c, q, sig, false) : 0;
		if (r)
			ret = r;
	}
	return n ? ret : -LX_ESRCH;
}

/* tgkill(tgid, tid, sig), and tkill(tid, sig) with tgid 0 (any): the
 * thread tid (a process's first thread has the process's pid; a zombie's
 * is found and feels nothing). */
static int64_t thread_kill(lx_call_t *c, int64_t tgid, int64_t tid, int64_t sig)
{
	lx_process_t *q = lx_task_find((uint64_t)tid);
	if (!q && (q = lx_process_get((uint64_t)tid)) && !q->zombie)
		q = NULL; /* a process whose first thread has gone */
	if (q && !q->group && q->thread_gone)
		q = NULL;
	if (!q || (tgid && (uint64_t)tgid != lx_group(q)->pid))
		return -LX_ESRCH;
	return send_one(c, q, sig, true);
}

int64_t lx_sys_tkill(lx_call_t *c)
{
	int64_t tid = (int32_t)c->arg[0];
	if (tid <= 0)
		return -LX_EINVAL;
	return thread_kill(c, 0, tid, (int32_t)c->arg[1]);
}

int64_t lx_sys_tgkill(lx_call_t *c)
{
	int64_t tgid = (int32_t)c->arg[0], tid = (int32_t)c->arg[1];
	if (tgid <= 0 || tid <= 0)
		return -LX_EINVAL;
	return thread_kill(c, tgid, tid, (int32_t)c->arg[2]);
}
