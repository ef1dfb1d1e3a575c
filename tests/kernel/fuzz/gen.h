#ifndef FUZZ_GEN_H
#define FUZZ_GEN_H

/*
 * Random system calls for the fuzzing child: which call, on which
 * capability, with which message. Mostly Atoll's own calls in a realistic
 * mix, aimed at the child's capabilities, with arguments that are often
 * plausible (slot numbers, object types, addresses the child has mapped or
 * could map) and sometimes absurd (kernel and non-canonical addresses,
 * huge counts, random bits).
 */
#include <atoll/message.h>
#include <atoll_rt/syscall.h>
#include <stdint.h>

typedef struct fuzz_call {
	int64_t number;
	uint64_t cptr;                    /* rdi */
	uint64_t rbx;                     /* the reply capability of receives and replies */
	atoll_msg_t m;                    /* rsi and the eight register words */
	int ipc_changed;                  /* the IPC buffer was scribbled on before this call */
	uint64_t probe_addr, probe_value; /* a store to try before the call (fuzz_probe), 0: none */
} fuzz_call_t;

/* Seed the generator; spare_entry is where the spare thread would start;
 * avoid holds FUZZ_AVOID_* bits. */
void gen_init(uint64_t seed, uint64_t spare_entry, atoll_ipc_buffer_t *ipc, uint64_t avoid);
void gen_call(fuzz_call_t *c);

#endif
