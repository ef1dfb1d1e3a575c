/*
 * Byte rings. head and tail run freely and wrap at 2^32; the ring size is
 * a power of two, so head - tail is the fill level and index & (size - 1)
 * the position.
 */
#include <atoll_rt/string.h>

#include "uart16550.h"

#define MASK (UART_RING_SIZE - 1)

_Static_assert((UART_RING_SIZE & MASK) == 0, "the ring size must be a power of two");

size_t ring_count(const ring_t *r)
{
	return r->head - r->tail;
}

size_t ring_space(const ring_t *r)
{
	return UART_RING_SIZE - ring_count(r);
}

size_t ring_put(ring_t *r, const void *src, size_t n)
{
	const uint8_t *p = src;
	size_t space = ring_space(r);
	if (n > space)
		n = space;
	size_t at = r->head & MASK;
	size_t first = n < UART_RING_SIZE - at ? n : UART_RING_SIZE - at;
	memcpy(r->buf + at, p, first);
	memcpy(r->buf, p + first, n - first);
	r->head += n;
	return n;
}

size_t ring_get(ring_t *r, void *dst, size_t n)
{
	uint8_t *p = dst;
	size_t count = ring_count(r);
	if (n > count)
		n = count;
	size_t at = r->tail & MASK;
	size_t first = n < UART_RING_SIZE - at ? n : UART_RING_SIZE - at;
	memcpy(p, r->buf + at, first);
	memcpy(p + first, r->buf, n - first);
	r->tail += n;
	return n;
}

bool ring_put_byte(ring_t *r, uint8_t c)
{
	if (!ring_space(r))
		return false;
	r->buf[r->head++ & MASK] = c;
	return true;
}

bool ring_get_byte(ring_t *r, uint8_t *c)
{
	if (!ring_count(r))
		return false;
	*c = r->buf[r->tail++ & MASK];
	return true;
}
