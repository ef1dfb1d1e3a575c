/*
 * Benchmarks of the dynamic system, run as a boot service under icount:
 * spawning a program and waiting for its exit, and resolving a path in the
 * namespace. Prints BENCH lines (median and minimum instructions per
 * operation over batches), then halts the machine.
 */
#include <atoll/proto/proc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <stdbool.h>

#define SELF "/boot/procbench"
#define RESOLVE_BATCH 100
#define RESOLVE_FIRST_SLOT 64

static uint64_t ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return (uint64_t)hi << 32 | lo;
}

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

static void report(const char *name, uint64_t *means, unsigned batches, unsigned iters)
{
	sort(means, batches);
	printf("BENCH %s %lu %lu %u\n", name, (means[batches / 2 - 1] + means[batches / 2]) / 2,
	       means[0], batches * iters);
}

static bool spawn_exit_wait(void)
{
	const char *argv[] = {"exit", NULL};
	uint64_t pid, got;
	int64_t status;
	return !proc_spawn(SELF, argv, &pid) && !proc_wait(pid, &got, &status) && status == 0;
}

static void bench_spawn(void)
{
	enum { BATCHES = 20, ITERS = 10, WARMUP = 2 };
	uint64_t means[BATCHES];
	for (int b = -WARMUP; b < BATCHES; b++) {
		uint64_t start = ticks();
		for (int i = 0; i < ITERS; i++)
			if (!spawn_exit_wait()) {
				printf("procbench: spawn failed\n");
				return;
			}
		uint64_t end = ticks();
		if (b >= 0)
			means[b] = (end - start) / ITERS;
	}
	report("atoll.spawn_exit_wait", means, BATCHES, ITERS);
}

static void bench_resolve(void)
{
	enum { BATCHES = 100, WARMUP = 3 };
	uint64_t means[BATCHES];
	size_t matched;
	for (int b = -WARMUP; b < BATCHES; b++) {
		uint64_t start = ticks();
		for (unsigned i = 0; i < RESOLVE_BATCH; i++)
			ns_resolve("/bench/some/file", RESOLVE_FIRST_SLOT + i, &matched);
		uint64_t end = ticks();
		for (unsigned i = 0; i < RESOLVE_BATCH; i++)
			cnode_delete(PROC_SLOT_CNODE, RESOLVE_FIRST_SLOT + i);
		if (b >= 0)
			means[b] = (end - start) / RESOLVE_BATCH;
	}
	report("atoll.ns_resolve", means, BATCHES, RESOLVE_BATCH);
}

int atoll_main(void *arg)
{
	uint64_t *block = arg;
	char **argv = (char **)&block[1];
	if (block[0] > 1 && !strcmp(argv[1], "exit"))
		return 0;
	if (ns_register("/bench")) {
		printf("procbench: cannot register /bench\n");
		proc_halt(1);
	}
	bench_spawn();
	bench_resolve();
	printf("BENCH-DONE\n");
	proc_halt(0);
	return 0;
}
