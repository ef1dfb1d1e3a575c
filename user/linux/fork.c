/*
 * fork, vfork and clone for a new process. proc makes the child
 * (PROC_FORK_MANAGED) sharing every page of the parent copy-on-write, and
 * starts it only when we say, once it has its descriptors.
 *
 * vfork, and clone with CLONE_VM | CLONE_VFORK, are a fork whose parent
 * thread waits until the child execs or ends; then proc copies every page
 * the child wrote into the parent (PROC_VFORK_DONE). The parent, frozen
 * meanwhile, sees its memory as if the child had run in it, as Linux's
 * vfork shares it: the child's stack writes, and a variable it sets for the
 * parent (busybox's spawn, glibc's posix_spawn report an exec failure so).
 * Only fatal signals reach the waiting parent; the others wait for its
 * vfork to return, as on Linux.
 *
 * A fork from a thread copies the process with only the calling thread, as
 * on Linux. clone with CLONE_THREAD makes a thread (threads.c); a process
 * that shares memory without being a thread (CLONE_VM without CLONE_VFORK
 * or CLONE_THREAD), or a fork sharing descriptors (CLONE_FILES) or the
 * current directory (CLONE_FS), is not supported: ENOSYS.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

/* The clone flags a fork may carry. */
#define CLONE_FORK_FLAGS                                                                        \
	(LX_CSIGNAL | LX_CLONE_VM | LX_CLONE_VFORK | LX_CLONE_SETTLS | LX_CLONE_PARENT_SETTID | \
	 LX_CLONE_CHILD_CLEARTID | LX_CLONE_CHILD_SETTID)

/* Abandon a child not yet started: proc ends it, nobody is told. */
static void drop_child(lx_process_t *child)
{
	child->ppid = 0;
	lx_process_end(child, LX_W_SIGNALED(LX_SIGKILL));
}

/*
 * A copy of c's process, running from the same system call with rax 0;
 * newsp (0: the same) is its stack pointer, tls (with CLONE_SETTLS) its
 * fs_base. The child's Linux pid, or -errno.
 */
atoll_error_t lx_clone_request(const lx_call_t *c, uint64_t label, uint64_t flags, uint64_t newsp,
                               uint64_t tls, uint64_t recv_slot, atoll_msg_t *m)
{
	uint64_t regs[ATOLL_REG_COUNT];
	memcpy(regs, c->regs, sizeof(regs));
	regs[ATOLL_REG_RAX] = 0;
	if (newsp)
		regs[ATOLL_REG_RSP] = newsp;
	if (flags & LX_CLONE_SETTLS)
		regs[ATOLL_REG_FS_BASE] = tls;
	*m = (atoll_msg_t){.w = {c->p->proc_pid}};
	for (unsigned i = 0; i < ATOLL_REG_COUNT; i++)
		msg_set_word(m, 1 + i, regs[i]);
	m->info = atoll_msginfo(label, 0, 1 + ATOLL_REG_COUNT);
	return atoll_rpc_receiving(PROC_SLOT_PROC, m, recv_slot);
}

static int64_t fork_process(lx_call_t *c, uint64_t flags, uint64_t newsp, uint64_t parent_tid,
                            uint64_t child_tid, uint64_t tls)
{
	lx_process_t *parent = c->p;
	if (c->nregs < ATOLL_REG_COUNT) {
		static bool logged;
		lx_log_once(&logged, "linux: fork: the fault message lacks registers (no IPC "
		                     "buffer?): ENOSYS\n");
		return -LX_ENOSYS;
	}
	if (!lx_memory_share_all(parent))
		return -LX_ENOMEM;
	lx_process_t *child = lx_process_new();
	if (!child)
		return -LX_EAGAIN;
	memcpy(child->name, parent->name, sizeof(child->name));
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->areas = parent->areas;
	/* The calling thread's mask, alternate stack: the child's one thread. */
	lx_signal_fork(child, parent, c->t);
	child->exit_signal = (int)(flags & LX_CSIGNAL);
	if (child->exit_signal > LX_NSIG)
		child->exit_signal = 0;
	memcpy(child->rlimits, parent->rlimits, sizeof(child->rlimits));
	memcpy(child->comm, parent->comm, sizeof(child->comm));
	child->not_dumpable = parent->not_dumpable; /* pdeathsig is not inherited */
	if (flags & LX_CLONE_CHILD_CLEARTID)
		child->clear_child_tid = child_tid;

	atoll_msg_t m;
	atoll_error_t err =
		lx_clone_request(c, PROC_FORK_MANAGED, flags, newsp, tls, child->vspace, &m);
	if (err) {
		printf("linux: pid %lu (%s): proc cannot fork it: error %d\n", parent->pid,
		       parent->name, err);
		lx_process_drop_caps(child->vspace);
		memset(child, 0, sizeof(*child));
		return err == ATOLL_E_NO_MEMORY ? -LX_ENOMEM : -LX_EAGAIN;
	}
	child->proc_pid = m.w[0];
	child->have_tcb = atoll_msginfo_caps(m.info) == 2;
	if (atoll_msginfo_caps(m.info) < 1) {
		printf("linux: proc sent no VSpace for the child of pid %lu\n", parent->pid);
		drop_child(child);
		return -LX_EAGAIN;
	}
	uint32_t tid = (uint32_t)child->pid;
	if ((flags & LX_CLONE_CHILD_SETTID) && !lx_copy_out(child, child_tid, &tid, sizeof(tid))) {
		drop_child(child);
		return -LX_EFAULT;
	}
	if ((flags & LX_CLONE_PARENT_SETTID) &&
	    !lx_copy_out(parent, parent_tid, &tid, sizeof(tid))) {
		drop_child(child);
		return -LX_EFAULT;
	}
	/* Only now: a child dropped before it holds no pipe end open. */
	lx_files_fork(child, parent);
	m = (atoll_msg_t){.info = atoll_msginfo(PROC_RESUME_MANAGED, 0, 1), .w = {child->proc_pid}};
	err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err) {
		printf("linux: cannot start the child of pid %lu: error %d\n", parent->pid, err);
		drop_child(child);
		return -LX_EAGAIN;
	}
	child->ppid = parent->pid;
	if ((flags & LX_CLONE_VFORK) && server_can_defer(&lx_server, c->reply_object)) {
		child->vfork_parent = c->t;
		c->t->vfork_child = child;
		c->t->vfork_reply = c->reply_object;
		c->reply = LX_REPLY_DEFER;
	}
	return (int64_t)child->pid;
}

