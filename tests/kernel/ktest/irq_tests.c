/*
 * Interrupts: IRQ control issues one handler per IOAPIC pin or MSI vector;
 * a handler routes its interrupt to a notification and masks the pin from
 * each interrupt until ACK. The real interrupt comes from the 16550 UART on
 * COM1: enabling its transmitter-empty interrupt (IER bit 1) while the
 * transmitter is idle raises GSI 4 at once. Re-arming it is IER off, read
 * IIR (which drops the line), IER on: a fresh edge.
 */
#include "fault.h"
#include "uart.h"

#define ROOT ATOLL_SLOT_CNODE
#define CTL ATOLL_SLOT_IRQ_CONTROL
#define IRQ_BADGE 0x10

static uint64_t issue_gsi_as(unsigned gsi, int level, atoll_error_t *err)
{
	uint64_t s = slot_get();
	*err = irq_issue_ioapic(CTL, gsi, level, 0, ROOT, s);
	return s;
}

static uint64_t issue_gsi(unsigned gsi, atoll_error_t *err)
{
	return issue_gsi_as(gsi, 0, err);
}

void test_irq_issue_ioapic_and_busy(void)
{
	atoll_error_t err;
	uint64_t h = issue_gsi(UART_GSI, &err);
	KCHECK_EQ(err, ATOLL_E_OK);
	uint64_t h2 = issue_gsi(UART_GSI, &err);
	KCHECK_EQ(err, ATOLL_E_BUSY);
	KCHECK_EQ(irq_issue_ioapic(CTL, UART_GSI, 0, 0, ROOT, h), ATOLL_E_SLOT_OCCUPIED);
	KCHECK_EQ(irq_issue_ioapic(CTL, 3, 0, 0, ROOT, 0), ATOLL_E_RANGE);
	/* Copies of the handler share the pin: it stays claimed until the last goes. */
	uint64_t c = mint_cap(h, ATOLL_RIGHTS_ALL, 0);
	release(h);
	KCHECK_EQ(irq_issue_ioapic(CTL, UART_GSI, 0, 0, ROOT, h2), ATOLL_E_BUSY);
	release(c);
	KCHECK_EQ(irq_issue_ioapic(CTL, UART_GSI, 0, 0, ROOT, h2), ATOLL_E_OK);
	release(h2);
}

void test_irq_issue_gsi_out_of_range(void)
{
	static const uint64_t bad[] = {24, 63, 64, 255, 1ULL << 32 | UART_GSI, ~0ULL};
	uint64_t s = slot_get();
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		atoll_msg_t m = {.w = {bad[i], 0, 0, ROOT, s}};
		KCHECK_EQ(atoll_invoke(CTL, ATOLL_IRQ_CONTROL_ISSUE_IOAPIC, 5, &m), ATOLL_E_RANGE);
	}
	atoll_msg_t m = {.w = {UART_GSI, 0, 0, ROOT, s}};
	KCHECK_EQ(atoll_invoke(CTL, ATOLL_IRQ_CONTROL_ISSUE_IOAPIC, 4, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(CTL, ATOLL_IRQ_HANDLER_ACK, 0, &m), ATOLL_E_ILLEGAL_OP);
	KCHECK_EQ(irq_ack(s), ATOLL_E_INVALID_CAP); /* nothing was made */
	release(s);
}

