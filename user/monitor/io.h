#ifndef MONITOR_IO_H
#define MONITOR_IO_H

/*
 * The monitor's console: the serial server at /dev/uart0 when it is
 * registered, otherwise the kernel log (output only). Output is buffered and
 * sent a line at a time; "\n" goes out as "\r\n" on the uart.
 */
#include <stdbool.h>
#include <stddef.h>

/* Connect to /dev/uart0, waiting a bounded while for it to be registered;
 * says on the kernel log when it falls back to the log instead. */
void io_init(void);
/* Whether the console is the uart (false: the kernel log, with no input). */
bool io_on_uart(void);

void io_write(const char *s, size_t len);
void io_puts(const char *s);
void io_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Send whatever is buffered. */
void io_flush(void);
/* Flush, then give the serial server a chance to push its queue out before
 * the machine is powered off or reset. */
void io_drain(void);

/* Read at least one byte (blocking), at most size. Returns false when there
 * is no input to wait for: the console is the kernel log. */
bool io_read(char *buf, size_t size, size_t *got);

#endif
