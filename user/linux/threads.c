/*
 * Threads: clone with CLONE_THREAD, and the system calls about the calling
 * thread (gettid, set_tid_address, the robust list, CPU affinity).
 *
 * A thread is another TCB in its process's VSpace that proc makes on our
 * request (PROC_THREAD_MANAGED); its faults carry its own thread number in
 * the badge, which lx_fault maps to the thread's own table entry. The
 * entry's group is the process's entry, which keeps everything the thread
 * group shares (personality.h); a system call of the thread sees the
 * process as c->p and itself as c->t. Its tid comes from the pid counter,
 * so no tid is ever a pid of another process.
 *
 * A thread ends with exit (processes.c: clear_child_tid is zeroed and its
 * futex woken, proc stops the TCB, the entry goes), or with its process
 * (exit_group, a fatal signal, the last thread's exit), or at an execve of
 * another thread of its process.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

unsigned lx_thread_count(const lx_process_t *p)
{
	unsigned n = p->thread_gone ? 0 : 1;
	for (lx_process_t *t = lx_process_next(NULL); t; t = lx_process_next(t))
		if (t->group == p)
			n++;
	return n;
}

int64_t lx_thread_clone(lx_call_t *c, uint64_t flags, uint64_t newsp, uint64_t parent_tid,
                        uint64_t child_tid, uint64_t tls)
{
	lx_process_t *p = c->p;
	if (c->nregs < ATOLL_REG_COUNT) {
		static bool logged;
		lx_log_once(&logged, "linux: clone: the fault message lacks registers (no IPC "
		                     "buffer?): ENOSYS\n");
		return -LX_ENOSYS;
	}
	lx_process_t *t = lx_process_new();
	if (!t) {
		static bool logged;
		lx_log_once(&logged,
		            "linux: pid %lu (%s): clone: the table of processes and threads is "
		            "full: EAGAIN\n",
		            p->pid, p->name);
		return -LX_EAGAIN;
	}
	t->group = p;
	t->proc_pid = p->proc_pid;
	memcpy(t->name, p->name, sizeof(t->name));
	t->sigmask = c->t->sigmask;
	if (flags & LX_CLONE_CHILD_CLEARTID)
		t->clear_child_tid = child_tid;

	/* Both stores happen before the thread runs, as on Linux; the memory
	 * is shared, so either is seen by both threads. */
	uint32_t tid = (uint32_t)t->pid;
	if (((flags & LX_CLONE_PARENT_SETTID) && !lx_copy_out(p, parent_tid, &tid, sizeof(tid))) ||
	    ((flags & LX_CLONE_CHILD_SETTID) && !lx_copy_out(p, child_tid, &tid, sizeof(tid)))) {
		lx_thread_free(t); /* never started */
		return -LX_EFAULT;
	}

	atoll_msg_t m; /* the new thread's TCB, for signals, lands in its slot */
	atoll_error_t err = lx_clone_request(c, PROC_THREAD_MANAGED, flags, newsp, tls, t->tcb, &m);
	if (err) {
		static bool logged;
		lx_log_once(&logged, "linux: pid %lu (%s): proc cannot make a thread: error %d\n",
		            p->pid, p->name, err);
		lx_thread_free(t); /* never started */
		return err == ATOLL_E_NO_MEMORY ? -LX_EAGAIN : -LX_ENOMEM;
	}
	t->thread = (unsigned)m.w[0];
	t->have_tcb = atoll_msginfo_caps(m.info) == 1;
	return (int64_t)t->pid;
}

void lx_threads_exec(lx_process_t *p, lx_process_t *t)
{
	for (lx_process_t *o = lx_process_next(NULL); o; o = lx_process_next(o)) {
		if (lx_group(o) != p || o == t)
			continue;
		/* proc stops its TCB with the old program: only its waits go. */
		lx_thread_forget_waits(o);
		lx_thread_free(o);
	}
	if (t != p) {
		/* The process's entry goes on as the calling thread. */
		if (!p->thread_gone)
			lx_thread_forget_waits(p);
		/* Its signal state too: the mask and what was sent to it. */
		p->sigmask = t->sigmask;
		p->sigpending = t->sigpending;
		memcpy(p->siginfo, t->siginfo, sizeof(p->siginfo));
		lx_thread_free(t);
	}
	p->thread_gone = false;
	p->thread = 0;
	p->robust_list = 0;
}

int64_t lx_sys_gettid(lx_call_t *c)
{
	return (int64_t)c->t->pid;
}

int64_t lx_sys_set_tid_address(lx_call_t *c)
{
	c->t->clear_child_tid = c->arg[0];
	return (int64_t)c->t->pid;
}

/* set_robust_list(head, len): kept for get_robust_list. Nothing walks the
 * list at a thread's exit yet (no futex there is marked FUTEX_OWNER_DIED). */
int64_t lx_sys_set_robust_list(lx_call_t *c)
{
	if (c->arg[1] != LX_ROBUST_LIST_HEAD_SIZE)
		return -LX_EINVAL;
	c->t->robust_list = c->arg[0];
	return 0;
}

/* The running thread or process that pid names (0: the caller), or NULL.
 * There is one user, so every one may be asked about. */
static lx_process_t *task_of(lx_call_t *c, int64_t pid)
{
	if (pid < 0)
		return NULL;
	return pid == 0 ? c->t : lx_task_find((uint64_t)pid);
}

/* get_robust_list(pid, head_ptr, len_ptr) */
int64_t lx_sys_get_robust_list(lx_call_t *c)
{
	int64_t pid = (int32_t)c->arg[0];
	lx_process_t *t = task_of(c, pid);
	if (!t)
		return -LX_ESRCH;
	uint64_t len = LX_ROBUST_LIST_HEAD_SIZE;
	if (!lx_copy_out(c->p, c->arg[1], &t->robust_list, sizeof(uint64_t)) ||
	    !lx_copy_out(c->p, c->arg[2], &len, sizeof(len)))
		return -LX_EFAULT;
	return 0;
}

/*
 * CPU affinity: one CPU, number 0, so the mask has bit 0 alone. Linux
 * takes any length that is a multiple of a long and holds the CPUs there
 * are (one long here), and returns the bytes it wrote.
 */
#define AFFINITY_BYTES sizeof(uint64_t)

/* sched_getaffinity(pid, len, mask) */
int64_t lx_sys_sched_getaffinity(lx_call_t *c)
{
	int64_t pid = (int32_t)c->arg[0];
	uint64_t len = c->arg[1];
	if (len < AFFINITY_BYTES || (len & (sizeof(uint64_t) - 1)))
		return -LX_EINVAL;
	if (!task_of(c, pid))
		return -LX_ESRCH;
	uint64_t mask = 1;
	return lx_copy_out(c->p, c->arg[2], &mask, AFFINITY_BYTES) ? (int64_t)AFFINITY_BYTES :
	                                                             -LX_EFAULT;
}

/* sched_setaffinity(pid, len, mask): accepted when CPU 0 is in the mask;
 * a shorter mask is taken as zero-extended, a longer one cut. */
int64_t lx_sys_sched_setaffinity(lx_call_t *c)
{
	int64_t pid = (int32_t)c->arg[0];
	uint64_t len = c->arg[1], mask = 0;
	if (len > AFFINITY_BYTES)
		len = AFFINITY_BYTES;
	if (!lx_copy_in(c->p, &mask, c->arg[2], len))
		return -LX_EFAULT;
	if (!task_of(c, pid))
		return -LX_ESRCH;
	return mask & 1 ? 0 : -LX_EINVAL;
}
