#ifndef LINUX_ABI_H
#define LINUX_ABI_H

/*
 * The parts of the Linux x86_64 ABI the personality implements: system-call
 * numbers, errno values, flags and structure layouts, as the kernel's uapi
 * headers define them. Written out here because native programs build
 * without the host's headers. LX_ keeps them apart from Atoll's names.
 */
#include <stdint.h>

/* System-call numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
enum lx_syscall {
	LX_SYS_READ = 0,
	LX_SYS_WRITE = 1,
	LX_SYS_OPEN = 2,
	LX_SYS_CLOSE = 3,
	LX_SYS_STAT = 4,
	LX_SYS_FSTAT = 5,
	LX_SYS_LSTAT = 6,
	LX_SYS_POLL = 7,
	LX_SYS_LSEEK = 8,
	LX_SYS_MMAP = 9,
	LX_SYS_MPROTECT = 10,
	LX_SYS_MUNMAP = 11,
	LX_SYS_BRK = 12,
	LX_SYS_RT_SIGACTION = 13,
	LX_SYS_RT_SIGPROCMASK = 14,
	LX_SYS_RT_SIGRETURN = 15,
	LX_SYS_IOCTL = 16,
	LX_SYS_PREAD64 = 17,
	LX_SYS_PWRITE64 = 18,
	LX_SYS_READV = 19,
	LX_SYS_WRITEV = 20,
	LX_SYS_ACCESS = 21,
	LX_SYS_PIPE = 22,
	LX_SYS_SELECT = 23,
	LX_SYS_SCHED_YIELD = 24,
	LX_SYS_MREMAP = 25,
	LX_SYS_DUP = 32,
	LX_SYS_DUP2 = 33,
	LX_SYS_PAUSE = 34,
	LX_SYS_NANOSLEEP = 35,
	LX_SYS_GETITIMER = 36,
	LX_SYS_ALARM = 37,
	LX_SYS_SETITIMER = 38,
	LX_SYS_GETPID = 39,
	LX_SYS_SENDFILE = 40,
	LX_SYS_CLONE = 56,
	LX_SYS_FORK = 57,
	LX_SYS_VFORK = 58,
	LX_SYS_EXECVE = 59,
	LX_SYS_EXIT = 60,
	LX_SYS_WAIT4 = 61,
	LX_SYS_KILL = 62,
	LX_SYS_UNAME = 63,
	LX_SYS_FCNTL = 72,
	LX_SYS_FLOCK = 73,
	LX_SYS_FSYNC = 74,
	LX_SYS_FDATASYNC = 75,
	LX_SYS_TRUNCATE = 76,
	LX_SYS_FTRUNCATE = 77,
	LX_SYS_GETCWD = 79,
	LX_SYS_CHDIR = 80,
	LX_SYS_FCHDIR = 81,
	LX_SYS_RENAME = 82,
	LX_SYS_MKDIR = 83,
	LX_SYS_RMDIR = 84,
	LX_SYS_CREAT = 85,
	LX_SYS_LINK = 86,
	LX_SYS_UNLINK = 87,
	LX_SYS_SYMLINK = 88,
	LX_SYS_READLINK = 89,
	LX_SYS_CHMOD = 90,
	LX_SYS_FCHMOD = 91,
	LX_SYS_CHOWN = 92,
	LX_SYS_FCHOWN = 93,
	LX_SYS_LCHOWN = 94,
	LX_SYS_UMASK = 95,
	LX_SYS_GETTIMEOFDAY = 96,
	LX_SYS_GETRLIMIT = 97,
	LX_SYS_SYSINFO = 99,
	LX_SYS_SYSLOG = 103,
	LX_SYS_GETUID = 102,
	LX_SYS_GETGID = 104,
	LX_SYS_GETEUID = 107,
	LX_SYS_GETEGID = 108,
	LX_SYS_SETPGID = 109,
	LX_SYS_GETPPID = 110,
	LX_SYS_GETPGRP = 111,
	LX_SYS_SETSID = 112,
	LX_SYS_GETGROUPS = 115,
	LX_SYS_GETRESUID = 118,
	LX_SYS_GETRESGID = 120,
	LX_SYS_GETPGID = 121,
	LX_SYS_GETSID = 124,
	LX_SYS_RT_SIGPENDING = 127,
	LX_SYS_RT_SIGTIMEDWAIT = 128,
	LX_SYS_RT_SIGSUSPEND = 130,
	LX_SYS_SIGALTSTACK = 131,
	LX_SYS_UTIME = 132,
	LX_SYS_MKNOD = 133,
	LX_SYS_STATFS = 137,
	LX_SYS_FSTATFS = 138,
	LX_SYS_PRCTL = 157,
	LX_SYS_ARCH_PRCTL = 158,
	LX_SYS_SETRLIMIT = 160,
	LX_SYS_GETTID = 186,
	LX_SYS_TKILL = 200,
	LX_SYS_TIME = 201,
	LX_SYS_FUTEX = 202,
	LX_SYS_SCHED_SETAFFINITY = 203,
	LX_SYS_SCHED_GETAFFINITY = 204,
	LX_SYS_GETDENTS64 = 217,
	LX_SYS_SET_TID_ADDRESS = 218,
	LX_SYS_CLOCK_GETTIME = 228,
	LX_SYS_CLOCK_GETRES = 229,
	LX_SYS_CLOCK_NANOSLEEP = 230,
	LX_SYS_EXIT_GROUP = 231,
	LX_SYS_TGKILL = 234,
	LX_SYS_UTIMES = 235,
	LX_SYS_WAITID = 247,
	LX_SYS_OPENAT = 257,
	LX_SYS_MKDIRAT = 258,
	LX_SYS_MKNODAT = 259,
	LX_SYS_FCHOWNAT = 260,
	LX_SYS_FUTIMESAT = 261,
	LX_SYS_NEWFSTATAT = 262,
	LX_SYS_UNLINKAT = 263,
	LX_SYS_RENAMEAT = 264,
	LX_SYS_LINKAT = 265,
	LX_SYS_SYMLINKAT = 266,
	LX_SYS_READLINKAT = 267,
	LX_SYS_FCHMODAT = 268,
	LX_SYS_FACCESSAT = 269,
	LX_SYS_PSELECT6 = 270,
	LX_SYS_PPOLL = 271,
	LX_SYS_SET_ROBUST_LIST = 273,
	LX_SYS_GET_ROBUST_LIST = 274,
	LX_SYS_UTIMENSAT = 280,
	LX_SYS_DUP3 = 292,
	LX_SYS_PIPE2 = 293,
	LX_SYS_PREADV = 295,
	LX_SYS_PWRITEV = 296,
	LX_SYS_PRLIMIT64 = 302,
	LX_SYS_RENAMEAT2 = 316,
	LX_SYS_GETRANDOM = 318,
	LX_SYS_COPY_FILE_RANGE = 326,
	LX_SYS_STATX = 332,
	LX_SYS_FACCESSAT2 = 439,
	LX_SYSCALL_COUNT = 451, /* one past the highest number with a name */
};

