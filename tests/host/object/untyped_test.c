/* Where retype carves objects in an untyped: alignment, fit, exhaustion. */
#include <object/untyped.h>

#include "test.h"

TEST(untyped_carve_starts_at_zero_when_empty)
{
	uint64_t start = 1;
	CHECK(untyped_carve(0, 20, 12, 256, &start));
	CHECK_EQ(start, 0);
}

TEST(untyped_carve_aligns_to_the_object_size)
{
	uint64_t start = 0;
	CHECK(untyped_carve(0x1020, 20, 12, 1, &start));
	CHECK_EQ(start, 0x2000);
	CHECK(untyped_carve(0x1020, 20, 5, 1, &start));
	CHECK_EQ(start, 0x1020);
	CHECK(untyped_carve(0x1021, 20, 5, 1, &start));
	CHECK_EQ(start, 0x1040);
}

TEST(untyped_carve_refuses_what_does_not_fit)
{
	uint64_t start;
	CHECK(!untyped_carve(0, 20, 12, 257, &start));        /* 257 pages in 1 MiB */
	CHECK(!untyped_carve(0xff001, 20, 12, 1, &start));    /* aligned past the end */
	CHECK(!untyped_carve(0, 12, 14, 1, &start));          /* bigger than the untyped */
	CHECK(!untyped_carve(1ULL << 21, 20, 12, 1, &start)); /* watermark beyond the end */
	CHECK(untyped_carve(0xff000, 20, 12, 1, &start));
	CHECK_EQ(start, 0xff000);
	CHECK(!untyped_carve(0x100000, 20, 12, 1, &start)); /* exactly full */
}

TEST(untyped_carve_never_overflows)
{
	uint64_t start;
	CHECK(!untyped_carve(0, 47, 12, UINT64_MAX, &start));
	CHECK(!untyped_carve(UINT64_MAX, 47, 12, 1, &start));
	CHECK(!untyped_carve(0, 64, 12, 1, &start));
	CHECK(untyped_carve(0, 47, 47, 1, &start));
	CHECK(!untyped_carve(1, 47, 47, 1, &start));
}

/* Retyping piece by piece must give disjoint, in-bounds, aligned objects. */
TEST(untyped_carve_sequences_never_overlap)
{
	uint64_t seed = 12345;
	for (int round = 0; round < 200; round++) {
		uint64_t watermark = 0, prev_end = 0;
		for (int i = 0; i < 100; i++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			unsigned bits = 5 + (seed >> 33) % 12;
			uint64_t count = 1 + (seed >> 40) % 4, start;
			if (!untyped_carve(watermark, 20, bits, count, &start))
				continue;
			CHECK(start >= prev_end);
			CHECK_EQ(start & ((1ULL << bits) - 1), 0);
			CHECK(start + (count << bits) <= (1ULL << 20));
			watermark = prev_end = start + (count << bits);
		}
	}
}
