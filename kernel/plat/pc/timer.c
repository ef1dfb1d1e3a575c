/*
 * Calibrating and running the tick. The TSC and the LAPIC timer run at
 * rates nothing reports reliably, so both are measured against the 8254
 * PIT, whose input clock is fixed at 3579545/3 Hz on every PC. Channel 2 is
 * the stopwatch: its gate is bit 0 of port 0x61 and its output can be read
 * back in bit 5, so no interrupt is needed. In mode 0 the output is low
 * from the moment the count is written until the count runs out.
 *
 * One measurement reads the TSC and the (masked, counting down) LAPIC
 * timer at the start and end of ~10 ms of PIT time. An SMI, or a host
 * preempting the VM, can stretch a measurement, so one is kept only when
 * the next agrees with it.
 *
 * The tick itself is the LAPIC timer in periodic mode, or TSC-deadline mode
 * where the CPU has it, which has to be re-armed on every tick.
 */
#include <arch/cpu.h>
#include <core/log.h>
#include <plat/apic.h>
#include <plat/irq_vectors.h>
#include <plat/timer.h>

#define PIT_CHANNEL2 0x42
#define PIT_COMMAND 0x43
#define PIT_CH2_MODE0_LOHI 0xB0 /* channel 2, low then high byte, mode 0, binary */
#define PORT_B 0x61
#define PORT_B_GATE2 0x01
#define PORT_B_NMI_BITS 0x0C /* IOCHK and SERR enables: left as they are */
#define PORT_B_OUT2 0x20

#define PIT_HZ_NUM 3579545ULL
#define PIT_HZ_DEN 3ULL
#define MEASURE_PIT_TICKS 11932        /* 10 ms */
#define MEASURE_TSC_LIMIT (1ULL << 32) /* a 10 ms run takes fewer ticks up to 400 GHz */
#define MEASURE_SPIN_LIMIT (1ULL << 26)
#define MEASURE_ATTEMPTS 5
#define AGREE_PARTS 100 /* two measurements agree within 1 % */
#define NS_PER_S 1000000000ULL

#define CPUID1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_80000007_EDX_INVARIANT_TSC (1u << 8)

typedef struct timer_sample {
	uint64_t tsc;
	uint64_t lapic;
} timer_sample_t;

uint64_t tsc_hz;
static uint64_t lapic_timer_hz;
static bool use_tsc_deadline;
/* TSC-deadline state of the tick; per CPU once more than one CPU runs. */
static uint64_t tick_tsc, next_deadline;

static void pit_start(uint16_t count)
{
	/* Gate 2 on, speaker off. */
	outb(PORT_B, (inb(PORT_B) & PORT_B_NMI_BITS) | PORT_B_GATE2);
	outb(PIT_COMMAND, PIT_CH2_MODE0_LOHI);
	outb(PIT_CHANNEL2, count & 0xFF);
	outb(PIT_CHANNEL2, count >> 8);
}

static void pit_stop(void)
{
	outb(PORT_B, inb(PORT_B) & PORT_B_NMI_BITS);
}

/* False if the PIT does not count: there is none, or it is gated off. */
static bool timer_measure(timer_sample_t *s)
{
	lapic_timer_program(LAPIC_TIMER_ONESHOT, IRQ_VECTOR_TIMER, true, UINT32_MAX);
	pit_start(MEASURE_PIT_TICKS);
	uint64_t tsc0 = rdtsc();
	uint32_t lapic0 = lapic_timer_current();
	/* A working PIT holds its output low for the whole count; high this
	 * early means nothing is counting. */
	if (inb(PORT_B) & PORT_B_OUT2) {
		pit_stop();
		return false;
	}
	bool done = false;
	for (uint64_t spins = 0; spins < MEASURE_SPIN_LIMIT && !done; spins++) {
		done = inb(PORT_B) & PORT_B_OUT2;
		if (rdtsc() - tsc0 > MEASURE_TSC_LIMIT)
			break;
	}
	uint64_t tsc1 = rdtsc();
	uint32_t lapic1 = lapic_timer_current();
	pit_stop();
	lapic_timer_program(LAPIC_TIMER_ONESHOT, IRQ_VECTOR_TIMER, true, 0);
	s->tsc = tsc1 - tsc0;
	s->lapic = lapic0 - lapic1;
	return done && s->tsc && s->lapic;
}

