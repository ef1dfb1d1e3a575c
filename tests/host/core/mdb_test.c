/*
 * The derivation tree: a preorder doubly linked list of slots with depths.
 * A slot's descendants are the slots after it with a greater depth; its
 * parent is the nearest slot before it with a smaller depth. The tests read
 * the tree back through exactly those two rules.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

#include "../../../kernel/core/mdb.c"

/* Whether x is a descendant of y, by the preorder-with-depths rule. */
static int mdb_descends(const cte_t *x, const cte_t *y)
{
	for (const cte_t *d = y->next; d && d->depth > y->depth; d = d->next)
		if (d == x)
			return 1;
	return 0;
}

/* x's parent, by the same rule; NULL for a root. */
static const cte_t *mdb_parent(const cte_t *x)
{
	for (const cte_t *p = x->prev; p; p = p->prev)
		if (p->depth < x->depth)
			return p;
	return NULL;
}

static int is_unlinked(const cte_t *s)
{
	return !s->prev && !s->next && s->depth == 0;
}

/* True when the list starting at head is exactly want[0..n), with the
 * given depths, and its back links agree with its forward links. */
static int list_is(const cte_t *head, const cte_t *const *want, const uint32_t *depth, unsigned n)
{
	if (head->prev)
		return 0;
	const cte_t *s = head;
	for (unsigned i = 0; i < n; i++, s = s->next) {
		if (s != want[i] || s->depth != depth[i])
			return 0;
		if (s->next && s->next->prev != s)
			return 0;
	}
	return s == NULL;
}

#define LIST_IS(head, slots, depths)                                                   \
	do {                                                                           \
		const cte_t *const want_[] = slots;                                    \
		const uint32_t depth_[] = depths;                                      \
		_Static_assert(sizeof(want_) / sizeof(want_[0]) ==                     \
		                       sizeof(depth_) / sizeof(depth_[0]),             \
		               "one depth per slot");                                  \
		CHECK(list_is(head, want_, depth_, sizeof(want_) / sizeof(want_[0]))); \
	} while (0)
#define L(...)              \
	{                   \
		__VA_ARGS__ \
	}

TEST(mdb_make_root_leaves_an_unlinked_slot_at_depth_zero)
{
	cte_t s;
	memset(&s, 0xff, sizeof(s));
	mdb_make_root(&s);
	CHECK(is_unlinked(&s));
	CHECK(!mdb_has_children(&s));
}

TEST(mdb_insert_child_follows_its_parent_one_level_deeper)
{
	cte_t p, a;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	LIST_IS(&p, L(&p, &a), L(0, 1));
	CHECK(mdb_has_children(&p));
	CHECK(!mdb_has_children(&a));
	CHECK(mdb_descends(&a, &p));
	CHECK(!mdb_descends(&p, &a));
}

TEST(mdb_later_child_is_inserted_before_earlier_siblings)
{
	cte_t p, a, b;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&p, &b);
	LIST_IS(&p, L(&p, &b, &a), L(0, 1, 1));
	CHECK(mdb_parent(&a) == &p);
	CHECK(mdb_parent(&b) == &p);
	CHECK(!mdb_descends(&a, &b));
	CHECK(!mdb_descends(&b, &a));
}

TEST(mdb_grandchildren_nest_under_their_own_parent)
{
	cte_t p, a, b, a1, a2, b1;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&p, &b);
	mdb_insert_child(&b, &b1);
	mdb_insert_child(&a, &a2);
	LIST_IS(&p, L(&p, &b, &b1, &a, &a2, &a1), L(0, 1, 2, 1, 2, 2));
	CHECK(mdb_parent(&a1) == &a);
	CHECK(mdb_parent(&a2) == &a);
	CHECK(mdb_parent(&b1) == &b);
	CHECK(mdb_descends(&a1, &p));
	CHECK(!mdb_descends(&a1, &b));
	CHECK(!mdb_descends(&b1, &a));
}

TEST(mdb_has_children_only_when_the_next_slot_is_deeper)
{
	cte_t p, a, b, a1;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&p, &b);
	/* P, B, A, A1 */
	CHECK(mdb_has_children(&p));
	CHECK(!mdb_has_children(&b)); /* followed by a sibling */
	CHECK(mdb_has_children(&a));
	CHECK(!mdb_has_children(&a1)); /* last in the list */
}

TEST(mdb_remove_of_a_leaf_unlinks_only_it)
{
	cte_t p, a, b, c;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&p, &b);
	mdb_insert_child(&p, &c);
	mdb_remove(&b);
	LIST_IS(&p, L(&p, &c, &a), L(0, 1, 1));
	CHECK(is_unlinked(&b));
	mdb_remove(&a); /* the tail */
	LIST_IS(&p, L(&p, &c), L(0, 1));
	CHECK(is_unlinked(&a));
}

