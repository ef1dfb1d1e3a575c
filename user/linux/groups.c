/*
 * Process groups and sessions. Every process has a process group and a
 * session (pgid, sid), inherited at fork and kept across execve. The
 * program started by LINUX_RUN leads its own session and group; setsid
 * makes a new session, setpgid moves a process between groups of its
 * session. kill(0), kill(-pgid), wait4(0), wait4(-pgid) and waitid(P_PGID)
 * use them, and so does the terminal (tty.c): its foreground group,
 * and job control, which stops a background group that reads it.
 */
#include "personality.h"

/* Whether some process (zombies too, which keep theirs until reaped) is
 * in process group pgid of session sid (0: any session). */
static bool group_exists(uint64_t pgid, uint64_t sid)
{
	for (lx_process_t *q = lx_process_next_any(NULL); q; q = lx_process_next_any(q))
		if (q->pgid == pgid && (!sid || q->sid == sid))
			return true;
	return false;
}

/* setpgid(pid, pgid), with Linux's rules: the caller or a child of it in
 * its session that has not run execve (EACCES), not a session leader, and
 * into a new group named after itself or an existing group of the
 * caller's session (EPERM). */
int64_t lx_sys_setpgid(lx_call_t *c)
{
	lx_process_t *self = c->p;
	int64_t pid = (int32_t)c->arg[0], pgid = (int32_t)c->arg[1];
	if (!pid)
		pid = (int64_t)self->pid;
	if (!pgid)
		pgid = pid;
	if (pgid < 0)
		return -LX_EINVAL;
	lx_process_t *p = lx_process_get((uint64_t)pid);
	if (!p)
		return -LX_ESRCH;
	if (p->ppid == self->pid) {
		if (p->sid != self->sid)
			return -LX_EPERM;
		if (p->did_exec)
			return -LX_EACCES;
	} else if (p != self) {
		return -LX_ESRCH;
	}
	if (p->sid == p->pid)
		return -LX_EPERM;
	if ((uint64_t)pgid != p->pid && !group_exists((uint64_t)pgid, self->sid))
		return -LX_EPERM;
	p->pgid = (uint64_t)pgid;
	return 0;
}

/* As Linux's is_pgrp_orphaned: no member has a parent in another group
 * of its session, which could continue it after a stop. A member whose
 * parent has ended (ppid 0, as if init's) does not count, nor a zombie. */
bool lx_group_orphaned(uint64_t pgid)
{
	for (lx_process_t *q = lx_process_next(NULL); q; q = lx_process_next(q)) {
		if (q->group || q->pgid != pgid || !q->ppid)
			continue;
		lx_process_t *parent = lx_process_get(q->ppid);
		if (parent && parent->pgid != pgid && parent->sid == q->sid)
			return false;
	}
	return true;
}

/* The process pid names for getpgid and getsid (0: the caller). */
static lx_process_t *target(lx_call_t *c)
{
	int64_t pid = (int32_t)c->arg[0];
	if (!pid)
		return c->p;
	return pid < 0 ? NULL : lx_process_get((uint64_t)pid);
}

int64_t lx_sys_getpgid(lx_call_t *c)
{
	lx_process_t *p = target(c);
	return p ? (int64_t)p->pgid : -LX_ESRCH;
}

int64_t lx_sys_getpgrp(lx_call_t *c)
{
	return (int64_t)c->p->pgid;
}

int64_t lx_sys_getsid(lx_call_t *c)
{
	lx_process_t *p = target(c);
	return p ? (int64_t)p->sid : -LX_ESRCH;
}

/* setsid(): a new session and group, both named after the caller, which
 * must not lead a process group already (EPERM). */
int64_t lx_sys_setsid(lx_call_t *c)
{
	lx_process_t *p = c->p;
	if (group_exists(p->pid, 0))
		return -LX_EPERM;
	p->pgid = p->sid = p->pid;
	return (int64_t)p->sid;
}
