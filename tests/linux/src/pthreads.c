/* POSIX threads as musl builds them on clone and futex: threads share
 * memory and each has its own thread-local storage, tid and stack; a mutex
 * keeps a shared counter exact; condition variables, barriers, once and
 * joins wait; detached threads run and go; fork from a thread copies only
 * that thread; the last thread's exit, exit_group and execve end a process
 * whatever its other threads are doing. Only the main thread prints. */
#include "linux_test.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKERS 4
#define ROUNDS 20000
#define ITEMS 200

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread int tls_value = 7;
static __thread char tls_buffer[64];

typedef struct worker {
	int index;
	pthread_t self;
	pid_t tid, pid;
	int tls_before; /* __thread's initial value as the thread found it */
	int tls_ok;
} worker_t;

static void *work(void *arg)
{
	worker_t *w = arg;
	w->self = pthread_self();
	w->tid = (pid_t)syscall(SYS_gettid);
	w->pid = getpid();
	w->tls_before = tls_value;
	tls_value = 100 + w->index;
	snprintf(tls_buffer, sizeof(tls_buffer), "thread %d", w->index);
	for (int i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&lock);
		counter++;
		pthread_mutex_unlock(&lock);
		if (i % 1000 == 0)
			sched_yield(); /* let the others in while this one runs */
	}
	char want[64];
	snprintf(want, sizeof(want), "thread %d", w->index);
	w->tls_ok = tls_value == 100 + w->index && strcmp(tls_buffer, want) == 0;
	return (void *)(intptr_t)(w->index * w->index);
}

/* A queue of one slot between a producer and a consumer. */
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_changed = PTHREAD_COND_INITIALIZER;
static int queue_full, queue_item;

static void *produce(void *arg)
{
	(void)arg;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&queue_lock);
		while (queue_full)
			pthread_cond_wait(&queue_changed, &queue_lock);
		queue_item = i;
		queue_full = 1;
		pthread_cond_signal(&queue_changed);
		pthread_mutex_unlock(&queue_lock);
	}
	return NULL;
}

static long consume(void)
{
	long sum = 0;
	for (int i = 1; i <= ITEMS; i++) {
		pthread_mutex_lock(&queue_lock);
		while (!queue_full)
			pthread_cond_wait(&queue_changed, &queue_lock);
		sum += queue_item;
		queue_full = 0;
		pthread_cond_signal(&queue_changed);
		pthread_mutex_unlock(&queue_lock);
	}
	return sum;
}

static pthread_mutex_t flag_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t flag_set = PTHREAD_COND_INITIALIZER;
static int detached_ran;

