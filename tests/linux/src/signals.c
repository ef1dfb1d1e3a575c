/* rt_sigaction and rt_sigprocmask: what is stored reads back, and the
 * kernel's argument checks. No signal is delivered. The raw system calls
 * are used where musl would check the arguments itself. */
#include "linux_test.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The kernel's struct sigaction on x86_64. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	unsigned long mask;
};

#define KSET(sig) (1UL << ((sig)-1))

static void on_usr1(int sig)
{
	(void)sig;
}

static long rt_sigaction(long sig, const void *act, void *old, long size)
{
	return syscall(SYS_rt_sigaction, sig, act, old, size);
}

static long rt_sigprocmask(long how, const void *set, void *old, long size)
{
	return syscall(SYS_rt_sigprocmask, how, set, old, size);
}

static void test_sigaction(void)
{
	struct sigaction sa, old;
	struct k_sigaction k = {0};

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sa.sa_flags = SA_RESTART;
	check("sigaction SIGUSR1", sigaction(SIGUSR1, &sa, NULL));
	memset(&old, 0, sizeof(old));
	check("sigaction SIGUSR1 query", sigaction(SIGUSR1, NULL, &old));
	check_yes("handler reads back", old.sa_handler == on_usr1);
	check_yes("SA_RESTART reads back", (old.sa_flags & SA_RESTART) != 0);
	check_yes("mask reads back", sigismember(&old.sa_mask, SIGUSR2) == 1);
	sa.sa_handler = SIG_IGN;
	check("sigaction SIGUSR1 SIG_IGN", sigaction(SIGUSR1, &sa, &old));
	check_yes("old handler returned", old.sa_handler == on_usr1);
	check("sigaction SIGUSR1 query", sigaction(SIGUSR1, NULL, &old));
	check_yes("SIG_IGN reads back", old.sa_handler == SIG_IGN);

	k.handler = SIG_DFL;
	check("rt_sigaction SIGKILL query", rt_sigaction(SIGKILL, NULL, &k, 8));
	check("rt_sigaction set SIGKILL", rt_sigaction(SIGKILL, &k, NULL, 8));
	check("rt_sigaction set SIGSTOP", rt_sigaction(SIGSTOP, &k, NULL, 8));
	check("rt_sigaction signal 0", rt_sigaction(0, NULL, &k, 8));
	check("rt_sigaction signal 65", rt_sigaction(65, NULL, &k, 8));
	check("rt_sigaction signal 64", rt_sigaction(64, NULL, &k, 8));
	check("rt_sigaction sigsetsize 4", rt_sigaction(SIGUSR1, NULL, &k, 4));
	check("rt_sigaction bad act pointer", rt_sigaction(SIGUSR2, (void *)1, NULL, 8));
	check("rt_sigaction bad old pointer", rt_sigaction(SIGUSR2, NULL, (void *)1, 8));
}

static void test_sigprocmask(void)
{
	unsigned long set, old = 0;

	set = KSET(SIGUSR1);
	check("block SIGUSR1", rt_sigprocmask(SIG_BLOCK, &set, NULL, 8));
	check("query the mask", rt_sigprocmask(SIG_BLOCK, NULL, &old, 8));
	check_yes("SIGUSR1 is blocked", (old & KSET(SIGUSR1)) != 0);
	set = KSET(SIGKILL) | KSET(SIGSTOP);
	check("block SIGKILL and SIGSTOP", rt_sigprocmask(SIG_BLOCK, &set, NULL, 8));
	rt_sigprocmask(SIG_BLOCK, NULL, &old, 8);
	check_yes("SIGKILL is blocked", (old & KSET(SIGKILL)) != 0);
	check_yes("SIGSTOP is blocked", (old & KSET(SIGSTOP)) != 0);
	set = KSET(SIGUSR1);
	check("unblock SIGUSR1", rt_sigprocmask(SIG_UNBLOCK, &set, &old, 8));
	check_yes("old mask had SIGUSR1", (old & KSET(SIGUSR1)) != 0);
	rt_sigprocmask(SIG_BLOCK, NULL, &old, 8);
	check_yes("SIGUSR1 is blocked after unblocking", (old & KSET(SIGUSR1)) != 0);
	set = KSET(SIGUSR2) | KSET(SIGRTMIN + 2);
	check("set the mask", rt_sigprocmask(SIG_SETMASK, &set, NULL, 8));
	rt_sigprocmask(SIG_BLOCK, NULL, &old, 8);
	check_yes("mask reads back", old == set);
	check("how 99", rt_sigprocmask(99, &set, NULL, 8));
	check("how 99 without a set", rt_sigprocmask(99, NULL, &old, 8));
	check("sigsetsize 4", rt_sigprocmask(SIG_BLOCK, &set, NULL, 4));
	check("bad set pointer", rt_sigprocmask(SIG_BLOCK, (void *)1, NULL, 8));
	check("bad old pointer", rt_sigprocmask(SIG_BLOCK, NULL, (void *)1, 8));
	set = 0;
	check("clear the mask", rt_sigprocmask(SIG_SETMASK, &set, NULL, 8));
}

int main(void)
{
	test_begin("signals");
	test_sigaction();
	test_sigprocmask();
	test_end();
	return 0;
}
