/*
 * Interrupts for user-level drivers. IRQ control issues one handler
 * capability per interrupt source (an IOAPIC pin, or an MSI vector for a PCI
 * device); the handler names a notification that each interrupt signals.
 * A level-triggered pin is masked from its interrupt until the driver's
 * ACK, so its device cannot storm the CPU while the driver is busy. An edge-
 * triggered pin stays unmasked: the IOAPIC drops edges that arrive while a
 * pin is masked, and a driver would lose interrupts.
 */
#include <atoll/invocations.h>
#include <core/cspace.h>
#include <core/message.h>
#include <object/irq.h>
#include <object/notification.h>
#include <object/objects.h>
#include <object/objecttype.h>
#include <plat/apic.h>
#include <plat/irq_vectors.h>

typedef struct irq_source {
	notification_t *notification;
	uint64_t badge;
	uint32_t refs; /* handler capabilities; 0: not issued */
	uint32_t gsi;
	uint8_t is_gsi;
	uint8_t level; /* level-triggered: masked between interrupt and ACK */
} irq_source_t;

static irq_source_t sources[256];

uint32_t *irq_handler_refs(const cap_t *cap)
{
	return &sources[cap->data & 0xff].refs;
}

void irq_handler_finalize(const cap_t *cap)
{
	irq_source_t *s = &sources[cap->data & 0xff];
	if (s->is_gsi)
		ioapic_set_masked(s->gsi, true);
	s->notification = NULL;
}

void irq_notification_gone(notification_t *n)
{
	for (unsigned v = 0; v < 256; v++)
		if (sources[v].notification == n) {
			sources[v].notification = NULL;
			if (sources[v].is_gsi)
				ioapic_set_masked(sources[v].gsi, true);
		}
}

void irq_dispatch(unsigned vector)
{
	irq_source_t *s = &sources[vector & 0xff];
	if (s->is_gsi && (s->level || !s->notification))
		ioapic_set_masked(s->gsi, true);
	if (s->notification)
		notification_signal(s->notification, s->badge);
	lapic_eoi();
}

static atoll_error_t issue(tcb_t *caller, uint64_t cnode, uint64_t index, unsigned vector)
{
	cte_t *dst;
	atoll_error_t err = cspace_lookup_in_cnode(caller, cnode, index, ATOLL_RIGHT_WRITE, &dst);
	if (err)
		return err;
	if (!cap_is_null(&dst->cap))
		return ATOLL_E_SLOT_OCCUPIED;
	if (sources[vector].refs)
		return ATOLL_E_BUSY;
	cap_install(
		NULL, dst,
		(cap_t){.type = ATOLL_OBJ_IRQ_HANDLER, .rights = ATOLL_RIGHTS_ALL, .data = vector});
	return ATOLL_E_OK;
}

atoll_error_t irq_control_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length,
                                 unsigned *out_len)
{
	if (label == ATOLL_IRQ_CONTROL_ISSUE_IOAPIC) {
		if (length < 5)
			return ATOLL_E_INVALID_ARG;
		uint64_t gsi = msg_get(caller, 0);
		if (gsi >= IRQ_MAX_GSI || gsi >= ioapic_gsi_limit())
			return ATOLL_E_RANGE;
		unsigned vector = IRQ_VECTOR_GSI_BASE + gsi;
		atoll_error_t err = issue(caller, msg_get(caller, 3), msg_get(caller, 4), vector);
		if (err)
			return err;
		if (ioapic_route(gsi, vector, msg_get(caller, 1) != 0, msg_get(caller, 2) != 0) < 0)
			return ATOLL_E_RANGE; /* cannot happen: gsi is below the limit */
		ioapic_set_masked(gsi, true);
		sources[vector].is_gsi = 1;
		sources[vector].gsi = gsi;
		sources[vector].level = msg_get(caller, 1) != 0;
		return ATOLL_E_OK;
	}
	if (label == ATOLL_IRQ_CONTROL_ISSUE_MSI) {
		if (length < 2)
			return ATOLL_E_INVALID_ARG;
		unsigned v = IRQ_VECTOR_MSI_BASE;
		while (v <= IRQ_VECTOR_MSI_LAST && sources[v].refs)
			v++;
		if (v > IRQ_VECTOR_MSI_LAST)
			return ATOLL_E_BUSY;
		atoll_error_t err = issue(caller, msg_get(caller, 0), msg_get(caller, 1), v);
		if (err)
			return err;
		sources[v].is_gsi = 0;
		/* MSI address: the local APIC of CPU lapic_id, fixed delivery, edge. */
		msg_set(caller, 0, 0xFEE00000ULL | ((uint64_t)lapic_id() << 12));
		msg_set(caller, 1, v);
		*out_len = 2;
		return ATOLL_E_OK;
	}
	return ATOLL_E_ILLEGAL_OP;
}

atoll_error_t irq_handler_invoke(tcb_t *caller, cte_t *slot, uint64_t label, unsigned length)
{
	irq_source_t *s = &sources[slot->cap.data & 0xff];
	if (label == ATOLL_IRQ_HANDLER_ACK) {
		if (s->is_gsi && s->notification)
			ioapic_set_masked(s->gsi, false);
		return ATOLL_E_OK;
	}
	if (label != ATOLL_IRQ_HANDLER_SET_NOTIFICATION)
		return ATOLL_E_ILLEGAL_OP;
	if (length < 1)
		return ATOLL_E_INVALID_ARG;
	uint64_t cptr = msg_get(caller, 0);
	if (!cptr) {
		s->notification = NULL;
		if (s->is_gsi)
			ioapic_set_masked(s->gsi, true);
		return ATOLL_E_OK;
	}
	cte_t *n;
	atoll_error_t err =
		cspace_lookup_cap(caller, cptr, ATOLL_OBJ_NOTIFICATION, ATOLL_RIGHT_WRITE, &n);
	if (err)
		return err;
	s->notification = (notification_t *)n->cap.obj;
	s->badge = n->cap.data;
	if (s->is_gsi)
		ioapic_set_masked(s->gsi, false);
	return ATOLL_E_OK;
}
