#ifndef PROC_MEMORY_H
#define PROC_MEMORY_H

/*
 * proc's memory: RAM is cut into equal chunks of untyped memory. Every
 * object of a process is retyped from the chunks that process holds, so
 * reclaiming a process is revoking its chunks: the kernel deletes every
 * capability to every object made from them, wherever it lives, and the
 * chunks return to the free pool whole. proc's own objects come from the
 * RAM it keeps back (atoll_rt/alloc.h).
 */
#include <atoll/bootinfo.h>
#include <atoll/errors.h>
#include <stdint.h>

#define CHUNK_MAX 2048
#define CHUNKS_PER_PROCESS 256

typedef struct chunk_set {
	uint16_t chunk[CHUNKS_PER_PROCESS];
	unsigned count;
} chunk_set_t;

void memory_init(const atoll_bootinfo_t *bi);
uint64_t memory_chunk_bytes(void);
uint64_t memory_free_bytes(void);
uint64_t memory_total_bytes(void);

/* Retype one object from the set's chunks (taking a new chunk when the
 * current ones are full) into proc's slot dest. */
atoll_error_t memory_retype(chunk_set_t *set, unsigned type, unsigned size_bits, uint64_t dest);
/* Revoke every chunk of the set and return them to the pool. */
void memory_release(chunk_set_t *set);

#endif
