/*
 * Start of the Linux personality (see personality.h): connect to the
 * console, set up the terminal, the clocks and the timer, register /linux,
 * then serve on the service endpoint and the bound notification. The badge
 * tells the two kinds of request apart: faults of the Linux processes we
 * manage carry PROC_MANAGED_BADGE, everything else is a native client.
 */
#include "personality.h"

#include <atoll/proto/linux.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>

server_t lx_server;

static server_result_t lx_handle(server_t *s, uint64_t label, atoll_msg_t *msg, uint64_t badge,
                                 unsigned reply)
{
	if (badge & PROC_MANAGED_BADGE)
		return lx_fault(s, label, msg, badge, reply);
	switch (label) {
	case LINUX_RUN:
		return lx_run(s, msg, reply);
	default:
		return server_unknown();
	}
}

/* The PIT's interrupt, the uart's input and proc's word of a new uart
 * driver signal our notification. */
static void lx_notify(server_t *s, uint64_t bits)
{
	(void)s;
	if (bits & LX_NOTIFY_TIMER)
		lx_timer_interrupt();
	if (bits & LX_NOTIFY_UART_NEW)
		lx_console_renew();
	if (bits & LX_NOTIFY_CONSOLE)
		lx_tty_notify();
}

static const server_ops_t lx_ops = {
	.handle = lx_handle,
	.notify = lx_notify,
};

int atoll_main(void *arg)
{
	lx_console_init();
	lx_tty_init();
	lx_time_init();
	lx_fs_init(); /* after the clocks: its times come from them */
	lx_timer_init();
	server_init(&lx_server, &lx_ops, NULL);
	atoll_error_t err = ns_register(LINUX_PATH);
	if (err) {
		printf("linux: cannot register %s: error %d\n", LINUX_PATH, err);
		return 1;
	}
	printf("linux: serving %s%s\n", LINUX_PATH,
	       lx_have_uart ? "" : " (no /dev/uart0: program output goes to the log)");
	err = server_run(&lx_server);
	printf("linux: serving %s failed: error %d\n", LINUX_PATH, err);
	return 1;
}