/* errno values (include/uapi/asm-generic/errno-base.h, errno.h). System
 * calls return them negated. */
enum lx_errno {
	LX_EPERM = 1,
	LX_ENOENT = 2,
	LX_ESRCH = 3,
	LX_EINTR = 4,
	LX_EIO = 5,
	LX_ENXIO = 6,
	LX_E2BIG = 7,
	LX_ENOEXEC = 8,
	LX_EBADF = 9,
	LX_ECHILD = 10,
	LX_EAGAIN = 11,
	LX_ENOMEM = 12,
	LX_EACCES = 13,
	LX_EFAULT = 14,
	LX_EBUSY = 16,
	LX_EEXIST = 17,
	LX_EXDEV = 18,
	LX_ENODEV = 19,
	LX_ENOTDIR = 20,
	LX_EISDIR = 21,
	LX_EINVAL = 22,
	LX_ENFILE = 23,
	LX_EMFILE = 24,
	LX_ENOTTY = 25,
	LX_EFBIG = 27,
	LX_ENOSPC = 28,
	LX_ESPIPE = 29,
	LX_EROFS = 30,
	LX_EMLINK = 31,
	LX_EPIPE = 32,
	LX_ERANGE = 34,
	LX_EDEADLK = 35,
	LX_ENAMETOOLONG = 36,
	LX_ENOLCK = 37,
	LX_ENOSYS = 38,
	LX_ENOTEMPTY = 39,
	LX_ELOOP = 40,
	LX_EOVERFLOW = 75,
	LX_EOPNOTSUPP = 95,
	LX_ETIMEDOUT = 110,
	/* Never seen by a process: a handler's answer that the call is to be
	 * made again once the signal it posted has had its effect (Linux's
	 * own value; lx_syscall turns it into the restart or EINTR). */
	LX_ERESTARTSYS = 512,
};

