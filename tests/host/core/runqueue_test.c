/* The run queues and their two-level bitmap, against a simple model. */
#include <core/runqueue.h>
#include <string.h>

#include "test.h"

thread_queue_t run_queue[ATOLL_PRIORITIES];
uint64_t run_bitmap[ATOLL_PRIORITIES / 64];
uint64_t run_summary;

static tcb_t threads[64];

static void reset(void)
{
	memset(run_queue, 0, sizeof(run_queue));
	memset(run_bitmap, 0, sizeof(run_bitmap));
	run_summary = 0;
	memset(threads, 0, sizeof(threads));
}

TEST(runqueue_empty_has_no_highest)
{
	reset();
	CHECK_EQ(sched_highest_priority(), -1);
}

TEST(runqueue_highest_priority_across_words)
{
	reset();
	threads[0].priority = 3;
	threads[1].priority = 200;
	threads[2].priority = 64;
	for (int i = 0; i < 3; i++)
		sched_enqueue(&threads[i]);
	CHECK_EQ(sched_highest_priority(), 200);
	sched_dequeue(&threads[1]);
	CHECK_EQ(sched_highest_priority(), 64);
	sched_dequeue(&threads[2]);
	CHECK_EQ(sched_highest_priority(), 3);
	sched_dequeue(&threads[0]);
	CHECK_EQ(sched_highest_priority(), -1);
	CHECK_EQ(run_summary, 0);
}

TEST(runqueue_round_robin_order_and_front)
{
	reset();
	for (int i = 0; i < 3; i++) {
		threads[i].priority = 10;
		sched_enqueue(&threads[i]);
	}
	threads[3].priority = 10;
	sched_enqueue_front(&threads[3]);
	tcb_t *expect[] = {&threads[3], &threads[0], &threads[1], &threads[2]};
	for (int i = 0; i < 4; i++) {
		tcb_t *head = run_queue[10].head;
		CHECK(head == expect[i]);
		sched_dequeue(head);
	}
	CHECK(run_queue[10].head == NULL && run_queue[10].tail == NULL);
}

/* Random operations: the highest priority and each queue's order always
 * match a model that remembers which threads are queued, in order. */
TEST(runqueue_matches_a_model)
{
	reset();
	int queued[64] = {0};
	unsigned order[64], norder = 0;
	uint64_t seed = 99;
	for (int step = 0; step < 20000; step++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned t = (seed >> 33) % 64;
		if (!queued[t]) {
			threads[t].priority = (seed >> 41) % ATOLL_PRIORITIES;
			sched_enqueue(&threads[t]);
			queued[t] = 1;
			order[norder++] = t;
		} else {
			sched_dequeue(&threads[t]);
			queued[t] = 0;
			for (unsigned i = 0; i < norder; i++)
				if (order[i] == t) {
					memmove(&order[i], &order[i + 1],
					        (norder - i - 1) * sizeof(order[0]));
					norder--;
					break;
				}
		}
		int best = -1;
		for (unsigned i = 0; i < norder; i++)
			if ((int)threads[order[i]].priority > best)
				best = threads[order[i]].priority;
		CHECK_EQ((int64_t)sched_highest_priority(), (int64_t)best);
		if (best >= 0) {
			/* The first queued thread of that priority, in model order, heads its queue. */
			for (unsigned i = 0; i < norder; i++)
				if ((int)threads[order[i]].priority == best) {
					CHECK(run_queue[best].head == &threads[order[i]]);
					break;
				}
		}
	}
}
