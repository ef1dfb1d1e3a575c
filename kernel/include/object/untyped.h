#ifndef OBJECT_UNTYPED_H
#define OBJECT_UNTYPED_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Where count objects of 2^obj_bits bytes go in an untyped of 2^untyped_bits
 * bytes whose first watermark bytes are used: at the first address aligned
 * to their size. False when they do not fit. Pure: tested on the host.
 */
static inline bool untyped_carve(uint64_t watermark, unsigned untyped_bits, unsigned obj_bits,
                                 uint64_t count, uint64_t *start)
{
	if (obj_bits > untyped_bits || untyped_bits > 63)
		return false;
	uint64_t size = 1ULL << untyped_bits, align = 1ULL << obj_bits;
	if (watermark > size)
		return false;
	uint64_t first = (watermark + align - 1) & ~(align - 1);
	if (first > size || count > ((size - first) >> obj_bits))
		return false;
	*start = first;
	return true;
}

#endif
