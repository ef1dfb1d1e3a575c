#ifndef CORE_SCHED_H
#define CORE_SCHED_H

#include <atoll/errors.h>
#include <object/structures.h>

/*
 * Fixed-priority preemptive scheduling: 256 run queues, a bitmap of the
 * non-empty ones, round robin within a priority by timeslices of
 * SCHED_TIMESLICE_TICKS timer ticks. The running thread is not in a queue.
 * The kernel always leaves with the highest-priority runnable thread.
 */
#define SCHED_TIMESLICE_TICKS 5

void sched_enqueue(tcb_t *t);       /* at the tail of its priority */
void sched_enqueue_front(tcb_t *t); /* at the head: it keeps its turn */
void sched_dequeue(tcb_t *t);
tcb_t *sched_current(void);
/* Make a blocked or new thread runnable. */
void thread_make_runnable(tcb_t *t);
/* Wake a blocked thread with an error in rax; a thread that was delivering
 * a fault cannot continue and stops instead. */
void thread_release_with_error(tcb_t *t, atoll_error_t err);
/* Take a thread off every queue it is in; it keeps its state. */
void thread_unblock_queues(tcb_t *t);
/* Pick the thread to run and switch to it (halting while there is none);
 * returns the context to restore. */
user_context_t *schedule(void);
void sched_timer_tick(void);
void sched_yield(void);
/* The highest priority with a queued runnable thread, -1 if none. */
int sched_highest_priority(void);
/* A runnable thread of higher priority than the current one exists. */
bool sched_higher_waiting(void);

#endif