TEST(mdb_remove_moves_children_up_to_the_grandparent_not_to_a_sibling)
{
	cte_t p, a, a1, b;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&p, &b);
	LIST_IS(&p, L(&p, &b, &a, &a1), L(0, 1, 1, 2));
	mdb_remove(&a);
	LIST_IS(&p, L(&p, &b, &a1), L(0, 1, 1));
	CHECK(is_unlinked(&a));
	CHECK(mdb_parent(&a1) == &p);
	CHECK(mdb_descends(&a1, &p));
	CHECK(!mdb_descends(&a1, &b));
	CHECK(!mdb_has_children(&b));
}

TEST(mdb_remove_keeps_the_shape_of_a_deep_subtree)
{
	cte_t p, a, a1, a11, a2, b;
	mdb_make_root(&p);
	mdb_insert_child(&p, &b);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&a1, &a11);
	mdb_insert_child(&a, &a2);
	LIST_IS(&p, L(&p, &a, &a2, &a1, &a11, &b), L(0, 1, 2, 2, 3, 1));
	mdb_remove(&a);
	LIST_IS(&p, L(&p, &a2, &a1, &a11, &b), L(0, 1, 1, 2, 1));
	CHECK(mdb_parent(&a11) == &a1);
	CHECK(mdb_parent(&a2) == &p);
	CHECK(mdb_parent(&b) == &p); /* the sibling after the subtree is untouched */
}

TEST(mdb_remove_of_a_root_makes_its_children_roots)
{
	cte_t r, a, a1, b;
	mdb_make_root(&r);
	mdb_insert_child(&r, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&r, &b);
	mdb_remove(&r);
	CHECK(is_unlinked(&r));
	LIST_IS(&b, L(&b, &a, &a1), L(0, 0, 1));
	CHECK(mdb_parent(&b) == NULL);
	CHECK(mdb_parent(&a) == NULL);
	CHECK(mdb_parent(&a1) == &a);
	CHECK(!mdb_descends(&a, &b));
}

TEST(mdb_move_keeps_position_depth_and_children)
{
	cte_t p, a, a1, b, x;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&p, &b);
	mdb_make_root(&x);
	mdb_move(&a, &x);
	LIST_IS(&p, L(&p, &b, &x, &a1), L(0, 1, 1, 2));
	CHECK(is_unlinked(&a));
	CHECK(mdb_parent(&a1) == &x);
	CHECK(mdb_parent(&x) == &p);
	CHECK(mdb_has_children(&x));
}

TEST(mdb_move_of_the_head_and_the_tail_of_a_list)
{
	cte_t p, a, b, x, y;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&p, &b);
	mdb_make_root(&x);
	mdb_make_root(&y);
	mdb_move(&p, &x);
	LIST_IS(&x, L(&x, &b, &a), L(0, 1, 1));
	CHECK(is_unlinked(&p));
	mdb_move(&a, &y);
	LIST_IS(&x, L(&x, &b, &y), L(0, 1, 1));
	CHECK(is_unlinked(&a));
}

TEST(mdb_move_of_an_unlinked_slot_stays_unlinked)
{
	cte_t s, x;
	mdb_make_root(&s);
	mdb_make_root(&x);
	mdb_move(&s, &x);
	CHECK(is_unlinked(&s));
	CHECK(is_unlinked(&x));
}

/* What cte_revoke does to the tree. Returns how many slots it removed. */
static unsigned revoke(cte_t *slot)
{
	unsigned n = 0;
	while (mdb_has_children(slot)) {
		cte_t *victim = slot->next;
		mdb_remove_in_revoke(victim);
		CHECK(is_unlinked(victim));
		n++;
	}
	return n;
}

TEST(mdb_revoke_deletes_exactly_the_subtree)
{
	/* R, P, B, B1, A, A2, A1, A11, Q, Q1 */
	cte_t r, p, a, a1, a11, a2, b, b1, q, q1;
	mdb_make_root(&r);
	mdb_insert_child(&r, &q);
	mdb_insert_child(&q, &q1);
	mdb_insert_child(&r, &p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&a1, &a11);
	mdb_insert_child(&a, &a2);
	mdb_insert_child(&p, &b);
	mdb_insert_child(&b, &b1);
	LIST_IS(&r, L(&r, &p, &b, &b1, &a, &a2, &a1, &a11, &q, &q1),
	        L(0, 1, 2, 3, 2, 3, 3, 4, 1, 2));
	CHECK_EQ(revoke(&p), 6);
	LIST_IS(&r, L(&r, &p, &q, &q1), L(0, 1, 1, 2));
	CHECK(!mdb_has_children(&p));
	CHECK(mdb_parent(&q1) == &q);
}

TEST(mdb_revoke_of_a_leaf_deletes_nothing)
{
	cte_t p, a, b;
	mdb_make_root(&p);
	mdb_insert_child(&p, &a);
	mdb_insert_child(&p, &b);
	CHECK_EQ(revoke(&b), 0);
	LIST_IS(&p, L(&p, &b, &a), L(0, 1, 1));
}

