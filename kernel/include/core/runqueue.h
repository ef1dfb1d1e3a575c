#ifndef CORE_RUNQUEUE_H
#define CORE_RUNQUEUE_H

/*
 * The run queues: one per priority, a bit per non-empty queue, and a bit per
 * non-zero word of those bits, so the highest runnable priority is two
 * count-leading-zeros away. Inline, because the IPC fast paths use them.
 */
#include <core/thread_queue.h>
#include <object/structures.h>

extern thread_queue_t run_queue[ATOLL_PRIORITIES];
extern uint64_t run_bitmap[ATOLL_PRIORITIES / 64];
extern uint64_t run_summary;

static inline void runqueue_update_bitmap(unsigned prio)
{
	unsigned w = prio / 64;
	if (run_queue[prio].head)
		run_bitmap[w] |= 1ULL << (prio % 64);
	else
		run_bitmap[w] &= ~(1ULL << (prio % 64));
	if (run_bitmap[w])
		run_summary |= 1ULL << w;
	else
		run_summary &= ~(1ULL << w);
}

/* At the tail of its priority. */
static inline void sched_enqueue(tcb_t *t)
{
	thread_queue_append(&run_queue[t->priority], t);
	runqueue_update_bitmap(t->priority);
}

/* At the head: it keeps its turn. */
static inline void sched_enqueue_front(tcb_t *t)
{
	thread_queue_prepend(&run_queue[t->priority], t);
	runqueue_update_bitmap(t->priority);
}

static inline void sched_dequeue(tcb_t *t)
{
	thread_queue_remove(&run_queue[t->priority], t);
	runqueue_update_bitmap(t->priority);
}

/* The highest priority with a queued runnable thread, -1 if none. */
static inline int sched_highest_priority(void)
{
	if (!run_summary)
		return -1;
	int w = 63 - __builtin_clzll(run_summary);
	return w * 64 + 63 - __builtin_clzll(run_bitmap[w]);
}

#endif
