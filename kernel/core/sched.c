#include <arch/cpu.h>
#include <arch/cpu_local.h>
#include <arch/thread_switch.h>
#include <core/invariants.h>
#include <core/log.h>
#include <core/sched.h>

thread_queue_t run_queue[ATOLL_PRIORITIES];
uint64_t run_bitmap[ATOLL_PRIORITIES / 64];
uint64_t run_summary;

tcb_t *sched_current(void)
{
	return this_cpu()->current;
}

bool sched_higher_waiting(void)
{
	tcb_t *cur = sched_current();
	return sched_highest_priority() > (cur ? (int)cur->priority : -1);
}

void thread_make_runnable(tcb_t *t)
{
	t->state = THREAD_RUNNABLE;
	t->blocked_on = NULL;
	if (t != sched_current())
		sched_enqueue(t);
}

void sched_timer_tick(void)
{
	tcb_t *cur = sched_current();
	if (cur && cur->timeslice_left)
		cur->timeslice_left--;
}

void sched_yield(void)
{
	sched_current()->timeslice_left = 0;
}

/* A thread whose address space was revoked from under it cannot run again
 * until it is configured anew: it stops, and the system goes on. */
static bool has_address_space(tcb_t *t)
{
	if (t->slots[TCB_SLOT_VSPACE].cap.type == ATOLL_OBJ_VSPACE)
		return true;
	static log_limit_t limit;
	if (log_allowed(&limit))
		kprintf("thread %p lost its address space: suspended\n", (void *)t);
	t->state = THREAD_INACTIVE;
	return false;
}

tcb_t *sched_dequeue_highest(void)
{
	int prio;
	while ((prio = sched_highest_priority()) >= 0) {
		tcb_t *next = run_queue[prio].head;
		sched_dequeue(next);
		if (has_address_space(next)) {
			if (!next->timeslice_left)
				next->timeslice_left = SCHED_TIMESLICE_TICKS;
			return next;
		}
	}
	return NULL;
}

user_context_t *schedule(void)
{
	cpu_t *cpu = this_cpu();
	tcb_t *cur = cpu->current;
	if (cur && cur->state == THREAD_RUNNABLE && has_address_space(cur)) {
		int best = sched_highest_priority();
		if (cur->timeslice_left && best <= cur->priority) {
			if (cpu->reload_current) {
				cpu->reload_current = 0;
				thread_switch(cur);
			}
			return &cur->ctx;
		}
		if (!cur->timeslice_left) {
			cur->timeslice_left = SCHED_TIMESLICE_TICKS;
			if (best < cur->priority) { /* alone at the top: a new slice */
				cpu->reload_current = 0;
				thread_switch(cur);
				return &cur->ctx;
			}
			sched_enqueue(cur);
		} else {
			sched_enqueue_front(cur);
		}
	}
	tcb_t *next;
	while (!(next = sched_dequeue_highest())) {
		cpu->current = NULL;
		cpu_idle_wait(); /* interrupts are taken here, in kernel mode */
	}
	cpu->reload_current = 0;
	thread_switch(next);
	return &next->ctx;
}

void sched_check_queues(queue_checker_t check)
{
	for (unsigned p = 0; p < ATOLL_PRIORITIES; p++) {
		check(&run_queue[p], NULL, THREAD_RUNNABLE, THREAD_RUNNABLE);
		bool bit = run_bitmap[p / 64] & (1ULL << (p % 64));
		if (bit != (run_queue[p].head != NULL))
			kprintf("invariant broken: run bitmap for priority %u\n", p);
		for (const tcb_t *t = run_queue[p].head; t; t = t->next)
			if (t->priority != p)
				kprintf("invariant broken: thread %p queued at the wrong priority\n",
				        (void *)t);
	}
}
