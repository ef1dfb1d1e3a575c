/*
 * Scheduling: strict priorities, preemption on wake-up and on priority
 * changes, round robin by yield and by timeslice among equals. Tests that
 * need several threads runnable at once lift the root to ORCHESTRATE_PRIO
 * while starting them, then drop it to IDLE_PRIO so it runs again only when
 * they are all done. Every spinning thread has a deadline, so a scheduler
 * bug shows up as a FAIL, never as a hang.
 */
#include "ipc.h"

#define ORCHESTRATE_PRIO 200
#define IDLE_PRIO 50

static volatile uint64_t count_l, l_seen_at_start, l_seen_at_end, h_yields;
static volatile uint64_t deadline_h, deadline_l;

void test_sched_wakeup_of_higher_priority_preempts(void)
{
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t nb = mint_cap(n, ATOLL_RIGHTS_ALL, 1);
	helper_t h;
	ipc_op_t op = {.cap = n};
	KCHECK_EQ(ipc_op_start(&h, &op, ipc_op_recv, HELPER_PRIO), ATOLL_E_OK);
	KCHECK(!op.done);
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK(op.done); /* it ran before the root's signal returned */
	/* The same for a lower waiter: it must wait for the root to block. */
	helper_t l;
	ipc_op_t lop = {.cap = n};
	KCHECK_EQ(ipc_op_start(&l, &lop, ipc_op_recv, ROOT_PRIO - 10), ATOLL_E_OK);
	yield_n(2);
	KCHECK_EQ(atoll_signal(nb), ATOLL_E_OK);
	KCHECK(!lop.done);
	root_set_priority(IDLE_PRIO);
	KCHECK(lop.done);
	helper_stop(&l);
	helper_stop(&h);
	release(nb);
	release(n);
}

static void spin_low(void *arg)
{
	while (rdtsc() < deadline_l)
		count_l++;
}

static void yield_high(void *arg)
{
	l_seen_at_start = count_l;
	while (rdtsc() < deadline_h) {
		atoll_yield();
		h_yields++;
	}
	l_seen_at_end = count_l;
}

/* H yields over many timer ticks while L spins below it: L never gets a
 * single instruction in before H is done. */
void test_sched_lower_priority_never_runs_while_higher_runnable(void)
{
	helper_t l, h;
	count_l = h_yields = 0;
	l_seen_at_start = l_seen_at_end = ~0ULL;
	KCHECK_EQ(helper_prepare(&l, 0, spin_low, NULL, HELPER_PRIO - 5, 0), ATOLL_E_OK);
	KCHECK_EQ(helper_prepare(&h, 0, yield_high, NULL, HELPER_PRIO, 0), ATOLL_E_OK);
	root_set_priority(ORCHESTRATE_PRIO);
	uint64_t t0 = rdtsc();
	deadline_h = t0 + ms_to_tsc(30);
	deadline_l = t0 + ms_to_tsc(45);
	KCHECK_EQ(tcb_resume(l.tcb), ATOLL_E_OK);
	KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
	root_set_priority(IDLE_PRIO); /* back when both are done */
	KCHECK(h_yields > 10);
	KCHECK_EQ(l_seen_at_start, 0);
	KCHECK_EQ(l_seen_at_end, 0);
	KCHECK(count_l > 0); /* it was runnable all along, and ran afterwards */
	helper_stop(&h);
	helper_stop(&l);
}

typedef struct spinner {
	uint64_t count, first, last;
	const struct spinner *other; /* NULL: spin until the deadline alone */
} spinner_t;

static spinner_t spinners[2];
static volatile uint64_t spin_deadline, spin_limit;

/* Spin until the deadline; with a partner, past it until the partner has
 * run too (up to spin_limit), so a host that stalls QEMU for a while does
 * not make a working scheduler look unfair. */
static void spin_until_deadline(void *arg)
{
	volatile spinner_t *s = arg;
	uint64_t now;
	while ((now = rdtsc()) < spin_deadline ||
	       (s->other && !((volatile spinner_t *)s->other)->count && now < spin_limit)) {
		if (!s->count)
			s->first = now;
		s->count++;
		s->last = now;
	}
}

/* Two spinners at one priority over ~50 ms (five timeslices): both run,
 * and neither only after the other has finished. */