void test_irq_issue_msi_returns_address(void)
{
	uint64_t s1 = slot_get(), s2 = slot_get(), s3 = slot_get();
	uint64_t a1 = 0, d1 = 0, a2 = 0, d2 = 0, a3 = 0, d3 = 0;
	KCHECK_EQ(irq_issue_msi(CTL, ROOT, s1, &a1, &d1), ATOLL_E_OK);
	KCHECK_EQ(a1 & 0xfff00000, 0xfee00000);
	KCHECK(d1 >= 0x20 && d1 <= 0xef); /* a device vector, never an exception */
	KCHECK_EQ(irq_issue_msi(CTL, ROOT, s2, &a2, &d2), ATOLL_E_OK);
	KCHECK(d2 != d1);
	KCHECK_EQ(irq_issue_msi(CTL, ROOT, s1, &a3, &d3), ATOLL_E_SLOT_OCCUPIED);
	atoll_msg_t m = {.w = {ROOT, s3}};
	KCHECK_EQ(atoll_invoke(CTL, ATOLL_IRQ_CONTROL_ISSUE_MSI, 1, &m), ATOLL_E_INVALID_ARG);
	/* A freed vector can be issued again. */
	release(s1);
	KCHECK_EQ(irq_issue_msi(CTL, ROOT, s3, &a3, &d3), ATOLL_E_OK);
	KCHECK(d3 != d2);
	KCHECK_EQ(irq_set_notification(s3, 0), ATOLL_E_OK);
	KCHECK_EQ(irq_ack(s3), ATOLL_E_OK);
	release(s3);
	release(s2);
}

/* Issuing writes a capability into the destination CNode: without WRITE on
 * that CNode capability, nothing may be written there. */
