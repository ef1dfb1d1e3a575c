#ifndef LINUX_PERSONALITY_H
#define LINUX_PERSONALITY_H

/*
 * The Linux personality: runs unmodified static Linux x86_64 binaries.
 *
 * proc builds a Linux process (PROC_SPAWN_MANAGED) and makes this server its
 * manager: every fault of the process arrives on our service endpoint with
 * the badge pid | PROC_MANAGED_BADGE. A `syscall` instruction is an
 * unknown-system-call fault carrying all registers; the reply sets rax (or
 * all registers) and the process continues after the instruction. A page
 * fault in one of the process's memory areas that allows the access is
 * answered by asking proc for the page (PROC_MAP_ANON: a zeroed page, or a
 * private copy of one a fork shares) and replying with no words, which
 * retries the access. Any other fault raises the matching signal
 * (memory.c).
 *
 * Native clients start programs with LINUX_RUN (atoll/proto/linux.h); their
 * Reply object stays held until the program ends, and the answer carries
 * its status.
 *
 * One thread serves everything, so no state here needs a lock. Linux pids
 * are our own (processes.c); proc's pid of the program running changes at
 * execve. A Linux process may have threads (threads.c): each has a table
 * entry of its own and a thread number in its fault badge
 * (PROC_BADGE_THREAD), and shares its process's entry (lx_group).
 *
 * Each running program holds the Reply object its client waits in, so at
 * most PROC_REPLY_COUNT - 1 run at a time (server.h keeps one in reserve),
 * fewer than the table holds: the table is sized for when programs start
 * programs.
 *
 * Files: main.c (startup, the request loop), processes.c (the table, run,
 * end, faults, exit, arch_prctl), wait.c (wait4, waitid, a child's end
 * told to its parent), groups.c (process groups and sessions), fork.c
 * (fork, vfork, clone), threads.c (clone for threads, gettid,
 * set_tid_address, robust lists, affinity), futex.c (futex waits and
 * wakes), exec.c (execve), syscalls.c (dispatch), memory.c (a process's
 * memory: its pages, page faults, copies to and from it), mman.c (brk,
 * mmap, munmap, mprotect, mremap), areas.h with areas.c (a process's
 * memory areas, pure), io.c (the console's file descriptors), info.c (uname, ids, random), signals.c (sending signals,
 * their effect, interrupting blocked calls), sigcalls.c (the signal
 * system calls), sigframe.c (the handler's stack frame, rt_sigreturn),
 * names.c (system-call names for the log), abi.h (the Linux constants and
 * layouts used), fds.c (descriptors and the open file descriptions they
 * share: close, dup, fcntl), files.c
 * (open, read and write of files, lseek, truncate), sendfile.c
 * (sendfile, copy_file_range), dirs.c (getdents64,
 * the current directory, mkdir, rmdir, unlink, rename, link, symlink,
 * readlink), attrs.c (chmod, chown, umask, the utime calls, statfs),
 * ramfs.h with ramfs.c (the file system's inodes and data), pages.c (its
 * memory), lookup.c (paths), fs.c (its start), devices.c (/dev),
 * procfs.c (/proc), pipe.c
 * (pipes and pipe2: shared descriptions, blocking reads and writes),
 * fifo.c (named pipes: mknod, opening a FIFO),
 * locks.c (record locks, OFD locks and flock), poll.c
 * (poll, ppoll, select, pselect6), stat.c (the stat family, access),
 * archive.c (the boot archive, which proc maps read-only: the ramfs's
 * first contents), path.c (path names, pure),
 * time.c (the clocks: the TSC and the RTC), clock.c (calendar arithmetic,
 * pure), resources.c (resource limits, prctl, sysinfo), timer.c (the
 * deadline queue and the PIT behind it), sleep.c (nanosleep,
 * clock_nanosleep), itimer.c (alarm, setitimer, getitimer), tty.c (the
 * terminal: console input, termios, the terminal's reads and ioctls),
 * ldisc.c (its line discipline, pure).
 *
 * Waiting: a call that blocks (wait4, a pipe, poll, futex, a sleep, a
 * terminal read, rt_sigsuspend, a lock, a FIFO's open) is a deferred reply held by the calling
 * thread; each kind has its cancel function (signals.c interrupts through
 * them), and the ones with a deadline use the thread's wait timer
 * (timer.c). The bound notification brings the PIT's interrupt, console
 * input and proc's word of a restarted uart driver (LX_NOTIFY_*).
 *
 * Files: the file system is a ramfs in this server, filled from the boot
 * archive at start (ramfs.h). A process's descriptors index the one table
 * of open file descriptions (fds.c); dup and fork share one, and its
 * offset. The console is such a description too, opened on 0, 1 and 2 at
 * the start.
 */
#include "abi.h"
#include "areas.h"
#include "path.h"
#include "ramfs.h"

#include <atoll/invocations.h>
#include <atoll/objects.h>
#include <atoll/proto/proc.h>
#include <atoll_rt/print.h>
#include <atoll_rt/server.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LX_PROCESS_MAX 32
#define LX_FPU_WORDS ATOLL_TCB_FPU_WORDS /* a thread's x87/SSE state, fxsave layout */
#define LX_FD_MAX 32                     /* descriptors per process (its RLIMIT_NOFILE) */
#define LX_FILE_MAX 256                  /* open file descriptions in all (ENFILE beyond) */

/* Slots of our own CNode. The manifest's grants come first, in its order:
 * `ioports 0x70-0x71` (the RTC), `ioports 0x40-0x43` (the PIT), `irq 2`
 * (the PIT's interrupt, signalling our notification with bit 0). */
#define LX_SLOT_RTC_PORTS PROC_SLOT_GRANTS
#define LX_SLOT_PIT_PORTS (PROC_SLOT_GRANTS + 1)
#define LX_SLOT_PIT_IRQ (PROC_SLOT_GRANTS + 2)
/* /dev/uart0, the console; our notification as the uart signals it on
 * input, and as proc signals it when a uart driver registers. */
#define LX_SLOT_UART PROC_SLOT_FIRST_FREE
#define LX_SLOT_UART_NOTIFY (PROC_SLOT_FIRST_FREE + 1)
#define LX_SLOT_UART_WATCH (PROC_SLOT_FIRST_FREE + 2)
/* + 2 * table index: each process's VSpace, and its TCB in the slot after
 * (proc transfers the two together, into consecutive slots) */
#define LX_SLOT_VSPACE (PROC_SLOT_FIRST_FREE + 16)
#define LX_SLOT_EXEC (LX_SLOT_VSPACE + 2 * LX_PROCESS_MAX) /* execve's new pair, briefly */

/*
 * mmap places mappings without a fixed address in the LX_MMAP_MAX bytes
 * below LX_MMAP_TOP, as high as they fit; the heap sits far below (after
 * the program's data), the stack far above (below PROC_STACK_TOP).
 */
#define LX_MMAP_TOP 0x7e0000000000ULL
#define LX_MMAP_MAX (64ULL << 30)
/* How far the program break may move above its start. */
#define LX_BRK_MAX (1ULL << 30)

/* Bits of the notification bound to our thread. */
#define LX_NOTIFY_TIMER (1ULL << 0)    /* the PIT's interrupt (the first `irq`) */
#define LX_NOTIFY_CONSOLE (1ULL << 1)  /* console input arrived (UART_NOTIFY) */
#define LX_NOTIFY_UART_NEW (1ULL << 2) /* a uart driver registered /dev/uart0 (NS_WATCH) */

typedef struct lx_pipe lx_pipe_t; /* pipe.c */
typedef struct lx_fifo lx_fifo_t; /* fifo.c */

