/*
 * The uart protocol, server side: which request goes where. Every word a
 * client sends is checked in stream.c before it is used.
 */
#include "uart16550.h"

static server_result_t uart_stats(uart_t *u, atoll_msg_t *msg)
{
	for (unsigned i = 0; i < UART_STAT_COUNT; i++)
		msg->w[i] = u->stats[i];
	return server_ok(UART_STAT_COUNT);
}

static server_result_t uart_handle(server_t *s, uint64_t label, atoll_msg_t *msg, uint64_t badge,
                                   unsigned reply)
{
	uart_t *u = s->data;
	switch (label) {
	case UART_WRITE:
		return stream_write(u, msg, reply);
	case UART_READ:
		return stream_read(u, msg, reply, true);
	case UART_READ_NOWAIT:
		return stream_read(u, msg, reply, false);
	case UART_NOTIFY:
		return stream_watch(u, msg, badge);
	case UART16550_STATS:
		return uart_stats(u, msg);
	default:
		return server_unknown();
	}
}

static void uart_notify(server_t *s, uint64_t bits)
{
	uart_t *u = s->data;
	if (bits & UART_IRQ_BIT) {
		u->stats[UART_STAT_IRQS]++;
		stream_interrupt(u);
	}
}

const server_ops_t uart_ops = {
	.handle = uart_handle,
	.notify = uart_notify,
};