void test_irq_issue_into_read_only_cnode_refused(void)
{
	uint64_t rc = mint_cap(ROOT, ATOLL_RIGHT_READ, 0);
	uint64_t s = slot_get(), s2 = slot_get(), a, d;
	KCHECK_EQ(irq_issue_ioapic(CTL, UART_GSI, 0, 0, rc, s), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(irq_ack(s), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(irq_issue_msi(CTL, rc, s2, &a, &d), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(irq_ack(s2), ATOLL_E_INVALID_CAP);
	release(s2);
	release(s);
	release(rc);
}

#define MSI_VECTORS (0xef - 0x70 + 1)

void test_irq_msi_vectors_run_out_with_busy(void)
{
	uint64_t c = make_object(ATOLL_OBJ_CNODE, 8);
	unsigned issued = 0;
	uint64_t s = slot_get(), a, d;
	atoll_error_t err;
	while ((err = irq_issue_msi(CTL, c, issued + 1, &a, &d)) == ATOLL_E_OK && issued < 255)
		issued++;
	KCHECK_EQ(err, ATOLL_E_BUSY);
	KCHECK(issued >= MSI_VECTORS - 8); /* other tests may hold a few */
	KCHECK(issued <= MSI_VECTORS);
	release(c); /* gives them all back */
	KCHECK_EQ(irq_issue_msi(CTL, ROOT, s, &a, &d), ATOLL_E_OK);
	release(s);
}

void test_irq_set_notification_and_ack_checks(void)
{
	atoll_error_t err;
	uint64_t h = issue_gsi(UART_GSI, &err);
	uint64_t ep = make_object(ATOLL_OBJ_ENDPOINT, 0);
	uint64_t n = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	uint64_t n_r = mint_cap(n, ATOLL_RIGHT_READ, 1);
	uint64_t empty = slot_get();
	KCHECK_EQ(irq_set_notification(h, ep), ATOLL_E_WRONG_TYPE);
	KCHECK_EQ(irq_set_notification(h, n_r), ATOLL_E_NO_RIGHTS);
	KCHECK_EQ(irq_set_notification(h, empty), ATOLL_E_INVALID_CAP);
	KCHECK_EQ(irq_set_notification(h, 0), ATOLL_E_OK);
	KCHECK_EQ(irq_ack(h), ATOLL_E_OK);
	atoll_msg_t m = {0};
	KCHECK_EQ(atoll_invoke(h, ATOLL_IRQ_HANDLER_SET_NOTIFICATION, 0, &m), ATOLL_E_INVALID_ARG);
	KCHECK_EQ(atoll_invoke(h, ATOLL_IRQ_CONTROL_ISSUE_MSI, 2, &m), ATOLL_E_ILLEGAL_OP);
	/* Issuing needs the control capability, not a handler. */
	KCHECK_EQ(irq_issue_ioapic(h, 5, 0, 0, ROOT, empty), ATOLL_E_ILLEGAL_OP);
	release(empty);
	release(n_r);
	release(n);
	release(ep);
	release(h);
}

/* Everything the UART tests share. */
typedef struct uart_irq {
	uint64_t ports, handler, ntfn, badged;
} uart_irq_t;

static int uart_irq_setup_as(uart_irq_t *u, int level)
{
	atoll_error_t err;
	u->ports = uart_ports();
	/* The root programs the UART itself: make sure the ports really are open. */
	if (try_inb(UART_LSR) & INB_FAULTED) {
		KCHECK(!"COM1 ports did not open");
		return 0;
	}
	u->handler = issue_gsi_as(UART_GSI, level, &err);
	KCHECK_EQ(err, ATOLL_E_OK);
	u->ntfn = make_object(ATOLL_OBJ_NOTIFICATION, 0);
	u->badged = mint_cap(u->ntfn, ATOLL_RIGHTS_ALL, IRQ_BADGE);
	KCHECK_EQ(irq_set_notification(u->handler, u->badged), ATOLL_E_OK);
	atoll_outb(UART_MCR, UART_MCR_NORMAL | UART_MCR_OUT2);
	return !err;
}

static int uart_irq_setup(uart_irq_t *u)
{
	return uart_irq_setup_as(u, 0);
}

static void uart_thre_off(void)
{
	atoll_outb(UART_IER, 0);
	(void)atoll_inb(UART_IIR);
}

/* A fresh rising edge on the UART's interrupt line. */
static void uart_thre_edge(void)
{
	uart_thre_off();
	atoll_outb(UART_IER, UART_IER_THRE);
}

static void uart_irq_teardown(uart_irq_t *u)
{
	uart_thre_off();
	atoll_outb(UART_MCR, UART_MCR_NORMAL);
	if (u->handler)
		release(u->handler);
	if (u->badged)
		release(u->badged);
	if (u->ntfn)
		release(u->ntfn);
	release(u->ports);
}

void test_irq_uart_interrupt_signals_notification(void)
{
	uart_irq_t u = {0};
	if (uart_irq_setup(&u)) {
		uint64_t bits = 0;
		KCHECK_EQ(atoll_poll(u.ntfn, &bits), ATOLL_E_WOULD_BLOCK);
		uart_thre_edge();
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 200), ATOLL_E_OK);
		KCHECK_EQ(bits, IRQ_BADGE);
		uart_thre_off();
		KCHECK_EQ(irq_ack(u.handler), ATOLL_E_OK);
		/* The notification goes away while routed; the next interrupt finds
		 * nothing to signal and must do no harm. */
		release(u.badged);
		release(u.ntfn);
		u.badged = u.ntfn = 0;
		uart_thre_edge();
		yield_n(2);
		KCHECK_EQ(irq_ack(u.handler), ATOLL_E_OK);
	}
	uart_irq_teardown(&u);
}

/* An edge-triggered pin stays unmasked (the IOAPIC would drop an edge that
 * comes while it is masked): every edge arrives, ACK or not. */
void test_irq_edge_pin_delivers_without_ack(void)
{
	uart_irq_t u = {0};
	if (uart_irq_setup(&u)) {
		uint64_t bits = 0;
		for (unsigned i = 0; i < 3; i++) {
			uart_thre_edge();
			KCHECK_EQ(poll_soon(u.ntfn, &bits, 200), ATOLL_E_OK);
			KCHECK_EQ(bits, IRQ_BADGE);
		}
		uart_thre_off();
		KCHECK_EQ(irq_ack(u.handler), ATOLL_E_OK);
		/* Without a notification the pin is masked and stays quiet. */
		KCHECK_EQ(irq_set_notification(u.handler, 0), ATOLL_E_OK);
		uart_thre_edge();
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 20), ATOLL_E_WOULD_BLOCK);
		/* Routed again, it delivers again. */
		uart_thre_off();
		KCHECK_EQ(irq_set_notification(u.handler, u.badged), ATOLL_E_OK);
		uart_thre_edge();
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 200), ATOLL_E_OK);
	}
	uart_irq_teardown(&u);
}

