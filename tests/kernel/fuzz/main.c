/*
 * fuzz.elf: as the root task, runs generations of fuzzing children (fuzz.h)
 * until the wanted number of calls is made, then checks the kernel:
 *   PASS fuzz_1m_syscalls_kernel_alive   every call made, the kernel still works
 *   PASS fuzz_kernel_invariants_hold     every DEBUG_CHECK came back clean, and
 *                                        every revoke took back all it should
 * and ends QEMU through the debug-exit port (0 when both passed).
 *
 * Options (the module's command line): seed=N calls=N gen_calls=N
 * seconds=N (give up after) trace=G:I (print the calls of generation G from
 * index I on) verbose=1 (a line per generation) avoid=N (FUZZ_AVOID_* bits:
 * steer clear of known kernel bugs) repro=N (instead of fuzzing, run the
 * directed reproduction N of repro.c and exit: 1 reproduced, 0 not).
 */
#include "root.h"
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/vspace.h>
#include <stdarg.h>

fuzz_root_t root;

static struct {
	uint64_t seed, calls, gen_calls, seconds, trace_gen, trace_from, verbose, avoid, repro;
} opt = {0x5eed0f0a7011ULL, 1000000, 10000, 200, UINT64_MAX, 0, 0, 0, 0};

static const char *const end_names[GEN_END_COUNT] = {"done", "retired", "stalled", "faulted",
                                                     "out of time"};
/* Error names from the ABI; the last counter holds every other value of rax. */
static const char *const result_names[FUZZ_RESULTS] = {
#define X(name, value, meaning) [value] = #name,
#include <atoll/errors.def>
#undef X
	[FUZZ_RESULTS - 1] = "other",
};
_Static_assert(ATOLL_E_COUNT < FUZZ_RESULTS, "every error code has its own counter");

/* Totals over all generations. */
static struct {
	uint64_t calls, gens, ends[GEN_END_COUNT];
	uint64_t results[FUZZ_RESULTS], by_syscall[FUZZ_SYSCALLS], ok_by_label[ATOLL_INV_COUNT];
	uint64_t child_checks, root_checks, probes, probe_faults;
	unsigned invariant_failures, revoke_failures, build_failures;
	char first_problem[160];
} total;

static __attribute__((format(printf, 1, 2))) void problem(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printf("fuzz: %s\n", line);
	if (!total.first_problem[0])
		memcpy(total.first_problem, line, sizeof(line));
}

static uint64_t parse_number(const char *s)
{
	uint64_t v = 0;
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (;; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			return v;
		v = v * base + d;
	}
}

static void parse_options(const char *cmdline)
{
	static const struct {
		const char *name;
		uint64_t *value;
	} names[] = {
		{"seed=", &opt.seed},           {"calls=", &opt.calls},
		{"gen_calls=", &opt.gen_calls}, {"seconds=", &opt.seconds},
		{"trace=", &opt.trace_gen},     {"verbose=", &opt.verbose},
		{"avoid=", &opt.avoid},         {"repro=", &opt.repro},
	};
	for (const char *p = cmdline; *p; p++) {
		if (p != cmdline && p[-1] != ' ')
			continue;
		for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			size_t n = strlen(names[i].name);
			if (strncmp(p, names[i].name, n))
				continue;
			*names[i].value = parse_number(p + n);
			if (names[i].value == &opt.trace_gen) {
				const char *colon = p + n;
				while (*colon && *colon != ' ' && *colon != ':')
					colon++;
				opt.trace_from = *colon == ':' ? parse_number(colon + 1) : 0;
			}
		}
	}
	if (!opt.gen_calls)
		opt.gen_calls = 1;
}

static uint64_t must_alloc(unsigned type, unsigned bits)
{
	uint64_t slot = 0;
	atoll_error_t err = object_alloc(type, bits, &slot);
	if (err)
		problem("cannot make object type %u: error %d", type, err);
	return slot;
}

