/* Signal handlers: a signal sent to oneself runs its handler as the
 * system call returns, with Linux's siginfo and ucontext; the mask while
 * it runs; pending signals delivered when unblocked; SIG_IGN; SA_RESETHAND
 * and SA_NODEFER; nested handlers; rt_sigreturn puts every register back
 * (and takes what the handler changed in the context); the alternate
 * stack; rt_sigpending, rt_sigtimedwait and sigsuspend; kill and tgkill
 * errors. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int count;
static volatile int last_sig;
static volatile siginfo_t last_info;
static volatile int blocked_in_handler; /* SIGUSR1, SIGTERM, SIGUSR2 bits */
static volatile int mask_saved_usr2;    /* uc_sigmask had SIGUSR2 */
static char log_buf[64];
static volatile int log_len;

static void note(char c)
{
	if (log_len < (int)sizeof(log_buf) - 1)
		log_buf[log_len++] = c;
}

static int mask_has(int sig)
{
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig) == 1;
}

static void on_info(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	count++;
	last_sig = sig;
	last_info = *si;
	blocked_in_handler = mask_has(SIGUSR1) | mask_has(SIGTERM) << 1 | mask_has(SIGUSR2) << 2;
	mask_saved_usr2 = sigismember(&uc->uc_sigmask, SIGUSR2) == 1;
}

static void on_plain(int sig)
{
	count++;
	last_sig = sig;
}

static void set_handler(int sig, void (*h)(int), int flags, int masked)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = h;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	sigaction(sig, &sa, NULL);
}

static void set_info_handler(int sig, void (*h)(int, siginfo_t *, void *), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = h;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaction(sig, &sa, NULL);
}

static void block(int how, int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

static int pending(int sig)
{
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, sig) == 1;
}

static void test_handler(void)
{
	set_info_handler(SIGUSR1, on_info, 0);
	block(SIG_BLOCK, SIGUSR2);
	count = 0;
	check("kill self SIGUSR1", kill(getpid(), SIGUSR1));
	check("handler ran once", count);
	check("signal number", last_sig);
	check("si_signo", last_info.si_signo);
	check("si_code is SI_USER", last_info.si_code == SI_USER);
	check_yes("si_pid is ours", last_info.si_pid == getpid());
	check("si_uid", (long)last_info.si_uid == (long)getuid());
	check_yes("SIGUSR1 blocked in its handler", blocked_in_handler & 1);
	check_yes("sa_mask's SIGTERM blocked in the handler", blocked_in_handler & 2);
	check_yes("uc_sigmask is the mask before", mask_saved_usr2);
	check_yes("SIGUSR1 unblocked after", !mask_has(SIGUSR1));
	check_yes("SIGTERM unblocked after", !mask_has(SIGTERM));
	block(SIG_UNBLOCK, SIGUSR2);

	count = 0;
	check("tgkill self", syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1));
	check("handler ran", count);
	check("si_code is SI_TKILL", last_info.si_code == SI_TKILL);
	count = 0;
	check("raise", raise(SIGUSR1));
	check("handler ran", count);
}