/* Signals (the numbers a shell adds to 128 for a killed process). */
enum lx_signal {
	LX_SIGHUP = 1,
	LX_SIGINT = 2,
	LX_SIGQUIT = 3,
	LX_SIGILL = 4,
	LX_SIGTRAP = 5,
	LX_SIGABRT = 6,
	LX_SIGBUS = 7,
	LX_SIGFPE = 8,
	LX_SIGKILL = 9,
	LX_SIGUSR1 = 10,
	LX_SIGSEGV = 11,
	LX_SIGUSR2 = 12,
	LX_SIGPIPE = 13,
	LX_SIGALRM = 14,
	LX_SIGTERM = 15,
	LX_SIGSTKFLT = 16,
	LX_SIGCHLD = 17,
	LX_SIGCONT = 18,
	LX_SIGSTOP = 19,
	LX_SIGTSTP = 20,
	LX_SIGTTIN = 21,
	LX_SIGTTOU = 22,
	LX_SIGURG = 23,
	LX_SIGXCPU = 24,
	LX_SIGXFSZ = 25,
	LX_SIGVTALRM = 26,
	LX_SIGPROF = 27,
	LX_SIGWINCH = 28,
	LX_SIGIO = 29,
	LX_SIGPWR = 30,
	LX_SIGSYS = 31,
	LX_SIGRTMIN = 32,
	LX_NSIG = 64,
};

/* A signal's bit in a sigset_t; SIGKILL and SIGSTOP, which can be
 * neither caught nor blocked. */
#define LX_SIGBIT(sig) (1ULL << ((sig)-1))
#define LX_SIG_UNBLOCKABLE (LX_SIGBIT(LX_SIGKILL) | LX_SIGBIT(LX_SIGSTOP))

#define LX_SIG_DFL_HANDLER 0 /* SIG_DFL as a sigaction's handler */
#define LX_SIG_IGN_HANDLER 1 /* SIG_IGN as a sigaction's handler */

/* sigaction's flags */
#define LX_SA_NOCLDSTOP 0x00000001
#define LX_SA_NOCLDWAIT 0x00000002
#define LX_SA_SIGINFO 0x00000004
#define LX_SA_RESTORER 0x04000000
#define LX_SA_ONSTACK 0x08000000
#define LX_SA_RESTART 0x10000000
#define LX_SA_NODEFER 0x40000000
#define LX_SA_RESETHAND 0x80000000

/* siginfo's si_code */
#define LX_SI_USER 0
#define LX_SI_KERNEL 0x80
#define LX_SI_TKILL (-6)
#define LX_SEGV_MAPERR 1 /* SIGSEGV: no mapping at the address */
#define LX_SEGV_ACCERR 2 /* SIGSEGV: a mapping without the right */
#define LX_FPE_INTDIV 1  /* SIGFPE: integer divide by zero */
#define LX_ILL_ILLOPN 2  /* SIGILL: illegal operand */
#define LX_CLD_EXITED 1
#define LX_CLD_KILLED 2
#define LX_CLD_DUMPED 3
#define LX_CLD_STOPPED 5
#define LX_CLD_CONTINUED 6

/* siginfo_t: 128 bytes; the fields after the first three depend on the
 * signal (include/uapi/asm-generic/siginfo.h, x86_64 layout). */
