/*
 * Timers: a queue of deadlines on the personality's clock (the TSC, time.c)
 * and one hardware timer that wakes us at the nearest of them.
 *
 * The hardware timer is channel 0 of the 8254 PIT (ports 0x40-0x43, ISA IRQ
 * 0, which reaches the IOAPIC as GSI 2 on PCs: the MADT's interrupt source
 * override, fixed in the manifest's `irq 2`). The kernel uses only channel
 * 2, and only while it calibrates at boot, so channel 0 is ours. It runs in
 * mode 0, "interrupt on terminal count": one count, one rising edge, then
 * silence until it is programmed again, so nothing ticks while no deadline
 * is pending and an idle machine stays idle. The counter is 16 bits at
 * 1,193,182 Hz: a deadline further away than about 55 ms takes several
 * rounds, the timer re-armed on each interrupt for what is left.
 *
 * Deadlines are TSC values. The PIT's rate is fixed and the TSC's is the
 * kernel's calibration against that same PIT, so the two agree to the
 * calibration's 1 %; an interrupt that comes before the TSC reaches the
 * head's deadline just arms the timer for the rest. Under QEMU with -icount
 * both run on QEMU's virtual clock (the TSC counts instructions as virtual
 * nanoseconds, the PIT counts virtual time), and with sleep=off an idle
 * guest's virtual clock jumps to the PIT's next edge: a sleep then passes
 * at once in host time while the guest's clocks advance by the full amount.
 *
 * Each timer is owned by one object (a process's wait or its ITIMER_REAL)
 * and sits in the queue at most once; its fire function runs from the
 * interrupt, after the timer left the queue, and may set it again.
 */
#include "personality.h"

#include <atoll_rt/objects.h>

#define PIT_CHANNEL0 0x40
#define PIT_COMMAND 0x43
#define PIT_CH0_MODE0_LOHI 0x30 /* channel 0, low then high byte, mode 0, binary */
#define PIT_HZ 1193182ULL
#define PIT_MAX_COUNT 0xffffULL
#define NS_PER_SEC 1000000000ULL

static lx_timer_t *queue; /* by deadline, nearest first */
static bool have_pit;

/* Channel 0 waits for a count: its output stays low, no interrupt comes. */
static void pit_stop(void)
{
	atoll_outb(PIT_COMMAND, PIT_CH0_MODE0_LOHI);
}

/* One interrupt after ticks TSC ticks, or after the PIT's longest count. */
static void pit_arm(uint64_t ticks)
{
	uint64_t ns = lx_ticks_to_ns(ticks);
	uint64_t count = ns >= PIT_MAX_COUNT * NS_PER_SEC / PIT_HZ ?
	                         PIT_MAX_COUNT :
	                         (ns * PIT_HZ + NS_PER_SEC - 1) / NS_PER_SEC;
	if (count == 0)
		count = 1;
	atoll_outb(PIT_COMMAND, PIT_CH0_MODE0_LOHI);
	atoll_outb(PIT_CHANNEL0, (uint8_t)count);
	atoll_outb(PIT_CHANNEL0, (uint8_t)(count >> 8));
}

/* Program the PIT for the queue's head as it is now. */
static void rearm(void)
{
	if (!have_pit)
		return;
	if (!queue) {
		pit_stop();
		return;
	}
	uint64_t now = lx_rdtsc();
	pit_arm(queue->deadline > now ? queue->deadline - now : 0);
}

void lx_timer_init(void)
{
	if (ioport_open(LX_SLOT_PIT_PORTS, PROC_SLOT_VSPACE)) {
		printf("linux: no PIT ports (ioports 0x40-0x43): sleeps and timeouts never "
		       "expire\n");
		return;
	}
	have_pit = true;
	/* The firmware left channel 0 ticking; an interrupt it raised before
	 * this is taken as a spurious one. */
	pit_stop();
	irq_ack(LX_SLOT_PIT_IRQ);
}

bool lx_timer_available(void)
{
	return have_pit;
}

static void unlink_timer(lx_timer_t *t)
{
	for (lx_timer_t **at = &queue; *at; at = &(*at)->next) {
		if (*at == t) {
			*at = t->next;
			break;
		}
	}
	t->armed = false;
	t->next = NULL;
}

void lx_timer_set(lx_timer_t *t, uint64_t deadline)
{
	if (t->armed)
		unlink_timer(t);
	t->deadline = deadline;
	t->armed = true;
	lx_timer_t **at = &queue;
	while (*at && (*at)->deadline <= deadline)
		at = &(*at)->next;
	t->next = *at;
	*at = t;
	if (queue == t)
		rearm();
}

void lx_timer_stop(lx_timer_t *t)
{
	/* A head that goes leaves the PIT armed: its interrupt finds nothing
	 * due and arms for the new head, which costs less than reprogramming
	 * at every stop. */
	if (t->armed)
		unlink_timer(t);
}

uint64_t lx_timer_left(const lx_timer_t *t)
{
	uint64_t now = lx_rdtsc();
	return t->armed && t->deadline > now ? t->deadline - now : 0;
}

void lx_timer_interrupt(void)
{
	irq_ack(LX_SLOT_PIT_IRQ);
	/* Fire everything due; a fire function may queue timers again (an
	 * interval timer), which are then due later than now. */
	uint64_t now = lx_rdtsc();
	while (queue && queue->deadline <= now) {
		lx_timer_t *t = queue;
		unlink_timer(t);
		t->fire(t);
		now = lx_rdtsc();
	}
	rearm();
}

/* A thread's wait timer ran out: end whichever wait it is in. */
static void wait_fire(lx_timer_t *t)
{
	lx_process_t *p = (lx_process_t *)((char *)t - offsetof(lx_process_t, wait_timer));
	lx_sleep_expired(p);
	lx_poll_expired(p);
	lx_tty_expired(p);
	lx_futex_timeout(p);
}

void lx_wait_timer_set(lx_process_t *p, uint64_t deadline)
{
	p->wait_timer.fire = wait_fire;
	lx_timer_set(&p->wait_timer, deadline);
}