/* A deadline in the queue of timer.c: a TSC value, and what to do then. */
typedef struct lx_timer lx_timer_t;
struct lx_timer {
	uint64_t deadline;
	bool armed; /* in the queue */
	lx_timer_t *next;
	void (*fire)(lx_timer_t *t); /* runs after t left the queue */
};

/*
 * An open file description: the console, a node of the file system (a
 * regular file, a directory, a device, a /proc entry) or one end of a
 * pipe. Descriptions live in one table of the personality (fds.c) and are
 * shared by every descriptor that dup or fork made from the one open
 * made, in any process, with the offset and the flags; refs counts those
 * descriptors. A pipe end's own state lives in pipe.c (which counts
 * descriptors too), so here it is only a handle on it. An open FIFO
 * (fifo.c) is a pipe end with its node: its flags are its own, here.
 */
typedef struct lx_file {
	unsigned refs; /* descriptors, in every process, that share it; 0: unused */
	bool console;
	lx_pipe_t *pipe; /* a pipe end: which pipe, and which end */
	bool pipe_write;
	bool pipe_both;   /* a FIFO opened O_RDWR: both ends (pipe_write is set) */
	uint32_t mode;    /* a pipe's st_mode */
	lx_inode_t *node; /* the file it opened (held); NULL for a pipe or the inherited console */
	uint64_t offset;  /* the position; a directory's next entry's cookie (0 ".", 1 "..") */
	uint32_t flags;   /* open's flags as F_GETFL reports them */
} lx_file_t;

/* Whether f's flags live in pipe.c: an anonymous pipe end's, which every
 * descriptor of the end shares; a FIFO's description keeps its own. */
static inline bool lx_flags_in_pipe(const lx_file_t *f)
{
	return f->pipe && !f->node;
}

/* A read or write of a pipe, kept while it blocks: from one buffer, or
 * from the iovecs at vec (re-read from the process each time); or
 * (restart) a sendfile waiting for room, which is made again when some
 * comes. */
typedef struct lx_pipe_io {
	bool write;
	bool restart;
	uint64_t vec, count; /* iovecs (vec 0: the one buffer addr, len) */
	uint64_t addr, len;
	uint64_t total; /* bytes asked for, at most LX_MAX_RW_COUNT */
	uint64_t done;  /* bytes moved so far */
} lx_pipe_io_t;

/* A poll, ppoll, select or pselect6 kept while it blocks: what it asked
 * stays in the process's memory, untouched until the answer, and is read
 * again each time (poll.c). */
typedef struct lx_poll_wait {
	bool select;
	uint64_t fds, nfds; /* poll: the pollfd array; select: nfds, clamped */
	uint64_t sets[3];   /* select: readfds, writefds, exceptfds (0: none) */
	uint64_t time_addr; /* the timeout to write the time left into (0: none) */
	bool timeval;       /* it is select's timeval, not a timespec */
} lx_poll_wait_t;

/* A futex wait kept while it blocks (futex.c): the thread is parked in
 * Reply object reply until a wake at addr in its process matches bitset. */
typedef struct lx_futex_wait {
	bool waiting;
	uint64_t addr;
	uint32_t bitset;
	uint64_t order;   /* the waits' arrival order: wakes take the oldest first */
	bool timed;       /* a finite timeout was given (see lx_futex_timeout) */
	uint64_t timeout; /* how long, in ns, as the caller asked */
	bool clock_realtime;
	unsigned reply;
} lx_futex_wait_t;

/* What a blocked wait4 or waitid waits for (wait.c). */
typedef struct lx_wait {
	bool waitid;           /* waitid: a siginfo at info; wait4: a status at info */
	uint32_t idtype;       /* LX_P_ALL, LX_P_PID or LX_P_PGID */
	uint64_t id;           /* the pid or the process group */
	uint32_t options;      /* LX_WNOHANG, LX_WUNTRACED, ... (waitid's own) */
	uint64_t info, rusage; /* where to store the answer (0: nowhere) */
} lx_wait_t;

/* A pending signal: what its siginfo will say. One per signal number, as
 * Linux keeps for the standard signals; a real-time signal sent again
 * while pending is not queued a second time. */
typedef struct lx_sigqueued {
	int32_t code;
	int32_t pid;
	int32_t status;
	uint64_t addr; /* a fault's si_addr */
} lx_sigqueued_t;

/*
 * A Linux process, or one more thread of one. The entry of a process is
 * also its first thread. A thread made by clone(CLONE_THREAD) has an entry
 * of its own whose group points at its process's entry (lx_group), which
 * holds everything the thread group shares: memory (VSpace, brk, mmap),
 * descriptors, cwd, signal handlers, the parent, the pid (the tgid). In a
 * thread's entry only the per-thread fields mean anything: pid (its tid),
 * thread, the blocking states and call_regs, clear_child_tid, robust_list,
 * and of the signal state the mask, sigpending, the alternate stack, the
 * masks of rt_sigsuspend and a stop.
 */
