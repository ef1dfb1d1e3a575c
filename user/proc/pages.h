#ifndef PROC_PAGES_H
#define PROC_PAGES_H

/*
 * The pages of a process. proc gives every page itself and records it in
 * the process's page map (pagemap.h): which frame (a capability in one of
 * the process's book CNodes) and what rights the process's manager set.
 *
 * A fork shares every page copy-on-write: parent and child map the same
 * frame read-only, and a share record says which processes map it and
 * whose memory holds it (its owner). The first write by any of them gives
 * the writer its own copy; the last one left maps it writable again. A
 * frame lives in its owner's memory chunks, which are revoked when the
 * owner ends, so an owner that ends first hands each frame others still
 * map over to one of them, by copying it into that process's memory.
 *
 * A page given back (munmap) keeps its frame, unmapped, in the process's
 * list of free frames for its next page: memory returns to the system only
 * when the process ends, but a process that maps and unmaps all its life
 * does not grow.
 */
#include <stddef.h>
#include <stdint.h>

#include "process.h"

/* proc's slots for the work below. */
atoll_error_t pages_init(void);
/* A new page at va with the rights, holding len bytes of src at offset
 * (zeros elsewhere). ALREADY_MAPPED when the process has a page there. */
atoll_error_t pages_add(process_t *p, uint64_t va, unsigned rights, const void *src, size_t offset,
                        size_t len);
/* Whether p has a page at va (mapped or kept unmapped by rights 0), and
 * whether it had one there that was unmapped. */
bool pages_has(const process_t *p, uint64_t va);
bool pages_gone(const process_t *p, uint64_t va);
/* Copy the capability of p's frame at va into proc's slot (unmapped). */
atoll_error_t pages_frame_copy(process_t *p, uint64_t va, uint64_t slot);
/* Keep the capability in proc's slot in one of p's books (page tables). */
atoll_error_t pages_keep(process_t *p, uint64_t slot);

/* The page at va made writable for a write fault (PROC_MAP_ANON). */
atoll_error_t pages_touch(process_t *p, uint64_t va, unsigned rights);
atoll_error_t pages_unmap(process_t *p, uint64_t start, uint64_t end);
atoll_error_t pages_protect(process_t *p, uint64_t start, uint64_t end, unsigned rights);
/* Give child every page of parent, shared copy-on-write. */
atoll_error_t pages_share(process_t *parent, process_t *child);
/* What child, a vfork's, wrote since the fork, copied into parent. */
atoll_error_t pages_copy_back(process_t *child, process_t *parent);
/* Before p's memory is revoked: stop sharing with anyone and forget its
 * pages. */
void pages_release(process_t *p);

#endif