typedef struct lx_siginfo {
	int32_t signo;
	int32_t errno_;
	int32_t code;
	int32_t pad;
	int32_t pid; /* kill, tkill, SIGCHLD */
	uint32_t uid;
	int32_t status; /* SIGCHLD: the exit code or the signal */
	int32_t pad2;
	int64_t utime, stime; /* SIGCHLD */
	uint8_t rest[128 - 48];
} lx_siginfo_t;

/* stack_t (sigaltstack) */
typedef struct lx_stack {
	uint64_t sp;
	int32_t flags;
	int32_t pad;
	uint64_t size;
} lx_stack_t;
#define LX_SS_ONSTACK 1
#define LX_SS_DISABLE 2
#define LX_SS_AUTODISARM (1U << 31)
#define LX_MINSIGSTKSZ 2048

/* struct sigcontext (arch/x86/include/uapi/asm/sigcontext.h, 64-bit) */
typedef struct lx_sigcontext {
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
	uint16_t cs, gs, fs, ss;
	uint64_t err, trapno, oldmask, cr2;
	uint64_t fpstate; /* 0: no FPU state saved with the frame */
	uint64_t reserved1[8];
} lx_sigcontext_t;

/* struct ucontext as the kernel writes it (uc_sigmask is the kernel's
 * 8-byte sigset_t) */
typedef struct lx_ucontext {
	uint64_t flags;
	uint64_t link;
	lx_stack_t stack;
	lx_sigcontext_t mcontext;
	uint64_t sigmask;
} lx_ucontext_t;
#define LX_UC_SIGCONTEXT_SS 0x2
#define LX_UC_STRICT_RESTORE_SS 0x4

/* struct rt_sigframe (arch/x86/include/asm/sigframe.h): the handler's
 * return address (sa_restorer) at its stack pointer, then the context,
 * then the siginfo. */
typedef struct lx_rt_sigframe {
	uint64_t pretcode;
	lx_ucontext_t uc;
	lx_siginfo_t info;
} lx_rt_sigframe_t;

/* The user code and stack segment selectors Linux reports on x86_64. */
#define LX_USER_CS 0x33
#define LX_USER_DS 0x2b

/* clone's flags; the low byte is the signal the parent gets at the exit */
#define LX_CSIGNAL 0xff
#define LX_CLONE_VM 0x100
#define LX_CLONE_FS 0x200
#define LX_CLONE_FILES 0x400
#define LX_CLONE_SIGHAND 0x800
#define LX_CLONE_PIDFD 0x1000
#define LX_CLONE_PTRACE 0x2000
#define LX_CLONE_VFORK 0x4000
#define LX_CLONE_PARENT 0x8000
#define LX_CLONE_THREAD 0x10000
#define LX_CLONE_NEWNS 0x20000
#define LX_CLONE_SYSVSEM 0x40000
#define LX_CLONE_SETTLS 0x80000
#define LX_CLONE_PARENT_SETTID 0x100000
#define LX_CLONE_CHILD_CLEARTID 0x200000
#define LX_CLONE_DETACHED 0x400000
#define LX_CLONE_UNTRACED 0x800000
#define LX_CLONE_CHILD_SETTID 0x1000000
#define LX_CLONE_NEWUSER 0x10000000
#define LX_CLONE_NEWPID 0x20000000

/* futex's operations (the low bits of op) and flags */
#define LX_FUTEX_WAIT 0
#define LX_FUTEX_WAKE 1
#define LX_FUTEX_REQUEUE 3
#define LX_FUTEX_CMP_REQUEUE 4
#define LX_FUTEX_WAKE_OP 5
#define LX_FUTEX_WAIT_BITSET 9
#define LX_FUTEX_WAKE_BITSET 10
#define LX_FUTEX_PRIVATE_FLAG 128
#define LX_FUTEX_CLOCK_REALTIME 256
#define LX_FUTEX_BITSET_MATCH_ANY 0xffffffffu

/* struct robust_list_head: the list, futex_offset, list_op_pending */
#define LX_ROBUST_LIST_HEAD_SIZE 24

/* wait4's options */
#define LX_WNOHANG 1
#define LX_WUNTRACED 2
#define LX_WCONTINUED 8
#define LX_WSTOPPED 2 /* waitid: WUNTRACED */
#define LX_WEXITED 4
#define LX_WNOWAIT 0x01000000

