/*
 * Boot memory bookkeeping: merging added ranges, splitting on reserve,
 * aligned allocation, and cutting ranges into naturally aligned
 * power-of-two blocks for the root task's untyped capabilities.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

#include "../../../kernel/core/memmap.c"

/* True when m holds exactly the n ranges in want, in order. */
static int ranges_are(const memmap_t *m, const mem_range_t *want, unsigned n)
{
	if (m->nfree != n)
		return 0;
	for (unsigned i = 0; i < n; i++)
		if (m->free[i].base != want[i].base || m->free[i].end != want[i].end)
			return 0;
	return 1;
}

#define RANGES_ARE(m, ...)                                                     \
	do {                                                                   \
		const mem_range_t want_[] = {__VA_ARGS__};                     \
		CHECK(ranges_are(m, want_, sizeof(want_) / sizeof(want_[0]))); \
	} while (0)

/* Sorted, non-empty, and neither overlapping nor touching: what every
 * sequence of operations must leave behind. */
static int ranges_well_formed(const memmap_t *m)
{
	for (unsigned i = 0; i < m->nfree; i++) {
		if (m->free[i].base >= m->free[i].end)
			return 0;
		if (i > 0 && m->free[i - 1].end >= m->free[i].base)
			return 0;
	}
	return 1;
}

TEST(memmap_add_disjoint_ranges_stay_separate_and_sorted)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x5000, 0x6000);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x3000, 0x4000);
	RANGES_ARE(&m, {0x1000, 0x2000}, {0x3000, 0x4000}, {0x5000, 0x6000});
	CHECK_EQ(memmap_total(&m), 0x3000);
	CHECK(!m.overflow);
}

TEST(memmap_add_adjacent_ranges_merge)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x2000, 0x3000);
	memmap_add(&m, 0x3000, 0x4000); /* touches on the right */
	memmap_add(&m, 0x1000, 0x2000); /* touches on the left */
	RANGES_ARE(&m, {0x1000, 0x4000});
}

TEST(memmap_add_range_filling_a_gap_merges_both_neighbours)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x3000, 0x4000);
	memmap_add(&m, 0x2000, 0x3000);
	RANGES_ARE(&m, {0x1000, 0x4000});
}

TEST(memmap_add_overlapping_ranges_merge)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x2000, 0x5000);
	memmap_add(&m, 0x4000, 0x8000); /* overlaps the end */
	RANGES_ARE(&m, {0x2000, 0x8000});
	memmap_add(&m, 0x1000, 0x3000); /* overlaps the start */
	RANGES_ARE(&m, {0x1000, 0x8000});
	memmap_add(&m, 0x3000, 0x4000); /* inside */
	RANGES_ARE(&m, {0x1000, 0x8000});
	memmap_add(&m, 0x0, 0x9000); /* covers it */
	RANGES_ARE(&m, {0x0, 0x9000});
}

TEST(memmap_add_range_spanning_several_ranges_merges_them_all)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x3000, 0x4000);
	memmap_add(&m, 0x5000, 0x6000);
	memmap_add(&m, 0x7000, 0x8000);
	memmap_add(&m, 0x10000, 0x11000);
	memmap_add(&m, 0x1800, 0x7000);
	RANGES_ARE(&m, {0x1000, 0x8000}, {0x10000, 0x11000});
}

TEST(memmap_add_empty_or_inverted_range_is_ignored)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x1000);
	memmap_add(&m, 0x2000, 0x1000);
	CHECK_EQ(m.nfree, 0);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x3000, 0x3000); /* empty, must not bridge or appear */
	RANGES_ARE(&m, {0x1000, 0x2000});
}

TEST(memmap_reserve_in_the_middle_splits_the_range)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x9000);
	memmap_reserve(&m, 0x3000, 0x5000);
	RANGES_ARE(&m, {0x1000, 0x3000}, {0x5000, 0x9000});
	CHECK_EQ(memmap_total(&m), 0x6000);
}

TEST(memmap_reserve_at_the_start_trims_the_range)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x9000);
	memmap_reserve(&m, 0x1000, 0x2000);
	RANGES_ARE(&m, {0x2000, 0x9000});
	memmap_reserve(&m, 0x0, 0x3000); /* begins before the range */
	RANGES_ARE(&m, {0x3000, 0x9000});
}

TEST(memmap_reserve_at_the_end_trims_the_range)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x9000);
	memmap_reserve(&m, 0x8000, 0x9000);
	RANGES_ARE(&m, {0x1000, 0x8000});
	memmap_reserve(&m, 0x7000, 0x20000); /* ends after the range */
	RANGES_ARE(&m, {0x1000, 0x7000});
}

