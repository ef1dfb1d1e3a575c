/*
 * Console input and output for the monitor. The uart's endpoint lives in
 * IO_SLOT_UART. When a call on it fails (the driver died, say, and proc is
 * restarting it) the stale capability is deleted and /dev/uart0 resolved
 * again; only if that fails too does the monitor fall back to the kernel
 * log, for good.
 */
#include "io.h"

#include <atoll/proto/proc.h>
#include <atoll/proto/uart.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/string.h>
#include <atoll_rt/syscall.h>
#include <atoll_rt/uart.h>
#include <stdarg.h>

#define IO_SLOT_UART PROC_SLOT_FIRST_FREE
#define IO_UART_PATH "/dev/uart0"
/* ns_resolve attempts, an atoll_yield apart, while the uart driver starts. */
#define IO_RESOLVE_TRIES 1000
/* Yields that io_drain gives the serial server. */
#define IO_DRAIN_YIELDS 64
#define IO_READ_FAILURES 3

static bool have_uart;
static char out[UART_IO_MAX];
static size_t out_len;
static char last_out; /* the last byte put into out, to keep "\r\n" as it is */

/*
 * A server of a shorter prefix ("/", "/dev") also resolves the path; only
 * the one that registered the whole of it is the uart.
 */
static bool uart_connect(void)
{
	for (int i = 0; i < IO_RESOLVE_TRIES; i++) {
		size_t matched;
		if (ns_resolve(IO_UART_PATH, IO_SLOT_UART, &matched) == ATOLL_E_OK) {
			if (matched == sizeof(IO_UART_PATH) - 1)
				return true;
			cnode_delete(PROC_SLOT_CNODE, IO_SLOT_UART);
		}
		atoll_yield();
	}
	return false;
}

/* A call on the uart failed with err: reconnect, or give the uart up. */
static bool uart_reconnect(atoll_error_t err)
{
	cnode_delete(PROC_SLOT_CNODE, IO_SLOT_UART);
	if (uart_connect())
		return true;
	have_uart = false;
	printf("monitor: lost %s (error %d); console output goes to the kernel log\n", IO_UART_PATH,
	       (int)err);
	return false;
}

void io_init(void)
{
	have_uart = uart_connect();
	if (!have_uart)
		printf("monitor: %s is not registered; console output goes to the kernel log\n",
		       IO_UART_PATH);
}

bool io_on_uart(void)
{
	return have_uart;
}

/* The kernel log adds its own '\r' before every '\n': drop ours. */
static void log_write(const char *s, size_t len)
{
	char line[UART_IO_MAX + 1];
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		if (s[i] != '\r')
			line[n++] = s[i];
	line[n] = 0;
	printf("%s", line);
}

void io_flush(void)
{
	if (!out_len)
		return;
	/* One retry on a fresh connection; an error that survives it is the
	 * server refusing these bytes, which then go to the log instead. */
	for (int tries = 0; have_uart && tries < 2; tries++) {
		atoll_error_t err = uart_write(IO_SLOT_UART, out, out_len);
		if (!err) {
			out_len = 0;
			return;
		}
		uart_reconnect(err);
	}
	log_write(out, out_len);
	out_len = 0;
}

static void put(char c)
{
	if (out_len == sizeof(out))
		io_flush();
	out[out_len++] = c;
	last_out = c;
}

void io_write(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' && last_out != '\r')
			put('\r');
		put(s[i]);
		if (s[i] == '\n')
			io_flush();
	}
}

void io_puts(const char *s)
{
	io_write(s, strlen(s));
}

void io_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	io_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

/*
 * uart_write returns once the driver has queued the bytes, not once they
 * are on the wire; the yields let a driver of the monitor's priority send
 * them before proc powers the machine off.
 */
void io_drain(void)
{
	io_flush();
	for (int i = 0; have_uart && i < IO_DRAIN_YIELDS; i++)
		atoll_yield();
}

bool io_read(char *buf, size_t size, size_t *got)
{
	io_flush();
	/* Errors in a row, each followed by a reconnection: a server that keeps
	 * failing reads is given up like a missing one. */
	int failures = 0;
	while (have_uart && failures < IO_READ_FAILURES) {
		atoll_error_t err = uart_read(IO_SLOT_UART, buf, size, got);
		if (!err && *got)
			return true;
		if (!err)
			continue;
		failures++;
		uart_reconnect(err);
	}
	if (have_uart) {
		have_uart = false;
		printf("monitor: %s keeps failing reads; console output goes to the kernel log\n",
		       IO_UART_PATH);
	}
	*got = 0;
	return false;
}