/* waitid's idtype */
#define LX_P_ALL 0
#define LX_P_PID 1
#define LX_P_PGID 2
#define LX_P_PIDFD 3
#define LX_WNOTHREAD 0x20000000
#define LX_WALL 0x40000000
#define LX_WCLONE 0x80000000

/* struct rusage: two timevals and fourteen longs */
#define LX_RUSAGE_SIZE 144

/* rt_sigprocmask's how */
#define LX_SIG_BLOCK 0
#define LX_SIG_UNBLOCK 1
#define LX_SIG_SETMASK 2

/* The kernel's struct sigaction on x86_64, as rt_sigaction passes it. */
typedef struct lx_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t restorer;
	uint64_t mask; /* sigsetsize must be 8 */
} lx_sigaction_t;

/* mmap */
#define LX_PROT_READ 0x1
#define LX_PROT_WRITE 0x2
#define LX_PROT_EXEC 0x4
#define LX_PROT_SEM 0x8
#define LX_PROT_GROWSDOWN 0x01000000
#define LX_PROT_GROWSUP 0x02000000
#define LX_MAP_SHARED 0x01
#define LX_MAP_PRIVATE 0x02
#define LX_MAP_SHARED_VALIDATE 0x03
#define LX_MAP_TYPE 0x0f
#define LX_MAP_FIXED 0x10
#define LX_MAP_ANONYMOUS 0x20
#define LX_MAP_FIXED_NOREPLACE 0x100000

/* arch_prctl */
#define LX_ARCH_SET_GS 0x1001
#define LX_ARCH_SET_FS 0x1002
#define LX_ARCH_GET_FS 0x1003
#define LX_ARCH_GET_GS 0x1004

/* clock_gettime's clock ids (include/uapi/linux/time.h) */
#define LX_CLOCK_REALTIME 0
#define LX_CLOCK_MONOTONIC 1
#define LX_CLOCK_PROCESS_CPUTIME_ID 2
#define LX_CLOCK_THREAD_CPUTIME_ID 3
#define LX_CLOCK_MONOTONIC_RAW 4
#define LX_CLOCK_REALTIME_COARSE 5
#define LX_CLOCK_MONOTONIC_COARSE 6
#define LX_CLOCK_BOOTTIME 7

typedef struct lx_timespec {
	int64_t tv_sec;
	int64_t tv_nsec;
} lx_timespec_t;

typedef struct lx_timeval {
	int64_t tv_sec;
	int64_t tv_usec;
} lx_timeval_t;

typedef struct lx_timezone {
	int32_t tz_minuteswest;
	int32_t tz_dsttime;
} lx_timezone_t;

/* struct pollfd, and poll's events (include/uapi/asm-generic/poll.h) */
typedef struct lx_pollfd {
	int32_t fd;
	int16_t events;
	int16_t revents;
} lx_pollfd_t;
#define LX_POLLIN 0x001
#define LX_POLLPRI 0x002
#define LX_POLLOUT 0x004
#define LX_POLLERR 0x008
#define LX_POLLHUP 0x010
#define LX_POLLNVAL 0x020
#define LX_POLLRDNORM 0x040
#define LX_POLLRDBAND 0x080
#define LX_POLLWRNORM 0x100
#define LX_POLLWRBAND 0x200

/* pselect6's sixth argument: the signal mask and its size */
typedef struct lx_pselect_sigmask {
	uint64_t ss;
	uint64_t ss_len;
} lx_pselect_sigmask_t;

/* ioctl */
#define LX_TCGETS 0x5401
#define LX_TIOCGWINSZ 0x5413
#define LX_FIONREAD 0x541b

typedef struct lx_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
} lx_winsize_t;

/* open's flags (octal, as in include/uapi/asm-generic/fcntl.h) */
#define LX_O_ACCMODE 03
#define LX_O_RDONLY 00
#define LX_O_WRONLY 01
#define LX_O_RDWR 02
#define LX_O_CREAT 0100
#define LX_O_EXCL 0200
#define LX_O_NOCTTY 0400
#define LX_O_TRUNC 01000
#define LX_O_APPEND 02000
#define LX_O_NONBLOCK 04000
#define LX_O_LARGEFILE 0100000
#define LX_O_DIRECTORY 0200000
#define LX_O_NOFOLLOW 0400000
#define LX_O_CLOEXEC 02000000
#define LX_O_PATH 010000000
#define LX_O_TMPFILE_DIR 020000000 /* O_TMPFILE is this | O_DIRECTORY */

