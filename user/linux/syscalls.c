/*
 * System-call dispatch: an unknown-system-call fault carries every register
 * (atoll_register order, so words 0..6 are rax and the six arguments); the
 * handler for rax runs and its result goes back as the new rax, or, when
 * the handler changed a register, as all registers. A number without a
 * handler is ENOSYS, logged once by name.
 */
#include "personality.h"

#include <atoll_rt/msg.h>
#include <atoll_rt/runtime.h>

/* The six arguments are consecutive registers in atoll_register order. */
_Static_assert(ATOLL_REG_RSI == ATOLL_REG_RDI + 1 && ATOLL_REG_RDX == ATOLL_REG_RDI + 2 &&
                       ATOLL_REG_R10 == ATOLL_REG_RDI + 3 && ATOLL_REG_R8 == ATOLL_REG_RDI + 4 &&
                       ATOLL_REG_R9 == ATOLL_REG_RDI + 5,
               "Linux system-call arguments: rdi rsi rdx r10 r8 r9");

static const lx_syscall_fn handlers[LX_SYSCALL_COUNT] = {
	[LX_SYS_READ] = lx_sys_read,
	[LX_SYS_WRITE] = lx_sys_write,
	[LX_SYS_OPEN] = lx_sys_open,
	[LX_SYS_CLOSE] = lx_sys_close,
	[LX_SYS_STAT] = lx_sys_stat,
	[LX_SYS_FSTAT] = lx_sys_fstat,
	[LX_SYS_LSTAT] = lx_sys_lstat,
	[LX_SYS_POLL] = lx_sys_poll,
	[LX_SYS_LSEEK] = lx_sys_lseek,
	[LX_SYS_MMAP] = lx_sys_mmap,
	[LX_SYS_MPROTECT] = lx_sys_mprotect,
	[LX_SYS_MUNMAP] = lx_sys_munmap,
	[LX_SYS_BRK] = lx_sys_brk,
	[LX_SYS_MREMAP] = lx_sys_mremap,
	[LX_SYS_RT_SIGACTION] = lx_sys_rt_sigaction,
	[LX_SYS_RT_SIGPROCMASK] = lx_sys_rt_sigprocmask,
	[LX_SYS_RT_SIGRETURN] = lx_sys_rt_sigreturn,
	[LX_SYS_IOCTL] = lx_sys_ioctl,
	[LX_SYS_PREAD64] = lx_sys_pread64,
	[LX_SYS_PWRITE64] = lx_sys_pwrite64,
	[LX_SYS_READV] = lx_sys_readv,
	[LX_SYS_WRITEV] = lx_sys_writev,
	[LX_SYS_ACCESS] = lx_sys_access,
	[LX_SYS_PIPE] = lx_sys_pipe,
	[LX_SYS_SELECT] = lx_sys_select,
	[LX_SYS_SCHED_YIELD] = lx_sys_sched_yield,
	[LX_SYS_DUP] = lx_sys_dup,
	[LX_SYS_DUP2] = lx_sys_dup2,
	[LX_SYS_PAUSE] = lx_sys_pause,
	[LX_SYS_NANOSLEEP] = lx_sys_nanosleep,
	[LX_SYS_GETITIMER] = lx_sys_getitimer,
	[LX_SYS_ALARM] = lx_sys_alarm,
	[LX_SYS_SETITIMER] = lx_sys_setitimer,
	[LX_SYS_GETPID] = lx_sys_getpid,
	[LX_SYS_SENDFILE] = lx_sys_sendfile,
	[LX_SYS_CLONE] = lx_sys_clone,
	[LX_SYS_FORK] = lx_sys_fork,
	[LX_SYS_VFORK] = lx_sys_vfork,
	[LX_SYS_EXECVE] = lx_sys_execve,
	[LX_SYS_EXIT] = lx_sys_exit,
	[LX_SYS_WAIT4] = lx_sys_wait4,
	[LX_SYS_KILL] = lx_sys_kill,
	[LX_SYS_UNAME] = lx_sys_uname,
	[LX_SYS_FCNTL] = lx_sys_fcntl,
	[LX_SYS_FLOCK] = lx_sys_flock,
	[LX_SYS_FSYNC] = lx_sys_fsync,
	[LX_SYS_FDATASYNC] = lx_sys_fsync,
	[LX_SYS_TRUNCATE] = lx_sys_truncate,
	[LX_SYS_FTRUNCATE] = lx_sys_ftruncate,
	[LX_SYS_GETCWD] = lx_sys_getcwd,
	[LX_SYS_CHDIR] = lx_sys_chdir,
	[LX_SYS_FCHDIR] = lx_sys_fchdir,
	[LX_SYS_RENAME] = lx_sys_rename,
	[LX_SYS_MKDIR] = lx_sys_mkdir,
	[LX_SYS_RMDIR] = lx_sys_rmdir,
	[LX_SYS_CREAT] = lx_sys_creat,
	[LX_SYS_LINK] = lx_sys_link,
	[LX_SYS_UNLINK] = lx_sys_unlink,
	[LX_SYS_SYMLINK] = lx_sys_symlink,
	[LX_SYS_READLINK] = lx_sys_readlink,
	[LX_SYS_CHMOD] = lx_sys_chmod,
	[LX_SYS_FCHMOD] = lx_sys_fchmod,
	[LX_SYS_CHOWN] = lx_sys_chown,
	[LX_SYS_FCHOWN] = lx_sys_fchown,
	[LX_SYS_LCHOWN] = lx_sys_lchown,
	[LX_SYS_UMASK] = lx_sys_umask,
	[LX_SYS_GETTIMEOFDAY] = lx_sys_gettimeofday,
	[LX_SYS_GETRLIMIT] = lx_sys_getrlimit,
	[LX_SYS_SYSINFO] = lx_sys_sysinfo,
	[LX_SYS_SYSLOG] = lx_sys_syslog,
	[LX_SYS_GETUID] = lx_sys_getuid,
	[LX_SYS_GETGID] = lx_sys_getuid,
	[LX_SYS_GETEUID] = lx_sys_getuid,
	[LX_SYS_GETEGID] = lx_sys_getuid,
	[LX_SYS_SETPGID] = lx_sys_setpgid,
	[LX_SYS_GETPPID] = lx_sys_getppid,
	[LX_SYS_GETGROUPS] = lx_sys_getgroups,
	[LX_SYS_GETPGRP] = lx_sys_getpgrp,
	[LX_SYS_SETSID] = lx_sys_setsid,
	[LX_SYS_GETRESUID] = lx_sys_getresuid,
	[LX_SYS_GETRESGID] = lx_sys_getresuid,
	[LX_SYS_GETPGID] = lx_sys_getpgid,
	[LX_SYS_GETSID] = lx_sys_getsid,
	[LX_SYS_RT_SIGPENDING] = lx_sys_rt_sigpending,
	[LX_SYS_RT_SIGTIMEDWAIT] = lx_sys_rt_sigtimedwait,
	[LX_SYS_RT_SIGSUSPEND] = lx_sys_rt_sigsuspend,
	[LX_SYS_SIGALTSTACK] = lx_sys_sigaltstack,
	[LX_SYS_UTIME] = lx_sys_utime,
	[LX_SYS_MKNOD] = lx_sys_mknod,
	[LX_SYS_STATFS] = lx_sys_statfs,
	[LX_SYS_FSTATFS] = lx_sys_fstatfs,
	[LX_SYS_PRCTL] = lx_sys_prctl,
	[LX_SYS_ARCH_PRCTL] = lx_sys_arch_prctl,
	[LX_SYS_SETRLIMIT] = lx_sys_setrlimit,
	[LX_SYS_GETTID] = lx_sys_gettid,
	[LX_SYS_TKILL] = lx_sys_tkill,
	[LX_SYS_TIME] = lx_sys_time,
	[LX_SYS_FUTEX] = lx_sys_futex,
	[LX_SYS_SCHED_SETAFFINITY] = lx_sys_sched_setaffinity,
	[LX_SYS_SCHED_GETAFFINITY] = lx_sys_sched_getaffinity,
	[LX_SYS_GETDENTS64] = lx_sys_getdents64,
	[LX_SYS_SET_TID_ADDRESS] = lx_sys_set_tid_address,
	[LX_SYS_CLOCK_GETTIME] = lx_sys_clock_gettime,
	[LX_SYS_CLOCK_GETRES] = lx_sys_clock_getres,
	[LX_SYS_CLOCK_NANOSLEEP] = lx_sys_clock_nanosleep,
	[LX_SYS_EXIT_GROUP] = lx_sys_exit_group,
	[LX_SYS_TGKILL] = lx_sys_tgkill,
	[LX_SYS_UTIMES] = lx_sys_utimes,
	[LX_SYS_WAITID] = lx_sys_waitid,
	[LX_SYS_OPENAT] = lx_sys_openat,
	[LX_SYS_MKDIRAT] = lx_sys_mkdirat,
	[LX_SYS_MKNODAT] = lx_sys_mknodat,
	[LX_SYS_FCHOWNAT] = lx_sys_fchownat,
	[LX_SYS_FUTIMESAT] = lx_sys_futimesat,
	[LX_SYS_NEWFSTATAT] = lx_sys_newfstatat,
	[LX_SYS_UNLINKAT] = lx_sys_unlinkat,
	[LX_SYS_RENAMEAT] = lx_sys_renameat,
	[LX_SYS_LINKAT] = lx_sys_linkat,
	[LX_SYS_SYMLINKAT] = lx_sys_symlinkat,
	[LX_SYS_READLINKAT] = lx_sys_readlinkat,
	[LX_SYS_FCHMODAT] = lx_sys_fchmodat,
	[LX_SYS_FACCESSAT] = lx_sys_faccessat,
	[LX_SYS_PSELECT6] = lx_sys_pselect6,
	[LX_SYS_PPOLL] = lx_sys_ppoll,
	[LX_SYS_SET_ROBUST_LIST] = lx_sys_set_robust_list,
	[LX_SYS_GET_ROBUST_LIST] = lx_sys_get_robust_list,
	[LX_SYS_UTIMENSAT] = lx_sys_utimensat,
	[LX_SYS_DUP3] = lx_sys_dup3,
	[LX_SYS_PIPE2] = lx_sys_pipe2,
	[LX_SYS_PREADV] = lx_sys_preadv,
	[LX_SYS_PWRITEV] = lx_sys_pwritev,
	[LX_SYS_PRLIMIT64] = lx_sys_prlimit64,
	[LX_SYS_RENAMEAT2] = lx_sys_renameat2,
	[LX_SYS_GETRANDOM] = lx_sys_getrandom,
	[LX_SYS_COPY_FILE_RANGE] = lx_sys_copy_file_range,
	[LX_SYS_STATX] = lx_sys_statx,
	[LX_SYS_FACCESSAT2] = lx_sys_faccessat2,
};

