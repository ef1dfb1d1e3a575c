/*
 * Start of the 16550 driver. proc hands it (atoll/proto/proc.h): the port
 * range in PROC_SLOT_GRANTS, the IRQ handler in PROC_SLOT_GRANTS + 1, which
 * signals the bound notification with bit 0, an endpoint and Reply objects
 * to serve on. Options in the argument block, all optional:
 *   port=0x3f8   the first port of the range granted (for the chip's registers)
 *   irq=4        the interrupt's number, for the log line only
 *   path=/dev/uart0  the name to serve
 */
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

#include "uart16550.h"

#define SLOT_PORTS PROC_SLOT_GRANTS
#define SLOT_IRQ (PROC_SLOT_GRANTS + 1)

typedef struct options {
	uint64_t port, irq;
	const char *path;
} options_t;

static uart_t uart;
static server_t server;

static uint64_t parse_number(const char *s, bool *ok)
{
	uint64_t v = 0;
	unsigned base = 10;
	if (s[0] == '0' && s[1] == 'x') {
		base = 16;
		s += 2;
	}
	*ok = *s != 0;
	for (; *s && *ok; s++) {
		unsigned d = *s >= '0' && *s <= '9' ? (unsigned)(*s - '0') :
		             *s >= 'a' && *s <= 'f' ? (unsigned)(*s - 'a' + 10) :
		                                      base;
		*ok = d < base;
		v = v * base + d;
	}
	return v;
}

static void parse_options(const uint64_t *block, options_t *o)
{
	if (atoll_started_by != PROC_START_MAGIC || !block)
		return;
	uint64_t argc = block[0];
	const char *const *argv = (const char *const *)(block + 1);
	for (uint64_t i = 1; i < argc && argv[i]; i++) {
		const char *a = argv[i];
		bool ok = true;
		if (!strncmp(a, "port=", 5))
			o->port = parse_number(a + 5, &ok);
		else if (!strncmp(a, "irq=", 4))
			o->irq = parse_number(a + 4, &ok);
		else if (!strncmp(a, "path=", 5))
			o->path = a + 5;
		else
			ok = false;
		if (o->port > 0xfff8) {
			o->port = 0x3f8;
			ok = false;
		}
		if (!ok)
			printf("uart16550: ignoring option '%s'\n", a);
	}
}

int atoll_main(void *arg)
{
	options_t o = {.port = 0x3f8, .irq = 4, .path = "/dev/uart0"};
	parse_options(arg, &o);
	atoll_error_t err = ioport_open(SLOT_PORTS, PROC_SLOT_VSPACE);
	if (err) {
		printf("uart16550: cannot open ports 0x%lx..: error %d\n", o.port, err);
		return 1;
	}
	uart.base = (uint16_t)o.port;
	uart.irq = SLOT_IRQ;
	uart.server = &server;
	server_init(&server, &uart_ops, &uart);
	server.cap_slot = UART_SLOT_RECV;
	hw_init(&uart);
	/* Input that came before the interrupt was routed to us. */
	stream_interrupt(&uart);
	if ((err = ns_register(o.path))) {
		printf("uart16550: cannot register %s: error %d\n", o.path, err);
		return 1;
	}
	printf("uart16550: %s ready, IRQ %lu\n", o.path, o.irq);
	err = server_run(&server);
	printf("uart16550: serving %s failed: error %d\n", o.path, err);
	return 1;
}