TEST(memmap_reserve_of_a_whole_range_removes_it)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x3000, 0x4000);
	memmap_add(&m, 0x5000, 0x6000);
	memmap_reserve(&m, 0x3000, 0x4000);
	RANGES_ARE(&m, {0x1000, 0x2000}, {0x5000, 0x6000});
}

TEST(memmap_reserve_covering_several_ranges_trims_the_edges_and_drops_the_inside)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x3000);
	memmap_add(&m, 0x4000, 0x5000);
	memmap_add(&m, 0x6000, 0x7000);
	memmap_add(&m, 0x8000, 0xa000);
	memmap_add(&m, 0xb000, 0xc000);
	memmap_reserve(&m, 0x2000, 0x9000);
	RANGES_ARE(&m, {0x1000, 0x2000}, {0x9000, 0xa000}, {0xb000, 0xc000});
}

TEST(memmap_reserve_of_memory_that_is_not_free_changes_nothing)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x2000);
	memmap_add(&m, 0x4000, 0x5000);
	memmap_reserve(&m, 0x2000, 0x4000); /* exactly the gap */
	memmap_reserve(&m, 0x9000, 0xa000);
	memmap_reserve(&m, 0x4800, 0x4800); /* empty */
	RANGES_ARE(&m, {0x1000, 0x2000}, {0x4000, 0x5000});
}

TEST(memmap_alloc_returns_an_aligned_block_and_reserves_it)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x10000);
	uint64_t p = memmap_alloc(&m, 0x1000, 0x4000);
	CHECK_EQ(p, 0x4000);
	/* The padding before the aligned block stays free. */
	RANGES_ARE(&m, {0x1000, 0x4000}, {0x5000, 0x10000});
	uint64_t q = memmap_alloc(&m, 0x2000, 0x1000);
	CHECK_EQ(q, 0x1000);
	RANGES_ARE(&m, {0x3000, 0x4000}, {0x5000, 0x10000});
}

TEST(memmap_alloc_skips_ranges_too_small_after_alignment)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x3000); /* 8 KiB, but no 8 KiB-aligned 8 KiB inside */
	memmap_add(&m, 0x5000, 0x6000); /* too small */
	memmap_add(&m, 0x9000, 0x20000);
	uint64_t p = memmap_alloc(&m, 0x2000, 0x2000);
	CHECK_EQ(p, 0xa000);
	CHECK_EQ(p % 0x2000, 0);
	RANGES_ARE(&m, {0x1000, 0x3000}, {0x5000, 0x6000}, {0x9000, 0xa000}, {0xc000, 0x20000});
}

TEST(memmap_alloc_takes_the_lowest_range_that_fits)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x100000, 0x200000);
	memmap_add(&m, 0x10000, 0x20000);
	CHECK_EQ(memmap_alloc(&m, 0x1000, 0x1000), 0x10000);
}

TEST(memmap_alloc_returns_zero_when_memory_is_exhausted)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x5000);
	for (int i = 0; i < 4; i++)
		CHECK_EQ(memmap_alloc(&m, 0x1000, 0x1000), 0x1000 + 0x1000 * (uint64_t)i);
	CHECK_EQ(m.nfree, 0);
	CHECK_EQ(memmap_alloc(&m, 0x1000, 0x1000), 0);
	CHECK_EQ(memmap_alloc(&m, 1, 1), 0);
}

TEST(memmap_alloc_larger_than_any_range_returns_zero_and_changes_nothing)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x5000);
	memmap_add(&m, 0x8000, 0xa000);
	CHECK_EQ(memmap_alloc(&m, 0x5000, 0x1000), 0);
	/* Fits in size, but not once aligned. */
	CHECK_EQ(memmap_alloc(&m, 0x2000, 0x10000), 0);
	RANGES_ARE(&m, {0x1000, 0x5000}, {0x8000, 0xa000});
}

TEST(memmap_alloc_whose_size_or_alignment_wraps_returns_zero)
{
	memmap_t m;
	memmap_init(&m);
	memmap_add(&m, 0x1000, 0x10000);
	CHECK_EQ(memmap_alloc(&m, UINT64_MAX - 0x800, 0x1000), 0);
	CHECK_EQ(memmap_alloc(&m, 0, 0x1000), 0); /* empty: nothing to hand out */
	memmap_t top;
	memmap_init(&top);
	memmap_add(&top, 0xfffffffffff00000ULL, 0xfffffffffffff000ULL);
	/* Rounding the base up to 2^63 alignment wraps past the end of the space. */
	CHECK_EQ(memmap_alloc(&top, 0x1000, 1ULL << 63), 0);
	CHECK_EQ(memmap_alloc(&top, 0x200000, 0x1000), 0);
	RANGES_ARE(&top, {0xfffffffffff00000ULL, 0xfffffffffffff000ULL});
	RANGES_ARE(&m, {0x1000, 0x10000});
}