/* Numbers already logged as missing; one flag covers all past the table. */
static bool logged[LX_SYSCALL_COUNT];
static bool logged_beyond;

static int64_t not_implemented(lx_call_t *c)
{
	char buf[32];
	bool *done = c->nr < LX_SYSCALL_COUNT ? &logged[c->nr] : &logged_beyond;
	lx_log_once(done, "linux: pid %lu (%s): %s is not implemented: ENOSYS\n", c->p->pid,
	            c->p->name, lx_syscall_name(c->nr, buf, sizeof(buf)));
	return -LX_ENOSYS;
}

server_result_t lx_syscall(lx_process_t *t, atoll_msg_t *msg, unsigned reply)
{
	/* Every word is read before a handler makes a call of its own, which
	 * would overwrite the IPC buffer's part of the message. */
	lx_call_t c = {.p = lx_group(t), .t = t, .reply = LX_REPLY_RAX, .reply_object = reply};
	c.nregs = atoll_msginfo_length(msg->info);
	if (c.nregs > ATOLL_REG_COUNT)
		c.nregs = ATOLL_REG_COUNT;
	/* Fixed-size copies, not msg_word per word: this runs for every Linux
	 * system call. The words past the registers are in our IPC buffer;
	 * those past a shorter message are not the caller's and read as 0. */
	__builtin_memcpy(c.regs, msg->w, ATOLL_MSG_REGS * sizeof(c.regs[0]));
	__builtin_memcpy(&c.regs[ATOLL_MSG_REGS], &atoll_ipc_buffer_ptr->mr[ATOLL_MSG_REGS],
	                 (ATOLL_REG_COUNT - ATOLL_MSG_REGS) * sizeof(c.regs[0]));
	for (unsigned i = c.nregs; i < ATOLL_REG_COUNT; i++)
		c.regs[i] = 0;
	c.nr = c.regs[ATOLL_REG_RAX];
	for (unsigned i = 0; i < 6; i++)
		c.arg[i] = c.regs[ATOLL_REG_RDI + i];

	lx_syscall_fn fn = c.nr < LX_SYSCALL_COUNT ? handlers[c.nr] : NULL;
	t->fault_repeats = 0; /* a thread that makes system calls is not stuck in a fault */
	lx_caller = t;
	int64_t ret = fn ? fn(&c) : not_implemented(&c);
	if (ret == -LX_ERESTARTSYS)
		ret = lx_signal_restart_call(&c);
	lx_caller = NULL;

	switch (c.reply) {
	case LX_REPLY_NONE:
		return lx_stop_thread();
	case LX_REPLY_DEFER:
		if (!lx_signal_deferred(&c))
			return server_defer();
		ret = (int64_t)c.regs[ATOLL_REG_RAX];
		break;
	default:
		c.regs[ATOLL_REG_RAX] = (uint64_t)ret;
		break;
	}
	switch (lx_signal_return(&c, ret)) {
	case LX_REPLY_NONE:
		return lx_stop_thread();
	case LX_REPLY_DEFER:
		return server_defer(); /* stopped: answered at SIGCONT */
	case LX_REPLY_REGS:
		for (unsigned i = 0; i < c.nregs; i++)
			msg_set_word(msg, i, c.regs[i]);
		return server_ok(c.nregs);
	default:
		msg->w[0] = (uint64_t)ret;
		return server_ok(1);
	}
}