static bool agree(uint64_t a, uint64_t b)
{
	uint64_t diff = a > b ? a - b : b - a;
	return diff * AGREE_PARTS <= (a > b ? a : b);
}

static uint64_t hz_from_ticks(uint64_t ticks)
{
	return ticks * PIT_HZ_NUM / (PIT_HZ_DEN * MEASURE_PIT_TICKS);
}

/* hz * ns / 1e9, without overflowing 64 bits for any ns up to 1 s. */
static uint64_t ns_to_ticks(uint64_t ns, uint64_t hz)
{
	return hz / NS_PER_S * ns + hz % NS_PER_S * ns / NS_PER_S;
}

static void timer_log_features(void)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	use_tsc_deadline = r[2] & CPUID1_ECX_TSC_DEADLINE;
	cpuid(0x80000000, 0, r);
	bool invariant = false;
	if (r[0] >= 0x80000007) {
		cpuid(0x80000007, 0, r);
		invariant = r[3] & CPUID_80000007_EDX_INVARIANT_TSC;
	}
	kprintf("timer: TSC %lu kHz%s, LAPIC timer %lu kHz (input / %u); tick by %s\n",
	        tsc_hz / 1000, invariant ? " invariant" : "", lapic_timer_hz / 1000,
	        LAPIC_TIMER_DIVIDE, use_tsc_deadline ? "TSC deadline" : "LAPIC periodic");
}

void timer_calibrate(void)
{
	timer_sample_t prev = {0, 0}, cur;
	bool have_prev = false, agreed = false;
	for (int i = 0; i < MEASURE_ATTEMPTS && !agreed; i++) {
		if (!timer_measure(&cur))
			continue;
		agreed = have_prev && agree(prev.tsc, cur.tsc) && agree(prev.lapic, cur.lapic);
		if (!agreed)
			prev = cur;
		have_prev = true;
	}
	if (!have_prev)
		halt_with_message(
			"the 8254 PIT does not count, so the timers cannot be calibrated");
	if (agreed) {
		/* Of two that agree, the shorter: the usual disturbances (a cold
		 * cache on the first run, an SMI while polling) make the end of a
		 * run be noticed late. */
		if (cur.tsc < prev.tsc)
			prev.tsc = cur.tsc;
		if (cur.lapic < prev.lapic)
			prev.lapic = cur.lapic;
	} else {
		kprintf("timer: no two of %u calibration runs agreed; using the last\n",
		        MEASURE_ATTEMPTS);
	}
	tsc_hz = hz_from_ticks(prev.tsc);
	lapic_timer_hz = hz_from_ticks(prev.lapic);
	timer_log_features();
}

void timer_start_periodic(uint64_t period_ns)
{
	KASSERT(tsc_hz && period_ns >= TIMER_MIN_PERIOD_NS && period_ns <= TIMER_MAX_PERIOD_NS);
	if (use_tsc_deadline) {
		tick_tsc = ns_to_ticks(period_ns, tsc_hz);
		lapic_timer_program(LAPIC_TIMER_TSC_DEADLINE, IRQ_VECTOR_TIMER, false, 0);
		next_deadline = rdtsc() + tick_tsc;
		wrmsr(MSR_TSC_DEADLINE, next_deadline);
		return;
	}
	uint64_t count = ns_to_ticks(period_ns, lapic_timer_hz);
	if (count > UINT32_MAX)
		count = UINT32_MAX;
	lapic_timer_program(LAPIC_TIMER_PERIODIC, IRQ_VECTOR_TIMER, false, count ? count : 1);
}

void timer_handle_tick(void)
{
	if (!use_tsc_deadline)
		return;
	/* Ticks missed while interrupts were off are dropped, not replayed. */
	uint64_t now = rdtsc();
	next_deadline += tick_tsc;
	if (next_deadline <= now)
		next_deadline = now + tick_tsc;
	wrmsr(MSR_TSC_DEADLINE, next_deadline);
}