/* Adds n disjoint one-page ranges two pages apart. */
static void add_many(memmap_t *m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		memmap_add(m, 0x2000 * (uint64_t)(i + 1), 0x2000 * (uint64_t)(i + 1) + 0x1000);
}

TEST(memmap_exactly_max_ranges_fit_without_overflow)
{
	memmap_t m;
	memmap_init(&m);
	add_many(&m, MEMMAP_MAX_RANGES);
	CHECK_EQ(m.nfree, MEMMAP_MAX_RANGES);
	CHECK(!m.overflow);
	CHECK(ranges_well_formed(&m));
}

TEST(memmap_more_than_max_ranges_sets_overflow)
{
	memmap_t m;
	memmap_init(&m);
	add_many(&m, MEMMAP_MAX_RANGES + 1);
	CHECK_EQ(m.nfree, MEMMAP_MAX_RANGES);
	CHECK(m.overflow);
	CHECK(ranges_well_formed(&m));
	CHECK_EQ(memmap_total(&m), MEMMAP_MAX_RANGES * 0x1000ULL);
}

TEST(memmap_merging_add_at_capacity_does_not_overflow)
{
	memmap_t m;
	memmap_init(&m);
	add_many(&m, MEMMAP_MAX_RANGES);
	/* Joins the first two ranges: one fewer, nothing lost. */
	memmap_add(&m, 0x3000, 0x4000);
	CHECK(!m.overflow);
	CHECK_EQ(m.nfree, MEMMAP_MAX_RANGES - 1);
	CHECK_EQ(m.free[0].base, 0x2000);
	CHECK_EQ(m.free[0].end, 0x5000);
}

TEST(memmap_reserve_splitting_a_range_at_capacity_sets_overflow)
{
	memmap_t m;
	memmap_init(&m);
	add_many(&m, MEMMAP_MAX_RANGES - 1);
	memmap_add(&m, 0x1000000, 0x1010000);
	CHECK_EQ(m.nfree, MEMMAP_MAX_RANGES);
	CHECK(!m.overflow);
	memmap_reserve(&m, 0x1004000, 0x1005000);
	CHECK(m.overflow);
	CHECK_EQ(m.nfree, MEMMAP_MAX_RANGES);
	CHECK(ranges_well_formed(&m));
	/* Whatever was dropped, nothing reserved is still free. */
	for (unsigned i = 0; i < m.nfree; i++)
		CHECK(m.free[i].end <= 0x1004000 || m.free[i].base >= 0x1005000);
}

/* A reference bitmap of 4 KiB pages to check add/reserve/alloc against. */
#define REF_PAGES 512

static int matches_bitmap(const memmap_t *m, const uint8_t *page_free)
{
	uint8_t seen[REF_PAGES] = {0};
	for (unsigned i = 0; i < m->nfree; i++)
		for (uint64_t p = m->free[i].base >> 12; p < m->free[i].end >> 12; p++) {
			if (p >= REF_PAGES)
				return 0;
			seen[p] = 1;
		}
	return memcmp(seen, page_free, REF_PAGES) == 0;
}

TEST(memmap_random_add_reserve_alloc_match_a_page_bitmap)
{
	uint8_t page_free[REF_PAGES] = {0};
	memmap_t m;
	memmap_init(&m);
	srand(1234);
	for (int op = 0; op < 20000 && !host_test_failed_now; op++) {
		/* Page 0 stays out: memmap_alloc cannot report an allocation at 0. */
		uint64_t a = 1 + (uint64_t)(rand() % (REF_PAGES - 1));
		uint64_t b = 1 + (uint64_t)(rand() % (REF_PAGES - 1));
		if (a > b) {
			uint64_t t = a;
			a = b;
			b = t;
		}
		int kind = rand() % 3;
		if (kind == 0) {
			if (b - a > 8)
				b = a + 8; /* keep free memory fragmented */
			memmap_add(&m, a << 12, b << 12);
			memset(page_free + a, 1, b - a);
		} else if (kind == 1) {
			memmap_reserve(&m, a << 12, b << 12);
			memset(page_free + a, 0, b - a);
		} else {
			uint64_t pages = 1 + (uint64_t)(rand() % 4);
			uint64_t align = 1ULL << (12 + rand() % 4);
			uint64_t want = 0;
			/* The lowest aligned run in the lowest range that holds it. */
			for (unsigned i = 0; i < m.nfree && !want; i++) {
				uint64_t base = (m.free[i].base + align - 1) & ~(align - 1);
				if (base + (pages << 12) <= m.free[i].end)
					want = base;
			}
			uint64_t got = memmap_alloc(&m, pages << 12, align);
			CHECK_EQ(got, want);
			if (got) {
				CHECK_EQ(got % align, 0);
				for (uint64_t p = got >> 12; p < (got >> 12) + pages; p++) {
					CHECK(page_free[p]);
					page_free[p] = 0;
				}
			}
		}
		CHECK(!m.overflow);
		CHECK(ranges_well_formed(&m));
		CHECK(matches_bitmap(&m, page_free));
	}
}

