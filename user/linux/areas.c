/*
 * A process's memory areas (areas.h). Every change rebuilds the list in
 * address order into a scratch list, cutting the areas at the changed
 * range and joining equal neighbours as it appends, and copies it back
 * only when it fitted: so a change either happens whole or not at all.
 */
#include "areas.h"

#include <stddef.h>

/* The list being rebuilt; full: an area did not fit. One server thread
 * uses it, one change at a time. */
static lx_areas_t next;
static bool next_full;

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* Add [start, end) of prot after the last area of next (empty: nothing),
 * joining that area when the two touch with the same protection. */
static void append(uint64_t start, uint64_t end, uint32_t prot)
{
	if (start >= end)
		return;
	lx_area_t *last = next.count ? &next.area[next.count - 1] : NULL;
	if (last && last->end == start && last->prot == prot) {
		last->end = end;
		return;
	}
	if (next.count == LX_AREA_MAX) {
		next_full = true;
		return;
	}
	next.area[next.count++] = (lx_area_t){.start = start, .end = end, .prot = prot};
}

typedef enum change {
	CHANGE_MAP,     /* [start, end) becomes one area of prot */
	CHANGE_UNMAP,   /* [start, end) becomes a hole */
	CHANGE_PROTECT, /* the parts of areas in [start, end) get prot */
} change_t;

static bool change(lx_areas_t *s, uint64_t start, uint64_t end, change_t how, uint32_t prot)
{
	next.count = 0;
	next_full = false;
	bool placed = how != CHANGE_MAP;
	for (unsigned i = 0; i < s->count; i++) {
		lx_area_t a = s->area[i];
		append(a.start, min_u64(a.end, start), a.prot);
		if (how == CHANGE_PROTECT)
			append(max_u64(a.start, start), min_u64(a.end, end),
			       prot | (a.prot & LX_AREA_SHARED));
		/* The new area goes before the first piece above it. */
		if (!placed && a.end > end) {
			append(start, end, prot);
			placed = true;
		}
		append(max_u64(a.start, end), a.end, a.prot);
	}
	if (!placed)
		append(start, end, prot);
	if (next_full)
		return false;
	s->count = next.count;
	for (unsigned i = 0; i < next.count; i++)
		s->area[i] = next.area[i];
	return true;
}

bool lx_areas_map(lx_areas_t *s, uint64_t start, uint64_t end, uint32_t prot)
{
	return change(s, start, end, CHANGE_MAP, prot);
}

bool lx_areas_unmap(lx_areas_t *s, uint64_t start, uint64_t end)
{
	return change(s, start, end, CHANGE_UNMAP, 0);
}

bool lx_areas_protect(lx_areas_t *s, uint64_t start, uint64_t end, uint32_t prot)
{
	return change(s, start, end, CHANGE_PROTECT, prot);
}

void lx_areas_clear(lx_areas_t *s)
{
	s->count = 0;
}

/* The index of the first area that ends above addr (count: none). */
static unsigned first_ending_above(const lx_areas_t *s, uint64_t addr)
{
	unsigned lo = 0, hi = s->count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		if (s->area[mid].end > addr)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

const lx_area_t *lx_areas_find(const lx_areas_t *s, uint64_t addr)
{
	unsigned i = first_ending_above(s, addr);
	return i < s->count && s->area[i].start <= addr ? &s->area[i] : NULL;
}

bool lx_areas_overlap(const lx_areas_t *s, uint64_t start, uint64_t end)
{
	unsigned i = first_ending_above(s, start);
	return i < s->count && s->area[i].start < end;
}

uint64_t lx_areas_covered_until(const lx_areas_t *s, uint64_t start, uint64_t end)
{
	uint64_t at = start;
	for (unsigned i = first_ending_above(s, start);
	     i < s->count && at < end && s->area[i].start <= at; i++)
		at = s->area[i].end;
	return min_u64(at, end);
}

bool lx_areas_find_gap(const lx_areas_t *s, uint64_t low, uint64_t high, uint64_t size,
                       uint64_t *at)
{
	uint64_t top = high; /* the gap being looked at ends here */
	for (unsigned i = s->count; i-- > 0 && top > low;) {
		const lx_area_t *a = &s->area[i];
		if (a->start >= top)
			continue;
		uint64_t bottom = max_u64(a->end, low);
		if (bottom < top && top - bottom >= size) {
			*at = top - size;
			return true;
		}
		top = a->start;
	}
	if (top > low && top - low >= size) {
		*at = top - size;
		return true;
	}
	return false;
}

uint64_t lx_areas_size(const lx_areas_t *s)
{
	uint64_t bytes = 0;
	for (unsigned i = 0; i < s->count; i++)
		bytes += s->area[i].end - s->area[i].start;
	return bytes;
}