static void *detached(void *arg)
{
	pthread_mutex_lock(&flag_lock);
	detached_ran = (int)(intptr_t)arg;
	pthread_cond_broadcast(&flag_set);
	pthread_mutex_unlock(&flag_lock);
	return NULL;
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_calls;
static pthread_barrier_t barrier;
static int serial_threads;

static void once_body(void)
{
	once_calls++;
}

static void *meet(void *arg)
{
	(void)arg;
	pthread_once(&once, once_body);
	if (pthread_barrier_wait(&barrier) == PTHREAD_BARRIER_SERIAL_THREAD) {
		pthread_mutex_lock(&lock);
		serial_threads++;
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static void *block_forever(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&flag_lock);
	for (;;)
		pthread_cond_wait(&flag_set, &flag_lock);
	return NULL;
}

static void *fork_here(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status = 0;
	waitpid(pid, &status, 0);
	return (void *)(intptr_t)(WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

static void *exit_later(void *arg)
{
	(void)arg;
	for (int i = 0; i < 50; i++)
		sched_yield();
	exit(9);
}

/* Reads one message from the pipe whose read end is *arg, blocking. */
static void *read_pipe(void *arg)
{
	char buf[32] = {0};
	ssize_t n = read(*(int *)arg, buf, sizeof(buf) - 1);
	return (void *)(intptr_t)(n > 0 ? buf[0] : -1);
}

/* execve from a thread other than the first, with the first blocked in a
 * join. */
static void *exec_here(void *arg)
{
	char *argv[] = {(char *)arg, "after-exec", NULL};
	execv("/proc/self/exe", argv);
	return NULL;
}

/* The exit status of a child that runs fn, or -1. */
static int in_child(void (*fn)(const char *), const char *self)
{
	pid_t pid = fork();
	if (pid == 0) {
		fn(self);
		_exit(100);
	}
	int status;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* exit_group with a thread blocked in a futex wait. */
static void exit_with_blocked_thread(const char *self)
{
	(void)self;
	pthread_t t;
	pthread_create(&t, NULL, block_forever, NULL);
	for (int i = 0; i < 20; i++)
		sched_yield();
	exit(5);
}

/* The main thread leaves first; the process lives on in its other thread,
 * whose exit then ends it. */
static void main_exits_first(const char *self)
{
	(void)self;
	pthread_t t;
	pthread_create(&t, NULL, exit_later, NULL);
	pthread_exit(NULL);
}

/* execve while another thread is blocked. */
static void exec_with_blocked_thread(const char *self)
{
	pthread_t t;
	pthread_create(&t, NULL, block_forever, NULL);
	for (int i = 0; i < 20; i++)
		sched_yield();
	char *argv[] = {(char *)self, "after-exec", NULL};
	execv("/proc/self/exe", argv);
	_exit(101);
}

static void exec_from_a_thread(const char *self)
{
	pthread_t t;
	pthread_create(&t, NULL, exec_here, (void *)self);
	pthread_join(t, NULL);
	_exit(102);
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "after-exec") == 0)
		return tls_value == 7 ? 3 : 4;
	test_begin("pthreads");

	pthread_t main_self = pthread_self();
	pid_t main_tid = (pid_t)syscall(SYS_gettid);
	check_yes("main: gettid equals getpid", main_tid == getpid());

	worker_t workers[WORKERS];
	pthread_t threads[WORKERS];
	int created = 0;
	for (int i = 0; i < WORKERS; i++) {
		workers[i] = (worker_t){.index = i};
		created += pthread_create(&threads[i], NULL, work, &workers[i]) == 0;
	}
	printf("threads created: %d\n", created);
	int joined = 0, results_ok = 1, tls_ok = 1, ids_ok = 1, tls_fresh = 1;
	for (int i = 0; i < WORKERS; i++) {
		void *ret;
		joined += pthread_join(threads[i], &ret) == 0;
		results_ok &= (intptr_t)ret == i * i;
		tls_ok &= workers[i].tls_ok;
		tls_fresh &= workers[i].tls_before == 7;
		ids_ok &= pthread_equal(workers[i].self, threads[i]) &&
		          !pthread_equal(workers[i].self, main_self) &&
		          workers[i].pid == getpid() && workers[i].tid != main_tid &&
		          workers[i].tid > 0;
		for (int j = 0; j < i; j++)
			ids_ok &= workers[j].tid != workers[i].tid;
	}
	printf("threads joined: %d\n", joined);
	printf("counter: %ld (want %d)\n", counter, WORKERS * ROUNDS);
	check_yes("join returned each thread's value", results_ok);
	check_yes("__thread starts at its initial value in each thread", tls_fresh);
	check_yes("__thread is each thread's own", tls_ok);
	check_yes("main's __thread untouched", tls_value == 7);
	check_yes("pthread_self and gettid distinct, getpid shared", ids_ok);

	pthread_t producer;
	pthread_create(&producer, NULL, produce, NULL);
	long sum = consume();
	pthread_join(producer, NULL);
	printf("condition variable queue sum: %ld\n", sum);

	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_t d;
	int err = pthread_create(&d, &attr, detached, (void *)(intptr_t)42);
	pthread_mutex_lock(&flag_lock);
	while (!err && !detached_ran)
		pthread_cond_wait(&flag_set, &flag_lock);
	pthread_mutex_unlock(&flag_lock);
	printf("detached thread ran: %d\n", detached_ran);

	/* Threads end and their resources come back: many in turn. */
	int cycles = 0;
	for (int i = 0; i < 40; i++) {
		pthread_t t;
		if (pthread_create(&t, i % 2 ? &attr : NULL, detached, (void *)(intptr_t)i) != 0)
			break;
		if (i % 2 == 0 && pthread_join(t, NULL) != 0)
			break;
		cycles++;
	}
	printf("create and end in turn: %d\n", cycles);

	pthread_barrier_init(&barrier, NULL, 3);
	pthread_t m[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&m[i], NULL, meet, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(m[i], NULL);
	printf("once ran: %d, barrier serial threads: %d\n", once_calls, serial_threads);

	/* Two threads blocked in reads of their own pipes at once. */
	int fds[2][2];
	pthread_t readers[2];
	void *got[2] = {0, 0};
	for (int i = 0; i < 2; i++) {
		if (pipe(fds[i]) != 0)
			return 1;
		pthread_create(&readers[i], NULL, read_pipe, &fds[i][0]);
	}
	for (int i = 0; i < 20; i++)
		sched_yield();
	write(fds[1][1], "b", 1);
	write(fds[0][1], "a", 1);
	for (int i = 0; i < 2; i++)
		pthread_join(readers[i], &got[i]);
	printf("blocked pipe reads in two threads: %c %c\n", (int)(intptr_t)got[0],
	       (int)(intptr_t)got[1]);

	pthread_t f;
	void *fork_status;
	pthread_create(&f, NULL, fork_here, NULL);
	pthread_join(f, &fork_status);
	printf("fork from a thread: child status %d\n", (int)(intptr_t)fork_status);

	printf("exit with a blocked thread: status %d\n",
	       in_child(exit_with_blocked_thread, argv[0]));
	printf("main thread exits first: status %d\n", in_child(main_exits_first, argv[0]));
	printf("execve with a blocked thread: status %d\n",
	       in_child(exec_with_blocked_thread, argv[0]));
	printf("execve from a second thread: status %d\n", in_child(exec_from_a_thread, argv[0]));
	test_end();
	return 0;
}