/* The *at calls */
#define LX_AT_FDCWD (-100)
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_EACCESS 0x200
#define LX_AT_REMOVEDIR 0x200 /* unlinkat's, the same bit */
#define LX_AT_SYMLINK_FOLLOW 0x400
#define LX_AT_NO_AUTOMOUNT 0x800
#define LX_AT_EMPTY_PATH 0x1000
#define LX_AT_STATX_SYNC_TYPE 0x6000

/* access's mode */
#define LX_F_OK 0
#define LX_X_OK 1
#define LX_W_OK 2
#define LX_R_OK 4

/* lseek's whence */
#define LX_SEEK_SET 0
#define LX_SEEK_CUR 1
#define LX_SEEK_END 2
#define LX_SEEK_DATA 3
#define LX_SEEK_HOLE 4

/* fcntl */
#define LX_F_DUPFD 0
#define LX_F_GETFD 1
#define LX_F_SETFD 2
#define LX_F_GETFL 3
#define LX_F_SETFL 4
#define LX_F_DUPFD_CLOEXEC 1030
#define LX_FD_CLOEXEC 1

/* Record locks: fcntl's commands (F_GETLK64 and kin are the same numbers
 * on x86_64), struct flock's l_type, and struct flock itself. */
#define LX_F_GETLK 5
#define LX_F_SETLK 6
#define LX_F_SETLKW 7
#define LX_F_OFD_GETLK 36
#define LX_F_OFD_SETLK 37
#define LX_F_OFD_SETLKW 38
#define LX_F_RDLCK 0
#define LX_F_WRLCK 1
#define LX_F_UNLCK 2

typedef struct lx_flock {
	int16_t l_type;
	int16_t l_whence;
	int32_t pad;
	int64_t l_start;
	int64_t l_len; /* 0: to the end of the file, whatever it becomes */
	int32_t l_pid;
	int32_t pad2;
} lx_flock_t;
_Static_assert(sizeof(lx_flock_t) == 32, "struct flock is 32 bytes on x86_64");

/* flock's operations */
#define LX_LOCK_SH 1
#define LX_LOCK_EX 2
#define LX_LOCK_NB 4
#define LX_LOCK_UN 8
#define LX_LOCK_MAND 32 /* gone: Linux accepts it and does nothing */

/* st_mode's file types */
#define LX_S_IFMT 0170000
#define LX_S_IFIFO 0010000
#define LX_S_IFDIR 0040000
#define LX_S_IFCHR 0020000
#define LX_S_IFBLK 0060000
#define LX_S_IFREG 0100000
#define LX_S_IFLNK 0120000
#define LX_S_IFSOCK 0140000

/* d_type */
#define LX_DT_UNKNOWN 0
#define LX_DT_FIFO 1
#define LX_DT_CHR 2
#define LX_DT_DIR 4
#define LX_DT_REG 8
#define LX_DT_LNK 10

/* struct stat on x86_64 (arch/x86/include/uapi/asm/stat.h) */
typedef struct lx_stat {
	uint64_t st_dev;
	uint64_t st_ino;
	uint64_t st_nlink;
	uint32_t st_mode;
	uint32_t st_uid;
	uint32_t st_gid;
	uint32_t pad0;
	uint64_t st_rdev;
	int64_t st_size;
	int64_t st_blksize;
	int64_t st_blocks;
	uint64_t st_atime, st_atime_nsec;
	uint64_t st_mtime, st_mtime_nsec;
	uint64_t st_ctime, st_ctime_nsec;
	int64_t unused[3];
} lx_stat_t;
_Static_assert(sizeof(lx_stat_t) == 144, "struct stat is 144 bytes on x86_64");

/* struct statx (include/uapi/linux/stat.h) */
typedef struct lx_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
} lx_statx_timestamp_t;