static int setup(void)
{
	/* Share the child's priority: a spinning child cannot starve the supervisor. */
	if (tcb_set_priority(ATOLL_SLOT_TCB, ATOLL_SLOT_TCB, FUZZ_PRIORITY))
		return -1;
	root.fault_ep = must_alloc(ATOLL_OBJ_ENDPOINT, 0);
	root.fault_reply = must_alloc(ATOLL_OBJ_REPLY, 0);
	root.ep_reply = must_alloc(ATOLL_OBJ_REPLY, 0);
	root.pool = must_alloc(ATOLL_OBJ_UNTYPED, POOL_BITS);
	root.irq = slot_alloc();
	root.ioport = slot_alloc();
	root.temp = slot_alloc();
	if (!root.fault_ep || !root.fault_reply || !root.ep_reply || !root.pool)
		return -1;
	if (irq_issue_ioapic(ATOLL_SLOT_IRQ_CONTROL, FUZZ_IRQ_GSI, 0, 0, ATOLL_SLOT_CNODE,
	                     root.irq) ||
	    ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, FUZZ_IOPORT_FIRST, FUZZ_IOPORT_LAST,
	                 ATOLL_SLOT_CNODE, root.ioport))
		return -1;
	for (unsigned i = 0; i < GEN_SLOTS; i++)
		if (!(root.gen_slots[i] = slot_alloc()))
			return -1;
	atoll_ipc_buffer_ptr->recv_index = 0;
	return 0;
}

static void root_check(const char *when, uint64_t gen)
{
	total.root_checks++;
	uint64_t broken = atoll_debug_check();
	if (broken) {
		total.invariant_failures++;
		problem("DEBUG_CHECK %s generation %lu: %lu broken invariants", when, gen, broken);
	}
}

static void collect(const fuzz_shared_t *sh)
{
	total.calls += sh->calls;
	for (unsigned i = 0; i < FUZZ_RESULTS; i++)
		total.results[i] += sh->results[i];
	for (unsigned i = 0; i < FUZZ_SYSCALLS; i++)
		total.by_syscall[i] += sh->by_syscall[i];
	for (unsigned i = 0; i < ATOLL_INV_COUNT; i++)
		total.ok_by_label[i] += sh->ok_by_label[i];
	total.child_checks += sh->check_calls;
	total.probes += sh->probes;
	total.probe_faults += sh->probe_faults;
	if (sh->check_failures) {
		total.invariant_failures++;
		problem("generation %lu: the child's DEBUG_CHECK failed %lu times, first at call %lu",
		        sh->gen, sh->check_failures, sh->first_check_failure - 1);
	}
}

static uint64_t last_done; /* the done word of the last generation */

/* One generation, start to end. Returns -1 when it could not even be built. */
static int run_generation(uint64_t number, uint64_t budget, uint64_t deadline, gen_end_t *end)
{
	generation_t g = {.number = number};
	fuzz_shared_t params = {
		.magic = FUZZ_SHARED_MAGIC,
		.seed = prng_mix(prng_mix(opt.seed) + number),
		.gen = number,
		.budget = budget,
		.trace_from = number == opt.trace_gen ? opt.trace_from : FUZZ_NO_TRACE,
		.mode = opt.repro ? FUZZ_MODE_REPRO : FUZZ_MODE_FUZZ,
		.avoid = opt.avoid,
		.repro = opt.repro,
	};
	const char *step = "";
	atoll_error_t err = generation_build(&g, &params, &step);
	if (err) {
		total.build_failures++;
		problem("generation %lu: building failed at %s: error %d", number, step, err);
		generation_destroy(&g);
		return -1;
	}
	char why[160] = "";
	*end = supervise(&g, deadline, why, sizeof(why));
	fuzz_shared_t result = *g.shared;
	last_done = result.done;
	collect(&result);
	total.gens++;
	total.ends[*end]++;
	if (opt.verbose || opt.repro || *end == GEN_FAULTED)
		printf("fuzz: generation %lu (seed %lx): %lu calls, %s %s; last call n=%ld c=%lx "
		       "info=%lx w0=%lx\n",
		       number, params.seed, result.calls, end_names[*end], why,
		       (long)result.last_call[0], result.last_call[1], result.last_call[3],
		       result.last_call[4]);
	root_check("before destroying", number);
	unsigned left = generation_destroy(&g);
	if (left) {
		total.revoke_failures++;
		problem("generation %lu: %u slots still full after revoking the pool", number,
		        left);
	}
	root_check("after destroying", number);
	return 0;
}