static void test_pending(void)
{
	set_handler(SIGUSR1, on_plain, 0, 0);
	block(SIG_BLOCK, SIGUSR1);
	count = 0;
	check("kill while blocked", kill(getpid(), SIGUSR1));
	check("handler not run yet", count);
	check_yes("SIGUSR1 pending", pending(SIGUSR1));
	check("kill again", kill(getpid(), SIGUSR1));
	block(SIG_UNBLOCK, SIGUSR1);
	check("handler ran once at unblock", count);
	check_yes("nothing pending", !pending(SIGUSR1));

	/* Ignored: dropped, unless blocked; ignoring discards a pending one. */
	set_handler(SIGUSR2, SIG_IGN, 0, 0);
	check("kill ignored SIGUSR2", kill(getpid(), SIGUSR2));
	check_yes("ignored SIGUSR2 not pending", !pending(SIGUSR2));
	block(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	check_yes("blocked ignored SIGUSR2 pending", pending(SIGUSR2));
	block(SIG_UNBLOCK, SIGUSR2);
	check_yes("dropped at unblock", !pending(SIGUSR2));
	set_handler(SIGUSR2, SIG_DFL, 0, 0);
	block(SIG_BLOCK, SIGUSR2);
	kill(getpid(), SIGUSR2);
	check_yes("blocked SIGUSR2 pending", pending(SIGUSR2));
	set_handler(SIGUSR2, SIG_IGN, 0, 0);
	check_yes("SIG_IGN discards it", !pending(SIGUSR2));
	block(SIG_UNBLOCK, SIGUSR2);
	set_handler(SIGUSR2, SIG_DFL, 0, 0);

	/* SIGCHLD's default is to ignore. */
	check("kill self SIGCHLD", kill(getpid(), SIGCHLD));
	check("kill self SIGWINCH", kill(getpid(), SIGWINCH));
}

static void on_resethand(int sig)
{
	count++;
	last_sig = sig;
	blocked_in_handler = mask_has(sig);
}

static void on_outer(int sig)
{
	(void)sig;
	note('<');
	kill(getpid(), SIGUSR2);
	note('>');
}

static void on_inner(int sig)
{
	(void)sig;
	note('*');
}

static void on_first(int sig)
{
	(void)sig;
	note('1');
}

static void on_second(int sig)
{
	(void)sig;
	note('2');
}

static void test_flags(void)
{
	struct sigaction old;
	set_handler(SIGUSR1, on_resethand, SA_RESETHAND, 0);
	count = 0;
	kill(getpid(), SIGUSR1);
	check("SA_RESETHAND handler ran", count);
	sigaction(SIGUSR1, NULL, &old);
	check_yes("SA_RESETHAND: back to SIG_DFL", old.sa_handler == SIG_DFL);
	check_yes("SA_RESETHAND: blocked inside", blocked_in_handler);

	set_handler(SIGUSR1, on_resethand, SA_NODEFER, 0);
	kill(getpid(), SIGUSR1);
	check_yes("SA_NODEFER: not blocked inside", !blocked_in_handler);

	set_handler(SIGUSR1, on_outer, 0, 0);
	set_handler(SIGUSR2, on_inner, 0, 0);
	log_len = 0;
	kill(getpid(), SIGUSR1);
	log_buf[log_len] = 0;
	printf("nested handlers: %s\n", log_buf);

	/* Two pending at once: both run, the lower number first. */
	set_handler(SIGUSR1, on_first, 0, 0);
	set_handler(SIGUSR2, on_second, 0, 0);
	log_len = 0;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	log_buf[log_len] = 0;
	printf("two pending: %s\n", log_buf);
	set_handler(SIGUSR1, SIG_DFL, 0, 0);
	set_handler(SIGUSR2, SIG_DFL, 0, 0);
}

static void on_clobber(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	(void)sig;
	(void)si;
	count++;
	if (last_sig == 1)
		uc->uc_mcontext.gregs[REG_R8] = 0x5555;
}

/* A raw kill(2) of ourselves with known values in the registers a
 * system call keeps: the handler runs in between and they must come back,
 * rax with kill's result. */
static void test_sigreturn(void)
{
	set_info_handler(SIGUSR1, on_clobber, 0);
	for (int round = 0; round < 2; round++) {
		last_sig = round;
		long pid = getpid();
		count = 0;
		long rax = SYS_kill, rdi = pid, rsi = SIGUSR1, rdx = 0x4444;
		/* No call between these and the syscall: it would clobber them. */
		register long r8 __asm__("r8") = 0x1111;
		register long r9 __asm__("r9") = 0x2222;
		register long r10 __asm__("r10") = 0x3333;
		register long r12 __asm__("r12") = 0x6666;
		__asm__ volatile("syscall"
		                 : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r8), "+r"(r9),
		                   "+r"(r10), "+r"(r12)
		                 :
		                 : "rcx", "r11", "memory");
		printf("round %d: handler %d, rax %ld, rdi ok %d, rsi %ld, rdx 0x%lx, r8 0x%lx, "
		       "r9 0x%lx, r10 0x%lx, r12 0x%lx\n",
		       round, count, rax, rdi == pid, rsi, rdx, r8, r9, r10, r12);
	}
	set_handler(SIGUSR1, SIG_DFL, 0, 0);
}

static volatile unsigned saw_mxcsr, handler_mxcsr;
static volatile int fpregs_set;

static unsigned get_mxcsr(void)
{
	unsigned m;
	__asm__ volatile("stmxcsr %0" : "=m"(m));
	return m;
}

static void set_mxcsr(unsigned m)
{
	__asm__ volatile("ldmxcsr %0" ::"m"(m));
}

static void on_fpu(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	(void)sig;
	(void)si;
	fpregs_set = uc->uc_mcontext.fpregs != NULL;
	if (fpregs_set)
		saw_mxcsr = uc->uc_mcontext.fpregs->mxcsr;
	handler_mxcsr = get_mxcsr();
	set_mxcsr(handler_mxcsr | 0x6000); /* round toward zero */
}

/* The FPU state is saved with the frame and comes back: the handler
 * starts with the default MXCSR and its change does not leak out. */
