#ifndef UARTTEST_H
#define UARTTEST_H

/*
 * The 16550 driver test. Booted as the root task with the driver's ELF as
 * the second module, it starts the driver the way proc starts a service
 * (the slots of atoll/proto/proc.h), answers the driver's proc requests
 * itself, and then, as a client, runs a named table of tests against
 * /dev/uart0. Once the driver is up, everything the test prints goes out
 * through the driver, so the console shows only one writer; tests/kernel/
 * uart.sh checks the output and feeds the input the test asks for.
 */
#include <atoll/bootinfo.h>
#include <atoll_rt/objects.h>
#include <stdbool.h>
#include <stdint.h>

#include "../../../user/drivers/uart16550/uart16550.h"

#define DRIVER_PRIORITY 150
#define FAKE_PROC_PRIORITY 200
#define HELPER_PRIORITY 120 /* client threads: above the test's main thread */
#define DRIVER_PID 7
#define FAULT_BADGE 0xfa17

/* Bits of the test's event notification. */
#define EVENT_REGISTERED (1ULL << 0)
#define EVENT_DRIVER_GONE (1ULL << 1) /* exited or faulted */
#define EVENT_WRITER_DONE (1ULL << 2)
#define EVENT_READER(i) (1ULL << (8 + (i)))

extern const atoll_bootinfo_t *bi;
extern uint64_t service_ep; /* the driver's endpoint, all rights */
extern uint64_t irq_copy;   /* a copy of the driver's IRQ handler */
extern uint64_t irq_signal; /* the driver's notification, badged as its IRQ */
extern uint64_t events;     /* helper threads report here */
extern char registered_prefix[64];

/* setup.c: start the driver with a thread playing proc. */
atoll_error_t driver_start(void);
/* A capability that signals bit on events (made once per bit, by the main
 * thread only: the slot allocator is not for threads). */
uint64_t event_cap(uint64_t bit);
/* Wait until every one of bits was signalled (bits seen pile up). */
void events_wait(uint64_t bits);
/* Wait until one of bits was signalled; returns those seen. */
uint64_t events_wait_any(uint64_t bits);
/* Whether all of bits were signalled, without waiting. */
bool events_seen(uint64_t bits);

/* Output for the test once the driver runs: through /dev/uart0. */
void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
atoll_error_t driver_stats(uint64_t out[UART_STAT_COUNT]);

#endif
