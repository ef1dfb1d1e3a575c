/*
 * The tests, in order: each prints "PASS name" or "FAIL name: why". Some
 * ask tests/kernel/uart.sh for input with a line "uarttest: send input N"
 * and check what arrives byte for byte; the script checks the output ones.
 * Texts both sides must agree on are generated the same way there.
 */
#include <atoll_rt/alloc.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>
#include <atoll_rt/uart.h>
#include <stdarg.h>

#include "uarttest.h"

#define OUTPUT_LINES 160 /* 64 bytes each: 10 KiB */
#define STALL_LINES 200  /* 48 bytes each, more than the tx ring holds */
#define INPUT1_LINES 32
#define ALNUM "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
/* Enough for every reader to get bytes even when each takes READER_WANT. */
#define INPUT2 "fifo:" ALNUM ALNUM ALNUM ALNUM "\n"
#define INPUT3 "notify\n"
#define READERS (PROC_REPLY_COUNT - 1) /* enough to hold every spare Reply object */
#define READER_WANT 8
_Static_assert(sizeof(INPUT2) - 1 > READERS * READER_WANT, "input 2 feeds every reader");
#define POLL_TRIES 200000

typedef struct test {
	const char *name;
	void (*fn)(void);
} test_t;

const atoll_bootinfo_t *bi;
static const char *test_name;
static bool failed_now;
static uint64_t bytes_written; /* accepted by the driver, for the final drain */

#define CHECK(cond)                                                                \
	do {                                                                       \
		if (!(cond) && !failed_now) {                                      \
			say("FAIL %s: line %d: %s\n", test_name, __LINE__, #cond); \
			failed_now = true;                                         \
		}                                                                  \
	} while (0)

#define CHECK_EQ(a, b)                                                                            \
	do {                                                                                      \
		uint64_t a_ = (uint64_t)(a), b_ = (uint64_t)(b);                                  \
		if (a_ != b_ && !failed_now) {                                                    \
			say("FAIL %s: line %d: %s == %s (%lu != %lu)\n", test_name, __LINE__, #a, \
			    #b, a_, b_);                                                          \
			failed_now = true;                                                        \
		}                                                                                 \
	} while (0)

void say(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	size_t len = n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1;
	if (uart_write(service_ep, line, len) == ATOLL_E_OK)
		bytes_written += len;
	else
		printf("%s", line); /* the driver is broken: the kernel log still works */
}

atoll_error_t driver_stats(uint64_t out[UART_STAT_COUNT])
{
	atoll_msg_t m = {.info = atoll_msginfo(UART16550_STATS, 0, 0)};
	atoll_error_t err = atoll_rpc(service_ep, &m);
	for (unsigned i = 0; i < UART_STAT_COUNT; i++)
		out[i] = err ? 0 : m.w[i];
	return err;
}

static atoll_error_t write_counted(const void *buf, size_t len)
{
	atoll_error_t err = uart_write(service_ep, buf, len);
	if (!err)
		bytes_written += len;
	return err;
}

/* Text the script generates too: a window of a fixed alphabet. */
static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void pattern(char *dst, unsigned start, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		dst[i] = alphabet[(start + i) % 64];
}

static size_t input1(char *buf)
{
	size_t len = 0;
	for (unsigned i = 0; i < INPUT1_LINES; i++)
		len += snprintf(buf + len, 80,
		                "input %02u: the quick brown fox jumps over the lazy dog\n", i);
	return len;
}

/* Read exactly len bytes. */
static atoll_error_t read_exactly(char *buf, size_t len)
{
	for (size_t have = 0; have < len;) {
		size_t got;
		atoll_error_t err = uart_read(service_ep, buf + have, len - have, &got);
		if (err)
			return err;
		have += got;
	}
	return ATOLL_E_OK;
}

static void test_driver_registers_dev_uart0(void)
{
	CHECK(strcmp(registered_prefix, "/dev/uart0") == 0);
}

static void test_unknown_label_gets_illegal_op(void)
{
	atoll_msg_t m = {.info = atoll_msginfo(0x999, 0, 1), .w = {1}};
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_ILLEGAL_OP);
	CHECK_EQ(atoll_msginfo_length(m.info), 0);
}

static void test_malformed_requests_are_refused(void)
{
	atoll_msg_t m = {.info = atoll_msginfo(UART_WRITE, 0, 1), .w = {UART_IO_MAX + 1}};
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_INVALID_ARG);
	m = (atoll_msg_t){.info = atoll_msginfo(UART_WRITE, 0, 2), .w = {100}};
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_INVALID_ARG); /* fewer words than bytes */
	m = (atoll_msg_t){.info = atoll_msginfo(UART_READ, 0, 0)};
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_INVALID_ARG);
}

