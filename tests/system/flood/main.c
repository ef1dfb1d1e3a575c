/*
 * Supervision under load: writes numbered lines to /dev/uart0, kills the
 * serial driver in the middle, and goes on writing once proc has restarted
 * it and the namespace leads to the new driver. The test script checks that
 * every line after the restart arrives.
 */
#include <atoll/proto/proc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/syscall.h>
#include <atoll_rt/uart.h>
#include <stdbool.h>

#define UART PROC_SLOT_FIRST_FREE
#define LINES_BEFORE 200
#define LINES_AFTER 200
#define RESOLVE_TRIES 100000

static bool connect(void)
{
	size_t matched;
	for (unsigned i = 0; i < RESOLVE_TRIES; i++) {
		if (ns_resolve("/dev/uart0", UART, &matched) == ATOLL_E_OK)
			return true;
		atoll_yield();
	}
	return false;
}

static uint64_t uart_pid(void)
{
	proc_info_t info;
	for (uint64_t i = 0; proc_info(i, &info) == ATOLL_E_OK; i++)
		if (!strcmp(info.name, "uart0") && info.state == PROC_STATE_RUNNING)
			return info.pid;
	return 0;
}

/* Write a line; after a failure (the driver died), reconnect and retry. */
static unsigned write_line(unsigned n)
{
	char line[64];
	int len = snprintf(line, sizeof(line), "flood line %u\r\n", n);
	unsigned reconnects = 0;
	while (uart_write(UART, line, len) != ATOLL_E_OK) {
		cnode_delete(PROC_SLOT_CNODE, UART); /* the old driver's endpoint */
		if (!connect() || ++reconnects > 10)
			return reconnects;
	}
	return reconnects;
}

int atoll_main(void *arg)
{
	(void)arg;
	if (!connect()) {
		printf("flood: no /dev/uart0\n");
		proc_halt(2);
	}
	unsigned reconnects = 0;
	for (unsigned n = 1; n <= LINES_BEFORE; n++)
		reconnects += write_line(n);
	uint64_t pid = uart_pid();
	printf("flood: killing the serial driver (pid %lu) while output flows\n", pid);
	proc_kill(pid);
	for (unsigned n = LINES_BEFORE + 1; n <= LINES_BEFORE + LINES_AFTER; n++)
		reconnects += write_line(n);
	uint64_t new_pid = uart_pid();
	printf("flood: done, driver pid %lu -> %lu, %u reconnects\n", pid, new_pid, reconnects);
	for (unsigned i = 0; i < 1000; i++)
		atoll_yield(); /* let the driver drain its buffer */
	proc_halt(new_pid && new_pid != pid && reconnects >= 1 ? 0 : 1);
	return 0;
}
