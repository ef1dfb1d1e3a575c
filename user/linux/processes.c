/*
 * The table of Linux processes: starting one for a LINUX_RUN client, ending
 * one (exit, a signal, or a fault that kills it), and the system calls
 * about the process. A thread of a process has an entry here too
 * (threads.c): its group is the process's entry. Waiting for children is
 * wait.c's.
 *
 * An entry is a Linux process: its Linux pid (our own counter, from 2; the
 * pid the program sees) stays from LINUX_RUN or fork to the end, while the
 * proc process behind it (proc_pid, the badge of its faults) changes at
 * each execve. Its VSpace capability sits in LX_SLOT_VSPACE + its index.
 *
 * States: running; a zombie (its proc process ended, the wait status kept)
 * until its parent collects it with wait4 or waitid; free. A process started by
 * LINUX_RUN has no Linux parent: the client that started it stays parked in
 * one of our Reply objects (server_defer) and gets the status at the end,
 * and the entry is freed then. So is an orphan's: a process whose parent
 * has ended is reaped at its end, and a child whose parent ignores SIGCHLD.
 */
#include "personality.h"

#include <atoll/invocations.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <stdarg.h>

static lx_process_t processes[LX_PROCESS_MAX];
/* Entries from here on have never been used: walks stop here, not at
 * LX_PROCESS_MAX, as every system call's lookup and every wake-up's walk
 * would otherwise cross the whole table. */
static unsigned processes_end;
static uint64_t next_pid = 2; /* 1 is init, which the programs see as parent */

lx_process_t *lx_process_find(uint64_t proc_pid)
{
	for (unsigned i = 0; i < processes_end; i++)
		if (processes[i].used && !processes[i].zombie && !processes[i].group &&
		    processes[i].proc_pid == proc_pid)
			return &processes[i];
	return NULL;
}

lx_process_t *lx_thread_find(uint64_t proc_pid, unsigned thread)
{
	lx_process_t *p = lx_process_find(proc_pid);
	if (!p || thread == 0)
		return p && !p->thread_gone ? p : NULL;
	for (unsigned i = 0; i < processes_end; i++)
		if (processes[i].used && processes[i].group == p && processes[i].thread == thread)
			return &processes[i];
	return NULL;
}

lx_process_t *lx_task_find(uint64_t id)
{
	for (unsigned i = 0; i < processes_end; i++)
		if (processes[i].used && !processes[i].zombie && processes[i].pid == id)
			return &processes[i];
	return NULL;
}

lx_process_t *lx_process_next(lx_process_t *prev)
{
	for (unsigned i = prev ? (unsigned)(prev - processes) + 1 : 0; i < processes_end; i++)
		if (processes[i].used && !processes[i].zombie)
			return &processes[i];
	return NULL;
}

lx_process_t *lx_process_next_any(lx_process_t *prev)
{
	for (unsigned i = prev ? (unsigned)(prev - processes) + 1 : 0; i < LX_PROCESS_MAX; i++)
		if (processes[i].used && !processes[i].group)
			return &processes[i];
	return NULL;
}

lx_process_t *lx_process_get(uint64_t pid)
{
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++)
		if (processes[i].used && !processes[i].group && processes[i].pid == pid)
			return &processes[i];
	return NULL;
}

static bool pid_taken(const lx_process_t *p)
{
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++)
		if (&processes[i] != p && processes[i].used && processes[i].pid == p->pid)
			return true;
	return false;
}

lx_process_t *lx_process_new(void)
{
	unsigned i = 0;
	while (i < LX_PROCESS_MAX && processes[i].used)
		i++;
	if (i == LX_PROCESS_MAX)
		return NULL;
	lx_process_t *p = &processes[i];
	memset(p, 0, sizeof(*p));
	p->used = true;
	if (i >= processes_end)
		processes_end = i + 1;
	/* Linux pids are not reused while their holder is around. */
	do
		p->pid = next_pid++ & 0x3fffffff;
	while (p->pid < 2 || pid_taken(p));
	p->vspace = LX_SLOT_VSPACE + 2 * i;
	p->tcb = p->vspace + 1;
	lx_process_drop_caps(p->vspace);
	return p;
}

