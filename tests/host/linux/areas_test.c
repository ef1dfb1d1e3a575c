/* A process's memory areas without IPC: mapping, unmapping and protecting
 * ranges split and join areas as Linux's VMAs do, a change that would pass
 * LX_AREA_MAX areas changes nothing, and gaps are found from the top. */
#include "../../../user/linux/areas.c"

#include "test.h"

#define P 0x1000ULL
#define R 1
#define W 2
#define X 4

static lx_areas_t s;

/* Whether s is exactly the areas listed as (start, end, prot) triples,
 * in pages. */
static int areas_are(unsigned n, const uint64_t *want)
{
	int same = s.count == n;
	for (unsigned i = 0; same && i < n; i++)
		same = s.area[i].start == want[3 * i] * P && s.area[i].end == want[3 * i + 1] * P &&
		       s.area[i].prot == want[3 * i + 2];
	if (!same)
		for (unsigned i = 0; i < s.count; i++)
			printf("  area %u: [0x%llx, 0x%llx) prot %u\n", i,
			       (unsigned long long)(s.area[i].start / P),
			       (unsigned long long)(s.area[i].end / P), s.area[i].prot);
	return same;
}

TEST(areas_map_keeps_address_order)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 12 * P, R | W));
	CHECK(lx_areas_map(&s, 2 * P, 3 * P, R));
	CHECK(lx_areas_map(&s, 20 * P, 21 * P, R));
	CHECK(areas_are(3, (const uint64_t[]){2, 3, R, 10, 12, R | W, 20, 21, R}));
}

TEST(areas_map_joins_neighbours_with_the_same_prot)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 12 * P, R | W));
	CHECK(lx_areas_map(&s, 14 * P, 16 * P, R | W));
	CHECK(lx_areas_map(&s, 12 * P, 14 * P, R | W));
	CHECK(areas_are(1, (const uint64_t[]){10, 16, R | W}));
	CHECK(lx_areas_map(&s, 16 * P, 17 * P, R));
	CHECK(areas_are(2, (const uint64_t[]){10, 16, R | W, 16, 17, R}));
}

TEST(areas_map_replaces_what_was_there)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 20 * P, R | W));
	CHECK(lx_areas_map(&s, 12 * P, 13 * P, 0));
	CHECK(areas_are(3, (const uint64_t[]){10, 12, R | W, 12, 13, 0, 13, 20, R | W}));
	CHECK(lx_areas_map(&s, 5 * P, 25 * P, R));
	CHECK(areas_are(1, (const uint64_t[]){5, 25, R}));
}

TEST(areas_unmap_cuts_splits_and_ignores_holes)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 20 * P, R | W));
	CHECK(lx_areas_unmap(&s, 14 * P, 15 * P));
	CHECK(areas_are(2, (const uint64_t[]){10, 14, R | W, 15, 20, R | W}));
	CHECK(lx_areas_unmap(&s, 8 * P, 11 * P));
	CHECK(lx_areas_unmap(&s, 19 * P, 30 * P));
	CHECK(areas_are(2, (const uint64_t[]){11, 14, R | W, 15, 19, R | W}));
	CHECK(lx_areas_unmap(&s, 40 * P, 50 * P));
	CHECK(lx_areas_unmap(&s, 0, 100 * P));
	CHECK_EQ(s.count, 0);
}

TEST(areas_protect_splits_and_joins_again)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 20 * P, R | W));
	CHECK(lx_areas_protect(&s, 12 * P, 13 * P, R));
	CHECK(areas_are(3, (const uint64_t[]){10, 12, R | W, 12, 13, R, 13, 20, R | W}));
	CHECK(lx_areas_protect(&s, 12 * P, 13 * P, R | W));
	CHECK(areas_are(1, (const uint64_t[]){10, 20, R | W}));
}

TEST(areas_protect_leaves_holes)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 12 * P, R | W));
	CHECK(lx_areas_map(&s, 14 * P, 16 * P, R));
	CHECK(lx_areas_protect(&s, 0, 100 * P, R | X));
	CHECK(areas_are(2, (const uint64_t[]){10, 12, R | X, 14, 16, R | X}));
}

TEST(areas_find_and_overlap)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 12 * P, R | W));
	CHECK(lx_areas_map(&s, 14 * P, 16 * P, R));
	CHECK(lx_areas_find(&s, 10 * P) == &s.area[0]);
	CHECK(lx_areas_find(&s, 12 * P - 1) == &s.area[0]);
	CHECK(lx_areas_find(&s, 12 * P) == NULL);
	CHECK(lx_areas_find(&s, 15 * P) == &s.area[1]);
	CHECK(lx_areas_find(&s, 16 * P) == NULL);
	CHECK(lx_areas_find(&s, 0) == NULL);
	CHECK(!lx_areas_overlap(&s, 12 * P, 14 * P));
	CHECK(lx_areas_overlap(&s, 11 * P, 13 * P));
	CHECK(lx_areas_overlap(&s, 0, 100 * P));
	CHECK(!lx_areas_overlap(&s, 16 * P, 100 * P));
}

