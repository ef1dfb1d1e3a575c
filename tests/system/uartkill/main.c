/*
 * Restarts the serial driver under a Linux program that waits for console
 * input (tests/system/tty.sh). `uartkill NAME` waits until a process NAME
 * runs; started at a priority below every other service, it runs only
 * while they all wait, so NAME is then blocked reading the console. It
 * kills uart0, waits until proc has restarted it and the new driver serves
 * /dev/uart0, and says so; the test sends the console's input only after
 * that line.
 */
#include <atoll/proto/proc.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/syscall.h>

#define SETTLE_YIELDS 1000
#define WAIT_TRIES 1000000

static uint64_t pid_of(const char *name)
{
	proc_info_t info;
	for (uint64_t i = 0; proc_info(i, &info) == ATOLL_E_OK; i++)
		if (!strcmp(info.name, name) && info.state == PROC_STATE_RUNNING)
			return info.pid;
	return 0;
}

/* The pid serving /dev/uart0, or 0. */
static uint64_t uart_server(void)
{
	char prefix[64];
	uint64_t owner;
	for (uint64_t i = 0; ns_list(i, prefix, sizeof(prefix), &owner) == ATOLL_E_OK; i++)
		if (!strcmp(prefix, "/dev/uart0"))
			return owner;
	return 0;
}

int atoll_main(void *arg)
{
	const uint64_t *block = arg;
	if (atoll_started_by != PROC_START_MAGIC || !block || block[0] < 2) {
		printf("uartkill: usage: uartkill NAME\n");
		return 1;
	}
	const char *name = (const char *)block[2];
	for (unsigned i = 0; i < WAIT_TRIES && !pid_of(name); i++)
		atoll_yield();
	for (unsigned i = 0; i < SETTLE_YIELDS; i++)
		atoll_yield();
	uint64_t pid = pid_of("uart0");
	printf("uartkill: killing the serial driver (pid %lu)\n", pid);
	if (!pid || proc_kill(pid)) {
		printf("uartkill: could not kill it\n");
		return 1;
	}
	uint64_t now = 0;
	for (unsigned i = 0; i < WAIT_TRIES && (!now || now == pid); i++) {
		atoll_yield();
		now = uart_server();
	}
	printf("uartkill: the serial driver restarted (pid %lu -> %lu)\n", pid, now);
	return 0;
}
