/*
 * wait4 and waitid: a parent learns what became of its children. A child
 * reports its end (a zombie, collected here and freed unless WNOWAIT), a
 * stop (WUNTRACED / WSTOPPED) and a continue (WCONTINUED), each once. Which
 * children a wait selects: one pid, any child, or a process group (wait4's
 * 0 and < -1, waitid's P_PGID). rusage is all zeros (no accounting).
 *
 * A wait that must block parks the parent in its Reply object with what it
 * asked (p->wait); every change of a child (lx_wait_notify: an end, a stop,
 * a continue, a child reaped automatically) looks again, and answers once
 * there is something to report or no child left to wait for (ECHILD). When
 * no Reply object can be held the call fails with EAGAIN rather than
 * block (logged once).
 *
 * At a child's end its parent gets its exit signal (SIGCHLD from fork);
 * when the parent ignores SIGCHLD or set SA_NOCLDWAIT, the child is reaped
 * at once, as Linux does, and a wait sees it only as gone.
 */
#include "personality.h"

#include <atoll_rt/string.h>

/* Whether child c of p is one w selects. */
static bool selects(const lx_process_t *p, const lx_wait_t *w, const lx_process_t *c)
{
	if (!c->used || c->group || c->ppid != p->pid)
		return false;
	switch (w->idtype) {
	case LX_P_PID:
		return c->pid == w->id;
	case LX_P_PGID:
		return c->pgid == w->id;
	default:
		return true;
	}
}

/* What c has for w: its wait status and waitid's si_code, or false. */
static bool reportable(const lx_wait_t *w, const lx_process_t *c, int *status, int *code)
{
	if (c->zombie) {
		if (!(w->options & LX_WEXITED))
			return false;
		*status = c->wait_status;
		*code = !(c->wait_status & 0x7f)         ? LX_CLD_EXITED :
		        (c->wait_status & LX_W_COREDUMP) ? LX_CLD_DUMPED :
		                                           LX_CLD_KILLED;
		return true;
	}
	if (!c->wait_report)
		return false;
	*status = c->wait_report;
	if (c->wait_report == 0xffff) {
		*code = LX_CLD_CONTINUED;
		return (w->options & LX_WCONTINUED) != 0;
	}
	*code = LX_CLD_STOPPED;
	return (w->options & LX_WSTOPPED) != 0;
}

/* Hand what c reports to p's wait w: the call's answer. */
static int64_t collect(lx_process_t *p, const lx_wait_t *w, lx_process_t *c, int status, int code)
{
	static const uint8_t zeros[LX_RUSAGE_SIZE];
	int64_t pid = (int64_t)c->pid;
	if (!w->waitid) {
		int32_t st = status;
		if (w->info && !lx_copy_out(p, w->info, &st, sizeof(st)))
			return -LX_EFAULT;
		if (w->rusage && !lx_copy_out(p, w->rusage, zeros, sizeof(zeros)))
			return -LX_EFAULT;
	}
	bool keep = w->options & LX_WNOWAIT;
	if (!keep) {
		if (c->zombie)
			lx_process_free(c);
		else
			c->wait_report = 0;
	}
	if (!w->waitid)
		return pid;
	/* waitid: what Linux writes of the siginfo, and 0. */
	if (w->rusage && !lx_copy_out(p, w->rusage, zeros, sizeof(zeros)))
		return -LX_EFAULT;
	if (w->info) {
		lx_siginfo_t si = {.signo = LX_SIGCHLD, .code = code, .pid = (int32_t)pid};
		si.status = code == LX_CLD_EXITED    ? (status >> 8) & 0xff :
		            code == LX_CLD_STOPPED   ? (status >> 8) & 0xff :
		            code == LX_CLD_CONTINUED ? LX_SIGCONT :
		                                       status & 0x7f;
		if (!lx_copy_out(p, w->info, &si, offsetof(lx_siginfo_t, utime)))
			return -LX_EFAULT;
	}
	return 0;
}

/* Look for a child w selects with something to report: true with the
 * answer in *ret (a pid, 0, -ECHILD, -EFAULT), false when children are
 * there but none has anything yet. */
static bool scan(lx_process_t *p, const lx_wait_t *w, int64_t *ret)
{
	bool any = false;
	for (lx_process_t *c = lx_process_next_any(NULL); c; c = lx_process_next_any(c)) {
		if (!selects(p, w, c))
			continue;
		any = true;
		int status, code;
		if (reportable(w, c, &status, &code)) {
			*ret = collect(p, w, c, status, code);
			return true;
		}
	}
	*ret = -LX_ECHILD;
	return !any;
}