static void print_summary(uint64_t ticks)
{
	uint64_t ms = ticks / (root.bi->tsc_hz / 1000);
	printf("fuzz: %lu calls in %lu generations, %lu.%03lu s, %lu calls/s\n", total.calls,
	       total.gens, ms / 1000, ms % 1000, ms ? total.calls * 1000 / ms : 0);
	printf("fuzz: generations ended: ");
	for (unsigned i = 0; i < GEN_END_COUNT; i++)
		printf("%s %lu%s", end_names[i], total.ends[i],
		       i + 1 < GEN_END_COUNT ? ", " : "\n");
	printf("fuzz: results:");
	for (unsigned i = 0; i < FUZZ_RESULTS; i++)
		if (total.results[i])
			printf(" %s %lu", result_names[i] ? result_names[i] : "?",
			       total.results[i]);
	printf("\nfuzz: by call: other %lu", total.by_syscall[0]);
	for (unsigned i = 1; i < FUZZ_SYSCALLS; i++)
		printf(", -%u %lu", i, total.by_syscall[i]);
	printf("\nfuzz: successful calls by label:");
	for (unsigned i = 0; i < ATOLL_INV_COUNT; i++)
		printf(" %u:%lu", i, total.ok_by_label[i]);
	printf("\nfuzz: %lu unknown-syscall faults answered; wake-ups: %lu receives, %lu sends, "
	       "%lu resumes; %lu child and %lu root DEBUG_CHECKs\n",
	       unknown_syscall_faults, wake_receives, wake_sends, wake_resumes, total.child_checks,
	       total.root_checks);
	printf("fuzz: %lu stores into the play area, %lu of them faulted\n", total.probes,
	       total.probe_faults);
}

static void debug_exit(unsigned code)
{
	uint64_t port = slot_alloc();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, code);
}

static int root_main(const atoll_bootinfo_t *bi)
{
	root.bi = bi;
	root.elf = (const void *)bi->modules[0].vaddr;
	root.elf_size = bi->modules[0].size;
	root.rng = prng_mix(opt.seed ^ 0x726f6f74);
	alloc_init(bi);
	parse_options(bi->modules[0].cmdline);
	printf("fuzz: seed 0x%lx, %lu calls, %lu per generation, avoid 0x%lx (options: seed= "
	       "calls= gen_calls= seconds= trace=G:I verbose=1 avoid=)\n",
	       opt.seed, opt.calls, opt.gen_calls, opt.avoid);
	if (setup()) {
		printf("FAIL fuzz_1m_syscalls_kernel_alive: setup failed\n");
		printf("FAIL fuzz_kernel_invariants_hold: setup failed\n");
		debug_exit(1);
		return 1;
	}

	if (opt.repro) {
		/* One generation that runs the reproduction, then out. */
		gen_end_t end;
		uint64_t reproduced = 0;
		if (!run_generation(0, 0, rdtsc() + 30 * bi->tsc_hz, &end))
			reproduced = end == GEN_DONE && last_done == 3;
		printf("fuzz: repro %lu ended (%s): %s\n", opt.repro, end_names[end],
		       reproduced ? "REPRODUCED" : "not reproduced");
		debug_exit(reproduced ? 1 : 0);
		return 0;
	}

	uint64_t start = rdtsc(), next_report = 100000;
	uint64_t deadline = start + opt.seconds * bi->tsc_hz;
	gen_end_t end = GEN_DONE;
	for (uint64_t number = 0; total.calls < opt.calls && end != GEN_OUT_OF_TIME; number++) {
		uint64_t left = opt.calls - total.calls;
		if (run_generation(number, left < opt.gen_calls ? left : opt.gen_calls, deadline,
		                   &end) &&
		    total.build_failures > 3)
			break;
		if (total.calls >= next_report) {
			uint64_t ms = (rdtsc() - start) / (bi->tsc_hz / 1000);
			printf("fuzz: %lu calls, %lu generations, %lu ms\n", total.calls,
			       total.gens, ms);
			next_report += 100000;
		}
	}
	print_summary(rdtsc() - start);

	root_check("after", total.gens);
	char why[160] = "";
	int alive = liveness_check(why, sizeof(why));
	int ok1 = total.calls >= opt.calls && alive == 0;
	int ok2 = total.invariant_failures == 0 && total.revoke_failures == 0;
	if (ok1)
		printf("PASS fuzz_1m_syscalls_kernel_alive\n");
	else if (alive)
		printf("FAIL fuzz_1m_syscalls_kernel_alive: %lu calls made, then %s\n", total.calls,
		       why);
	else
		printf("FAIL fuzz_1m_syscalls_kernel_alive: only %lu of %lu calls made (%s)\n",
		       total.calls, opt.calls,
		       total.first_problem[0] ? total.first_problem : "out of time");
	if (ok2)
		printf("PASS fuzz_kernel_invariants_hold\n");
	else
		printf("FAIL fuzz_kernel_invariants_hold: %u broken self-checks, %u incomplete "
		       "revokes; first: %s\n",
		       total.invariant_failures, total.revoke_failures, total.first_problem);
	debug_exit(ok1 && ok2 ? 0 : 1);
	return 0;
}

int atoll_main(void *arg)
{
	if ((uint64_t)arg == CHILD_SHARED_VADDR)
		child_main(arg);
	return root_main(arg);
}
