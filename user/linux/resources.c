/*
 * Resource limits (getrlimit, setrlimit, prlimit64) and prctl's process
 * attributes. Limits start as Linux sets them for init, except where Atoll
 * has a hard bound of its own: RLIMIT_NOFILE cannot exceed the descriptor
 * table (LX_FD_MAX), RLIMIT_STACK the stack region (PROC_STACK_MAX),
 * RLIMIT_NPROC the process table. Those three are enforced (open and dup
 * past RLIMIT_NOFILE are EMFILE); the others are kept and reported only.
 * Everyone is root, so a hard limit may be raised up to those bounds.
 * sysinfo reports the system as it is.
 */
#include "personality.h"

#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>

#define INFINITY_LIMIT (~0ULL)

static const lx_rlimit_t defaults[LX_RLIM_NLIMITS] = {
	[LX_RLIMIT_CPU] = {INFINITY_LIMIT, INFINITY_LIMIT},
	[LX_RLIMIT_FSIZE] = {INFINITY_LIMIT, INFINITY_LIMIT},
	[LX_RLIMIT_DATA] = {INFINITY_LIMIT, INFINITY_LIMIT},
	[LX_RLIMIT_STACK] = {PROC_STACK_MAX, PROC_STACK_MAX},
	[LX_RLIMIT_CORE] = {0, INFINITY_LIMIT},
	[LX_RLIMIT_RSS] = {INFINITY_LIMIT, INFINITY_LIMIT},
	[LX_RLIMIT_NPROC] = {LX_PROCESS_MAX, LX_PROCESS_MAX},
	[LX_RLIMIT_NOFILE] = {LX_FD_MAX, LX_FD_MAX},
	[LX_RLIMIT_MEMLOCK] = {8ULL << 20, 8ULL << 20},
	[LX_RLIMIT_AS] = {INFINITY_LIMIT, INFINITY_LIMIT},
	[LX_RLIMIT_LOCKS] = {INFINITY_LIMIT, INFINITY_LIMIT},
	[LX_RLIMIT_SIGPENDING] = {LX_NSIG, LX_NSIG},
	[LX_RLIMIT_MSGQUEUE] = {819200, 819200},
	[LX_RLIMIT_NICE] = {0, 0},
	[LX_RLIMIT_RTPRIO] = {0, 0},
	[LX_RLIMIT_RTTIME] = {INFINITY_LIMIT, INFINITY_LIMIT},
};

/* The most a hard limit can be: Atoll's own bounds. */
static uint64_t ceiling(unsigned resource)
{
	switch (resource) {
	case LX_RLIMIT_NOFILE:
	case LX_RLIMIT_STACK:
	case LX_RLIMIT_NPROC:
		return defaults[resource].max;
	default:
		return INFINITY_LIMIT;
	}
}

void lx_resources_init(lx_process_t *p)
{
	memcpy(p->rlimits, defaults, sizeof(p->rlimits));
}

/* The process a prlimit64 pid names: 0 the caller. */
static lx_process_t *target(lx_process_t *caller, int64_t pid)
{
	if (pid == 0 || (uint64_t)pid == caller->pid)
		return caller;
	for (lx_process_t *p = lx_process_next(NULL); p; p = lx_process_next(p))
		if (p->pid == (uint64_t)pid)
			return p;
	return NULL;
}

/* prlimit64(pid, resource, new, old): the old limit is read before the
 * new one is set, as Linux does; every check comes before any change. */
static int64_t prlimit(lx_process_t *caller, int64_t pid, uint64_t resource, uint64_t new_addr,
                       uint64_t old_addr)
{
	if (resource >= LX_RLIM_NLIMITS)
		return -LX_EINVAL;
	lx_rlimit_t want;
	if (new_addr) {
		if (!lx_copy_in(caller, &want, new_addr, sizeof(want)))
			return -LX_EFAULT;
		if (want.cur > want.max)
			return -LX_EINVAL;
	}
	lx_process_t *p = target(caller, pid);
	if (!p)
		return -LX_ESRCH;
	if (new_addr && want.max > ceiling((unsigned)resource))
		return -LX_EPERM;
	if (old_addr && !lx_copy_out(caller, old_addr, &p->rlimits[resource], sizeof(lx_rlimit_t)))
		return -LX_EFAULT;
	if (new_addr)
		p->rlimits[resource] = want;
	return 0;
}