static void test_fpu(void)
{
	set_info_handler(SIGUSR1, on_fpu, 0);
	unsigned ours = (get_mxcsr() & ~0x6000u) | 0x2000; /* round down */
	set_mxcsr(ours);
	kill(getpid(), SIGUSR1);
	unsigned after = get_mxcsr();
	set_mxcsr(ours & ~0x6000u);
	check_yes("uc_mcontext.fpregs set", fpregs_set);
	check_yes("it holds our MXCSR", saw_mxcsr == ours);
	printf("handler's MXCSR: 0x%x\n", handler_mxcsr);
	check_yes("our MXCSR back after the handler", after == ours);
	set_handler(SIGUSR1, SIG_DFL, 0, 0);
}

static char *alt_base;
static volatile int on_alt, alt_flags;

static void on_altstack(int sig)
{
	char here;
	stack_t now;
	(void)sig;
	on_alt = &here > alt_base && &here < alt_base + 65536;
	sigaltstack(NULL, &now);
	alt_flags = now.ss_flags;
	stack_t other = {.ss_sp = alt_base, .ss_size = 65536, .ss_flags = 0};
	count = sigaltstack(&other, NULL) < 0 ? errno : 0;
}

static void test_altstack(void)
{
	stack_t ss, old;
	alt_base = malloc(65536);
	check("sigaltstack query", sigaltstack(NULL, &old));
	check("no alternate stack: SS_DISABLE", old.ss_flags);
	ss = (stack_t){.ss_sp = alt_base, .ss_size = 1024, .ss_flags = 0};
	check("too small", sigaltstack(&ss, NULL));
	ss = (stack_t){.ss_sp = alt_base, .ss_size = 65536, .ss_flags = 99};
	check("bad flags", sigaltstack(&ss, NULL));
	check("bad pointer", syscall(SYS_sigaltstack, (void *)8, NULL));
	check("bad old pointer", syscall(SYS_sigaltstack, NULL, (void *)8));
	ss = (stack_t){.ss_sp = alt_base, .ss_size = 65536, .ss_flags = 0};
	check("set", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	check_yes("reads back", old.ss_sp == alt_base && old.ss_size == 65536 && old.ss_flags == 0);
	set_handler(SIGUSR1, on_altstack, SA_ONSTACK, 0);
	count = -1;
	kill(getpid(), SIGUSR1);
	check_yes("handler ran on the alternate stack", on_alt);
	check("ss_flags inside", alt_flags);
	check_yes("changing it inside: EPERM", count == EPERM);
	set_handler(SIGUSR1, on_altstack, 0, 0);
	kill(getpid(), SIGUSR1);
	check_yes("without SA_ONSTACK: the normal stack", !on_alt);
	ss.ss_flags = SS_DISABLE;
	check("disable", sigaltstack(&ss, NULL));
	sigaltstack(NULL, &old);
	check("ss_flags after disable", old.ss_flags);
	set_handler(SIGUSR1, SIG_DFL, 0, 0);
}

static void test_wait_calls(void)
{
	sigset_t set;
	siginfo_t si;
	struct timespec zero = {0, 0};
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	check("sigtimedwait nothing pending", sigtimedwait(&set, &si, &zero));
	kill(getpid(), SIGUSR1);
	check("sigtimedwait takes SIGUSR1", sigtimedwait(&set, &si, &zero));
	check("its si_signo", si.si_signo);
	check_yes("its si_pid", si.si_pid == getpid());
	check_yes("no longer pending", !pending(SIGUSR1));
	struct timespec bad = {0, 1000000000};
	check("sigtimedwait bad timeout", sigtimedwait(&set, &si, &bad));
	check("rt_sigpending sigsetsize 16", syscall(SYS_rt_sigpending, &set, 16));
	check("rt_sigpending bad pointer", syscall(SYS_rt_sigpending, (void *)8, 8));
	check("rt_sigsuspend sigsetsize 4", syscall(SYS_rt_sigsuspend, &set, 4));

	/* sigsuspend: a child sends SIGUSR1, blocked until then. */
	set_handler(SIGUSR1, on_plain, 0, 0);
	count = 0;
	pid_t child = fork();
	if (child == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	sigset_t none;
	sigemptyset(&none);
	check("sigsuspend", sigsuspend(&none));
	check("handler ran", count);
	check_yes("the mask is back", mask_has(SIGUSR1));
	waitpid(child, NULL, 0);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	set_handler(SIGUSR1, SIG_DFL, 0, 0);
}

/* ppoll's mask lets a pending signal through: EINTR at once, the handler
 * runs, and the old mask is back after. A blocking rt_sigtimedwait that a
 * child's signal ends. */
static void test_masked_waits(void)
{
	int fds[2];
	sigset_t block_usr1, none;
	sigemptyset(&block_usr1);
	sigaddset(&block_usr1, SIGUSR1);
	sigemptyset(&none);
	pipe(fds);
	set_handler(SIGUSR1, on_plain, 0, 0);
	sigprocmask(SIG_BLOCK, &block_usr1, NULL);
	kill(getpid(), SIGUSR1);
	count = 0;
	struct pollfd pfd = {.fd = fds[0], .events = POLLIN};
	check("ppoll with SIGUSR1 let through", ppoll(&pfd, 1, NULL, &none));
	check("handler ran", count);
	check_yes("SIGUSR1 blocked again", mask_has(SIGUSR1));
	write(fds[1], "x", 1);
	kill(getpid(), SIGUSR1);
	count = 0;
	check("ppoll with a descriptor ready", ppoll(&pfd, 1, NULL, &none));
	check("handler not run: the old mask came back first", count);
	check_yes("SIGUSR1 still pending", pending(SIGUSR1));
	fd_set rd;
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	check("pselect with a descriptor ready", pselect(fds[0] + 1, &rd, NULL, NULL, NULL, &none));
	check("handler not run", count);
	char c;
	read(fds[0], &c, 1);
	FD_ZERO(&rd);
	FD_SET(fds[0], &rd);
	check("pselect with SIGUSR1 let through",
	      pselect(fds[0] + 1, &rd, NULL, NULL, NULL, &none));
	check("handler ran", count);

	siginfo_t si;
	pid_t child = fork();
	if (child == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	check("sigtimedwait for a child's signal", sigtimedwait(&block_usr1, &si, NULL));
	check_yes("from the child", si.si_pid == child);
	waitpid(child, NULL, 0);
	sigprocmask(SIG_UNBLOCK, &block_usr1, NULL);
	set_handler(SIGUSR1, SIG_DFL, 0, 0);
	close(fds[0]);
	close(fds[1]);
}

static sigjmp_buf fault_jump;
/* An address nothing is mapped at, which the compiler cannot see through. */
static volatile int *volatile bad_pointer = (volatile int *)16;
static volatile int fault_code;
static void *volatile fault_addr;

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
	(void)ctx;
	last_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	siglongjmp(fault_jump, 1);
}

/* Faults reach handlers: SIGSEGV for a bad address (si_addr, SEGV_MAPERR),
 * SIGFPE for a division by zero (FPE_INTDIV); a blocked SIGSEGV ends the
 * process all the same. */
static void test_faults(void)
{
	set_info_handler(SIGSEGV, on_fault, 0);
	set_info_handler(SIGFPE, on_fault, 0);
	last_sig = 0;
	if (!sigsetjmp(fault_jump, 1))
		*bad_pointer = 1;
	check("a write to address 16", last_sig);
	check_yes("si_code SEGV_MAPERR", fault_code == SEGV_MAPERR);
	check_yes("si_addr 16", fault_addr == (void *)16);
	check_yes("SIGSEGV unblocked again after siglongjmp", !mask_has(SIGSEGV));
	last_sig = 0;
	if (!sigsetjmp(fault_jump, 1)) {
		volatile int zero = 0, r = 5 / zero;
		(void)r;
	}
	check("a division by zero", last_sig);
	check_yes("si_code FPE_INTDIV", fault_code == FPE_INTDIV);
	pid_t child = fork();
	if (child == 0) {
		block(SIG_BLOCK, SIGSEGV);
		*bad_pointer = 1;
		_exit(0);
	}
	int st;
	waitpid(child, &st, 0);
	check_yes("with SIGSEGV blocked the fault kills",
	          WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
	set_handler(SIGSEGV, SIG_DFL, 0, 0);
	set_handler(SIGFPE, SIG_DFL, 0, 0);
}

static void test_kill_errors(void)
{
	check("kill signal 0 to self", kill(getpid(), 0));
	check("kill signal 65", kill(getpid(), 65));
	check("kill signal -1", kill(getpid(), -1));
	check("kill no such pid", kill(99999, 0));
	check("kill no such group", kill(-99999, SIGUSR1));
	check("kill INT_MIN", kill(-2147483647 - 1, SIGUSR1));
	check("tgkill tgid 0", syscall(SYS_tgkill, 0, getpid(), SIGUSR1));
	check("tgkill tid -1", syscall(SYS_tgkill, getpid(), -1, SIGUSR1));
	check("tgkill wrong tgid", syscall(SYS_tgkill, 99999, getpid(), 0));
	check("tgkill no such tid", syscall(SYS_tgkill, getpid(), 99999, 0));
	check("tgkill signal 65", syscall(SYS_tgkill, getpid(), getpid(), 65));
	check("tkill tid 0", syscall(SYS_tkill, 0, SIGUSR1));
	check("tkill signal 0", syscall(SYS_tkill, getpid(), 0));
}

int main(void)
{
	test_begin("sighandler");
	test_handler();
	test_pending();
	test_flags();
	test_sigreturn();
	test_fpu();
	test_altstack();
	test_wait_calls();
	test_masked_waits();
	test_kill_errors();
	test_faults();
	test_end();
	return 0;
}