TEST(areas_covered_until_stops_at_the_first_hole)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 12 * P, R | W));
	CHECK(lx_areas_map(&s, 12 * P, 14 * P, R));
	CHECK(lx_areas_map(&s, 15 * P, 16 * P, R));
	CHECK_EQ(lx_areas_covered_until(&s, 10 * P, 14 * P), 14 * P);
	CHECK_EQ(lx_areas_covered_until(&s, 11 * P, 16 * P), 14 * P);
	CHECK_EQ(lx_areas_covered_until(&s, 14 * P, 16 * P), 14 * P);
	CHECK_EQ(lx_areas_covered_until(&s, 15 * P, 20 * P), 16 * P);
	CHECK_EQ(lx_areas_covered_until(&s, 20 * P, 30 * P), 20 * P);
}

TEST(areas_gap_is_the_highest_that_fits)
{
	lx_areas_clear(&s);
	uint64_t at = 0;
	CHECK(lx_areas_find_gap(&s, 100 * P, 200 * P, 10 * P, &at));
	CHECK_EQ(at, 190 * P);
	CHECK(lx_areas_map(&s, 190 * P, 200 * P, R | W));
	CHECK(lx_areas_map(&s, 170 * P, 188 * P, R | W));
	CHECK(lx_areas_find_gap(&s, 100 * P, 200 * P, 2 * P, &at));
	CHECK_EQ(at, 188 * P);
	CHECK(lx_areas_find_gap(&s, 100 * P, 200 * P, 3 * P, &at));
	CHECK_EQ(at, 167 * P);
	CHECK(lx_areas_find_gap(&s, 100 * P, 200 * P, 70 * P, &at));
	CHECK_EQ(at, 100 * P);
	CHECK(!lx_areas_find_gap(&s, 100 * P, 200 * P, 71 * P, &at));
}

TEST(areas_gap_ignores_areas_outside_the_window)
{
	lx_areas_clear(&s);
	uint64_t at = 0;
	CHECK(lx_areas_map(&s, 50 * P, 60 * P, R));
	CHECK(lx_areas_map(&s, 95 * P, 105 * P, R));
	CHECK(lx_areas_map(&s, 300 * P, 310 * P, R));
	CHECK(lx_areas_find_gap(&s, 100 * P, 200 * P, 95 * P, &at));
	CHECK_EQ(at, 105 * P);
	CHECK(!lx_areas_find_gap(&s, 100 * P, 200 * P, 96 * P, &at));
}

TEST(areas_past_the_limit_change_nothing)
{
	lx_areas_clear(&s);
	/* Every other page, with protections that alternate: nothing joins. */
	for (uint64_t i = 0; i < LX_AREA_MAX; i++)
		CHECK(lx_areas_map(&s, 2 * i * P, (2 * i + 1) * P, i & 1 ? R : R | W));
	CHECK_EQ(s.count, LX_AREA_MAX);
	CHECK(!lx_areas_map(&s, 1000 * P, 1001 * P, R));
	CHECK_EQ(s.count, LX_AREA_MAX);
	CHECK(lx_areas_unmap(&s, 0, P)); /* a whole area goes */
	CHECK_EQ(s.count, LX_AREA_MAX - 1);
	CHECK(lx_areas_map(&s, 0, P, R | W));
	CHECK(lx_areas_protect(&s, 0, P, R)); /* splits nothing */
	CHECK_EQ(s.count, LX_AREA_MAX);
}

TEST(areas_split_past_the_limit_changes_nothing)
{
	lx_areas_clear(&s);
	for (uint64_t i = 0; i < LX_AREA_MAX; i++)
		CHECK(lx_areas_map(&s, 4 * i * P, (4 * i + 3) * P, R | W));
	CHECK(lx_areas_unmap(&s, 0, P)); /* cuts the front: still one area */
	CHECK(!lx_areas_unmap(&s, 5 * P, 6 * P));
	CHECK(!lx_areas_protect(&s, 9 * P, 10 * P, R));
	CHECK_EQ(s.count, LX_AREA_MAX);
	CHECK(s.area[1].start == 4 * P && s.area[1].end == 7 * P && s.area[1].prot == (R | W));
	CHECK(s.area[2].start == 8 * P && s.area[2].end == 11 * P && s.area[2].prot == (R | W));
}

TEST(areas_size_adds_them_up)
{
	lx_areas_clear(&s);
	CHECK(lx_areas_map(&s, 10 * P, 12 * P, R | W));
	CHECK(lx_areas_map(&s, 14 * P, 17 * P, R));
	CHECK_EQ(lx_areas_size(&s), 5 * P);
}
