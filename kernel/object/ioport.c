/*
 * I/O ports. A port-range capability, once opened in an address space,
 * clears the range's bits in that VSpace's I/O permission bitmap, which the
 * CPU consults on every in/out of its threads. Deleting the capability
 * closes the range again.
 */
#include <arch/thread_switch.h>
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/message.h>
#include <object/objects.h>
#include <object/objecttype.h>
#include <object/vspace.h>

static unsigned port_first(const cap_t *c)
{
	return c->data & 0xffff;
}
static unsigned port_last(const cap_t *c)
{
	return (c->data >> 16) & 0xffff;
}

static void set_range(vspace_t *vs, unsigned first, unsigned last, bool open)
{
	for (unsigned p = first; p <= last; p++) {
		if (open)
			vs->io_bitmap[p / 8] &= ~(1u << (p % 8));
		else
			vs->io_bitmap[p / 8] |= 1u << (p % 8);
	}
}

void ioport_close_cap(cap_t *cap)
{
	vspace_t *vs = vspace_of_mapping(cap->data2);
	if (vs) {
		set_range(vs, port_first(cap), port_last(cap), false);
		vs->meta.io_ports_open--;
		thread_io_bitmap_changed(vs);
	}
	cap->data2 = 0;
}

atoll_error_t ioport_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length)
{
	if (label != ATOLL_IOPORT_OPEN)
		return ATOLL_E_ILLEGAL_OP;
	if (length < 1)
		return ATOLL_E_INVALID_ARG;
	cte_t *vcap;
	atoll_error_t err =
		cspace_lookup_cap(caller, msg_get(caller, 0), ATOLL_OBJ_VSPACE, 0, &vcap);
	if (err)
		return err;
	vspace_t *vs = (vspace_t *)vcap->cap.obj;
	cap_t *cap = &slot->cap;
	if (cap->data2)
		return ATOLL_E_ALREADY_MAPPED;
	for (unsigned p = port_first(cap); p <= port_last(cap); p++)
		if (!(vs->io_bitmap[p / 8] & (1u << (p % 8))))
			return ATOLL_E_BUSY; /* another capability opened this port here */
	set_range(vs, port_first(cap), port_last(cap), true);
	/* The bitmap bytes that may hold open ports only ever grow. */
	uint16_t lo = port_first(cap) / 8, hi = port_last(cap) / 8 + 1;
	if (vs->meta.io_lo == vs->meta.io_hi) {
		vs->meta.io_lo = lo;
		vs->meta.io_hi = hi;
	}
	if (lo < vs->meta.io_lo)
		vs->meta.io_lo = lo;
	if (hi > vs->meta.io_hi)
		vs->meta.io_hi = hi;
	vs->meta.io_ports_open++;
	cap->data2 = vspace_mapping_id(vs);
	thread_io_bitmap_changed(vs);
	return ATOLL_E_OK;
}

atoll_error_t ioport_control_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length)
{
	if (label != ATOLL_IOPORT_CONTROL_ISSUE)
		return ATOLL_E_ILLEGAL_OP;
	if (length < 4)
		return ATOLL_E_INVALID_ARG;
	uint64_t first = msg_get(caller, 0), last = msg_get(caller, 1);
	if (first > last || last > 0xffff)
		return ATOLL_E_RANGE;
	cte_t *dst;
	atoll_error_t err = cspace_lookup_in_cnode(caller, msg_get(caller, 2), msg_get(caller, 3),
	                                           ATOLL_RIGHT_WRITE, &dst);
	if (err)
		return err;
	if (!cap_is_null(&dst->cap))
		return ATOLL_E_SLOT_OCCUPIED;
	cap_install(NULL, dst,
	            (cap_t){.type = ATOLL_OBJ_IOPORT,
	                    .rights = ATOLL_RIGHTS_ALL,
	                    .data = first | (last << 16)});
	return ATOLL_E_OK;
}
