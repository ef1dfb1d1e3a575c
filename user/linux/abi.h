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
	LX_SYS_MMAP = 9,
	LX_SYS_MPROTECT = 10,
	LX_SYS_MUNMAP = 11,
	LX_SYS_BRK = 12,
	LX_SYS_RT_SIGACTION = 13,
	LX_SYS_RT_SIGPROCMASK = 14,
	LX_SYS_IOCTL = 16,
	LX_SYS_WRITEV = 20,
	LX_SYS_SCHED_YIELD = 24,
	LX_SYS_GETPID = 39,
	LX_SYS_EXIT = 60,
	LX_SYS_UNAME = 63,
	LX_SYS_GETUID = 102,
	LX_SYS_GETGID = 104,
	LX_SYS_GETEUID = 107,
	LX_SYS_GETEGID = 108,
	LX_SYS_GETPPID = 110,
	LX_SYS_GETRESUID = 118,
	LX_SYS_GETRESGID = 120,
	LX_SYS_ARCH_PRCTL = 158,
	LX_SYS_GETTID = 186,
	LX_SYS_SET_TID_ADDRESS = 218,
	LX_SYS_EXIT_GROUP = 231,
	LX_SYS_GETRANDOM = 318,
	LX_SYSCALL_COUNT = 451, /* one past the highest number with a name */
};

/* errno values (include/uapi/asm-generic/errno-base.h, errno.h). System
 * calls return them negated. */
enum lx_errno {
	LX_EPERM = 1,
	LX_EINTR = 4,
	LX_EIO = 5,
	LX_EBADF = 9,
	LX_ENOMEM = 12,
	LX_EFAULT = 14,
	LX_EEXIST = 17,
	LX_ENODEV = 19,
	LX_EINVAL = 22,
	LX_ENOTTY = 25,
	LX_ENOSYS = 38,
};

/* Signals (the numbers a shell adds to 128 for a killed process). */
enum lx_signal {
	LX_SIGILL = 4,
	LX_SIGTRAP = 5,
	LX_SIGBUS = 7,
	LX_SIGFPE = 8,
	LX_SIGKILL = 9,
	LX_SIGSEGV = 11,
	LX_SIGSTOP = 19,
	LX_NSIG = 64,
};

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

/* ioctl */
#define LX_TCGETS 0x5401
#define LX_TIOCGWINSZ 0x5413

typedef struct lx_winsize {
	uint16_t ws_row, ws_col, ws_xpixel, ws_ypixel;
} lx_winsize_t;

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

#define LX_PAGE_SIZE 4096ULL
/* The first address past user space: the end of the lower canonical half. */
#define LX_TASK_SIZE 0x00007ffffffff000ULL

#endif
