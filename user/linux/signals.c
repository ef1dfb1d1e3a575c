/*
 * Signal state. Handlers and the blocked mask are kept per process and
 * reported back as Linux would, but no signal is ever delivered yet: there
 * is nothing to send one (no kill, no terminal, no timers), and a fault
 * ends the process as the default action would even when a handler is set.
 */
#include "personality.h"

#define SIGSET_SIZE 8 /* bytes of the kernel's sigset_t on x86_64 */

static uint64_t sigbit(unsigned sig)
{
	return 1ULL << (sig - 1);
}

/* SIGKILL and SIGSTOP can be neither caught nor blocked. */
static const uint64_t unblockable = (1ULL << (LX_SIGKILL - 1)) | (1ULL << (LX_SIGSTOP - 1));

static void say_not_delivered(const lx_process_t *p)
{
	static bool logged;
	lx_log_once(&logged,
	            "linux: pid %lu (%s): signal handlers and masks are kept, but signals are "
	            "not delivered yet\n",
	            p->pid, p->name);
}

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
		say_not_delivered(p);
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

/* execve: the new program has none of the old one's handlers; ignored
 * signals stay ignored and the mask stays, as on Linux. */
void lx_signals_exec(lx_process_t *p)
{
	for (unsigned i = 0; i < LX_NSIG; i++)
		if (p->actions[i].handler != LX_SIG_IGN_HANDLER)
			p->actions[i] = (lx_sigaction_t){0};
}