typedef struct lx_process {
	bool used;
	uint64_t pid;             /* the Linux pid (and tid), which execve keeps */
	struct lx_process *group; /* a thread: its process's entry; NULL in a process's */
	unsigned thread;          /* proc's thread number (the fault badge's) */
	bool thread_gone;         /* a process whose first thread exited, others running */
	uint64_t ppid;            /* the Linux parent's pid; 0: none (getppid says 1) */
	uint64_t proc_pid;        /* proc's pid of the program now running; 0 in a zombie */
	uint64_t vspace;          /* slot of its VSpace capability (READ|WRITE) */
	uint64_t tcb;             /* the slot after: its first thread's TCB (READ|WRITE) */
	bool have_tcb;            /* proc sent the TCB: signals reach it while it runs */
	char name[PROC_NAME_MAX];

	uint64_t brk_start; /* page-aligned end of the program's data */
	uint64_t brk;       /* the current break, as the program set it */
	lx_areas_t areas;   /* what is mapped, with which protection (memory.c) */

	/* The same page faulting again and again, with no system call in
	 * between and nothing new from proc, means the page cannot be had:
	 * counted (per thread) to end the process, or to raise SIGSEGV for a
	 * read-only page of the image, instead of looping. */
	uint64_t last_fault;
	unsigned fault_repeats;

	bool client_waiting; /* a LINUX_RUN caller waits in Reply object client_reply */
	unsigned client_reply;

	/* Exited, its wait status (Linux's layout) kept until the parent
	 * collects it with wait4 or waitid. */
	bool zombie;
	int wait_status;
	int exit_signal; /* what the parent gets at its end: SIGCHLD from fork; 0: none */

	/* A stop or continue its parent's wait has not reported yet: the
	 * wait status ((sig << 8) | 0x7f, or 0xffff for continued); 0: none. */
	int wait_report;

	/* Process group and session (groups.c); did_exec: it ran execve,
	 * after which its parent may no longer move it to another group. */
	uint64_t pgid, sid;
	bool did_exec;

	/* The registers of the system call it is blocked in (any kind
	 * below), kept when the call deferred: an interrupting signal
	 * answers it with them (signals.c). */
	uint64_t call_regs[ATOLL_REG_COUNT];
	unsigned call_nregs;

	/* Blocked in wait4 or waitid (wait.c) in Reply object wait_reply. */
	bool waiting;
	unsigned wait_reply;
	lx_wait_t wait;

	/* Blocked in a read or write of pipe_blocked (NULL: not) in Reply
	 * object pipe_reply; pipe.c finishes the transfer when it can. */
	lx_pipe_t *pipe_blocked;
	lx_pipe_io_t pipe_io;
	unsigned pipe_reply;

	/* Blocked opening FIFO fifo_wait (NULL: not) in Reply object
	 * fifo_reply until its other end opens (fifo.c): open's flags as
	 * F_GETFL will say them, and O_CLOEXEC. */
	lx_fifo_t *fifo_wait;
	uint32_t fifo_flags;
	bool fifo_cloexec;
	unsigned fifo_reply;

	/* Blocked in poll or select in Reply object poll_reply; poll.c
	 * answers when a pipe's change makes a descriptor ready. */
	bool polling;
	lx_poll_wait_t poll_wait;
	unsigned poll_reply;

	/* Blocked in futex (futex.c). */
	lx_futex_wait_t futex;

	/* Blocked in rt_sigsuspend (sigwait_set 0) or rt_sigtimedwait (for
	 * a signal of sigwait_set, its siginfo to sigwait_info) in Reply
	 * object sigwait_reply (signals.c). */
	bool sigwaiting;
	uint64_t sigwait_set, sigwait_info;
	unsigned sigwait_reply;

	/* The deadline of the sleep, poll timeout, terminal read (VTIME) or
	 * futex wait this thread is blocked in; its expiry ends that wait
	 * (timer.c). */
	lx_timer_t wait_timer;

	/* Blocked in nanosleep or clock_nanosleep in Reply object
	 * sleep_reply until wait_timer's deadline; the time left goes to
	 * sleep_rem (0: nowhere) when the sleep is interrupted. */
	bool sleeping;
	unsigned sleep_reply;
	uint64_t sleep_rem;

	/* ITIMER_REAL (alarm, setitimer), in a process's entry: SIGALRM at
	 * alarm_timer's deadline, then every alarm_interval TSC ticks (0:
	 * once). */
	lx_timer_t alarm_timer;
	uint64_t alarm_interval;

	/* Blocked reading the terminal in Reply object tty_reply (tty.c):
	 * up to tty_len bytes into the buffer tty_addr, or into the
	 * tty_count iovecs at tty_vec (readv) when that is not 0. */
	bool tty_reading;
	unsigned tty_reply;
	uint64_t tty_addr, tty_len;
	uint64_t tty_vec, tty_count;

	uint64_t clear_child_tid; /* zeroed and woken when the thread exits */
	uint64_t robust_list;     /* set_robust_list's head, kept for get_robust_list */

	/* Signals (signals.c, sigcalls.c, sigframe.c). Per thread: the mask,
	 * the signals sent to the thread (tkill, tgkill), the alternate stack,
	 * a stop. The process's entry also holds those sent to the process
	 * (kill, a child's end), which any of its threads may take. */
	uint64_t sigmask;
	uint64_t sigpending;
	lx_sigqueued_t siginfo[LX_NSIG]; /* what each pending signal's siginfo says */
	uint64_t shared_pending;
	lx_sigqueued_t shared_info[LX_NSIG];
	lx_sigaction_t actions[LX_NSIG]; /* index: signal - 1 */
	lx_stack_t altstack;             /* size 0: none; flags: SS_AUTODISARM */
	bool restore_mask;               /* rt_sigsuspend, ppoll, pselect6 changed */
	uint64_t saved_mask;             /* the mask, to restore at their end */

	/* Stopped (SIGSTOP, SIGTSTP, ...): the answer to its last system
	 * call, stop_regs, is held in Reply object stop_reply until SIGCONT;
	 * or (stop_suspended) its thread was stopped while it ran. */
	bool stopped;
	bool stop_suspended;
	/* vfork (fork.c): on the child, the parent thread that waits for its
	 * exec or end; on that thread, the child and the Reply object its
	 * call waits in (signals other than fatal ones wait too). */
	struct lx_process *vfork_parent, *vfork_child;
	unsigned vfork_reply;
	bool group_stop; /* the process's entry: its threads are stopping or stopped */
	unsigned stop_reply;
	uint64_t stop_regs[ATOLL_REG_COUNT];
	unsigned stop_nregs;

	uint16_t fds[LX_FD_MAX]; /* descriptor -> index in the description table + 1; 0: closed */
	uint32_t cloexec;        /* FD_CLOEXEC, bit fd */
	lx_inode_t *cwd;         /* the current directory (held) */
	uint32_t umask;          /* the file mode creation mask */
	char exe[PROC_PATH_MAX]; /* the program's path: /proc/self/exe */
	char cmdline[PROC_ARGS_MAX]; /* argv, each NUL-terminated: /proc/PID/cmdline */
	uint32_t cmdline_len;

	/* resources.c */
	lx_rlimit_t rlimits[LX_RLIM_NLIMITS];
	char comm[LX_TASK_COMM_LEN]; /* prctl's name: the program's base name at execve */
	int pdeathsig;               /* prctl(PR_SET_PDEATHSIG): sent when the parent ends */
	bool not_dumpable;
} lx_process_t;

/* What the handler of one system call sees and decides. */
typedef enum lx_reply_kind {
	LX_REPLY_RAX,   /* reply with rax only: the common case */
	LX_REPLY_REGS,  /* reply with regs[0..nregs-1] (arch_prctl sets fs_base) */
	LX_REPLY_NONE,  /* the process has ended: nobody to answer */
	LX_REPLY_DEFER, /* the caller stays in Reply object reply_object (wait4) */
} lx_reply_kind_t;

typedef struct lx_call {
	lx_process_t *p; /* the process: the group of the calling thread */
	lx_process_t *t; /* the calling thread: p itself, or a thread of p */
	uint64_t nr;     /* the system-call number (rax) */
	uint64_t arg[6]; /* rdi, rsi, rdx, r10, r8, r9 */
	uint64_t regs[ATOLL_REG_COUNT];
	unsigned nregs; /* how many of regs the fault message carried */
	lx_reply_kind_t reply;
	unsigned reply_object; /* the Reply object the caller waits in */
} lx_call_t;

typedef int64_t (*lx_syscall_fn)(lx_call_t *c);

/* The answer to a fault of a process that has been ended: the reply label
 * that leaves the thread suspended, should proc not have reclaimed it yet. */
static inline server_result_t lx_stop_thread(void)
{
	return server_error((atoll_error_t)ATOLL_FAULT_REPLY_STOP);
}

/* The time-stamp counter: one for the machine, so the same here as in
 * the process we answer. */
static inline uint64_t lx_rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

/* main.c */
extern server_t lx_server;
extern bool lx_have_uart;

/* Linux wait statuses */
#define LX_W_EXITED(code) (((code)&0xff) << 8)
#define LX_W_SIGNALED(sig) ((sig)&0x7f)
#define LX_W_COREDUMP 0x80

/* processes.c */
/* The running process proc knows as proc_pid (a fault's badge). */
lx_process_t *lx_process_find(uint64_t proc_pid);
/* Its thread with proc's thread number thread (0: the process's entry,
 * unless its first thread has exited), or NULL. */
lx_process_t *lx_thread_find(uint64_t proc_pid, unsigned thread);
/* The running entry with Linux pid or tid id, process or thread, or NULL. */
lx_process_t *lx_task_find(uint64_t id);
/* The process a thread belongs to: its group, or p itself. */
static inline lx_process_t *lx_group(lx_process_t *p)
{
	return p->group ? p->group : p;
}
/* A free table entry with a new Linux pid and VSpace slot (empty), or NULL. */
lx_process_t *lx_process_new(void);
/* The running (not zombie) entry, process or thread, after prev in the
 * table; NULL starts at the first and is returned after the last. */
