#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <stdbool.h>

#include "memory.h"

/* RAM proc keeps for its own objects before cutting the rest into chunks. */
#define PROC_OWN_BYTES (8ULL << 20)
#define CHUNK_MIN_BITS 20

static uint64_t chunk_slot[CHUNK_MAX]; /* slot of each chunk's untyped capability */
static uint16_t free_list[CHUNK_MAX];
static unsigned nchunks, nfree;
static unsigned chunk_bits;

uint64_t memory_chunk_bytes(void)
{
	return 1ULL << chunk_bits;
}

uint64_t memory_free_bytes(void)
{
	return (uint64_t)nfree << chunk_bits;
}

uint64_t memory_total_bytes(void)
{
	return (uint64_t)nchunks << chunk_bits;
}

/* Chunks are as small as possible while all RAM fits in CHUNK_MAX of them. */
static unsigned choose_chunk_bits(const atoll_bootinfo_t *bi)
{
	uint64_t ram = 0;
	for (unsigned i = 0; i < bi->untyped_count; i++)
		if (!bi->untyped[i].is_device)
			ram += 1ULL << bi->untyped[i].size_bits;
	unsigned bits = CHUNK_MIN_BITS;
	while ((ram >> bits) > CHUNK_MAX / 2)
		bits++;
	return bits;
}

void memory_init(const atoll_bootinfo_t *bi)
{
	chunk_bits = choose_chunk_bits(bi);
	uint64_t kept = 0;
	for (unsigned i = 0; i < bi->untyped_count && nchunks < CHUNK_MAX; i++) {
		const atoll_untyped_desc_t *u = &bi->untyped[i];
		if (u->is_device || u->size_bits < chunk_bits)
			continue;
		if (kept < PROC_OWN_BYTES) {
			kept += 1ULL << u->size_bits;
			continue;
		}
		uint64_t count = 1ULL << (u->size_bits - chunk_bits);
		for (uint64_t c = 0; c < count && nchunks < CHUNK_MAX; c++) {
			uint64_t slot = slot_alloc();
			if (!slot || untyped_retype(bi->untyped_first + i, ATOLL_OBJ_UNTYPED,
			                            chunk_bits, ATOLL_SLOT_CNODE, slot, 1))
				break;
			chunk_slot[nchunks] = slot;
			free_list[nfree++] = nchunks++;
		}
	}
	printf("proc: %u chunks of %lu KiB for processes, %lu KiB kept for proc\n", nchunks,
	       memory_chunk_bytes() >> 10, kept >> 10);
}

static bool take_chunk(chunk_set_t *set)
{
	if (!nfree || set->count == CHUNKS_PER_PROCESS)
		return false;
	set->chunk[set->count++] = free_list[--nfree];
	return true;
}

atoll_error_t memory_retype(chunk_set_t *set, unsigned type, unsigned size_bits, uint64_t dest)
{
	/* Try the newest chunk first: older ones are usually full. */
	for (bool fresh = false;; fresh = true) {
		if (set->count) {
			uint64_t ut = chunk_slot[set->chunk[set->count - 1]];
			atoll_error_t err =
				untyped_retype(ut, type, size_bits, ATOLL_SLOT_CNODE, dest, 1);
			if (err != ATOLL_E_NO_MEMORY || fresh)
				return err; /* an object too big for an empty chunk never fits */
		}
		if (!take_chunk(set))
			return ATOLL_E_NO_MEMORY;
	}
}

void memory_release(chunk_set_t *set)
{
	for (unsigned i = 0; i < set->count; i++) {
		cnode_revoke(ATOLL_SLOT_CNODE, chunk_slot[set->chunk[i]]);
		free_list[nfree++] = set->chunk[i];
	}
	set->count = 0;
}
