#ifndef CORE_INVARIANTS_H
#define CORE_INVARIANTS_H

#include <object/structures.h>

/* Check kernel invariants reachable from caller; returns how many are broken
 * (each logged). */
unsigned invariants_check(tcb_t *caller);

typedef void (*queue_checker_t)(const thread_queue_t *q, const void *owner, unsigned state1,
                                unsigned state2);
/* Run the checker over every run queue. */
void sched_check_queues(queue_checker_t check);

#endif