/* Answer w now or block on it. */
static int64_t wait_start(lx_call_t *c, const lx_wait_t *w)
{
	lx_process_t *p = c->p;
	int64_t ret;
	if (scan(p, w, &ret))
		return ret;
	if (w->options & LX_WNOHANG) {
		if (w->waitid && w->info) {
			/* Linux clears what it would have reported. */
			static const uint8_t zeros[offsetof(lx_siginfo_t, utime)];
			if (!lx_copy_out(p, w->info, zeros, sizeof(zeros)))
				return -LX_EFAULT;
		}
		return 0;
	}
	if (!server_can_defer(&lx_server, c->reply_object)) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): a wait would block, but every Reply object is "
		            "held: EAGAIN\n",
		            p->pid, p->name);
		return -LX_EAGAIN;
	}
	/* Any thread may wait for the process's children; the wait is the
	 * thread's own. */
	lx_process_t *t = c->t;
	t->waiting = true;
	t->wait_reply = c->reply_object;
	t->wait = *w;
	c->reply = LX_REPLY_DEFER;
	return 0;
}

void lx_wait_notify(lx_process_t *p)
{
	/* Each waiting thread of p in turn: one answer may take the child
	 * another waits for. */
	for (lx_process_t *t = lx_process_next(NULL); t; t = lx_process_next(t)) {
		int64_t ret;
		if (lx_group(t) != p || !t->waiting || !scan(p, &t->wait, &ret))
			continue;
		t->waiting = false;
		lx_signal_answer(t, t->wait_reply, ret);
	}
}

bool lx_wait_cancel(lx_process_t *p, unsigned *reply)
{
	if (!p->waiting)
		return false;
	p->waiting = false;
	*reply = p->wait_reply;
	return true;
}

void lx_wait_child_ended(lx_process_t *parent, lx_process_t *c)
{
	const lx_sigaction_t *chld = &parent->actions[LX_SIGCHLD - 1];
	bool reap = c->exit_signal == LX_SIGCHLD &&
	            (chld->handler == LX_SIG_IGN_HANDLER || (chld->flags & LX_SA_NOCLDWAIT));
	if (c->exit_signal) {
		int st = c->wait_status;
		lx_sigqueued_t q = {
			.code = !(st & 0x7f)         ? LX_CLD_EXITED :
		                (st & LX_W_COREDUMP) ? LX_CLD_DUMPED :
		                                       LX_CLD_KILLED,
			.pid = (int32_t)c->pid,
			.status = !(st & 0x7f) ? (st >> 8) & 0xff : st & 0x7f,
		};
		lx_signal_queue(parent, c->exit_signal, &q);
	}
	if (reap)
		lx_process_free(c);
	lx_wait_notify(parent);
	lx_signal_kick_process(parent);
}

/* wait4(pid, status, options, rusage) */
int64_t lx_sys_wait4(lx_call_t *c)
{
	int64_t pid = (int32_t)c->arg[0];
	uint32_t options = (uint32_t)c->arg[2];
	if (options & ~(uint32_t)(LX_WNOHANG | LX_WUNTRACED | LX_WCONTINUED | LX_WNOTHREAD |
	                          LX_WALL | LX_WCLONE))
		return -LX_EINVAL;
	if (pid == INT32_MIN)
		return -LX_ESRCH;
	lx_wait_t w = {
		.waitid = false,
		.idtype = pid > 0   ? LX_P_PID :
	                  pid == -1 ? LX_P_ALL :
	                              LX_P_PGID,
		.id = pid > 0  ? (uint64_t)pid :
	              pid == 0 ? c->p->pgid :
	                         (uint64_t)-pid,
		.options = options | LX_WEXITED,
		.info = c->arg[1],
		.rusage = c->arg[3],
	};
	return wait_start(c, &w);
}

/* waitid(idtype, id, infop, options, rusage) */
int64_t lx_sys_waitid(lx_call_t *c)
{
	uint32_t idtype = (uint32_t)c->arg[0], options = (uint32_t)c->arg[3];
	int64_t id = (int32_t)c->arg[1];
	if (options & ~(uint32_t)(LX_WNOHANG | LX_WEXITED | LX_WSTOPPED | LX_WCONTINUED |
	                          LX_WNOWAIT | LX_WNOTHREAD | LX_WALL | LX_WCLONE))
		return -LX_EINVAL;
	if (!(options & (LX_WEXITED | LX_WSTOPPED | LX_WCONTINUED)))
		return -LX_EINVAL;
	lx_wait_t w = {.waitid = true,
	               .idtype = idtype,
	               .options = options,
	               .info = c->arg[2],
	               .rusage = c->arg[4]};
	switch (idtype) {
	case LX_P_ALL:
		break;
	case LX_P_PID:
		if (id <= 0)
			return -LX_EINVAL;
		w.id = (uint64_t)id;
		break;
	case LX_P_PGID:
		if (id < 0)
			return -LX_EINVAL;
		w.id = id ? (uint64_t)id : c->p->pgid;
		break;
	case LX_P_PIDFD:
		return -LX_EBADF; /* no pidfd can be open */
	default:
		return -LX_EINVAL;
	}
	return wait_start(c, &w);
}
