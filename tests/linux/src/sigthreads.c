/* Signals and threads: pthread_kill reaches the one thread it names, even
 * blocked in a pipe read (EINTR, its handler runs in that thread); a
 * signal sent to the process goes to a thread that does not block it; a
 * thread that computes without system calls gets its handler at once;
 * each thread has its own mask; a fatal signal sent to one thread ends
 * the whole process. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int fds[2];
static volatile long handler_tid;
static volatile int handler_sig;
static volatile long reader_tid;
static volatile int reader_ready;
static long read_result;
static int read_errno;
static volatile int read_done;

static void on_signal(int sig)
{
	handler_sig = sig;
	handler_tid = syscall(SYS_gettid);
}

static void block(int how, int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	pthread_sigmask(how, &s, NULL);
}

/* Block in a read of the pipe; the other thread's signal interrupts it. */
static void *reader(void *arg)
{
	char c;
	(void)arg;
	block(SIG_UNBLOCK, SIGUSR2); /* the main thread's mask blocks it */
	reader_tid = syscall(SYS_gettid);
	reader_ready = 1;
	read_result = read(fds[0], &c, 1);
	read_errno = errno;
	read_done = 1;
	return NULL;
}

static void start_reader(pthread_t *t)
{
	reader_ready = 0;
	read_done = 0;
	pthread_create(t, NULL, reader, NULL);
	while (!reader_ready)
		sched_yield();
}

/* Send sig (to thread t, or to the process) until the reader's read has
 * ended: a signal that comes before the read only runs the handler. */
static void interrupt_reader(pthread_t t, int sig, int to_process)
{
	struct timespec ms = {0, 1000000};
	for (int i = 0; i < 2000 && !read_done; i++) {
		if (to_process)
			kill(getpid(), sig);
		else
			pthread_kill(t, sig);
		nanosleep(&ms, NULL);
	}
	pthread_join(t, NULL);
}

static void test_pthread_kill(void)
{
	pthread_t t;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	pipe(fds);

	handler_tid = 0;
	start_reader(&t);
	check("pthread_kill the reader", pthread_kill(t, SIGUSR1));
	interrupt_reader(t, SIGUSR1, 0);
	check_yes("its read: EINTR", read_result < 0 && read_errno == EINTR);
	check_yes("the handler ran in the reader", handler_tid == reader_tid);
	check("the signal", handler_sig);

	/* Sent to the process while the main thread blocks it: the reader
	 * takes it. */
	block(SIG_BLOCK, SIGUSR2);
	handler_tid = 0;
	start_reader(&t);
	check("kill the process", kill(getpid(), SIGUSR2));
	interrupt_reader(t, SIGUSR2, 1);
	check_yes("the reader's read was interrupted", read_result < 0 && read_errno == EINTR);
	check_yes("the handler ran in the reader", handler_tid == reader_tid);
	block(SIG_UNBLOCK, SIGUSR2);

	/* tgkill with the wrong process, a tid that is gone. */
	check("tgkill a thread of another process", syscall(SYS_tgkill, 1, reader_tid, 0));
	check("tgkill a thread that has ended", syscall(SYS_tgkill, getpid(), reader_tid, 0));
	close(fds[0]);
	close(fds[1]);
}

static volatile int spin_flag;

static void on_spin(int sig)
{
	(void)sig;
	handler_tid = syscall(SYS_gettid);
	spin_flag = 1;
}

/* Compute without a system call until the handler sets spin_flag. */
static void *spinner(void *arg)
{
	(void)arg;
	reader_tid = syscall(SYS_gettid);
	reader_ready = 1;
	while (!spin_flag)
		;
	return NULL;
}

static void test_spinning_thread(void)
{
	pthread_t t;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_spin;
	sigaction(SIGUSR1, &sa, NULL);
	reader_ready = 0;
	spin_flag = 0;
	pthread_create(&t, NULL, spinner, NULL);
	while (!reader_ready)
		sched_yield();
	check("pthread_kill a thread that makes no system call", pthread_kill(t, SIGUSR1));
	pthread_join(t, NULL);
	check_yes("its handler ended its loop", spin_flag && handler_tid == reader_tid);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGUSR1, &sa, NULL);
}

static volatile int thread_mask_has_usr1 = -1;

static void *mask_thread(void *arg)
{
	sigset_t cur;
	(void)arg;
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	thread_mask_has_usr1 = sigismember(&cur, SIGUSR1);
	block(SIG_BLOCK, SIGUSR2);
	return NULL;
}

static void test_masks(void)
{
	pthread_t t;
	sigset_t cur;
	block(SIG_BLOCK, SIGUSR1);
	pthread_create(&t, NULL, mask_thread, NULL);
	pthread_join(t, NULL);
	check("a new thread inherits the mask", thread_mask_has_usr1);
	pthread_sigmask(SIG_BLOCK, NULL, &cur);
	check("its change is its own", sigismember(&cur, SIGUSR2));
	block(SIG_UNBLOCK, SIGUSR1);
}

static void *sleeper(void *arg)
{
	char c;
	(void)arg;
	read(fds[0], &c, 1);
	return NULL;
}

static void test_fatal(void)
{
	pid_t child = fork();
	if (child == 0) {
		pthread_t t;
		pipe(fds);
		pthread_create(&t, NULL, sleeper, NULL);
		pthread_kill(t, SIGTERM);
		pthread_join(t, NULL);
		_exit(0);
	}
	int st;
	waitpid(child, &st, 0);
	check_yes("SIGTERM to one thread ends the process", WIFSIGNALED(st));
	check("by", WTERMSIG(st));
}

int main(void)
{
	test_begin("sigthreads");
	test_pthread_kill();
	test_masks();
	test_spinning_thread();
	test_fatal();
	test_end();
	return 0;
}
