#ifndef PLAT_TIMER_H
#define PLAT_TIMER_H

#include <stdint.h>

/*
 * Time: the TSC measures it, the local APIC timer interrupts at
 * IRQ_VECTOR_TIMER. Both rates are measured at boot by timer_calibrate.
 */

#define TIMER_MIN_PERIOD_NS 10000ULL      /* 10 us */
#define TIMER_MAX_PERIOD_NS 1000000000ULL /* 1 s */

/* TSC ticks per second; 0 until timer_calibrate has run. */
extern uint64_t tsc_hz;

/* Boot only, after lapic_init, with interrupts off: measures the TSC and
 * the LAPIC timer against the PIT (about 20-50 ms). Halts the machine if
 * the PIT does not count, because nothing could be scheduled. */
void timer_calibrate(void);

/* Starts the tick on this CPU: every period_ns (TIMER_MIN_PERIOD_NS to
 * TIMER_MAX_PERIOD_NS) an interrupt at IRQ_VECTOR_TIMER. */
void timer_start_periodic(uint64_t period_ns);

/* Call from the IRQ_VECTOR_TIMER handler, before lapic_eoi(): in
 * TSC-deadline mode every tick has to arm the next one. */
void timer_handle_tick(void);

#endif
