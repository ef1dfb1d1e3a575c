#ifndef PROC_POOL_H
#define PROC_POOL_H

/*
 * proc's own bookkeeping pages (page maps, share records, lists of free
 * frames): zeroed 4 KiB pages in proc's address space, made from memory
 * chunks proc takes for itself, so they grow with the processes they
 * describe instead of living in the RAM proc kept at boot.
 */
#include <stdbool.h>
#include <stdint.h>

/* A zeroed page, or NULL when memory is out. */
void *pool_page(void);
/* Give a page back for a later pool_page. */
void pool_free(void *page);

/* A stack of 16-bit references (a process's free book slots), in pool
 * pages. */
typedef struct ref_stack {
	struct ref_page *top;
} ref_stack_t;

bool ref_push(ref_stack_t *s, uint16_t ref); /* false when memory is out */
bool ref_pop(ref_stack_t *s, uint16_t *ref);
void ref_stack_clear(ref_stack_t *s);

#endif