static void test_write_answers_bytes_accepted(void)
{
	atoll_msg_t m = {.w = {3}};
	unsigned words = msg_put_bytes(&m, 1, "ok\n", 3);
	m.info = atoll_msginfo(UART_WRITE, 0, words);
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_OK);
	CHECK_EQ(m.w[0], 3);
	bytes_written += 3;
}

/* 10 KiB in pieces of awkward sizes: register-only messages, IPC-buffer
 * ones, and writes longer than one request that uart_write splits. */
static void test_output_arrives_intact(void)
{
	static char text[OUTPUT_LINES * 64];
	static const unsigned pieces[] = {1, 7, 56, 57, 64, 511, 512, 1000, 3, 2048};
	for (unsigned i = 0; i < OUTPUT_LINES; i++) {
		char *line = text + i * 64;
		snprintf(line, 10, "out %04u ", i);
		pattern(line + 9, i, 54);
		line[63] = '\n';
	}
	say("uarttest: output begin\n");
	size_t off = 0;
	for (unsigned i = 0; off < sizeof(text); i++) {
		size_t n = pieces[i % (sizeof(pieces) / sizeof(pieces[0]))];
		if (n > sizeof(text) - off)
			n = sizeof(text) - off;
		CHECK_EQ(write_counted(text + off, n), ATOLL_E_OK);
		off += n;
	}
	say("uarttest: output end\n");
}

/* The driver runs above this thread: had it polled, the test would never
 * have got here. The counters say the output went out on interrupts. */
static void test_interrupts_drive_output(void)
{
	uint64_t s[UART_STAT_COUNT];
	CHECK_EQ(driver_stats(s), ATOLL_E_OK);
	CHECK(s[UART_STAT_IRQS] > 0);
	CHECK(s[UART_STAT_TX_BYTES] >= OUTPUT_LINES * 64);
	say("uarttest: %lu interrupts for %lu bytes out\n", s[UART_STAT_IRQS],
	    s[UART_STAT_TX_BYTES]);
}

static void test_reader_waits_for_input(void)
{
	static char want[INPUT1_LINES * 80], got[sizeof(want)];
	size_t len = input1(want);
	uint64_t before[UART_STAT_COUNT], after[UART_STAT_COUNT];
	CHECK_EQ(driver_stats(before), ATOLL_E_OK);
	say("uarttest: send input 1\n");
	CHECK_EQ(read_exactly(got, len), ATOLL_E_OK);
	CHECK(memcmp(got, want, len) == 0);
	CHECK_EQ(driver_stats(after), ATOLL_E_OK);
	CHECK(after[UART_STAT_READS_DEFERRED] > before[UART_STAT_READS_DEFERRED]);
	CHECK(after[UART_STAT_IRQS] > before[UART_STAT_IRQS]);
	CHECK_EQ(after[UART_STAT_RX_BYTES] - before[UART_STAT_RX_BYTES], len);
	say("uarttest: read %lu bytes of input 1\n", (uint64_t)len);
}

typedef struct reader {
	thread_t thread;
	uint64_t done; /* event capability */
	atoll_error_t err;
	size_t got;
	char buf[READER_WANT];
} reader_t;

static reader_t readers[READERS];

static void reader_main(void *arg)
{
	reader_t *r = arg;
	r->err = uart_read(service_ep, r->buf, sizeof(r->buf), &r->got);
	atoll_signal(r->done);
	tcb_suspend(r->thread.tcb);
}

/* READERS threads block in turn, holding every Reply object but the
 * spare; a request then still gets its answer through the spare, a
 * read that would wait gets BUSY. Input goes to the readers oldest first:
 * what they got, in the order they asked, is the start of the input. */