TEST(mdb_revoke_of_a_root_empties_its_list)
{
	cte_t r, a, a1, b;
	mdb_make_root(&r);
	mdb_insert_child(&r, &a);
	mdb_insert_child(&a, &a1);
	mdb_insert_child(&r, &b);
	CHECK_EQ(revoke(&r), 3);
	CHECK(is_unlinked(&r));
}

/*
 * Random operations on a pool of slots, against a reference model that
 * keeps plain parent pointers. After every operation the list must link up
 * both ways, unlinked slots must have no links, and "is X a descendant of Y"
 * and "who is X's parent" must agree with the model.
 */
#define POOL 200
#define NONE (-1)

static cte_t pool[POOL];
static int model_linked[POOL];
static int model_parent[POOL];

static uint64_t rng_state;

static unsigned rng(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

static int model_descends(int x, int y)
{
	for (int a = model_parent[x]; a != NONE; a = model_parent[a])
		if (a == y)
			return 1;
	return 0;
}

/* A random slot that is (or is not) in a tree; NONE when there is none. */
static int pick(int linked)
{
	int start = (int)rng(POOL);
	for (int i = 0; i < POOL; i++) {
		int s = (start + i) % POOL;
		if (model_linked[s] == linked)
			return s;
	}
	return NONE;
}

static int pool_consistent(void)
{
	for (int i = 0; i < POOL; i++) {
		cte_t *s = &pool[i];
		if (!model_linked[i]) {
			if (!is_unlinked(s))
				return 0;
			continue;
		}
		if ((s->next && s->next->prev != s) || (s->prev && s->prev->next != s))
			return 0;
		const cte_t *p = mdb_parent(s);
		if (p != (model_parent[i] == NONE ? NULL : &pool[model_parent[i]]))
			return 0;
	}
	return 1;
}

TEST(mdb_random_operations_match_a_parent_pointer_model)
{
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < POOL; i++) {
		mdb_make_root(&pool[i]);
		model_linked[i] = 0;
		model_parent[i] = NONE;
	}
	unsigned counts[5] = {0}, most_linked = 0, deepest = 0;
	for (int op = 0; op < 10000 && !host_test_failed_now; op++) {
		unsigned kind = rng(20);
		int x = pick(1), fresh = pick(0);
		if (x == NONE || kind < 2) {
			/* A new root. */
			if (fresh == NONE)
				continue;
			mdb_make_root(&pool[fresh]);
			model_linked[fresh] = 1;
			model_parent[fresh] = NONE;
			counts[0]++;
		} else if (kind < 10) {
			/* A copy or a retype: a new child of x. */
			if (fresh == NONE)
				continue;
			mdb_insert_child(&pool[x], &pool[fresh]);
			model_linked[fresh] = 1;
			model_parent[fresh] = x;
			counts[1]++;
		} else if (kind < 15) {
			/* Delete x: its children now hang from x's parent. */
			mdb_remove(&pool[x]);
			for (int i = 0; i < POOL; i++)
				if (model_linked[i] && model_parent[i] == x)
					model_parent[i] = model_parent[x];
			model_linked[x] = 0;
			model_parent[x] = NONE;
			counts[2]++;
		} else if (kind < 18) {
			/* Move x into a free slot. */
			if (fresh == NONE)
				continue;
			mdb_move(&pool[x], &pool[fresh]);
			for (int i = 0; i < POOL; i++)
				if (model_linked[i] && model_parent[i] == x)
					model_parent[i] = fresh;
			model_linked[fresh] = 1;
			model_parent[fresh] = model_parent[x];
			model_linked[x] = 0;
			model_parent[x] = NONE;
			counts[3]++;
		} else {
			/* Revoke x: every descendant goes, x stays. */
			unsigned want = 0;
			int doomed[POOL];
			for (int i = 0; i < POOL; i++) {
				doomed[i] = model_linked[i] && model_descends(i, x);
				want += (unsigned)doomed[i];
			}
			CHECK_EQ(revoke(&pool[x]), want);
			for (int i = 0; i < POOL; i++)
				if (doomed[i]) {
					model_linked[i] = 0;
					model_parent[i] = NONE;
				}
			counts[4]++;
		}
		CHECK(pool_consistent());
		unsigned linked = 0;
		for (int i = 0; i < POOL; i++) {
			linked += (unsigned)model_linked[i];
			if (pool[i].depth > deepest)
				deepest = pool[i].depth;
		}
		if (linked > most_linked)
			most_linked = linked;
		/* Every slot against one random ancestor candidate, both ways round. */
		int y = pick(1);
		for (int i = 0; y != NONE && i < POOL; i++)
			if (model_linked[i]) {
				CHECK_EQ(mdb_descends(&pool[i], &pool[y]), model_descends(i, y));
				CHECK_EQ(mdb_descends(&pool[y], &pool[i]), model_descends(y, i));
			}
	}
	/* Every kind of operation ran often enough, on trees big and deep
	 * enough, to mean something. */
	for (int k = 0; k < 5; k++)
		CHECK(counts[k] > 200);
	CHECK(most_linked >= 50);
	CHECK(deepest >= 4);
}
