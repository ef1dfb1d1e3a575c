#ifndef ATOLL_PROTO_UART_H
#define ATOLL_PROTO_UART_H

/*
 * The byte-stream protocol of a serial port (served at /dev/uart0 by the
 * 16550 driver). Bytes travel packed in message words: registers for up to
 * 64 bytes, the IPC buffer beyond (up to UART_IO_MAX).
 */
#define UART_IO_MAX 512

enum uart_label {
	/* w0 byte count, bytes from w1: queue for output -> w0 bytes accepted
	 * (fewer than asked only when the transmit buffer is full) */
	UART_WRITE = 1,
	/* w0 most bytes wanted -> w0 count, bytes from w1. Blocks until at least
	 * one byte has arrived. */
	UART_READ,
	/* the notification capability sent with the message is signalled
	 * whenever input arrives */
	UART_NOTIFY,
	/* w0 most bytes wanted -> w0 count, bytes from w1, as UART_READ but
	 * never waiting: 0 bytes when no input is there. For a client that
	 * must not block (it serves others), woken by UART_NOTIFY. */
	UART_READ_NOWAIT,
};

#endif