static void test_readers_are_served_in_order(void)
{
	uint64_t all = 0;
	for (unsigned i = 0; i < READERS; i++) {
		readers[i].done = event_cap(EVENT_READER(i));
		all |= EVENT_READER(i);
		CHECK_EQ(thread_create(&readers[i].thread, reader_main, &readers[i],
		                       HELPER_PRIORITY, 0, 1),
		         ATOLL_E_OK);
	}
	char c;
	size_t got;
	CHECK_EQ(uart_read(service_ep, &c, 1, &got), ATOLL_E_BUSY);
	uint64_t s[UART_STAT_COUNT];
	CHECK_EQ(driver_stats(s), ATOLL_E_OK);
	CHECK_EQ(s[UART_STAT_BUSY], 1);
	CHECK(!events_seen(all));
	say("uarttest: send input 2\n");
	events_wait(all);
	char stream[sizeof(INPUT2)];
	size_t len = 0;
	for (unsigned i = 0; i < READERS; i++) {
		CHECK_EQ(readers[i].err, ATOLL_E_OK);
		CHECK(readers[i].got >= 1 && readers[i].got <= READER_WANT);
		memcpy(stream + len, readers[i].buf, readers[i].got);
		len += readers[i].got;
	}
	CHECK_EQ(read_exactly(stream + len, sizeof(INPUT2) - 1 - len), ATOLL_E_OK);
	CHECK(memcmp(stream, INPUT2, sizeof(INPUT2) - 1) == 0);
}

static void test_notification_signals_input(void)
{
	uint64_t n, badged = slot_alloc();
	CHECK_EQ(object_alloc(ATOLL_OBJ_NOTIFICATION, 0, &n), ATOLL_E_OK);
	CHECK_EQ(cnode_mint(ATOLL_SLOT_CNODE, badged, ATOLL_SLOT_CNODE, n, ATOLL_RIGHT_WRITE, 0x40),
	         ATOLL_E_OK);
	atoll_ipc_buffer_ptr->send_caps[0] = badged;
	atoll_msg_t m = {.info = atoll_msginfo(UART_NOTIFY, 1, 0)};
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_OK);
	uint64_t bits = 0;
	CHECK_EQ(atoll_poll(n, &bits), ATOLL_E_WOULD_BLOCK); /* no input is waiting */
	char got[sizeof(INPUT3) - 1];
	size_t have;
	CHECK_EQ(uart_read_nowait(service_ep, got, sizeof(got), &have), ATOLL_E_OK);
	CHECK_EQ(have, 0); /* nothing there: answered at once */
	say("uarttest: send input 3\n");
	CHECK_EQ(atoll_wait(n, &bits), ATOLL_E_OK);
	CHECK_EQ(bits, 0x40);
	/* Signalled: input is there, and a read that does not wait gets it. */
	CHECK_EQ(uart_read_nowait(service_ep, got, sizeof(got), &have), ATOLL_E_OK);
	CHECK(have >= 1 && have <= sizeof(got));
	CHECK_EQ(read_exactly(got + have, sizeof(got) - have), ATOLL_E_OK);
	CHECK(memcmp(got, INPUT3, sizeof(got)) == 0);
	m = (atoll_msg_t){.info = atoll_msginfo(UART_NOTIFY, 0, 0)}; /* no capability */
	CHECK_EQ(atoll_rpc(service_ep, &m), ATOLL_E_INVALID_CAP);
}

typedef struct writer {
	thread_t thread;
	uint64_t done;
	atoll_error_t err;
} writer_t;

static writer_t writer;

static void writer_main(void *arg)
{
	writer_t *w = arg;
	char line[48];
	for (unsigned i = 0; i < STALL_LINES && !w->err; i++) {
		snprintf(line, 12, "stall %04u ", i);
		pattern(line + 11, i, 36);
		line[47] = '\n';
		w->err = uart_write(service_ep, line, sizeof(line)); /* registers only */
	}
	atoll_signal(w->done);
	tcb_suspend(w->thread.tcb);
}

/* With the port's interrupt held off, the transmitter stalls as if the
 * line were blocked: the tx ring fills and a writer waits instead of being
 * refused. Once the interrupt is back (and one is raised by hand, since
 * the chip's edge came while the pin was masked), every byte goes out. */
