/* The page map's radix tree, over a pool of host pages that counts what is
 * outstanding, so a cleared map is seen to give every table back. */
#include <stdlib.h>
#include <string.h>

#include "../../../user/proc/pagemap.c"
#include "test.h"

static int pages_out;

void *pool_page(void)
{
	void *page = aligned_alloc(4096, 4096);
	if (page) {
		memset(page, 0, 4096);
		pages_out++;
	}
	return page;
}

void pool_free(void *page)
{
	free(page);
	pages_out--;
}

static atoll_error_t count(uint64_t va, uint64_t *entry, void *ctx)
{
	uint64_t *seen = ctx;
	CHECK(*entry == (va >> 12));
	seen[0]++;
	seen[1] = va;
	return ATOLL_E_OK;
}

static atoll_error_t stop_at_second(uint64_t va, uint64_t *entry, void *ctx)
{
	(void)va;
	(void)entry;
	return ++*(int *)ctx == 2 ? ATOLL_E_BUSY : ATOLL_E_OK;
}

TEST(pagemap_find_sees_only_what_make_made)
{
	pagemap_t map = {0};
	CHECK(pagemap_find(&map, 0x400000) == NULL);
	CHECK(pages_out == 0);
	uint64_t *e = pagemap_make(&map, 0x400000);
	CHECK(e && *e == 0);
	*e = 42;
	CHECK(pagemap_find(&map, 0x400000) == e);
	CHECK(pagemap_find(&map, 0x400fff) == e);  /* the same page */
	CHECK(*pagemap_find(&map, 0x401000) == 0); /* the same table, another page */
	CHECK(pagemap_find(&map, 0x7ff000000000 - 4096) == NULL);
	CHECK(pages_out == 4); /* one table per level */
	pagemap_clear(&map);
	CHECK(pages_out == 0 && map.root == NULL);
}

TEST(pagemap_each_walks_in_order_within_the_range)
{
	pagemap_t map = {0};
	static const uint64_t vas[] = {0x1000,
	                               0x400000,
	                               0x401000,
	                               0x100000000000,
	                               0x7e0000000000 - 0x1000,
	                               0x7ff000000000 - 0x1000};
	for (unsigned i = 0; i < sizeof(vas) / sizeof(vas[0]); i++)
		*pagemap_make(&map, vas[i]) = vas[i] >> 12;
	uint64_t seen[2] = {0};
	CHECK(pagemap_each(&map, 0, 0x7ff000000000, count, seen) == ATOLL_E_OK);
	CHECK(seen[0] == 6 && seen[1] == 0x7ff000000000 - 0x1000);
	memset(seen, 0, sizeof(seen));
	pagemap_each(&map, 0x401000, 0x100000001000, count, seen);
	CHECK(seen[0] == 2 && seen[1] == 0x100000000000);
	memset(seen, 0, sizeof(seen));
	pagemap_each(&map, 0x2000, 0x400000, count, seen); /* between entries */
	CHECK(seen[0] == 0);
	*pagemap_find(&map, 0x400000) = 0; /* an entry cleared is skipped */
	memset(seen, 0, sizeof(seen));
	pagemap_each(&map, 0, 0x7ff000000000, count, seen);
	CHECK(seen[0] == 5);
	int calls = 0;
	CHECK(pagemap_each(&map, 0, 0x7ff000000000, stop_at_second, &calls) == ATOLL_E_BUSY);
	CHECK(calls == 2);
	pagemap_clear(&map);
	CHECK(pages_out == 0);
}

TEST(pagemap_reaches_the_top_of_the_user_half)
{
	pagemap_t map = {0};
	uint64_t *e = pagemap_make(&map, 0x7ffffffff000);
	CHECK(e != NULL);
	*e = 1;
	int calls = 0;
	pagemap_each(&map, 0x7ffffffff000, 0x800000000000, stop_at_second, &calls);
	CHECK(calls == 1);
	pagemap_clear(&map);
	CHECK(pages_out == 0);
}
