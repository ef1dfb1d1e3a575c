#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>

#define FREE_SLOTS_MAX 1024

static const atoll_bootinfo_t *boot;
static uint64_t next_slot, slot_end;
static uint64_t free_slots[FREE_SLOTS_MAX];
static unsigned nfree;
static unsigned current_untyped;

void alloc_init(const atoll_bootinfo_t *bi)
{
	boot = bi;
	next_slot = bi->first_free_slot;
	slot_end = 1ULL << bi->cnode_radix;
	current_untyped = 0;
}

uint64_t slot_alloc(void)
{
	if (nfree)
		return free_slots[--nfree];
	return next_slot < slot_end ? next_slot++ : 0;
}

void slot_free(uint64_t slot)
{
	if (nfree < FREE_SLOTS_MAX)
		free_slots[nfree++] = slot;
}

atoll_error_t object_alloc(unsigned type, unsigned size_bits, uint64_t *out)
{
	uint64_t slot = slot_alloc();
	if (!slot)
		return ATOLL_E_NO_MEMORY;
	for (; current_untyped < boot->untyped_count; current_untyped++) {
		if (boot->untyped[current_untyped].is_device)
			continue;
		atoll_error_t err = untyped_retype(boot->untyped_first + current_untyped, type,
		                                   size_bits, ATOLL_SLOT_CNODE, slot, 1);
		if (err == ATOLL_E_OK) {
			*out = slot;
			return ATOLL_E_OK;
		}
		if (err != ATOLL_E_NO_MEMORY) {
			slot_free(slot);
			return err;
		}
	}
	/* Small objects may still fit in an earlier untyped's alignment gaps; not worth it. */
	slot_free(slot);
	return ATOLL_E_NO_MEMORY;
}

void object_free(uint64_t slot)
{
	cnode_delete(ATOLL_SLOT_CNODE, slot);
	slot_free(slot);
}