/* A level-triggered pin is masked from its interrupt until ACK, so a device
 * that keeps its line up cannot storm the CPU while its driver is busy. */
void test_irq_level_pin_masked_until_ack(void)
{
	uart_irq_t u = {0};
	if (uart_irq_setup_as(&u, 1)) {
		uint64_t bits = 0;
		uart_thre_edge(); /* the line goes up and stays up */
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 200), ATOLL_E_OK);
		KCHECK_EQ(bits, IRQ_BADGE);
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 20), ATOLL_E_WOULD_BLOCK);
		/* The driver quiets the device, then acknowledges. */
		uart_thre_off();
		KCHECK_EQ(irq_ack(u.handler), ATOLL_E_OK);
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 20), ATOLL_E_WOULD_BLOCK);
		uart_thre_edge();
		KCHECK_EQ(poll_soon(u.ntfn, &bits, 200), ATOLL_E_OK);
		uart_thre_off();
		KCHECK_EQ(irq_ack(u.handler), ATOLL_E_OK);
	}
	uart_irq_teardown(&u);
}

static volatile uint64_t spins, spins_at_trigger, spins_at_wake, spin_end;
static volatile int woke;

static void wait_irq(void *ntfn)
{
	uint64_t bits;
	if (atoll_wait((uint64_t)ntfn, &bits) == ATOLL_E_OK && bits == IRQ_BADGE) {
		spins_at_wake = spins;
		woke = 1;
	}
}

static void spin_and_trigger(void *arg)
{
	/* The trigger comes even if the host stalls QEMU past spin_end. */
	while (spins < 1000 || rdtsc() < spin_end) {
		if (++spins == 1000) {
			spins_at_trigger = spins;
			atoll_outb(UART_IER, UART_IER_THRE);
		}
	}
}

/* H waits for the interrupt; L, below it, spins and makes the UART raise
 * it. H must run as soon as the interrupt arrives, not at L's next
 * timeslice: L gets almost no iterations in between. */
void test_irq_wakes_higher_priority_thread_at_once(void)
{
	uart_irq_t u = {0};
	helper_t h, l;
	spins = spins_at_wake = 0;
	spins_at_trigger = ~0ULL;
	woke = 0;
	if (uart_irq_setup(&u)) {
		uart_thre_off();
		KCHECK_EQ(helper_prepare(&h, 0, wait_irq, (void *)u.ntfn, HELPER_PRIO + 10, 0),
		          ATOLL_E_OK);
		KCHECK_EQ(helper_prepare(&l, 0, spin_and_trigger, NULL, HELPER_PRIO, 0),
		          ATOLL_E_OK);
		root_set_priority(200);
		spin_end = rdtsc() + ms_to_tsc(30);
		KCHECK_EQ(tcb_resume(h.tcb), ATOLL_E_OK);
		KCHECK_EQ(tcb_resume(l.tcb), ATOLL_E_OK);
		root_set_priority(50); /* H waits, L spins; back when both are done */
		KCHECK_EQ(spins_at_trigger, 1000);
		KCHECK(woke);
		KCHECK(spins_at_wake >= spins_at_trigger);
		KCHECK(spins_at_wake - spins_at_trigger < 100);
		KCHECK(spins > spins_at_wake); /* L went on afterwards */
		helper_stop(&h);
		helper_stop(&l);
		KCHECK_EQ(irq_ack(u.handler), ATOLL_E_OK);
	}
	uart_irq_teardown(&u);
}