void test_sched_equal_priorities_share_cpu(void)
{
	helper_t h[2];
	memset(spinners, 0, sizeof(spinners));
	spinners[0].other = &spinners[1];
	spinners[1].other = &spinners[0];
	for (unsigned i = 0; i < 2; i++)
		KCHECK_EQ(
			helper_prepare(&h[i], 0, spin_until_deadline, &spinners[i], HELPER_PRIO, 0),
			ATOLL_E_OK);
	root_set_priority(ORCHESTRATE_PRIO);
	uint64_t t0 = rdtsc();
	spin_deadline = t0 + ms_to_tsc(50);
	spin_limit = t0 + ms_to_tsc(1000);
	for (unsigned i = 0; i < 2; i++)
		KCHECK_EQ(tcb_resume(h[i].tcb), ATOLL_E_OK);
	root_set_priority(IDLE_PRIO);
	uint64_t a = spinners[0].count, b = spinners[1].count;
	KCHECK(a > 0 && b > 0);
	/* Each started before the other's end: they took turns. */
	KCHECK(spinners[1].first < spinners[0].last);
	KCHECK(spinners[0].first < spinners[1].last);
	uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
	KCHECK(lo * 20 >= hi);
	for (unsigned i = 0; i < 2; i++)
		helper_stop(&h[i]);
}

/* A thread of the root's own priority that never yields: the timer must
 * still give the root its turn long before the spinner's deadline. */
void test_sched_timer_preempts_equal_priority_spinner(void)
{
	helper_t h;
	memset(spinners, 0, sizeof(spinners));
	spin_deadline = rdtsc() + ms_to_tsc(300);
	KCHECK_EQ(helper_start(&h, spin_until_deadline, &spinners[0], ROOT_PRIO, 0), ATOLL_E_OK);
	atoll_yield();
	uint64_t back = rdtsc();
	KCHECK(spinners[0].count > 0);
	KCHECK(back < spin_deadline);
	helper_stop(&h);
}

static char order[16];
static volatile unsigned order_len;

static void log_and_yield(void *arg)
{
	for (unsigned i = 0; i < 3; i++) {
		if (order_len < sizeof(order) - 1)
			order[order_len++] = (char)(uint64_t)arg;
		atoll_yield();
	}
}

void test_sched_yield_round_robin(void)
{
	helper_t a, b;
	memset(order, 0, sizeof(order));
	order_len = 0;
	KCHECK_EQ(helper_start(&a, log_and_yield, (void *)'A', ROOT_PRIO, 0), ATOLL_E_OK);
	KCHECK_EQ(helper_start(&b, log_and_yield, (void *)'B', ROOT_PRIO, 0), ATOLL_E_OK);
	for (unsigned i = 0; i < 4; i++) {
		order[order_len++] = 'R';
		atoll_yield();
	}
	KCHECK_EQ(strcmp(order, "RABRABRABR"), 0);
	if (strcmp(order, "RABRABRABR"))
		printf("  order was %s\n", order);
	helper_stop(&a);
	helper_stop(&b);
}

static volatile int flag;

static void set_flag(void *arg)
{
	flag = 1;
}

void test_sched_lowering_own_priority_runs_higher_thread(void)
{
	helper_t h;
	flag = 0;
	KCHECK_EQ(helper_start(&h, set_flag, NULL, ROOT_PRIO - 10, 0), ATOLL_E_OK);
	yield_n(2);
	KCHECK_EQ(flag, 0);
	root_set_priority(ROOT_PRIO - 20);
	KCHECK_EQ(flag, 1); /* ran before set_priority returned */
	root_set_priority(ROOT_PRIO);
	helper_stop(&h);
}

void test_sched_raising_other_priority_preempts(void)
{
	helper_t h;
	flag = 0;
	KCHECK_EQ(helper_start(&h, set_flag, NULL, ROOT_PRIO - 10, 0), ATOLL_E_OK);
	KCHECK_EQ(flag, 0);
	KCHECK_EQ(tcb_set_priority(h.tcb, ATOLL_SLOT_TCB, HELPER_PRIO), ATOLL_E_OK);
	KCHECK_EQ(flag, 1);
	helper_stop(&h);
}
