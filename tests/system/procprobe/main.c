/*
 * In-guest tests of proc, started by proc as a service: spawning, waiting,
 * exit statuses, killing, the namespace, memory reclaim and hostile
 * requests. Prints PASS/FAIL lines and halts the machine with the number
 * of failures.
 */
#include <atoll/proto/proc.h>
#include <atoll_rt/msg.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>

#include "probe.h"

unsigned probe_failures;

void probe_result(const char *name, bool ok, const char *detail)
{
	if (ok) {
		printf("PASS %s\n", name);
	} else {
		printf("FAIL %s: %s\n", name, detail);
		probe_failures++;
	}
}

/* Child roles, chosen by argv[1]. */
static int child(int argc, char **argv)
{
	if (!strcmp(argv[1], "exit7"))
		return 7;
	if (!strcmp(argv[1], "spin"))
		for (;;)
			atoll_yield();
	if (!strcmp(argv[1], "wild")) {
		volatile uint64_t *p = (volatile uint64_t *)0x123456789000ULL;
		return (int)*p; /* not stack, not heap: proc kills us */
	}
	if (!strcmp(argv[1], "ports")) {
		/* No port was granted to a spawned program: in/out faults. */
		return atoll_inb(0x3fd);
	}
	if (!strcmp(argv[1], "mmio")) {
		/* No MMIO was granted to a spawned program: nothing is mapped there. */
		return (int)*(volatile uint32_t *)PROC_MMIO_VADDR;
	}
	if (!strcmp(argv[1], "env")) {
		/* The environment follows argv's NULL in the argument block. */
		char **envp = argv + argc + 1;
		for (; *envp; envp++)
			if (!strcmp(*envp, "PROBE=42"))
				return 42;
		return 1;
	}
	if (!strcmp(argv[1], "heap")) {
		volatile uint64_t *p = (volatile uint64_t *)PROC_HEAP_BASE;
		for (unsigned i = 0; i < 64; i++)
			p[i * 512] = i; /* 64 pages paged in on demand */
		uint64_t sum = 0;
		for (unsigned i = 0; i < 64; i++)
			sum += p[i * 512];
		return sum == 64 * 63 / 2 ? 0 : 1;
	}
	(void)argc;
	return 99;
}

int atoll_main(void *arg)
{
	uint64_t *block = arg;
	int argc = (int)block[0];
	char **argv = (char **)&block[1];
	if (argc > 1 && strcmp(argv[1], "run") != 0)
		return child(argc, argv);
	probe_run_all();
	printf("procprobe: %u failed\n", probe_failures);
	proc_halt(probe_failures ? 1 : 0);
	return 0;
}
