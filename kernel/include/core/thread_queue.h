#ifndef CORE_THREAD_QUEUE_H
#define CORE_THREAD_QUEUE_H

/*
 * Doubly linked queues of threads through tcb->next/prev: run queues,
 * endpoint queues and notification waiters. A thread is in at most one.
 */
#include <object/structures.h>

static inline void thread_queue_append(thread_queue_t *q, tcb_t *t)
{
	t->next = NULL;
	t->prev = q->tail;
	if (q->tail)
		q->tail->next = t;
	else
		q->head = t;
	q->tail = t;
}

static inline void thread_queue_prepend(thread_queue_t *q, tcb_t *t)
{
	t->prev = NULL;
	t->next = q->head;
	if (q->head)
		q->head->prev = t;
	else
		q->tail = t;
	q->head = t;
}

static inline void thread_queue_remove(thread_queue_t *q, tcb_t *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		q->head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		q->tail = t->prev;
	t->next = t->prev = NULL;
}

/* Take the first thread of a non-empty queue (its prev is already NULL). */
static inline tcb_t *thread_queue_pop(thread_queue_t *q)
{
	tcb_t *t = q->head;
	q->head = t->next;
	if (t->next)
		t->next->prev = NULL;
	else
		q->tail = NULL;
	t->next = NULL;
	return t;
}

#endif
