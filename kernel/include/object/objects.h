#ifndef OBJECT_OBJECTS_H
#define OBJECT_OBJECTS_H

/* The per-type entry points that objecttype.c dispatches to. */
#include <atoll/errors.h>
#include <object/structures.h>

atoll_error_t untyped_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length);
atoll_error_t cnode_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length);
atoll_error_t tcb_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                         unsigned *out_len);
atoll_error_t page_table_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length);
atoll_error_t frame_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                           unsigned *out_len);
atoll_error_t irq_control_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                                 unsigned *out_len);
atoll_error_t irq_handler_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length);
atoll_error_t ioport_control_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length);
atoll_error_t ioport_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length);
atoll_error_t vspace_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                            unsigned *out_len);

atoll_error_t tcb_invoke_resume(tcb_t *t);

/* Initialise a freshly retyped, zeroed object. */
void tcb_init(tcb_t *t);
void vspace_init(vspace_t *vs);
void cnode_init(cte_t *slots, unsigned radix);

/* The last capability to an object is gone. */
void tcb_finalize(tcb_t *t);
void vspace_finalize(vspace_t *vs);
void cnode_finalize(cnode_header_t *h);
/* One capability to a frame or page table is gone: remove its mapping. */
void frame_unmap_cap(cap_t *cap);
void page_table_unmap_cap(cap_t *cap);
uint32_t *irq_handler_refs(const cap_t *cap);
void irq_handler_finalize(const cap_t *cap);
/* A notification is going away: no interrupt may signal it any more. */
void irq_notification_gone(notification_t *n);
void ioport_close_cap(cap_t *cap);

/* Can count more VSpaces get an address-space identifier? */
bool vspace_asids_available(uint64_t count);
/* Retype support: may this untyped make objects of this type and size? */
atoll_error_t object_size_bits(unsigned type, unsigned size_bits, unsigned *bits_out);

#endif