static void test_writer_waits_while_output_stalls(void)
{
	uint64_t before[UART_STAT_COUNT], s[UART_STAT_COUNT];
	CHECK_EQ(driver_stats(before), ATOLL_E_OK);
	say("uarttest: stall begin\n");
	CHECK_EQ(irq_set_notification(irq_copy, 0), ATOLL_E_OK);
	writer.done = event_cap(EVENT_WRITER_DONE);
	CHECK_EQ(thread_create(&writer.thread, writer_main, &writer, HELPER_PRIORITY, 0, 1),
	         ATOLL_E_OK);
	bool waiting = false;
	for (unsigned i = 0; i < POLL_TRIES && !waiting; i++) {
		CHECK_EQ(driver_stats(s), ATOLL_E_OK);
		waiting = s[UART_STAT_WRITES_DEFERRED] > before[UART_STAT_WRITES_DEFERRED];
		atoll_yield();
	}
	CHECK(waiting);
	CHECK(!events_seen(EVENT_WRITER_DONE));
	CHECK_EQ(irq_set_notification(irq_copy, irq_signal), ATOLL_E_OK);
	CHECK_EQ(atoll_signal(irq_signal), ATOLL_E_OK);
	events_wait(EVENT_WRITER_DONE);
	CHECK_EQ(writer.err, ATOLL_E_OK);
	bytes_written += STALL_LINES * 48;
	say("uarttest: stall end\n");
}

static void test_no_input_lost(void)
{
	uint64_t s[UART_STAT_COUNT];
	CHECK_EQ(driver_stats(s), ATOLL_E_OK);
	CHECK_EQ(s[UART_STAT_RX_DROPPED], 0);
	CHECK_EQ(s[UART_STAT_LINE_ERRORS], 0);
	say("uarttest: stats: %lu irqs, %lu in, %lu out, %lu reads and %lu writes waited, %lu busy\n",
	    s[UART_STAT_IRQS], s[UART_STAT_RX_BYTES], s[UART_STAT_TX_BYTES],
	    s[UART_STAT_READS_DEFERRED], s[UART_STAT_WRITES_DEFERRED], s[UART_STAT_BUSY]);
}

static const test_t tests[] = {
	{"driver_registers_dev_uart0", test_driver_registers_dev_uart0},
	{"unknown_label_gets_illegal_op", test_unknown_label_gets_illegal_op},
	{"malformed_requests_are_refused", test_malformed_requests_are_refused},
	{"write_answers_bytes_accepted", test_write_answers_bytes_accepted},
	{"output_arrives_intact", test_output_arrives_intact},
	{"interrupts_drive_output", test_interrupts_drive_output},
	{"reader_waits_for_input", test_reader_waits_for_input},
	{"readers_are_served_in_order", test_readers_are_served_in_order},
	{"notification_signals_input", test_notification_signals_input},
	{"writer_waits_while_output_stalls", test_writer_waits_while_output_stalls},
	{"no_input_lost", test_no_input_lost},
};

/* Everything said so far has left the chip (QEMU sends at once). */
static void drain_output(void)
{
	uint64_t s[UART_STAT_COUNT];
	for (unsigned i = 0; i < POLL_TRIES; i++) {
		if (driver_stats(s) || s[UART_STAT_TX_BYTES] >= bytes_written)
			return;
		atoll_yield();
	}
}

static void debug_exit(unsigned code)
{
	uint64_t port = slot_alloc();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, code);
}

int atoll_main(void *arg)
{
	bi = arg;
	alloc_init(bi);
	atoll_error_t err = driver_start();
	if (err) {
		printf("FAIL uarttest: the driver did not start: error %d\n", err);
		debug_exit(2);
		return 1;
	}
	if (!(events_wait_any(EVENT_REGISTERED | EVENT_DRIVER_GONE) & EVENT_REGISTERED)) {
		printf("FAIL uarttest: the driver did not register\n");
		debug_exit(2);
		return 1;
	}
	unsigned failed = 0;
	for (unsigned i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		test_name = tests[i].name;
		failed_now = false;
		tests[i].fn();
		if (failed_now)
			failed++;
		else
			say("PASS %s\n", test_name);
	}
	say("uarttest: done, %u failed\n", failed);
	drain_output();
	debug_exit(failed ? 1 : 0);
	return 0;
}