/* The blocks memmap_blocks emitted, checked against its contract. */
#define MAX_BLOCKS 16384

typedef struct blocks {
	unsigned n;
	uint64_t base[MAX_BLOCKS];
	unsigned bits[MAX_BLOCKS];
} blocks_t;

static void collect(void *ctx, uint64_t base, unsigned bits)
{
	blocks_t *b = ctx;
	if (b->n < MAX_BLOCKS) {
		b->base[b->n] = base;
		b->bits[b->n] = bits;
	}
	b->n++;
}

/*
 * Checks that the blocks tile [base, end) rounded inward to 2^min_bits,
 * in order with no gap or overlap; that each is naturally aligned, between
 * 2^min_bits and 2^max_bits; and that each is as large as it could be (the
 * next size up is either over max_bits, misaligned or past the end).
 * Returns 0 and prints which block broke the contract otherwise.
 */
static int blocks_tile(const blocks_t *b, unsigned count, uint64_t base, uint64_t end,
                       unsigned min_bits, unsigned max_bits)
{
	uint64_t min = 1ULL << min_bits;
	uint64_t lo = (base + min - 1) & ~(min - 1), hi = end & ~(min - 1);
	if (count != b->n || b->n > MAX_BLOCKS) {
		printf("  count %u, emitted %u\n", count, b->n);
		return 0;
	}
	uint64_t at = lo, sum = 0;
	for (unsigned i = 0; i < b->n; i++) {
		uint64_t size = 1ULL << b->bits[i];
		if (b->bits[i] < min_bits || b->bits[i] > max_bits || b->base[i] != at ||
		    (b->base[i] & (size - 1)) || size > hi - at) {
			printf("  block %u: 0x%llx, %u bits (expected at 0x%llx)\n", i,
			       (unsigned long long)b->base[i], b->bits[i], (unsigned long long)at);
			return 0;
		}
		unsigned up = b->bits[i] + 1;
		if (up <= max_bits && !(at & ((1ULL << up) - 1)) && hi - at >= (1ULL << up)) {
			printf("  block %u at 0x%llx could have been %u bits\n", i,
			       (unsigned long long)at, up);
			return 0;
		}
		at += size;
		sum += size;
	}
	if (lo < hi ? (at != hi || sum != hi - lo) : b->n != 0) {
		printf("  blocks end at 0x%llx, want 0x%llx\n", (unsigned long long)at,
		       (unsigned long long)hi);
		return 0;
	}
	return 1;
}

static int blocks_ok(uint64_t base, uint64_t end, unsigned min_bits, unsigned max_bits)
{
	static blocks_t b;
	b.n = 0;
	unsigned count = memmap_blocks(base, end, min_bits, max_bits, collect, &b);
	return blocks_tile(&b, count, base, end, min_bits, max_bits);
}

TEST(memmap_blocks_of_an_aligned_power_of_two_range_is_one_block)
{
	static blocks_t b;
	b.n = 0;
	CHECK_EQ(memmap_blocks(0x200000, 0x400000, 12, 47, collect, &b), 1);
	CHECK_EQ(b.base[0], 0x200000);
	CHECK_EQ(b.bits[0], 21);
}

TEST(memmap_blocks_of_an_odd_range_grow_then_shrink)
{
	/* 0x1000..0x7ff000: 4 KiB up to 2 MiB on the way to 4 MiB, then down again. */
	static blocks_t b;
	b.n = 0;
	unsigned count = memmap_blocks(0x1000, 0x7ff000, 12, 47, collect, &b);
	CHECK(blocks_tile(&b, count, 0x1000, 0x7ff000, 12, 47));
	CHECK_EQ(count, 20);
	CHECK_EQ(b.bits[0], 12);
	CHECK_EQ(b.bits[9], 21);
	CHECK_EQ(b.base[10], 0x400000);
	CHECK_EQ(b.bits[10], 21);
	CHECK_EQ(b.bits[19], 12);
}

