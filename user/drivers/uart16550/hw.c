/*
 * The 16550 itself. Everything here runs in the driver's one thread, from
 * the interrupt path or right after a request queued output; nothing waits
 * for the chip. Loops are bounded: a port that keeps interrupting (a
 * stuck line, a flood of input) cannot hold the driver forever, and what is
 * left is picked up by a fresh interrupt (hw_retrigger).
 */
#include <atoll_rt/objects.h>

#include "uart16550.h"

/* Registers, as offsets from the base port. */
#define REG_DATA 0 /* RBR on read, THR on write; DLL with DLAB */
#define REG_IER 1  /* DLM with DLAB */
#define REG_IIR 2  /* on read */
#define REG_FCR 2  /* on write */
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define REG_MSR 6

#define IER_RX 0x01   /* received data available (and character timeout) */
#define IER_THRE 0x02 /* transmit holding register (FIFO) empty */
#define IER_LINE 0x04 /* line status: overrun, parity, framing, break */

#define IIR_NONE 0x01 /* no interrupt pending */
#define IIR_ID 0x0e
#define IIR_MODEM 0x00

#define FCR_ENABLE 0x01
#define FCR_RX_TRIGGER_8 0x80

#define LCR_8N1 0x03
#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT2 0x08 /* gates the interrupt line on PC boards */

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_PE 0x04
#define LSR_FE 0x08
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_ERRORS (LSR_OE | LSR_PE | LSR_FE | LSR_BI)

#define CLOCK_HZ 1843200
#define BAUD 115200
#define SERVICE_ROUNDS 16
#define RX_BURST 256 /* bytes taken per round */

static uint8_t in(const uart_t *u, unsigned reg)
{
	return atoll_inb(u->base + reg);
}

static void out(const uart_t *u, unsigned reg, uint8_t v)
{
	atoll_outb(u->base + reg, v);
}

static void set_ier(uart_t *u, uint8_t ier)
{
	u->ier = ier;
	out(u, REG_IER, ier);
}

void hw_init(uart_t *u)
{
	unsigned divisor = CLOCK_HZ / 16 / BAUD;
	out(u, REG_IER, 0);
	out(u, REG_LCR, LCR_DLAB);
	out(u, REG_DATA, divisor & 0xff);
	out(u, REG_IER, divisor >> 8);
	out(u, REG_LCR, LCR_8N1);
	/* FIFOs on without clearing them: input that arrived before the
	 * driver (re)started is kept. Toggling the enable bit would clear. */
	out(u, REG_FCR, FCR_ENABLE | FCR_RX_TRIGGER_8);
	out(u, REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	in(u, REG_LSR);
	in(u, REG_MSR);
	in(u, REG_IIR);
	set_ier(u, IER_RX | IER_LINE);
}

/* The rx ring is full: leave further input in the chip's FIFO, stop its
 * interrupt and drop RTS, so a sender that heeds flow control (QEMU's
 * character devices do) waits instead of overrunning the FIFO. */
static void throttle(uart_t *u)
{
	u->throttled = true;
	set_ier(u, u->ier & ~IER_RX);
	out(u, REG_MCR, MCR_DTR | MCR_OUT2);
}

void hw_unthrottle(uart_t *u)
{
	if (!u->throttled)
		return;
	u->throttled = false;
	out(u, REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
	/* Input waiting in the FIFO raises the interrupt again. */
	set_ier(u, u->ier | IER_RX);
}

/* Move received bytes into the rx ring; lsr is a fresh line status. */
static void receive(uart_t *u, uint8_t lsr)
{
	for (unsigned n = 0; n < RX_BURST; n++) {
		if (lsr & LSR_ERRORS)
			u->stats[UART_STAT_LINE_ERRORS]++;
		if (!(lsr & LSR_DR))
			return;
		if (!ring_space(&u->rx)) {
			throttle(u);
			return;
		}
		uint8_t c = in(u, REG_DATA);
		if (!(lsr & LSR_BI)) { /* a break reads as a NUL that was never sent */
			if (ring_put_byte(&u->rx, c))
				u->stats[UART_STAT_RX_BYTES]++;
			else
				u->stats[UART_STAT_RX_DROPPED]++;
		}
		lsr = in(u, REG_LSR);
	}
}

/* The transmit FIFO is empty: refill it. With nothing left to send, stop
 * the THRE interrupt until hw_start_tx. */
static void transmit(uart_t *u)
{
	uint8_t c;
	for (unsigned n = 0; n < UART_FIFO_SIZE && ring_get_byte(&u->tx, &c); n++) {
		out(u, REG_DATA, c);
		u->stats[UART_STAT_TX_BYTES]++;
	}
	if (!ring_count(&u->tx) && (u->ier & IER_THRE))
		set_ier(u, u->ier & ~IER_THRE);
}

bool hw_service(uart_t *u)
{
	for (unsigned round = 0; round < SERVICE_ROUNDS; round++) {
		uint8_t iir = in(u, REG_IIR);
		if (iir & IIR_NONE)
			return true;
		/* Decide by the line status rather than the interrupt's
		 * identity: one round serves input and output alike. */
		uint8_t lsr = in(u, REG_LSR);
		if ((lsr & (LSR_DR | LSR_ERRORS)) && !u->throttled)
			receive(u, lsr);
		if ((iir & IIR_ID) == IIR_MODEM)
			in(u, REG_MSR);
		if ((u->ier & IER_THRE) && (in(u, REG_LSR) & LSR_THRE))
			transmit(u);
	}
	/* Out of rounds. Ask the line status, not the IIR: reading the IIR
	 * would consume a pending THRE interrupt, and nothing would raise it
	 * again. */
	uint8_t lsr = in(u, REG_LSR);
	return (!(lsr & LSR_DR) || u->throttled) && !((u->ier & IER_THRE) && (lsr & LSR_THRE));
}

void hw_start_tx(uart_t *u)
{
	if (u->ier & IER_THRE)
		return; /* the next THRE interrupt takes the new bytes */
	if (in(u, REG_LSR) & LSR_THRE)
		transmit(u);
	if (ring_count(&u->tx))
		set_ier(u, u->ier | IER_THRE);
}

void hw_retrigger(uart_t *u)
{
	out(u, REG_IER, 0);
	out(u, REG_IER, u->ier);
}