lx_process_t *lx_process_next(lx_process_t *prev);
/* The same, zombies included. */
lx_process_t *lx_process_next_any(lx_process_t *prev);
/* The process with Linux pid pid, zombie or not, or NULL. */
lx_process_t *lx_process_get(uint64_t pid);
/* Empty the two slots of a VSpace and TCB pair from proc. */
void lx_process_drop_caps(uint64_t vspace_slot);
/* Forget p's entry (a zombie collected, or a process nobody will ask about). */
void lx_process_free(lx_process_t *p);
server_result_t lx_run(server_t *s, atoll_msg_t *msg, unsigned reply);
/* p now runs the program at exe (absolute): its name and /proc/self/exe. */
void lx_process_name(lx_process_t *p, const char *exe);
/* End p's program with wait status wstatus (LX_W_EXITED, LX_W_SIGNALED):
 * answer the client that started it, or keep it as a zombie for its
 * parent, or forget it when nobody will ask. */
void lx_process_end(lx_process_t *p, int wstatus);
/* End p as signal sig would, with a log line saying why. */
void lx_process_kill(lx_process_t *p, int sig, const char *why);
server_result_t lx_fault(server_t *s, uint64_t label, atoll_msg_t *msg, uint64_t badge,
                         unsigned reply);
int64_t lx_sys_exit(lx_call_t *c);
int64_t lx_sys_exit_group(lx_call_t *c);
/* Forget thread t's entry (not a process's): t has ended. */
void lx_thread_free(lx_process_t *t);
/* Drop whatever wait thread t is blocked in (wait4, pipe, poll, futex,
 * a stop, ...), freeing its Reply object without an answer: the thread
 * is gone. */
