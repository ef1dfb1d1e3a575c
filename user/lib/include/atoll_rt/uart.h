#ifndef ATOLL_RT_UART_H
#define ATOLL_RT_UART_H

/* Client side of the serial byte-stream protocol (atoll/proto/uart.h). */
#include <atoll/errors.h>
#include <stddef.h>
#include <stdint.h>

/* Write all of buf to the serial server at endpoint slot ep. */
atoll_error_t uart_write(uint64_t ep, const void *buf, size_t len);
/* Read at least one byte (blocking), at most size; *got says how many. */
atoll_error_t uart_read(uint64_t ep, void *buf, size_t size, size_t *got);
/* The same without waiting: *got is 0 when no input is there. */
atoll_error_t uart_read_nowait(uint64_t ep, void *buf, size_t size, size_t *got);
/* Have the server signal the notification capability in slot notification
 * (it needs the WRITE right; the endpoint the GRANT right) whenever input
 * arrives, and at once if some is waiting. */
atoll_error_t uart_notify(uint64_t ep, uint64_t notification);

#endif
