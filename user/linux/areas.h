#ifndef LINUX_AREAS_H
#define LINUX_AREAS_H

/*
 * The memory areas of a Linux process, as Linux keeps its VMAs: ranges of
 * whole pages, each with its protection (PROT_READ, PROT_WRITE,
 * PROT_EXEC), in address order, never overlapping, and neighbours with the
 * same protection joined into one. mmap, munmap, mprotect, brk and mremap
 * change them; a page fault or a copy into the process asks them whether
 * the access is allowed. Pure bookkeeping: no IPC (memory.c tells proc
 * about the pages), so host tests drive it directly
 * (tests/host/linux/areas_test.c).
 *
 * A list holds at most LX_AREA_MAX areas, as Linux's max_map_count bounds
 * its VMAs: a change that would need more (an unmap or a protection change
 * that splits an area, a mapping that joins nothing) is refused and leaves
 * the list as it was, and the system call answers ENOMEM.
 */
#include <stdbool.h>
#include <stdint.h>

#define LX_AREA_MAX 256
/* In an area's prot: MAP_SHARED anonymous memory, which a fork shares
 * writable instead of copying; kept through protection changes. */
#define LX_AREA_SHARED 0x10000000u

typedef struct lx_area {
	uint64_t start, end; /* [start, end), page-aligned */
	uint32_t prot;       /* LX_PROT_READ | _WRITE | _EXEC bits (0: PROT_NONE), LX_AREA_SHARED */
} lx_area_t;

typedef struct lx_areas {
	unsigned count;
	lx_area_t area[LX_AREA_MAX];
} lx_areas_t;

/* No areas at all. */
void lx_areas_clear(lx_areas_t *s);
/* The area holding addr, or NULL. */
const lx_area_t *lx_areas_find(const lx_areas_t *s, uint64_t addr);
/* Whether some area meets [start, end). */
bool lx_areas_overlap(const lx_areas_t *s, uint64_t start, uint64_t end);
/* Where the areas from start on stop covering [start, end) without a
 * hole: end when they cover it all, start when no area holds start. */
uint64_t lx_areas_covered_until(const lx_areas_t *s, uint64_t start, uint64_t end);
/* The highest free range of size bytes within [low, high), in *at; false
 * when no gap is that large. */
bool lx_areas_find_gap(const lx_areas_t *s, uint64_t low, uint64_t high, uint64_t size,
                       uint64_t *at);
/* Bytes in all the areas. */
uint64_t lx_areas_size(const lx_areas_t *s);

/* The changes: false, with s unchanged, when the result would need more
 * than LX_AREA_MAX areas. [start, end) is page-aligned and start < end. */
/* [start, end) becomes one area of prot, whatever was there before. */
bool lx_areas_map(lx_areas_t *s, uint64_t start, uint64_t end, uint32_t prot);
/* Nothing is left in [start, end); areas reaching into it are cut. */
bool lx_areas_unmap(lx_areas_t *s, uint64_t start, uint64_t end);
/* What areas there are in [start, end) get prot (and keep LX_AREA_SHARED);
 * holes stay holes. */
bool lx_areas_protect(lx_areas_t *s, uint64_t start, uint64_t end, uint32_t prot);

#endif
