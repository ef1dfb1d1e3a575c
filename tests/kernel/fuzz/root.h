#ifndef FUZZ_ROOT_H
#define FUZZ_ROOT_H

/* The root task's side of the fuzzer: building, running and destroying generations. */
#include "fuzz.h"
#include <stddef.h>

#define GEN_SLOTS 160   /* root slots a generation's objects may use */
#define POOL_BITS 22    /* 4 MiB: a 2 MiB frame and everything else */
#define FUZZ_PRIORITY 0 /* root, child and spare thread share it: round robin */
#define ROOT_SHARED_VADDR 0x7d0000100000ULL

/* What outlives the generations. */
typedef struct fuzz_root {
	const atoll_bootinfo_t *bi;
	const void *elf; /* our own image, the child's too */
	size_t elf_size;
	uint64_t pool;       /* the untyped every generation is made of */
	uint64_t pool_paddr; /* where its first object must land after each revoke */
	uint64_t fault_ep;   /* the child's fault handler: the root task serves it */
	uint64_t fault_reply, ep_reply;
	uint64_t irq, ioport; /* issued once; the child gets copies */
	uint64_t temp;        /* an empty slot for a moment's copy */
	uint64_t gen_slots[GEN_SLOTS];
	uint64_t rng;
} fuzz_root_t;

extern fuzz_root_t root;

/* One child process and the root task's handles on it (slots in the root CNode). */
typedef struct generation {
	uint64_t number;
	uint64_t cnode, vspace, tcb, spare, ep, ntfn, reply, junk;
	fuzz_shared_t *shared; /* the root task's mapping of the shared frame */
	unsigned slots_used;
} generation_t;

/* How a generation ended. */
typedef enum gen_end {
	GEN_DONE,    /* it made all its calls */
	GEN_RETIRED, /* nothing it tried succeeded any more */
	GEN_STALLED, /* no progress: suspended, blocked for good, faulted without handler, ... */
	GEN_FAULTED, /* a page fault or exception reached the root task */
	GEN_OUT_OF_TIME,
	GEN_END_COUNT
} gen_end_t;

/* Build generation g from the pool, the child stopped; the shared page filled from params. */
atoll_error_t generation_build(generation_t *g, const fuzz_shared_t *params, const char **step);
/* Revoke the pool: every object of the generation goes. Returns how many of
 * the generation's root slots are still occupied afterwards (should be 0). */
unsigned generation_destroy(generation_t *g);

/* Start the child and serve it until it ends; why describes a stall or fault. */
gen_end_t supervise(generation_t *g, uint64_t deadline_tsc, char *why, size_t why_size);
extern uint64_t unknown_syscall_faults, wake_receives, wake_sends, wake_resumes;

/* After the fuzzing: 0 if objects and processes still work, else -1 and why. */
int liveness_check(char *why, size_t why_size);

#endif
