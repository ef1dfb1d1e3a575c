#ifndef CORE_SCHED_H
#define CORE_SCHED_H

#include <atoll/errors.h>
#include <core/runqueue.h>
#include <object/structures.h>

/*
 * Fixed-priority preemptive scheduling: 256 run queues, a bitmap of the
 * non-empty ones, round robin within a priority by timeslices of
 * SCHED_TIMESLICE_TICKS timer ticks. The running thread is not in a queue.
 * The kernel always leaves with the highest-priority runnable thread.
 */
#define SCHED_TIMESLICE_TICKS 5
#define SCHED_TICK_NS 2000000ULL /* the timer period: 2 ms */

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
/* Take the thread to run next out of its queue; NULL if none can run. */
tcb_t *sched_dequeue_highest(void);
/* A runnable thread of higher priority than the current one exists. */
bool sched_higher_waiting(void);

#endif