typedef struct lx_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	lx_statx_timestamp_t stx_atime, stx_btime, stx_ctime, stx_mtime;
	uint32_t stx_rdev_major, stx_rdev_minor;
	uint32_t stx_dev_major, stx_dev_minor;
	uint64_t spare[14];
} lx_statx_t;
_Static_assert(sizeof(lx_statx_t) == 256, "struct statx is 256 bytes");
#define LX_STATX_BASIC_STATS 0x7ffu

/* struct linux_dirent64: the name follows the fixed part, NUL-terminated,
 * and each record is padded to a multiple of 8 bytes. */
typedef struct lx_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
} __attribute__((packed)) lx_dirent64_t;
#define LX_DIRENT64_NAME_OFFSET 19

/* struct iovec */
typedef struct lx_iovec {
	uint64_t base;
	uint64_t len;
} lx_iovec_t;
#define LX_UIO_MAXIOV 1024

/* struct utsname: six fields of 65 bytes */
#define LX_UTSNAME_LENGTH 65
typedef struct lx_utsname {
	char sysname[LX_UTSNAME_LENGTH];
	char nodename[LX_UTSNAME_LENGTH];
	char release[LX_UTSNAME_LENGTH];
	char version[LX_UTSNAME_LENGTH];
	char machine[LX_UTSNAME_LENGTH];
	char domainname[LX_UTSNAME_LENGTH];
} lx_utsname_t;

/* getrandom's flags */
#define LX_GRND_NONBLOCK 0x1
#define LX_GRND_RANDOM 0x2
#define LX_GRND_INSECURE 0x4

/* The most bytes one read or write moves (MAX_RW_COUNT: INT_MAX rounded
 * down to a page), and one getrandom call fills. */
#define LX_MAX_RW_COUNT 0x7ffff000ULL
#define LX_GETRANDOM_MAX 0x1ffffffULL

/* Resource limits (struct rlimit64 and the RLIMIT_ numbers) */
typedef struct lx_rlimit {
	uint64_t cur, max;
} lx_rlimit_t;
enum lx_rlimit_resource {
	LX_RLIMIT_CPU,
	LX_RLIMIT_FSIZE,
	LX_RLIMIT_DATA,
	LX_RLIMIT_STACK,
	LX_RLIMIT_CORE,
	LX_RLIMIT_RSS,
	LX_RLIMIT_NPROC,
	LX_RLIMIT_NOFILE,
	LX_RLIMIT_MEMLOCK,
	LX_RLIMIT_AS,
	LX_RLIMIT_LOCKS,
	LX_RLIMIT_SIGPENDING,
	LX_RLIMIT_MSGQUEUE,
	LX_RLIMIT_NICE,
	LX_RLIMIT_RTPRIO,
	LX_RLIMIT_RTTIME,
	LX_RLIM_NLIMITS
};

/* struct sysinfo */
typedef struct lx_sysinfo {
	int64_t uptime;
	uint64_t loads[3];
	uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
	uint16_t procs, pad;
	uint32_t pad2;
	uint64_t totalhigh, freehigh;
	uint32_t mem_unit;
	char reserved[4];
} lx_sysinfo_t;
_Static_assert(sizeof(lx_sysinfo_t) == 112, "struct sysinfo is 112 bytes on x86_64");

/* mremap's flags */
#define LX_MREMAP_MAYMOVE 1
#define LX_MREMAP_FIXED 2
#define LX_MREMAP_DONTUNMAP 4

/* prctl options */
#define LX_PR_SET_PDEATHSIG 1
#define LX_PR_GET_PDEATHSIG 2
#define LX_PR_GET_DUMPABLE 3
#define LX_PR_SET_DUMPABLE 4
#define LX_PR_SET_NAME 15
#define LX_PR_GET_NAME 16
#define LX_TASK_COMM_LEN 16

/* PATH_MAX: the bytes of a path with its NUL */
#define LX_PATH_MAX 4096

#define LX_PAGE_SIZE 4096ULL
/* The first address past user space: the end of the lower canonical half. */
#define LX_TASK_SIZE 0x00007ffffffff000ULL

#endif
