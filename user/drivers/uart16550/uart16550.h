#ifndef UART16550_H
#define UART16550_H

/*
 * The 16550 serial driver: one process serving the byte-stream protocol
 * (atoll/proto/uart.h) for one port.
 *
 * The model: two rings of bytes between clients and the chip. Input
 * moves from the receive FIFO into the rx ring in the interrupt handler and
 * out to readers (while the rx ring is full, input stays in the FIFO and
 * RTS is down, until readers have taken half of the ring); output moves from writers into the tx ring and from there
 * into the transmit FIFO, 16 bytes per "transmitter empty" interrupt. A
 * request that cannot be served now is deferred (its caller stays in its
 * Reply object): readers while the rx ring is empty, writers while the tx
 * ring is full. Deferred requests wait in arrival order, and a waiting
 * reader implies an empty rx ring.
 *
 * Files: hw.c drives the chip, ring.c holds the rings, stream.c moves bytes
 * between rings and waiting clients, uart_ipc.c unmarshals requests, main.c
 * starts it all.
 */
#include <atoll/proto/uart.h>
#include <atoll_rt/server.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Driver statistics, a request of this driver only (not in uart.h):
 * -> w0 interrupts, w1 bytes received, w2 bytes transmitted, w3 input
 * bytes dropped (rx ring full), w4 line errors (overrun, parity, framing,
 * break), w5 reads deferred, w6 writes deferred, w7 requests refused BUSY.
 */
#define UART16550_STATS 0x5500
enum uart_stat {
	UART_STAT_IRQS,
	UART_STAT_RX_BYTES,
	UART_STAT_TX_BYTES,
	UART_STAT_RX_DROPPED,
	UART_STAT_LINE_ERRORS,
	UART_STAT_READS_DEFERRED,
	UART_STAT_WRITES_DEFERRED,
	UART_STAT_BUSY,
	UART_STAT_COUNT
};

#define UART_RING_SIZE 4096 /* a power of two */
#define UART_FIFO_SIZE 16
#define UART_IRQ_BIT 1u                            /* the badge bit of the port's interrupt */
#define UART_WATCHERS 4                            /* UART_NOTIFY registrations */
#define UART_SLOT_RECV (PROC_SLOT_FIRST_FREE)      /* capabilities arrive here */
#define UART_SLOT_WATCH (PROC_SLOT_FIRST_FREE + 1) /* .. + UART_WATCHERS - 1 */
#define UART_WAITING PROC_REPLY_COUNT /* deferred requests at most: one per Reply object */

typedef struct ring {
	uint8_t buf[UART_RING_SIZE];
	uint32_t head, tail; /* free-running: head - tail bytes are in the ring */
} ring_t;

size_t ring_count(const ring_t *r);
size_t ring_space(const ring_t *r);
/* Copy in or out as much as fits or is there, up to n; returns how much. */
size_t ring_put(ring_t *r, const void *src, size_t n);
size_t ring_get(ring_t *r, void *dst, size_t n);
bool ring_put_byte(ring_t *r, uint8_t c);
bool ring_get_byte(ring_t *r, uint8_t *c);

typedef struct uart_reader {
	unsigned reply;
	size_t want;
} uart_reader_t;

typedef struct uart_watcher {
	bool used;
	uint64_t badge; /* the client's: one registration per client */
} uart_watcher_t;

typedef struct uart {
	uint16_t base;  /* first I/O port */
	uint64_t irq;   /* IRQ handler capability */
	uint8_t ier;    /* what the interrupt-enable register holds */
	bool throttled; /* rx ring full: input left in the FIFO, RTS down */
	ring_t rx, tx;
	server_t *server; /* for answering deferred requests */

	uart_reader_t readers[UART_WAITING]; /* waiting, oldest first */
	unsigned nreaders;
	unsigned writers[UART_WAITING]; /* Reply objects of waiting writers, oldest first */
	unsigned nwriters;
	uint16_t write_len[UART_WAITING]; /* a waiting writer's bytes, by Reply object */
	uint8_t write_data[UART_WAITING][UART_IO_MAX];

	uart_watcher_t watchers[UART_WATCHERS];
	uint64_t stats[UART_STAT_COUNT];
} uart_t;

/* hw.c: the chip. */
void hw_init(uart_t *u);
/* Service the chip until it has no interrupt pending, a bounded number of
 * rounds; false if it still has one. */
bool hw_service(uart_t *u);
/* Start the transmitter after bytes were queued (no-op if it is running). */
void hw_start_tx(uart_t *u);
/* Make the chip raise its interrupt line afresh (a new edge). */
void hw_retrigger(uart_t *u);
/* The rx ring has room again: take input from the chip again. */
void hw_unthrottle(uart_t *u);

/* stream.c: between rings and clients. */
/* Serve the port after its interrupt (and once at start), then whoever
 * waits for what that brought. */
void stream_interrupt(uart_t *u);
server_result_t stream_write(uart_t *u, atoll_msg_t *msg, unsigned reply);
/* UART_READ (wait) and UART_READ_NOWAIT. */
server_result_t stream_read(uart_t *u, atoll_msg_t *msg, unsigned reply, bool wait);
server_result_t stream_watch(uart_t *u, atoll_msg_t *msg, uint64_t badge);

/* uart_ipc.c */
extern const server_ops_t uart_ops;

#endif