void lx_vfork_release(lx_process_t *child)
{
	lx_process_t *t = child->vfork_parent;
	if (!t)
		return;
	child->vfork_parent = NULL;
	t->vfork_child = NULL;
	atoll_msg_t m = {.info = atoll_msginfo(PROC_VFORK_DONE, 0, 2),
	                 .w = {child->proc_pid, lx_group(t)->proc_pid}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		printf("linux: pid %lu: copying what vfork child %lu wrote failed: error %d\n",
		       lx_group(t)->pid, child->pid, err);
	lx_signal_answer(t, t->vfork_reply, (int64_t)child->pid);
}

int64_t lx_sys_fork(lx_call_t *c)
{
	return fork_process(c, LX_SIGCHLD, 0, 0, 0, 0);
}

int64_t lx_sys_vfork(lx_call_t *c)
{
	return fork_process(c, LX_CLONE_VM | LX_CLONE_VFORK | LX_SIGCHLD, 0, 0, 0, 0);
}

/* The combinations Linux refuses whatever it supports (copy_process). */
static bool clone_flags_valid(uint64_t flags)
{
	if ((flags & (LX_CLONE_NEWNS | LX_CLONE_FS)) == (LX_CLONE_NEWNS | LX_CLONE_FS) ||
	    (flags & (LX_CLONE_NEWUSER | LX_CLONE_FS)) == (LX_CLONE_NEWUSER | LX_CLONE_FS))
		return false;
	/* Threads share the signal handlers, which only sharing memory makes
	 * sense of. */
	if ((flags & LX_CLONE_THREAD) && !(flags & LX_CLONE_SIGHAND))
		return false;
	if ((flags & LX_CLONE_SIGHAND) && !(flags & LX_CLONE_VM))
		return false;
	if ((flags & LX_CLONE_THREAD) && (flags & (LX_CLONE_NEWUSER | LX_CLONE_NEWPID)))
		return false;
	/* clone's pidfd comes back through parent_tid (and not to threads). */
	if ((flags & LX_CLONE_PIDFD) &&
	    (flags & (LX_CLONE_DETACHED | LX_CLONE_PARENT_SETTID | LX_CLONE_THREAD)))
		return false;
	return true;
}

/* clone(flags, newsp, parent_tid, child_tid, tls): the x86_64 order. */
int64_t lx_sys_clone(lx_call_t *c)
{
	uint64_t flags = c->arg[0];
	if (!clone_flags_valid(flags))
		return -LX_EINVAL;
	if (flags & LX_CLONE_THREAD) {
		/* Threads share descriptors and the current directory here;
		 * CLONE_SYSVSEM has nothing to share yet (no semaphores), and
		 * CLONE_DETACHED is ignored, as Linux does. */
		uint64_t known = LX_CLONE_VM | LX_CLONE_FS | LX_CLONE_FILES | LX_CLONE_SIGHAND |
		                 LX_CLONE_THREAD | LX_CLONE_SYSVSEM | LX_CLONE_SETTLS |
		                 LX_CLONE_PARENT_SETTID | LX_CLONE_CHILD_CLEARTID |
		                 LX_CLONE_CHILD_SETTID | LX_CLONE_DETACHED | LX_CSIGNAL;
		uint64_t needed = LX_CLONE_VM | LX_CLONE_FS | LX_CLONE_FILES;
		if (!(flags & ~known) && (flags & needed) == needed)
			return lx_thread_clone(c, flags, c->arg[1], c->arg[2], c->arg[3],
			                       c->arg[4]);
	} else if (!(flags & ~(uint64_t)CLONE_FORK_FLAGS) &&
	           (!(flags & LX_CLONE_VM) || (flags & LX_CLONE_VFORK))) {
		return fork_process(c, flags, c->arg[1], c->arg[2], c->arg[3], c->arg[4]);
	}
	static bool logged;
	lx_log_once(&logged,
	            "linux: pid %lu (%s): clone with flags 0x%lx is not supported: ENOSYS\n",
	            c->p->pid, c->p->name, flags);
	return -LX_ENOSYS;
}
