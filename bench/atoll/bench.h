#ifndef BENCH_H
#define BENCH_H

/*
 * Atoll half of the side-by-side benchmark (tools/bench). Booted as the root
 * task under QEMU TCG with -icount shift=0, where one rdtsc tick is one
 * executed guest instruction. Prints one "BENCH <name> <median> <min>
 * <iterations>" line per figure, then "BENCH-DONE", and ends QEMU through the
 * debug-exit port (0 when every figure was measured).
 *
 * The same ELF file, started by the root task with a small role number as
 * its argument, is the partner process of the cross-address-space figures.
 */
#include <atoll/bootinfo.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>

/* 100 timed batches of 100 iterations after 10 uncounted warm-up batches. */
enum { BATCHES = 100, BATCH_ITERS = 100, WARMUP_BATCHES = 10 };

/* Every thread and process of the benchmark runs at the root task's priority. */
#define BENCH_PRIORITY 100

/* What a child process does; its argument (below 4096, unlike a boot info
 * pointer). Its capabilities are at PROCESS_SLOT_FIRST_FREE onwards. */
enum child_role {
	ROLE_ECHO = 1, /* FIRST_FREE endpoint, +1 reply: answer every call with its own words */
	ROLE_NOTIFY,   /* FIRST_FREE notification to wait on, +1 notification to signal */
};

/* One timed batch: n iterations of the operation. */
typedef void (*bench_op_t)(void *ctx, unsigned n);
/* Untimed work before each batch (may be NULL). */
typedef void (*bench_reset_t)(void *ctx);

/*
 * Times op in batches and prints the median and minimum of the per-batch
 * mean, each batch's ticks divided by BATCH_ITERS * per_iter (per_iter > 1
 * when one iteration is several of the events being counted).
 */
void measure(const char *name, bench_op_t op, bench_reset_t reset, void *ctx, unsigned per_iter);

/* lfence keeps rdtsc from being reordered before earlier instructions. */
static inline uint64_t ticks(void)
{
	uint32_t lo, hi;
	__asm__ volatile("lfence; rdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return (uint64_t)hi << 32 | lo;
}

/* Prints "BENCH-ERROR what" and ends QEMU with status 1. */
_Noreturn void bench_fail(const char *what, long detail);
/* A new kernel object in a new root CNode slot; fails the run if none. */
uint64_t new_object(unsigned type, unsigned size_bits);

extern const atoll_bootinfo_t *bi;

void bench_null_syscall(void);
void bench_ipc(void);
void bench_yield(void);
void bench_user_pf(void);
_Noreturn void child_main(uint64_t role);

#endif