void lx_thread_forget_waits(lx_process_t *t);
int64_t lx_sys_arch_prctl(lx_call_t *c);
void lx_log_once(bool *done, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* wait.c */
int64_t lx_sys_wait4(lx_call_t *c);
int64_t lx_sys_waitid(lx_call_t *c);
/* If p is blocked in wait4 or waitid, take it out of that wait without
 * answering it, set *reply to the Reply object its caller waits in and
 * return true; else false. */
bool lx_wait_cancel(lx_process_t *p, unsigned *reply);
/* A child of p changed (ended, stopped, continued, was reaped): answer
 * p's wait if it now has its answer. */
void lx_wait_notify(lx_process_t *p);
/* Child c of parent has just become a zombie: the exit signal, the
 * automatic reaping when parent ignores SIGCHLD, parent's wait. */
void lx_wait_child_ended(lx_process_t *parent, lx_process_t *c);

/* groups.c */
int64_t lx_sys_setpgid(lx_call_t *c);
int64_t lx_sys_getpgid(lx_call_t *c);
int64_t lx_sys_getpgrp(lx_call_t *c);
int64_t lx_sys_setsid(lx_call_t *c);
int64_t lx_sys_getsid(lx_call_t *c);
/* Whether process group pgid is orphaned: no member's parent, in another
 * group of the same session, could continue it after a stop. */
bool lx_group_orphaned(uint64_t pgid);

/* syscalls.c */
/* Handle the system call in msg (an unknown-system-call fault of thread
 * t) and leave the answer in msg. */
server_result_t lx_syscall(lx_process_t *t, atoll_msg_t *msg, unsigned reply);

/* fork.c */
/* child, a vfork's, execs or ends: what it wrote is copied into its
 * parent's memory (PROC_VFORK_DONE) and the parent's vfork returns. */
void lx_vfork_release(lx_process_t *child);
int64_t lx_sys_fork(lx_call_t *c);
int64_t lx_sys_vfork(lx_call_t *c);
/* Ask proc for a new thread of c's program (PROC_THREAD_MANAGED) or a
 * copy of it (PROC_FORK_MANAGED) that starts with the caller's registers,
 * rax 0, and clone's new stack (newsp, 0: the same) and TLS (with
 * CLONE_SETTLS); the capability proc sends lands in recv_slot. The answer
 * is in m. */
atoll_error_t lx_clone_request(const lx_call_t *c, uint64_t label, uint64_t flags, uint64_t newsp,
                               uint64_t tls, uint64_t recv_slot, atoll_msg_t *m);
int64_t lx_sys_clone(lx_call_t *c);

/* threads.c */
/* clone with CLONE_THREAD (flags already checked): a new thread of c->p. */
int64_t lx_thread_clone(lx_call_t *c, uint64_t flags, uint64_t newsp, uint64_t parent_tid,
                        uint64_t child_tid, uint64_t tls);
/* The live threads of process p, its first thread included. */
unsigned lx_thread_count(const lx_process_t *p);
/* execve by thread t of p has succeeded: every other thread ends, and p's
 * entry (the pid stays, as on Linux) goes on as t. */
void lx_threads_exec(lx_process_t *p, lx_process_t *t);
int64_t lx_sys_gettid(lx_call_t *c);
int64_t lx_sys_set_tid_address(lx_call_t *c);
int64_t lx_sys_set_robust_list(lx_call_t *c);
int64_t lx_sys_get_robust_list(lx_call_t *c);
int64_t lx_sys_sched_getaffinity(lx_call_t *c);
int64_t lx_sys_sched_setaffinity(lx_call_t *c);

/* futex.c */
int64_t lx_sys_futex(lx_call_t *c);
/* Wake up to n threads of p waiting at addr whose bitset meets bitset:
 * how many were woken. */
unsigned lx_futex_wake(lx_process_t *p, uint64_t addr, unsigned n, uint32_t bitset);
/* If p is blocked in futex, take it out of that wait without answering it,
 * set *reply to the Reply object its caller waits in and return true; else
 * false. */
bool lx_futex_cancel(lx_process_t *p, unsigned *reply);
/* t's wait timer ran out: a futex wait it is blocked in answers
 * ETIMEDOUT. */
void lx_futex_timeout(lx_process_t *t);

/* exec.c */
/* A #! line is read up to this many bytes (Linux's), and scripts may name
 * scripts as their interpreters this deep. */
#define LX_SCRIPT_LINE_MAX 256
#define LX_SCRIPT_DEPTH_MAX 4
int64_t lx_sys_execve(lx_call_t *c);
/* A program's arguments as proc takes them (PROC_SPAWN_MANAGED): the
 * path, then argc argument and envc environment strings, each
 * NUL-terminated and possibly empty, len bytes in all. */
typedef struct lx_args {
	char bytes[PROC_MANAGED_ARGS_MAX];
	size_t len;
	unsigned argc, envc;
	lx_inode_t *image; /* the program, when the boot archive does not hold it */
} lx_args_t;
/* a as the caller asked: make its path the ELF program to run, following
 * symlinks, and a #! script's interpreter with the argv Linux gives it;
 * a->image is the file when it is not the boot archive's. 0 or -errno
 * (ENOENT, EACCES, ENOEXEC, E2BIG, ELOOP). */
int64_t lx_exec_resolve(lx_process_t *p, lx_args_t *a);
/* Start the program a names (PROC_SPAWN_MANAGED, or load.c's way for one
 * the archive does not hold); its VSpace and TCB capabilities land in
 * recv_slot and the slot after, proc's answer in m (w0 pid, w1 break). */
atoll_error_t lx_spawn(const lx_args_t *a, uint64_t recv_slot, atoll_msg_t *m);
/* load.c: the same for a->image. */
atoll_error_t lx_spawn_image(const lx_args_t *a, uint64_t recv_slot, atoll_msg_t *m);
/* Where a's argv strings start (*argv) and how many bytes they take. */
size_t lx_args_argv_bytes(const lx_args_t *a, const char **argv);

/* memory.c: the process's pages, page faults, copies. */
#define LX_PROT_ACCESS (LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)
/* p starts a program whose data ends at brk: its heap is empty there,
 * its stack is one read-write area, nothing else is mapped. */
void lx_memory_start(lx_process_t *p, uint64_t brk);
/* The bytes of p's areas: /proc's vsize. */
uint64_t lx_memory_size(const lx_process_t *p);
/* [start, end) (page-aligned) is no longer mapped: out of p's areas, its
 * pages back to proc. False, with nothing changed, when cutting an area
 * in two would pass LX_AREA_MAX. */
bool lx_memory_unmap(lx_process_t *p, uint64_t start, uint64_t end);
/* Tell proc that p's pages in [start, end) (page-aligned) are gone, or
 * that they take the rights of protection prot. */
void lx_pages_unmap(lx_process_t *p, uint64_t start, uint64_t end);
void lx_pages_protect(lx_process_t *p, uint64_t start, uint64_t end, uint32_t prot);
/* Put len bytes at page (aligned) of p, where its area has no page yet,
 * whatever the area's protection: the page is writable until the caller
 * gives it the area's rights (lx_pages_protect). False when proc has no
 * memory for it. */
bool lx_page_put(lx_process_t *p, uint64_t page, const void *bytes, size_t len);
/* Before a fork: make every page of p's shared areas (LX_AREA_SHARED) that
 * was never touched, so that the fork shares them all, as Linux's shared
 * memory object holds pages nobody touched yet. False when proc has no
 * memory for them: the fork's ENOMEM. */
bool lx_memory_share_all(lx_process_t *p);
/* A page fault of thread t at addr (code: the x86 error code): true when it
 * was resolved and the access may be retried, false when the process has
 * been ended, or when the access is not allowed: *segv is then the
 * SIGSEGV's si_code (SEGV_MAPERR, SEGV_ACCERR), which the caller raises. */
bool lx_page_fault(lx_process_t *t, uint64_t addr, uint64_t code, uint64_t rip, int *segv);
/* Copy from or to the process's memory as its own access would: pages of
 * its areas that were never touched are paged in, pages a fork shares are
 * copied before a write. False when some byte is not accessible (not
 * mapped, or its protection refuses): the call's EFAULT. */
bool lx_copy_in(lx_process_t *p, void *dst, uint64_t addr, size_t len);
bool lx_copy_out(lx_process_t *p, uint64_t addr, const void *src, size_t len);

/* mman.c */
int64_t lx_sys_brk(lx_call_t *c);
int64_t lx_sys_mmap(lx_call_t *c);
int64_t lx_sys_munmap(lx_call_t *c);
int64_t lx_sys_mprotect(lx_call_t *c);
int64_t lx_sys_mremap(lx_call_t *c);

/* io.c */
void lx_console_init(void);
/* Bytes to the console as they are (no output processing). */
void lx_console_send(const char *s, size_t len);
/* len bytes of buf (our memory) to the console, with the terminal's
 * output processing, as a write of them does. */
void lx_console_write(const void *buf, size_t len);
/* A uart call failed with err: connect again (the driver restarted);
 * false when /dev/uart0 is gone for good (output then goes to the log). */
bool lx_console_reconnect(atoll_error_t err);
/* proc says a uart driver registered /dev/uart0 (LX_NOTIFY_UART_NEW): it
 * restarted, connect to the new one. */
void lx_console_renew(void);
int64_t lx_sys_read(lx_call_t *c);
int64_t lx_sys_write(lx_call_t *c);
/* Copy an iovec array of count entries in from the process and total its
 * lengths as Linux does (EINVAL, EFAULT); 0 when it can be used. */
int64_t lx_iovec_load(lx_process_t *p, uint64_t vec, int count, lx_iovec_t *iov, uint64_t *total);
int64_t lx_sys_writev(lx_call_t *c);
int64_t lx_sys_readv(lx_call_t *c);
int64_t lx_sys_ioctl(lx_call_t *c);

/* fds.c */
/* Descriptors 0, 1 and 2 on the console, the current directory "/". */
void lx_files_init(lx_process_t *p);
/* Give child parent's descriptors (sharing their descriptions), cwd,
 * umask, exe and cmdline. */
void lx_files_fork(lx_process_t *child, const lx_process_t *parent);
/* Close the descriptors marked FD_CLOEXEC (execve). */
void lx_files_exec(lx_process_t *p);
/* Close every descriptor (the process has ended). */
void lx_files_close_all(lx_process_t *p);
/* The description behind descriptor fd, or NULL when it is not open. */
lx_file_t *lx_fd_get(lx_process_t *p, int64_t fd);
/* A new descriptor (the lowest free one from min) for a copy of f, which
 * gets its own description with one reference; -LX_EMFILE when full. */
int64_t lx_fd_open(lx_process_t *p, const lx_file_t *f, int64_t min, bool cloexec);
/* Close descriptor fd, which is open. */
void lx_fd_close(lx_process_t *p, int64_t fd);
int64_t lx_sys_close(lx_call_t *c);
int64_t lx_sys_dup(lx_call_t *c);
int64_t lx_sys_dup2(lx_call_t *c);
int64_t lx_sys_dup3(lx_call_t *c);
int64_t lx_sys_fcntl(lx_call_t *c);

/* sendfile.c */
int64_t lx_sys_sendfile(lx_call_t *c);
int64_t lx_sys_copy_file_range(lx_call_t *c);

/* locks.c */
/* fcntl's F_GETLK, F_SETLK, F_SETLKW and their F_OFD_ kin on f, which
 * descriptor fd names; may block (c->reply LX_REPLY_DEFER). */
int64_t lx_fcntl_lock(lx_call_t *c, int64_t fd, const lx_file_t *f, uint32_t cmd, uint64_t arg);
int64_t lx_sys_flock(lx_call_t *c);
/* p has closed descriptor fd of f (f->refs no longer counts it): p's
 * record locks on the file go, and with f's last descriptor f's own
 * (OFD, flock); who waits for them tries again. */
void lx_locks_close(lx_process_t *p, int64_t fd, const lx_file_t *f);
/* If p is blocked waiting for a lock, take it out of that wait without
 * answering it, set *reply to the Reply object its caller waits in and
 * return true; else false. */
bool lx_lock_cancel(lx_process_t *p, unsigned *reply);

/* pipe.c */
int64_t lx_sys_pipe(lx_call_t *c);
int64_t lx_sys_pipe2(lx_call_t *c);
/* One more or one fewer descriptor for f's pipe end, in any process; the
 * last close of an end wakes who waits on the other. */
void lx_pipe_ref(const lx_file_t *f);
void lx_pipe_unref(const lx_file_t *f);
/* The flags of f's end (O_NONBLOCK, the access mode), which F_SETFL in
 * any process that shares it changes. */
uint32_t *lx_pipe_flags(const lx_file_t *f);
/* read, readv (vec != 0), write, writev on f's pipe end, as io asks; may
 * block (c->reply LX_REPLY_DEFER). */
int64_t lx_pipe_transfer(lx_call_t *c, const lx_file_t *f, const lx_pipe_io_t *io);
/* Bytes waiting in f's pipe (FIONREAD). */
uint64_t lx_pipe_available(const lx_file_t *f);
/* A number for f's pipe, the same for both ends (fstat's st_ino), and
 * the st_dev of every pipe. */
uint64_t lx_pipe_inode(const lx_file_t *f);
uint64_t lx_pipe_dev(void);
/* If p is blocked in a pipe read or write, take it out of that wait
 * without answering it, set *reply to the Reply object its caller waits
 * in and return true; else false. */
bool lx_pipe_cancel(lx_process_t *p, unsigned *reply);
/* The bytes p's cancelled pipe call had moved already (its answer). */
int64_t lx_pipe_partial(lx_process_t *p);
/* What poll reports for f's pipe end (LX_POLL*). */
uint32_t lx_pipe_poll(const lx_file_t *f);
/* sendfile into f's pipe (its write end): how many bytes fit now, after
 * Linux's wait for space: -EPIPE (SIGPIPE queued) with no reader left,
 * -EAGAIN when full with O_NONBLOCK; when full else, 0 with the call
 * blocked (c->reply LX_REPLY_DEFER) until a byte fits, when it is made
 * again (lx_signal_restart). */
int64_t lx_pipe_room(lx_call_t *c, const lx_file_t *f);
/* Put n bytes (no more than lx_pipe_room allowed) into f's pipe. */
void lx_pipe_put(const lx_file_t *f, const void *buf, size_t n);

/* For fifo.c: an empty pipe with no end open, kept (not free) until
 * lx_pipe_let_go; NULL (logged) when all are in use. The descriptors of
 * its read end (write false) or write end. */
lx_pipe_t *lx_pipe_keep(const lx_process_t *p);
void lx_pipe_let_go(lx_pipe_t *pp);
unsigned lx_pipe_end_refs(const lx_pipe_t *pp, bool write);

/* fifo.c: named pipes. */
int64_t lx_sys_mknod(lx_call_t *c);
int64_t lx_sys_mknodat(lx_call_t *c);
/* open of FIFO f->node (f: the description open would make, its flags
 * set) for c: a descriptor, -errno, or 0 with the call blocked (c->reply
 * LX_REPLY_DEFER) until the other end opens. */
int64_t lx_fifo_open(lx_call_t *c, lx_file_t *f, bool cloexec);
/* Kept pipe pp has no end open any more (pipe.c). */
void lx_fifo_idle(lx_pipe_t *pp);
/* If p is blocked opening a FIFO, take it out of that wait without
 * answering it, set *reply to the Reply object its caller waits in and
 * return true; else false. */
bool lx_fifo_cancel(lx_process_t *p, unsigned *reply);

/* poll.c */
int64_t lx_sys_poll(lx_call_t *c);
int64_t lx_sys_ppoll(lx_call_t *c);
int64_t lx_sys_select(lx_call_t *c);
int64_t lx_sys_pselect6(lx_call_t *c);
/* A pipe has changed: answer the processes whose poll or select it made
 * ready. */
void lx_poll_wake(void);
/* If p is blocked in poll or select, take it out of that wait without
 * answering it, set *reply to the Reply object its caller waits in and
 * return true; else false. */
bool lx_poll_cancel(lx_process_t *p, unsigned *reply);
/* p's wait timer ran out: a poll or select it is blocked in answers 0. */
void lx_poll_expired(lx_process_t *p);

/* archive.c: give ramfs directory root the tree of the boot archive that
 * proc maps at PROC_ARCHIVE_VADDR: the count of entries made. */
unsigned lx_archive_load(lx_inode_t *root);

/* files.c */
/* Copy the NUL-terminated string at addr in p into buf (room bytes): its
 * length with the NUL, -LX_EFAULT, or 0 when it does not fit. */
int64_t lx_copy_string(lx_process_t *p, uint64_t addr, char *buf, size_t room);
/* Copy the NUL-terminated path at addr in p into buf (LX_PATH_MAX bytes):
 * its length, -LX_EFAULT or -LX_ENAMETOOLONG. */
int64_t lx_copy_path(lx_process_t *p, uint64_t addr, char *buf);
/* Walk path from dirfd (LX_AT_FDCWD: the current directory; ignored for an
 * absolute path) as lx_walk does: 0 or -errno (EBADF, ENOTDIR for dirfd). */
int64_t lx_lookup(lx_process_t *p, int64_t dirfd, const char *path, unsigned flags, lx_where_t *w);
/* The same for the path at addr in p. */
int64_t lx_lookup_user(lx_process_t *p, int64_t dirfd, uint64_t addr, unsigned flags,
                       lx_where_t *w);
/* Whether f's access mode lets it be read, or written (O_PATH: neither). */
bool lx_file_readable(const lx_file_t *f);
bool lx_file_writable(const lx_file_t *f);
/* Read or write up to len bytes of node n at offset from or to buf, our
 * memory, as its kind means it (file data, a device, a /proc file): the
 * count (0: the end) or -errno. */
int64_t lx_node_read(lx_inode_t *n, uint64_t offset, void *buf, size_t len);
int64_t lx_node_write(lx_inode_t *n, uint64_t offset, const void *buf, size_t len);
/* read(2), write(2), readv and writev on f, a file (neither the console nor
 * a pipe), at and moving its offset. */
int64_t lx_file_read(lx_process_t *p, lx_file_t *f, uint64_t addr, uint64_t len);
int64_t lx_file_write(lx_process_t *p, lx_file_t *f, uint64_t addr, uint64_t len);
int64_t lx_file_readv(lx_call_t *c, lx_file_t *f);
int64_t lx_file_writev(lx_call_t *c, lx_file_t *f);
int64_t lx_sys_open(lx_call_t *c);
int64_t lx_sys_openat(lx_call_t *c);
int64_t lx_sys_creat(lx_call_t *c);
int64_t lx_sys_pread64(lx_call_t *c);
int64_t lx_sys_pwrite64(lx_call_t *c);
int64_t lx_sys_preadv(lx_call_t *c);
int64_t lx_sys_pwritev(lx_call_t *c);
int64_t lx_sys_lseek(lx_call_t *c);
int64_t lx_sys_truncate(lx_call_t *c);
int64_t lx_sys_ftruncate(lx_call_t *c);
int64_t lx_sys_fsync(lx_call_t *c);

/* dirs.c */
int64_t lx_sys_getdents64(lx_call_t *c);
int64_t lx_sys_getcwd(lx_call_t *c);
int64_t lx_sys_chdir(lx_call_t *c);
int64_t lx_sys_fchdir(lx_call_t *c);
int64_t lx_sys_mkdir(lx_call_t *c);
int64_t lx_sys_mkdirat(lx_call_t *c);
int64_t lx_sys_rmdir(lx_call_t *c);
int64_t lx_sys_unlink(lx_call_t *c);
int64_t lx_sys_unlinkat(lx_call_t *c);
int64_t lx_sys_rename(lx_call_t *c);
int64_t lx_sys_renameat(lx_call_t *c);
int64_t lx_sys_renameat2(lx_call_t *c);
int64_t lx_sys_link(lx_call_t *c);
int64_t lx_sys_linkat(lx_call_t *c);
int64_t lx_sys_symlink(lx_call_t *c);
int64_t lx_sys_symlinkat(lx_call_t *c);
int64_t lx_sys_readlink(lx_call_t *c);
int64_t lx_sys_readlinkat(lx_call_t *c);
/* Whether w (a walk with LX_WALK_PARENT) is a place for a new name: no
 * entry there, in a live directory of the ramfs; 0 or -errno. */
int64_t lx_name_can_create(const lx_where_t *w);
/* Give new inode n (NULL: there was no memory for it) the name w says, or
 * free it: 0 or -errno. */
int64_t lx_name_link_new(lx_where_t *w, lx_inode_t *n);

/* attrs.c */
int64_t lx_sys_chmod(lx_call_t *c);
int64_t lx_sys_fchmod(lx_call_t *c);
int64_t lx_sys_fchmodat(lx_call_t *c);
int64_t lx_sys_chown(lx_call_t *c);
int64_t lx_sys_fchown(lx_call_t *c);
int64_t lx_sys_lchown(lx_call_t *c);
int64_t lx_sys_fchownat(lx_call_t *c);
int64_t lx_sys_umask(lx_call_t *c);
int64_t lx_sys_utimensat(lx_call_t *c);
int64_t lx_sys_futimesat(lx_call_t *c);
int64_t lx_sys_utimes(lx_call_t *c);
int64_t lx_sys_utime(lx_call_t *c);
int64_t lx_sys_statfs(lx_call_t *c);
int64_t lx_sys_fstatfs(lx_call_t *c);

/* fs.c: the ramfs with the archive's tree, /tmp, /dev and /proc. */
void lx_fs_init(void);
/* The directory name in dir, made with perm when there is none; NULL when
 * something else has the name, or memory is out. */
lx_inode_t *lx_fs_ensure_dir(lx_inode_t *dir, const char *name, size_t len, uint32_t perm);

/* devices.c */
/* Make the device nodes in directory dev. */
void lx_devices_init(lx_inode_t *dev);
/* n is /dev/console or /dev/tty: opening it gives the terminal. */
bool lx_device_is_console(const lx_inode_t *n);
/* Whether n is /dev/zero (a private mapping of it is anonymous memory). */
bool lx_device_is_zero(const lx_inode_t *n);
/* Read or write character device n: the count or -errno. */
int64_t lx_device_read(lx_inode_t *n, void *buf, size_t len);
int64_t lx_device_write(lx_inode_t *n, size_t len);
/* Whether Linux can splice from device n (sendfile into a pipe): zero,
 * full, random and urandom, not null. */
bool lx_device_splice_reads(const lx_inode_t *n);
/* Writes to n never look at the bytes (null, zero, full): as on Linux, they
 * are not copied in, so a bad buffer is no EFAULT either. */
bool lx_device_ignores_data(const lx_inode_t *n);

/* procfs.c */
/* dir (a ramfs directory) becomes /proc. */
void lx_procfs_init(lx_inode_t *dir);
/* The index-th entry of /proc directory dir: false past the last. */
bool lx_procfs_dirent(lx_inode_t *dir, uint64_t index, char *name, uint64_t *ino, uint32_t *mode);
/* Up to len bytes of /proc file n's text from offset. */
int64_t lx_procfs_read(lx_inode_t *n, uint64_t offset, void *buf, size_t len);
/* Keep p's argv (len bytes of NUL-terminated strings) for
 * /proc/PID/cmdline. */
void lx_procfs_set_cmdline(lx_process_t *p, const char *argv, size_t len);

/* stat.c */
int64_t lx_sys_stat(lx_call_t *c);
int64_t lx_sys_lstat(lx_call_t *c);
int64_t lx_sys_fstat(lx_call_t *c);
int64_t lx_sys_newfstatat(lx_call_t *c);
int64_t lx_sys_statx(lx_call_t *c);
int64_t lx_sys_access(lx_call_t *c);
int64_t lx_sys_faccessat(lx_call_t *c);
int64_t lx_sys_faccessat2(lx_call_t *c);

/* info.c */
int64_t lx_sys_uname(lx_call_t *c);
int64_t lx_sys_getpid(lx_call_t *c);
int64_t lx_sys_getppid(lx_call_t *c);
int64_t lx_sys_getuid(lx_call_t *c);
int64_t lx_sys_getresuid(lx_call_t *c);
int64_t lx_sys_getgroups(lx_call_t *c);
int64_t lx_sys_sched_yield(lx_call_t *c);
int64_t lx_sys_getrandom(lx_call_t *c);
/* Fill buf with len random bytes, as getrandom does. */
void lx_random_fill(void *buf, size_t len);
/* What uname says and /proc/version repeats. */
#define LX_UNAME_RELEASE "6.1.0-atoll"
#define LX_UNAME_VERSION "#1 Atoll"

/* time.c */
/* Learn the TSC's rate from proc and read the wall-clock time once from
 * the RTC; before this (or when it failed) the clocks are ENOSYS. */
void lx_time_init(void);
/* Nanoseconds as TSC ticks (rounded up) and back; 0 without clocks. */
uint64_t lx_ns_to_ticks(uint64_t ns);
uint64_t lx_ticks_to_ns(uint64_t ticks);
int64_t lx_sys_clock_gettime(lx_call_t *c);
int64_t lx_sys_clock_getres(lx_call_t *c);
int64_t lx_sys_gettimeofday(lx_call_t *c);
int64_t lx_sys_time(lx_call_t *c);
/* Clock id's value in ns: false for an unknown clock, or before the clocks
 * are known. */
bool lx_clock_now(int64_t id, uint64_t *ns);
/* The TSC's rate in Hz (0: unknown). */
uint64_t lx_tsc_hz(void);

/* timer.c: the deadline queue and the PIT behind it. */
/* Take the PIT (the manifest's grants); without it no timer expires. */
void lx_timer_init(void);
bool lx_timer_available(void);
/* Queue t (again) for TSC deadline; t->fire must be set. */
void lx_timer_set(lx_timer_t *t, uint64_t deadline);
/* Take t out of the queue, if it is in it. */
void lx_timer_stop(lx_timer_t *t);
/* TSC ticks until t's deadline; 0 when due or not queued. */
uint64_t lx_timer_left(const lx_timer_t *t);
/* The PIT interrupted (LX_NOTIFY_TIMER): fire what is due, arm for the rest. */
void lx_timer_interrupt(void);
/* Queue thread t's wait timer: at deadline, the sleep, poll, terminal
 * read or futex wait t is blocked in ends (lx_sleep_expired,
 * lx_poll_expired, lx_tty_expired, lx_futex_timeout). */
void lx_wait_timer_set(lx_process_t *t, uint64_t deadline);

/* sleep.c */
int64_t lx_sys_nanosleep(lx_call_t *c);
int64_t lx_sys_clock_nanosleep(lx_call_t *c);
/* t's wait timer ran out: a sleep it is blocked in answers 0. */
void lx_sleep_expired(lx_process_t *t);
/* If p is blocked in a sleep, take it out of that wait without answering
 * it (the time left is written to its rem), set *reply to the Reply
 * object its caller waits in and return true; else false. */
bool lx_sleep_cancel(lx_process_t *p, unsigned *reply);

/* itimer.c */
int64_t lx_sys_alarm(lx_call_t *c);
int64_t lx_sys_setitimer(lx_call_t *c);
int64_t lx_sys_getitimer(lx_call_t *c);
/* p has ended: its timer goes. */
void lx_itimer_forget(lx_process_t *p);

/* tty.c: the terminal on the console (and ldisc.c, its line discipline). */
typedef struct lx_termios lx_termios_t;
void lx_tty_init(void);
/* The terminal's settings (output processing for console writes). */
const lx_termios_t *lx_tty_termios(void);
/* read (vec 0) of len bytes at addr, or readv of the count iovecs at
 * vec, len bytes in all, on console description f; may block (c->reply
 * LX_REPLY_DEFER). */
int64_t lx_tty_read(lx_call_t *c, const lx_file_t *f, uint64_t addr, uint64_t len, uint64_t vec,
                    uint64_t count);
/* ioctl on the console: termios, window size, foreground group, ... */
int64_t lx_tty_ioctl(lx_call_t *c);
/* Job control for c's write to the terminal: 0 when it may go on, -EIO,
 * or -ERESTARTSYS after SIGTTOU went to the caller's group (a background
 * group writing while TOSTOP is set). */
int64_t lx_tty_write_check(lx_call_t *c);
/* Whether a read of the console would return now (poll's POLLIN). */
bool lx_tty_readable(void);
/* Process p asks for the terminal's input (a read, poll, FIONREAD): take
 * it from the uart. The first to ask makes the terminal ours and, with no
 * foreground group yet, its session's the foreground. */
void lx_tty_want_input(lx_process_t *p);
/* The uart signalled input (LX_NOTIFY_CONSOLE). */
void lx_tty_notify(void);
/* The uart connection is new (io.c reconnected): register for input. */
void lx_tty_connected(void);
/* t's wait timer ran out (VTIME): a terminal read it is blocked in
 * answers with what is there, maybe nothing. */
void lx_tty_expired(lx_process_t *t);
/* If p is blocked reading the terminal, take it out of that wait without
 * answering it, set *reply to the Reply object its caller waits in and
 * return true; else false. */
bool lx_tty_cancel(lx_process_t *p, unsigned *reply);
/* A process ended: when it was the last, the console's input goes back
 * to the monitor and the terminal to its defaults. */
void lx_tty_release(void);

/* signals.c */
/* The process whose system call is being handled, or NULL: a signal
 * posted to it takes effect as that call returns. */
extern lx_process_t *lx_caller;
/* Post sig to p (a Linux pid's process) as the kernel sends it
 * (SI_KERNEL): the terminal's ^C, a timer. */
void lx_signal_send(lx_process_t *p, int sig);
/* Post sig to every process of process group pgid. */
void lx_signal_group(uint64_t pgid, int sig);
/* Post sig to p with info (its siginfo), and let it take effect. */
void lx_signal_post(lx_process_t *p, int sig, const lx_sigqueued_t *info);
/* Post sig to thread t alone (tkill, tgkill, SIGPIPE). */
void lx_signal_post_thread(lx_process_t *t, int sig, const lx_sigqueued_t *info);
/* Only queue it, to the process or to the thread: the caller answers or
 * kicks afterwards. */
void lx_signal_queue(lx_process_t *p, int sig, const lx_sigqueued_t *info);
void lx_signal_queue_thread(lx_process_t *t, int sig, const lx_sigqueued_t *info);
/* Let thread t's pending signals take effect now: end its process, or
 * interrupt the call it is blocked in, or stop it and deliver while it
 * runs (nothing while it is the caller). */
void lx_signal_kick(lx_process_t *t);
/* The same for each thread of process p in turn. */
void lx_signal_kick_process(lx_process_t *p);
/* Whether sig, delivered to p now, would do nothing at all. */
bool lx_signal_ignored(const lx_process_t *p, unsigned sig);
/* Take sig from p's pending set and store its siginfo at info (0:
 * nowhere): sig, or -EFAULT (rt_sigtimedwait's answer). */
int64_t lx_signal_take(lx_process_t *p, unsigned sig, uint64_t info);
/* Whether p has a pending signal that would interrupt a wait. */
bool lx_signal_pending(lx_process_t *p);
/* Answer p's deferred system call, waiting in Reply object reply, with
 * ret, delivering its pending signals (frames, stop, end) into the answer.
 * Every deferred call is answered through this. */
void lx_signal_answer(lx_process_t *p, unsigned reply, int64_t ret);
/* The system call c returns ret: deliver p's pending signals into its
 * registers; the reply kind to use (RAX, REGS, NONE, DEFER). */
lx_reply_kind_t lx_signal_return(lx_call_t *c, int64_t ret);
/* c's handler returned -ERESTARTSYS after posting a signal to its
 * caller (the terminal's SIGTTIN, SIGTTOU): set c up to make the call
 * again once that signal has had its effect (a stop and SIGCONT, a
 * handler with SA_RESTART) and return the new rax; or -EINTR, after a
 * handler without SA_RESTART, as Linux. */
int64_t lx_signal_restart_call(lx_call_t *c);
/* Answer p's deferred call, waiting in Reply object reply, by having it
 * made again: its registers as it made it, rip back on the syscall
 * instruction (a sendfile that waited for room in a pipe). */
void lx_signal_restart(lx_process_t *p, unsigned reply);
/* c's handler deferred the call: keep its registers for an interruption,
 * and if a signal is already pending, take the call out of its wait and
 * set c (regs, reply) to the interrupted answer: true; else false. */
bool lx_signal_deferred(lx_call_t *c);
/* If p is blocked in any call (or stopped), take it out without answering
 * it and set *reply to the Reply object it held; false when none. */
bool lx_signal_unblock(lx_process_t *p, unsigned *reply);
/* The wait status of a process ended by sig's default action. */
int lx_signal_wstatus(int sig);
/* Give child the signal state, group and session of parent, and the mask
 * and alternate stack of its calling thread (fork). */
void lx_signal_fork(lx_process_t *child, const lx_process_t *parent, const lx_process_t *thread);
/* Reset caught signals to their default action (execve). */
void lx_signals_exec(lx_process_t *p);

/* resources.c */
/* The limits a process started by a native client has, as init's. */
void lx_resources_init(lx_process_t *p);
int64_t lx_sys_getrlimit(lx_call_t *c);
int64_t lx_sys_setrlimit(lx_call_t *c);
int64_t lx_sys_prlimit64(lx_call_t *c);
int64_t lx_sys_prctl(lx_call_t *c);
int64_t lx_sys_sysinfo(lx_call_t *c);

/* syslog.c: Atoll's log as the system log (dmesg). */
int64_t lx_sys_syslog(lx_call_t *c);

/* sigcalls.c */
/* Set p's mask for the length of a call (rt_sigsuspend, ppoll,
 * pselect6), the old one back when it returns or its handler does; put
 * it back now; set it for good (rt_sigreturn). */
void lx_signal_set_mask(lx_process_t *p, uint64_t mask);
void lx_signal_restore_mask(lx_process_t *p);
void lx_signal_set_mask_now(lx_process_t *p, uint64_t mask);
/* The alternate signal stack: whether sp is on it, its ss_flags for sp,
 * and setting it as sigaltstack does (0 or -errno). */
bool lx_signal_on_altstack(const lx_process_t *p, uint64_t sp);
int32_t lx_signal_altstack_flags(const lx_process_t *p, uint64_t sp);
int64_t lx_signal_set_altstack(lx_process_t *p, const lx_stack_t *ss, uint64_t sp);
int64_t lx_sys_rt_sigaction(lx_call_t *c);
int64_t lx_sys_rt_sigprocmask(lx_call_t *c);
int64_t lx_sys_rt_sigpending(lx_call_t *c);
int64_t lx_sys_rt_sigsuspend(lx_call_t *c);
int64_t lx_sys_rt_sigtimedwait(lx_call_t *c);
int64_t lx_sys_pause(lx_call_t *c);
int64_t lx_sys_sigaltstack(lx_call_t *c);
int64_t lx_sys_kill(lx_call_t *c);
int64_t lx_sys_tkill(lx_call_t *c);
int64_t lx_sys_tgkill(lx_call_t *c);

/* sigframe.c */
/* Build the frame of handler act for sig (siginfo from q) on p's stack
 * and point regs (all of them) at the handler; false when it cannot. */
/* fpu: the thread's FPU state to save with it (LX_FPU_WORDS words, the
 * fxsave layout), or NULL. */
bool lx_signal_frame(lx_process_t *p, unsigned sig, const lx_sigqueued_t *q,
                     const lx_sigaction_t *act, uint64_t *regs, unsigned nregs,
                     const uint64_t *fpu);
/* The FPU state after Linux's fpu__clear_user_states: x87 and SSE
 * exceptions masked, nothing else. */
void lx_fpu_init_state(uint64_t fpu[LX_FPU_WORDS]);
/* The siginfo_t for sig as q describes it. */
void lx_signal_siginfo(lx_siginfo_t *si, unsigned sig, const lx_sigqueued_t *q);
int64_t lx_sys_rt_sigreturn(lx_call_t *c);
/* Thread t faulted with sig (a CPU exception, a bad address): run its
 * handler from the faulting instruction's registers (si_code code,
 * si_addr addr), or end the process as Linux's forced signals do when the
 * signal is blocked, ignored or has no handler; why goes to the log then.
 * The answer to the fault, its words in msg. */
server_result_t lx_signal_fault(lx_process_t *t, int sig, int code, uint64_t addr, const char *why,
                                atoll_msg_t *msg);

/* names.c */
/* The name of system call nr; buf holds "syscall N" for one without. */
const char *lx_syscall_name(uint64_t nr, char *buf, size_t size);

#endif