void lx_log_once(bool *done, const char *fmt, ...)
{
	if (*done)
		return;
	*done = true;
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("%s", line);
}

/* The length of the string at s, or max when no NUL comes within max bytes. */
static size_t string_length(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

/*
 * The LINUX_RUN request: "path\0arg0\0...\0\0env0\0...\0\0". Checks that
 * the bytes are exactly that shape (a path, then two lists each closed by
 * an empty string) and makes them the counted lists proc takes in a.
 */
static bool run_args(const char *s, size_t len, lx_args_t *a)
{
	size_t path = string_length(s, len);
	if (path == 0 || path >= len || len - 2 > sizeof(a->bytes))
		return false;
	*a = (lx_args_t){.len = path + 1};
	memcpy(a->bytes, s, path + 1);
	unsigned lists = 0;
	for (size_t i = path + 1; i < len;) {
		size_t n = string_length(s + i, len - i);
		if (n == len - i || lists == 2 || a->len + n + 1 > sizeof(a->bytes))
			return false; /* no NUL before the end, bytes after the lists */
		if (n == 0)
			lists++;
		else if (lists == 0)
			a->argc++;
		else
			a->envc++;
		if (n)
			memcpy(a->bytes + a->len, s + i, n + 1);
		a->len += n ? n + 1 : 0;
		i += n + 1;
	}
	return lists == 2;
}

void lx_process_name(lx_process_t *p, const char *exe)
{
	size_t n = strlen(exe);
	if (n > sizeof(p->name) - 1)
		n = sizeof(p->name) - 1;
	memcpy(p->name, exe, n);
	p->name[n] = 0;
	snprintf(p->exe, sizeof(p->exe), "%s", exe);
	const char *base = exe;
	for (const char *s = exe; *s; s++)
		if (*s == '/')
			base = s + 1;
	snprintf(p->comm, sizeof(p->comm), "%s", base);
}

void lx_process_drop_caps(uint64_t vspace_slot)
{
	cnode_delete(PROC_SLOT_CNODE, vspace_slot);
	cnode_delete(PROC_SLOT_CNODE, vspace_slot + 1);
}

void lx_process_free(lx_process_t *p)
{
	/* The entry's timers leave the queue before the entry goes. */
	lx_timer_stop(&p->wait_timer);
	lx_timer_stop(&p->alarm_timer);
	lx_process_drop_caps(p->vspace);
	memset(p, 0, sizeof(*p));
}

server_result_t lx_run(server_t *s, atoll_msg_t *msg, unsigned reply)
{
	static char packed[MSG_BYTES_MAX(1)];
	static lx_args_t args;
	size_t len = msg->w[0];
	if (len == 0 || len > sizeof(packed) || atoll_msginfo_length(msg->info) < 1 + (len + 7) / 8)
		return server_error(ATOLL_E_INVALID_ARG);
	msg_get_bytes(msg, 1, packed, len);
	if (!run_args(packed, len, &args))
		return server_error(ATOLL_E_INVALID_ARG);
	if (!server_can_defer(s, reply))
		return server_error(ATOLL_E_BUSY);
	lx_process_t *p = lx_process_new();
	if (!p)
		return server_error(ATOLL_E_BUSY);
	lx_files_init(p);
	lx_resources_init(p);
	int64_t r = lx_exec_resolve(p, &args);
	if (r < 0) {
		lx_files_close_all(p);
		lx_process_free(p);
		return server_error(r == -LX_ENOENT ? ATOLL_E_NOT_FOUND : ATOLL_E_INVALID_ARG);
	}

	atoll_msg_t m;
	atoll_error_t err = lx_spawn(&args, p->vspace, &m);
	if (err) {
		lx_files_close_all(p);
		lx_process_free(p);
		return server_error(err);
	}

	p->proc_pid = m.w[0];
	lx_process_name(p, args.bytes);
	const char *argv;
	size_t argv_bytes = lx_args_argv_bytes(&args, &argv);
	lx_procfs_set_cmdline(p, argv, argv_bytes);
	lx_memory_start(p, m.w[1]);
	p->have_tcb = atoll_msginfo_caps(m.info) == 2;
	if (atoll_msginfo_caps(m.info) < 1) {
		/* Without its address space we cannot serve its system calls. */
		printf("linux: proc sent no VSpace for pid %lu (%s); ending it\n", p->pid, p->name);
		lx_process_end(p, LX_W_SIGNALED(LX_SIGKILL));
		return server_error(ATOLL_E_INVALID_CAP);
	}
	p->client_waiting = true;
	p->client_reply = reply;
	/* A session and a process group of its own, as a login shell has. */
	p->pgid = p->sid = p->pid;
	return server_defer();
}

/* The status a LINUX_RUN client gets: the exit code, or 128 + the signal. */
static uint64_t client_status(int wstatus)
{
	return (wstatus & 0x7f) ? 128 + (uint64_t)(wstatus & 0x7f) :
	                          (uint64_t)(wstatus >> 8) & 0xff;
}

void lx_thread_free(lx_process_t *t)
{
	if (t->group)
		lx_process_free(t);
}

void lx_thread_forget_waits(lx_process_t *t)
{
	unsigned reply;
	while (lx_signal_unblock(t, &reply))
		server_reply(&lx_server, reply, (atoll_error_t)ATOLL_FAULT_REPLY_STOP, NULL, 0);
	lx_timer_stop(&t->wait_timer);
}

void lx_process_end(lx_process_t *p, int wstatus)
{
	p = lx_group(p);
	lx_vfork_release(p); /* before its memory goes */
	atoll_msg_t m = {.info = atoll_msginfo(PROC_END, 0, 2),
	                 .w = {p->proc_pid, client_status(wstatus)}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		printf("linux: proc could not end pid %lu (%s): error %d\n", p->pid, p->name, err);
	lx_process_drop_caps(p->vspace);
	p->have_tcb = false;
	/* proc has stopped every thread with the process: the waits they
	 * were blocked in go (before the closes below wake pollers), and so
	 * do their entries. */
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++) {
		lx_process_t *t = &processes[i];
		if (t->used && (t == p || t->group == p))
			lx_thread_forget_waits(t);
		if (t->used && t->group == p)
			lx_thread_free(t);
	}
	lx_itimer_forget(p);
	/* Its descriptors close as exit closes them: the last writer of a
	 * pipe gone, its reader sees the end. */
	lx_files_close_all(p);

	/* Its children become orphans; those already ended go now, the
	 * others get the signal they asked for with PR_SET_PDEATHSIG. */
	for (unsigned i = 0; i < LX_PROCESS_MAX; i++) {
		lx_process_t *c = &processes[i];
		if (!c->used || c->ppid != p->pid)
			continue;
		c->ppid = 0;
		if (c->zombie)
			lx_process_free(c);
		else if (c->pdeathsig)
			lx_signal_send(c, c->pdeathsig);
	}
	if (p->client_waiting) {
		atoll_msg_t answer = {.w = {client_status(wstatus)}};
		server_reply(&lx_server, p->client_reply, ATOLL_E_OK, &answer, 1);
	}
	lx_process_t *parent = p->ppid ? lx_process_get(p->ppid) : NULL;
	if (!parent || parent->zombie || p->client_waiting) {
		lx_process_free(p);
		lx_tty_release();
		return;
	}
	p->zombie = true;
	p->proc_pid = 0;
	p->wait_status = wstatus;
	p->wait_report = 0;
	p->sigpending = p->shared_pending = 0;
	lx_wait_child_ended(parent, p);
	lx_tty_release();
}

void lx_process_kill(lx_process_t *p, int sig, const char *why)
{
	static const char *const names[] = {
		[LX_SIGILL] = "SIGILL", [LX_SIGTRAP] = "SIGTRAP", [LX_SIGBUS] = "SIGBUS",
		[LX_SIGFPE] = "SIGFPE", [LX_SIGKILL] = "SIGKILL", [LX_SIGSEGV] = "SIGSEGV",
	};
	const char *name = (unsigned)sig < sizeof(names) / sizeof(names[0]) && names[sig] ?
	                           names[sig] :
	                           "a signal";
	printf("linux: pid %lu (%s): %s: killed by %s\n", p->pid, p->name, why, name);
	lx_process_end(p, lx_signal_wstatus(sig));
}

/* The signal Linux sends for a CPU exception (arch/x86/kernel/traps.c),
 * and its si_code (si_addr is the instruction, unless SI_KERNEL). */
static int exception_signal(uint64_t vector, int *code)
{
	switch (vector) {
	case 0: /* divide error */
		*code = LX_FPE_INTDIV;
		return LX_SIGFPE;
	case 16:                      /* x87 floating point */
	case 19:                      /* SIMD floating point */
		*code = LX_SI_KERNEL; /* Linux reads the cause from the FPU */
		return LX_SIGFPE;
	case 1: /* debug */
	case 3: /* breakpoint */
		*code = LX_SI_KERNEL;
		return LX_SIGTRAP;
	case 6: /* invalid opcode */
		*code = LX_ILL_ILLOPN;
		return LX_SIGILL;
	case 11: /* segment not present */
	case 12: /* stack segment */
	case 17: /* alignment check */
		*code = LX_SI_KERNEL;
		return LX_SIGBUS;
	default: /* general protection, overflow, bound range, ... */
		*code = LX_SI_KERNEL;
		return LX_SIGSEGV;
	}
}

server_result_t lx_fault(server_t *s, uint64_t label, atoll_msg_t *msg, uint64_t badge,
                         unsigned reply)
{
	uint64_t pid = PROC_BADGE_PID(badge);
	unsigned thread = PROC_BADGE_THREAD(badge);
	lx_process_t *t = lx_thread_find(pid, thread);
	lx_process_t *p = t ? lx_group(t) : NULL;
	if (!t && lx_process_find(pid)) {
		/* A thread of ours that we have ended: only it stops. */
		printf("linux: fault %lu from thread %u of proc pid %lu, which has ended\n", label,
		       thread, pid);
		atoll_msg_t m = {.info = atoll_msginfo(PROC_END_THREAD, 0, 2), .w = {pid, thread}};
		atoll_rpc(PROC_SLOT_PROC, &m);
		return lx_stop_thread();
	}
	if (!p) {
		/* Started before this server (re)started, or already ended. */
		printf("linux: fault %lu from proc pid %lu, which is not ours; ending it\n", label,
		       pid);
		atoll_msg_t m = {.info = atoll_msginfo(PROC_END, 0, 2),
		                 .w = {pid, 128 + LX_SIGKILL}};
		atoll_rpc(PROC_SLOT_PROC, &m);
		return lx_stop_thread();
	}
	switch (label) {
	case ATOLL_FAULT_UNKNOWN_SYSCALL:
		return lx_syscall(t, msg, reply);
	case ATOLL_FAULT_PAGE: {
		uint64_t addr = msg->w[0], code = msg->w[1], rip = msg->w[2];
		int segv;
		if (lx_page_fault(t, addr, code, rip, &segv))
			return server_ok(0);
		if (!segv)
			return lx_stop_thread();
		char why[128];
		snprintf(why, sizeof(why), "segmentation fault at 0x%lx (%s, %s), rip 0x%lx", addr,
		         code & 0x10 ? "execute" :
		         code & 0x2  ? "write" :
		                       "read",
		         segv == LX_SEGV_ACCERR ? "protection" : "not mapped", rip);
		return lx_signal_fault(t, LX_SIGSEGV, segv, addr, why, msg);
	}
	case ATOLL_FAULT_EXCEPTION: {
		char why[96];
		uint64_t vector = msg->w[0], rip = msg->w[2];
		snprintf(why, sizeof(why), "exception %lu (error code 0x%lx) at rip 0x%lx", vector,
		         msg->w[1], rip);
		int code;
		int sig = exception_signal(vector, &code);
		return lx_signal_fault(t, sig, code, code == LX_SI_KERNEL ? 0 : rip, why, msg);
	}
	default: {
		char why[48];
		snprintf(why, sizeof(why), "unknown fault %lu", label);
		lx_process_kill(p, LX_SIGKILL, why);
		return lx_stop_thread();
	}
	}
}

/* exit ends the calling thread; the last one's exit ends the process. */
int64_t lx_sys_exit(lx_call_t *c)
{
	if (lx_thread_count(c->p) <= 1)
		return lx_sys_exit_group(c);
	lx_process_t *p = c->p, *t = c->t;
	c->reply = LX_REPLY_NONE;
	/* What pthread_join and the C library's thread list lock wait on. */
	if (t->clear_child_tid) {
		uint32_t zero = 0;
		if (lx_copy_out(p, t->clear_child_tid, &zero, sizeof(zero)))
			lx_futex_wake(p, t->clear_child_tid, 1, LX_FUTEX_BITSET_MATCH_ANY);
	}
	atoll_msg_t m = {.info = atoll_msginfo(PROC_END_THREAD, 0, 2),
	                 .w = {p->proc_pid, t->thread}};
	atoll_error_t err = atoll_rpc(PROC_SLOT_PROC, &m);
	if (err)
		printf("linux: proc could not end tid %lu of pid %lu: error %d\n", t->pid, p->pid,
		       err);
	if (t == p) {
		/* The process stays while its other threads run. proc may give
		 * the first thread's TCB to a later thread: ours goes. */
		p->thread_gone = true;
		p->have_tcb = false;
		cnode_delete(PROC_SLOT_CNODE, p->tcb);
		p->clear_child_tid = 0;
	} else {
		lx_thread_free(t);
	}
	c->p = c->t = NULL;
	return 0;
}

int64_t lx_sys_exit_group(lx_call_t *c)
{
	c->reply = LX_REPLY_NONE;
	lx_process_end(c->p, LX_W_EXITED((int)c->arg[0]));
	c->p = c->t = NULL;
	return 0;
}

/*
 * fs_base and gs_base are registers of the thread: setting one is a reply
 * that writes every register back, unchanged but for rax and that base.
 */
int64_t lx_sys_arch_prctl(lx_call_t *c)
{
	uint64_t code = c->arg[0], addr = c->arg[1];
	unsigned reg;
	switch (code) {
	case LX_ARCH_SET_FS:
	case LX_ARCH_GET_FS:
		reg = ATOLL_REG_FS_BASE;
		break;
	case LX_ARCH_SET_GS:
	case LX_ARCH_GET_GS:
		reg = ATOLL_REG_GS_BASE;
		break;
	default:
		return -LX_EINVAL;
	}
	if (c->nregs <= reg) {
		static bool logged;
		lx_log_once(&logged, "linux: arch_prctl: the fault message lacks the base "
		                     "registers (no IPC buffer?)\n");
		return -LX_ENOSYS;
	}
	if (code == LX_ARCH_GET_FS || code == LX_ARCH_GET_GS)
		return lx_copy_out(c->p, addr, &c->regs[reg], sizeof(uint64_t)) ? 0 : -LX_EFAULT;
	if (addr >= LX_TASK_SIZE)
		return -LX_EPERM;
	c->regs[reg] = addr;
	c->reply = LX_REPLY_REGS;
	return 0;
}
