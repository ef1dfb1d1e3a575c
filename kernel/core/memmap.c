#include <core/memmap.h>

void memmap_init(memmap_t *m)
{
	m->nfree = 0;
	m->overflow = false;
}

static void remove_at(memmap_t *m, unsigned i)
{
	for (; i + 1 < m->nfree; i++)
		m->free[i] = m->free[i + 1];
	m->nfree--;
}

static void insert_at(memmap_t *m, unsigned i, uint64_t base, uint64_t end)
{
	if (m->nfree == MEMMAP_MAX_RANGES) {
		m->overflow = true;
		return;
	}
	for (unsigned j = m->nfree; j > i; j--)
		m->free[j] = m->free[j - 1];
	m->free[i] = (mem_range_t){base, end};
	m->nfree++;
}

void memmap_add(memmap_t *m, uint64_t base, uint64_t end)
{
	if (end <= base)
		return;
	unsigned i = 0;
	while (i < m->nfree && m->free[i].end < base)
		i++;
	/* Merge every range that overlaps or touches [base, end). */
	while (i < m->nfree && m->free[i].base <= end) {
		if (m->free[i].base < base)
			base = m->free[i].base;
		if (m->free[i].end > end)
			end = m->free[i].end;
		remove_at(m, i);
	}
	insert_at(m, i, base, end);
}

void memmap_reserve(memmap_t *m, uint64_t base, uint64_t end)
{
	if (end <= base)
		return;
	for (unsigned i = 0; i < m->nfree;) {
		mem_range_t r = m->free[i];
		if (r.end <= base || r.base >= end) {
			i++;
			continue;
		}
		remove_at(m, i);
		if (r.base < base)
			insert_at(m, i++, r.base, base);
		if (r.end > end)
			insert_at(m, i++, end, r.end);
	}
}

uint64_t memmap_alloc(memmap_t *m, uint64_t size, uint64_t align)
{
	for (unsigned i = 0; i < m->nfree; i++) {
		uint64_t base = (m->free[i].base + align - 1) & ~(align - 1);
		if (base >= m->free[i].base && base + size <= m->free[i].end &&
		    base + size > base) {
			memmap_reserve(m, base, base + size);
			return base;
		}
	}
	return 0;
}

uint64_t memmap_total(const memmap_t *m)
{
	uint64_t total = 0;
	for (unsigned i = 0; i < m->nfree; i++)
		total += m->free[i].end - m->free[i].base;
	return total;
}

unsigned memmap_blocks(uint64_t base, uint64_t end, unsigned min_bits, unsigned max_bits,
                       void (*emit)(void *ctx, uint64_t base, unsigned bits), void *ctx)
{
	uint64_t min = 1ULL << min_bits;
	unsigned count = 0;
	uint64_t rounded = (base + min - 1) & ~(min - 1);
	if (rounded < base)
		return 0; /* no whole block fits below the top of the address space */
	base = rounded;
	end &= ~(min - 1);
	while (base < end) {
		unsigned bits = max_bits;
		/* The block must be aligned to its size and fit before end. */
		while (bits > min_bits &&
		       ((base & ((1ULL << bits) - 1)) || end - base < (1ULL << bits)))
			bits--;
		emit(ctx, base, bits);
		count++;
		base += 1ULL << bits;
	}
	return count;
}
