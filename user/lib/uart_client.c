/*
 * Client side of the serial byte-stream protocol. Requests carry at most
 * UART_IO_MAX bytes: longer writes go out in pieces, in order.
 */
#include <atoll/proto/uart.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/uart.h>

atoll_error_t uart_write(uint64_t ep, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	while (len) {
		size_t chunk = len < UART_IO_MAX ? len : UART_IO_MAX;
		atoll_msg_t m = {.w = {chunk}};
		unsigned words = msg_put_bytes(&m, 1, p, chunk);
		m.info = atoll_msginfo(UART_WRITE, 0, words);
		atoll_error_t err = atoll_rpc(ep, &m);
		if (err)
			return err;
		/* The server waits for room rather than accept nothing. */
		if (m.w[0] == 0 || m.w[0] > chunk)
			return ATOLL_E_RANGE;
		p += m.w[0];
		len -= m.w[0];
	}
	return ATOLL_E_OK;
}

static atoll_error_t read_request(uint64_t ep, uint64_t label, void *buf, size_t size, size_t *got)
{
	*got = 0;
	size_t want = size < UART_IO_MAX ? size : UART_IO_MAX;
	atoll_msg_t m = {.info = atoll_msginfo(label, 0, 1), .w = {want}};
	atoll_error_t err = atoll_rpc(ep, &m);
	if (err)
		return err;
	size_t n = m.w[0];
	if (n > want || atoll_msginfo_length(m.info) < 1 + (n + 7) / 8)
		return ATOLL_E_RANGE;
	msg_get_bytes(&m, 1, buf, n);
	*got = n;
	return ATOLL_E_OK;
}

atoll_error_t uart_read(uint64_t ep, void *buf, size_t size, size_t *got)
{
	return read_request(ep, UART_READ, buf, size, got);
}

atoll_error_t uart_read_nowait(uint64_t ep, void *buf, size_t size, size_t *got)
{
	return read_request(ep, UART_READ_NOWAIT, buf, size, got);
}

atoll_error_t uart_notify(uint64_t ep, uint64_t notification)
{
	atoll_ipc_buffer_ptr->send_caps[0] = notification;
	atoll_msg_t m = {.info = atoll_msginfo(UART_NOTIFY, 1, 0)};
	return atoll_rpc(ep, &m);
}