int64_t lx_sys_prlimit64(lx_call_t *c)
{
	return prlimit(c->p, (int64_t)(int32_t)c->arg[0], c->arg[1], c->arg[2], c->arg[3]);
}

int64_t lx_sys_getrlimit(lx_call_t *c)
{
	if (c->arg[0] >= LX_RLIM_NLIMITS)
		return -LX_EINVAL;
	if (!lx_copy_out(c->p, c->arg[1], &c->p->rlimits[c->arg[0]], sizeof(lx_rlimit_t)))
		return -LX_EFAULT;
	return 0;
}

int64_t lx_sys_setrlimit(lx_call_t *c)
{
	if (!c->arg[1])
		return -LX_EFAULT;
	return prlimit(c->p, 0, c->arg[0], c->arg[1], 0);
}

/*
 * prctl: the name (PR_SET_NAME, PR_GET_NAME: Linux's 16-byte comm), the
 * parent-death signal (sent when the parent process ends) and the dumpable
 * flag (kept and reported: there are no core dumps). Other options are
 * EINVAL, as Linux says of options it does not know.
 */
int64_t lx_sys_prctl(lx_call_t *c)
{
	lx_process_t *p = c->p;
	switch (c->arg[0]) {
	case LX_PR_SET_NAME: {
		char comm[LX_TASK_COMM_LEN];
		int64_t n = lx_copy_string(p, c->arg[1], comm, sizeof(comm));
		if (n < 0)
			return n;
		if (n == 0) { /* longer than fits: Linux keeps the first 15 bytes */
			if (!lx_copy_in(p, comm, c->arg[1], sizeof(comm) - 1))
				return -LX_EFAULT;
			comm[sizeof(comm) - 1] = 0;
		}
		memcpy(p->comm, comm, sizeof(comm));
		return 0;
	}
	case LX_PR_GET_NAME:
		return lx_copy_out(p, c->arg[1], p->comm, sizeof(p->comm)) ? 0 : -LX_EFAULT;
	case LX_PR_SET_PDEATHSIG:
		if (c->arg[1] > LX_NSIG)
			return -LX_EINVAL;
		p->pdeathsig = (int)c->arg[1];
		return 0;
	case LX_PR_GET_PDEATHSIG: {
		int32_t sig = p->pdeathsig;
		return lx_copy_out(p, c->arg[1], &sig, sizeof(sig)) ? 0 : -LX_EFAULT;
	}
	case LX_PR_GET_DUMPABLE:
		return !p->not_dumpable;
	case LX_PR_SET_DUMPABLE:
		if (c->arg[1] > 1)
			return -LX_EINVAL;
		p->not_dumpable = c->arg[1] == 0;
		return 0;
	default:
		return -LX_EINVAL;
	}
}

/*
 * sysinfo: the uptime (the monotonic clock), the memory proc has (RAM in
 * processes' chunks: free and total; no swap, no buffers, nothing shared)
 * and the number of Linux processes and threads. No load average is kept:
 * the three loads are 0.
 */
int64_t lx_sys_sysinfo(lx_call_t *c)
{
	lx_sysinfo_t si;
	memset(&si, 0, sizeof(si));
	uint64_t ns = 0, used;
	lx_clock_now(LX_CLOCK_MONOTONIC, &ns);
	si.uptime = (int64_t)(ns / 1000000000ULL);
	if (proc_meminfo(&si.freeram, &used, &si.totalram))
		si.freeram = si.totalram = 0;
	for (lx_process_t *p = lx_process_next(NULL); p; p = lx_process_next(p))
		si.procs++;
	si.mem_unit = 1;
	return lx_copy_out(c->p, c->arg[0], &si, sizeof(si)) ? 0 : -LX_EFAULT;
}
