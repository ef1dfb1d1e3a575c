#include <atoll/objects.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/vspace.h>

/* Table types from the top level down. A table that turned out not to be
 * needed is kept for the next call instead of being wasted. */
static const unsigned table_types[] = {ATOLL_OBJ_PDPT, ATOLL_OBJ_PD, ATOLL_OBJ_PT};
static uint64_t spare[3];

/* Install the highest missing table level above vaddr. */
static atoll_error_t add_missing_table(uint64_t vspace, uint64_t vaddr)
{
	for (unsigned i = 0; i < 3; i++) {
		if (!spare[i]) {
			atoll_error_t e = object_alloc(table_types[i], 0, &spare[i]);
			if (e)
				return e;
		}
		atoll_error_t e = page_table_map(spare[i], vspace, vaddr);
		if (e == ATOLL_E_OK) {
			spare[i] = 0;
			return ATOLL_E_OK;
		}
		if (e != ATOLL_E_ALREADY_MAPPED)
			return e;
	}
	return ATOLL_E_ALREADY_MAPPED;
}

atoll_error_t vspace_map(uint64_t vspace, uint64_t frame, uint64_t vaddr, unsigned attrs)
{
	atoll_error_t err = frame_map(frame, vspace, vaddr, attrs);
	for (int level = 0; err == ATOLL_E_NOT_MAPPED && level < 3; level++) {
		atoll_error_t e = add_missing_table(vspace, vaddr);
		if (e)
			return e;
		err = frame_map(frame, vspace, vaddr, attrs);
	}
	return err;
}