TEST(memmap_blocks_cover_odd_ranges_exactly)
{
	CHECK(blocks_ok(0x100000, 0x7fe0000, 12, 47));
	CHECK(blocks_ok(0x1000, 0x7ff000, 12, 47));
	CHECK(blocks_ok(0x9f000, 0xbfee0000, 12, 47));
	CHECK(blocks_ok(0x100000000ULL, 0x43ffff000ULL, 12, 47));
	CHECK(blocks_ok(0xfee01000ULL, 0x1000000000000ULL, 12, 47));
}

TEST(memmap_blocks_round_unaligned_edges_inward_to_the_minimum_size)
{
	static blocks_t b;
	b.n = 0;
	unsigned count = memmap_blocks(0x1234, 0x5678, 12, 47, collect, &b);
	CHECK(blocks_tile(&b, count, 0x1234, 0x5678, 12, 47));
	CHECK_EQ(count, 2); /* [0x2000, 0x5000): 8 KiB at 0x2000, 4 KiB at 0x4000 */
	CHECK(blocks_ok(0x1001, 0x100fff, 12, 47));
	CHECK(blocks_ok(0x12345, 0x7654321, 16, 47));
}

TEST(memmap_blocks_of_a_range_smaller_than_the_minimum_emit_nothing)
{
	static blocks_t b;
	b.n = 0;
	CHECK_EQ(memmap_blocks(0x1001, 0x1fff, 12, 47, collect, &b), 0);
	CHECK_EQ(memmap_blocks(0x1800, 0x2800, 12, 47, collect, &b), 0);
	CHECK_EQ(memmap_blocks(0x5000, 0x5000, 12, 47, collect, &b), 0);
	CHECK_EQ(memmap_blocks(0x6000, 0x5000, 12, 47, collect, &b), 0);
	CHECK_EQ(b.n, 0);
}

TEST(memmap_blocks_never_exceed_max_bits)
{
	static blocks_t b;
	b.n = 0;
	unsigned count = memmap_blocks(0, 0x100000, 12, 16, collect, &b);
	CHECK(blocks_tile(&b, count, 0, 0x100000, 12, 16));
	CHECK_EQ(count, 16);
	for (unsigned i = 0; i < b.n; i++)
		CHECK_EQ(b.bits[i], 16);
	CHECK(blocks_ok(0x1000, 0x7ff000, 12, 20));
	CHECK(blocks_ok(0x1000, 0x7ff000, 12, 12));
	CHECK(blocks_ok(0x100000, 0x7fe0000, 14, 14));
}

TEST(memmap_blocks_of_random_ranges_tile_them_exactly)
{
	srand(42);
	for (int i = 0; i < 2000 && !host_test_failed_now; i++) {
		unsigned span_bits = 13 + (unsigned)(rand() % 36); /* up to 2^48 */
		uint64_t r1 = ((uint64_t)rand() << 31) ^ (uint64_t)rand();
		uint64_t r2 = ((uint64_t)rand() << 31) ^ (uint64_t)rand();
		uint64_t base = r1 & ((1ULL << span_bits) - 1);
		uint64_t end = base + (r2 & ((1ULL << span_bits) - 1));
		unsigned min_bits = 12 + (unsigned)(rand() % 4);
		unsigned max_bits = min_bits + (unsigned)(rand() % 36);
		if (max_bits + 10 < span_bits)
			max_bits = span_bits - 10; /* at most ~1,000 blocks of the largest size */
		if (!blocks_ok(base, end, min_bits, max_bits)) {
			printf("  range 0x%llx..0x%llx, bits %u..%u\n", (unsigned long long)base,
			       (unsigned long long)end, min_bits, max_bits);
			CHECK(0);
		}
	}
}

TEST(memmap_blocks_near_the_top_of_the_address_space_do_not_wrap_to_zero)
{
	/* Rounding the base up must not wrap it to 0 and hand out [0, end). */
	static blocks_t b;
	b.n = 0;
	unsigned count =
		memmap_blocks(0xfffffffffffff001ULL, 0xffffffffffffffffULL, 12, 47, collect, &b);
	CHECK_EQ(count, 0);
	CHECK_EQ(b.n, 0);
}
