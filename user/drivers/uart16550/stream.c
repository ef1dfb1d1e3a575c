/*
 * Moving bytes between the rings and the clients: requests that can be
 * served now are answered by the caller (uart_ipc.c); the rest wait here,
 * oldest first, and are answered as soon as the interrupt path brings input
 * (readers) or frees output space (writers).
 *
 * A write is accepted whole when the tx ring has room; when it has only
 * some, the part that fits (the client sends the rest); when it is full,
 * or other writers already wait, the write waits with a copy of its bytes
 * until the whole of it fits. A writer is never told "0 bytes".
 */
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/string.h>

#include "uart16550.h"

/* w0 count, bytes from w1: up to want bytes of input. Returns the length. */
static unsigned take_input(uart_t *u, atoll_msg_t *msg, size_t want)
{
	uint8_t buf[UART_IO_MAX];
	size_t n = ring_get(&u->rx, buf, want < sizeof(buf) ? want : sizeof(buf));
	if (u->throttled && ring_space(&u->rx) >= UART_RING_SIZE / 2)
		hw_unthrottle(u);
	msg->w[0] = n;
	return msg_put_bytes(msg, 1, buf, n);
}

static void serve_readers(uart_t *u)
{
	while (u->nreaders && ring_count(&u->rx)) {
		uart_reader_t r = u->readers[0];
		u->nreaders--;
		memmove(u->readers, u->readers + 1, u->nreaders * sizeof(u->readers[0]));
		atoll_msg_t m = {0};
		unsigned length = take_input(u, &m, r.want);
		server_reply(u->server, r.reply, ATOLL_E_OK, &m, length);
	}
}

static void serve_writers(uart_t *u)
{
	while (u->nwriters) {
		unsigned reply = u->writers[0];
		size_t len = u->write_len[reply];
		if (ring_space(&u->tx) < len)
			break;
		ring_put(&u->tx, u->write_data[reply], len);
		u->nwriters--;
		memmove(u->writers, u->writers + 1, u->nwriters * sizeof(u->writers[0]));
		atoll_msg_t m = {.w = {len}};
		server_reply(u->server, reply, ATOLL_E_OK, &m, 1);
	}
	hw_start_tx(u);
}

/* Input is buffered: tell every registered client. A registration whose
 * capability no longer works (its owner is gone) is dropped. The signal
 * never blocks, whatever kind of capability a client sent. */
static void signal_watchers(uart_t *u)
{
	for (unsigned i = 0; i < UART_WATCHERS; i++) {
		if (!u->watchers[i].used)
			continue;
		atoll_msg_t m = {0};
		atoll_error_t err = atoll_nbsend(UART_SLOT_WATCH + i, &m);
		if (err && err != ATOLL_E_WOULD_BLOCK) {
			cnode_delete(PROC_SLOT_CNODE, UART_SLOT_WATCH + i);
			u->watchers[i].used = false;
		}
	}
}

void stream_interrupt(uart_t *u)
{
	size_t rx_before = u->stats[UART_STAT_RX_BYTES];
	hw_service(u);
	/* The pin stays masked until the ack, and an edge that came while it
	 * was masked is lost: look at the chip again after the ack, and if
	 * work is still left then, have it raise a new edge. */
	irq_ack(u->irq);
	if (!hw_service(u))
		hw_retrigger(u);
	serve_readers(u);
	serve_writers(u);
	if (u->stats[UART_STAT_RX_BYTES] != rx_before && ring_count(&u->rx))
		signal_watchers(u);
}

server_result_t stream_write(uart_t *u, atoll_msg_t *msg, unsigned reply)
{
	size_t len = msg->w[0];
	if (len > UART_IO_MAX || atoll_msginfo_length(msg->info) < 1 + (len + 7) / 8)
		return server_error(ATOLL_E_INVALID_ARG);
	uint8_t buf[UART_IO_MAX];
	size_t space = ring_space(&u->tx);
	if (len == 0 || (!u->nwriters && space)) {
		msg_get_bytes(msg, 1, buf, len);
		msg->w[0] = ring_put(&u->tx, buf, len);
		hw_start_tx(u);
		return server_ok(1);
	}
	if (!server_can_defer(u->server, reply) || reply >= UART_WAITING) {
		u->stats[UART_STAT_BUSY]++;
		return server_error(ATOLL_E_BUSY);
	}
	msg_get_bytes(msg, 1, u->write_data[reply], len);
	u->write_len[reply] = len;
	u->writers[u->nwriters++] = reply;
	u->stats[UART_STAT_WRITES_DEFERRED]++;
	return server_defer();
}

server_result_t stream_read(uart_t *u, atoll_msg_t *msg, unsigned reply, bool wait)
{
	if (atoll_msginfo_length(msg->info) < 1)
		return server_error(ATOLL_E_INVALID_ARG);
	size_t want = msg->w[0] < UART_IO_MAX ? msg->w[0] : UART_IO_MAX;
	if (want == 0 || ring_count(&u->rx) || !wait)
		return server_ok(take_input(u, msg, want));
	if (!server_can_defer(u->server, reply) || reply >= UART_WAITING) {
		u->stats[UART_STAT_BUSY]++;
		return server_error(ATOLL_E_BUSY);
	}
	u->readers[u->nreaders++] = (uart_reader_t){.reply = reply, .want = want};
	u->stats[UART_STAT_READS_DEFERRED]++;
	return server_defer();
}

/* The capability sent along is signalled whenever input arrives, and at
 * once if input is waiting. A client (badge) has one registration: a new
 * one replaces the old. A registration ends when signalling fails (the
 * client's capability was revoked). */
server_result_t stream_watch(uart_t *u, atoll_msg_t *msg, uint64_t badge)
{
	if (atoll_msginfo_caps(msg->info) < 1)
		return server_error(ATOLL_E_INVALID_CAP); /* none, or no GRANT right to send it */
	int slot = -1;
	for (unsigned i = 0; i < UART_WATCHERS && slot < 0; i++)
		if (u->watchers[i].used && u->watchers[i].badge == badge)
			slot = (int)i;
	if (slot >= 0)
		cnode_delete(PROC_SLOT_CNODE, UART_SLOT_WATCH + slot);
	for (unsigned i = 0; i < UART_WATCHERS && slot < 0; i++)
		if (!u->watchers[i].used)
			slot = (int)i;
	if (slot < 0)
		return server_error(ATOLL_E_BUSY);
	u->watchers[slot].used = false;
	atoll_error_t err = server_keep_cap(u->server, 0, UART_SLOT_WATCH + slot);
	if (err)
		return server_error(err);
	u->watchers[slot] = (uart_watcher_t){.used = true, .badge = badge};
	if (ring_count(&u->rx))
		signal_watchers(u);
	return server_ok(0);
}
