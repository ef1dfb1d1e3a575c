/*
 * The benchmark harness: timing, output, exit; and the cheapest figure, the
 * null system call. The IPC, yield and page-fault figures are in their own
 * files.
 */
#include "bench.h"

const atoll_bootinfo_t *bi;

static void debug_exit(unsigned code)
{
	uint64_t port = slot_alloc();
	ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0xf4, 0xf7, ATOLL_SLOT_CNODE, port);
	ioport_open(port, ATOLL_SLOT_VSPACE);
	atoll_outl(0xf4, code);
	for (;;)
		tcb_suspend(ATOLL_SLOT_TCB);
}

_Noreturn void bench_fail(const char *what, long detail)
{
	printf("BENCH-ERROR %s (%ld)\n", what, detail);
	debug_exit(1);
	for (;;)
		;
}

uint64_t new_object(unsigned type, unsigned size_bits)
{
	uint64_t slot = 0;
	atoll_error_t err = object_alloc(type, size_bits, &slot);
	if (err)
		bench_fail("object_alloc", err);
	return slot;
}

static void sort(uint64_t *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void measure(const char *name, bench_op_t op, bench_reset_t reset, void *ctx, unsigned per_iter)
{
	uint64_t means[BATCHES];
	for (int b = -WARMUP_BATCHES; b < BATCHES; b++) {
		if (reset)
			reset(ctx);
		uint64_t start = ticks();
		op(ctx, BATCH_ITERS);
		uint64_t end = ticks();
		if (b >= 0)
			means[b] = (end - start) / (BATCH_ITERS * per_iter);
	}
	sort(means, BATCHES);
	/* The same median as the Linux half: the mean of the two middle values. */
	printf("BENCH %s %lu %lu %u\n", name, (means[BATCHES / 2 - 1] + means[BATCHES / 2]) / 2,
	       means[0], BATCHES * BATCH_ITERS * per_iter);
}

/* --- atoll.null_syscall: kernel entry and exit, nothing else ------------ */

static void null_op(void *ctx, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		atoll_msg_t m = {0};
		atoll_syscall(ATOLL_SYS_NULL, 0, 0, &m);
	}
}

void bench_null_syscall(void)
{
	measure("atoll.null_syscall", null_op, NULL, NULL, 1);
}

int atoll_main(void *arg)
{
	if ((uint64_t)arg < 4096)
		child_main((uint64_t)arg);
	bi = arg;
	alloc_init(bi);
	printf("bench: %u batches of %u iterations after %u warm-up batches\n", BATCHES,
	       BATCH_ITERS, WARMUP_BATCHES);
	bench_null_syscall();
	bench_ipc();
	bench_yield();
	bench_user_pf();
	printf("BENCH-DONE\n");
	debug_exit(0);
	return 0;
}
