/*
 * Starting the driver as proc would: a CNode with the driver's service
 * endpoint, its bound notification, PROC_REPLY_COUNT Reply objects, the
 * port range and the IRQ handler; an argument block; rsi = PROC_START_MAGIC.
 * A thread of the test plays proc on the endpoint in the driver's
 * PROC_SLOT_PROC: it accepts NS_REGISTER and reports an exit or a fault.
 */
#include <atoll/proto/proc.h>
#include <atoll_rt/alloc.h>
#include <atoll_rt/print.h>
#include <atoll_rt/string.h>
#include <atoll_rt/thread.h>
#include <atoll_rt/vspace.h>

#include "uarttest.h"

uint64_t service_ep, irq_copy, irq_signal, events;
char registered_prefix[64];

static process_t driver;
static uint64_t proc_ep, proc_reply, registered_cap, gone_cap;
static thread_t proc_thread;
static uint64_t event_caps[64], seen;

uint64_t event_cap(uint64_t bit)
{
	unsigned i = __builtin_ctzll(bit);
	if (!event_caps[i]) {
		uint64_t slot = slot_alloc();
		if (cnode_mint(ATOLL_SLOT_CNODE, slot, ATOLL_SLOT_CNODE, events, ATOLL_RIGHT_WRITE,
		               bit) == ATOLL_E_OK)
			event_caps[i] = slot;
	}
	return event_caps[i];
}

void events_wait(uint64_t bits)
{
	while ((seen & bits) != bits) {
		uint64_t got = 0;
		if (atoll_wait(events, &got))
			return;
		seen |= got;
	}
}

uint64_t events_wait_any(uint64_t bits)
{
	while (!(seen & bits)) {
		uint64_t got = 0;
		if (atoll_wait(events, &got))
			break;
		seen |= got;
	}
	return seen & bits;
}

bool events_seen(uint64_t bits)
{
	uint64_t got = 0;
	if (atoll_poll(events, &got) == ATOLL_E_OK)
		seen |= got;
	return (seen & bits) == bits;
}

/* The fake proc. Its messages are short: register words only, as helper
 * threads must (the runtime's IPC buffer pointer is the main thread's). */
static void fake_proc(void *unused)
{
	for (;;) {
		atoll_msg_t m = {0};
		if (atoll_recv(proc_ep, proc_reply, &m)) {
			printf("uarttest: the fake proc cannot receive\n");
			tcb_suspend(proc_thread.tcb);
		}
		uint64_t label = atoll_msginfo_label(m.info);
		if (m.badge == FAULT_BADGE) {
			printf("uarttest: the driver faulted: fault %lu, words %lx %lx %lx %lx\n",
			       label, m.w[0], m.w[1], m.w[2], m.w[3]);
			atoll_signal(gone_cap);
			continue; /* never answered: the driver stays stopped */
		}
		if (label == PROC_EXIT) {
			printf("uarttest: the driver exited with status %ld\n", (int64_t)m.w[0]);
			atoll_signal(gone_cap);
			continue;
		}
		atoll_error_t err = ATOLL_E_ILLEGAL_OP;
		if (label == NS_REGISTER && m.w[0] < sizeof(registered_prefix) &&
		    m.w[0] <= 8 * (ATOLL_MSG_REGS - 1)) {
			memcpy(registered_prefix, &m.w[1], m.w[0]);
			registered_prefix[m.w[0]] = 0;
			err = ATOLL_E_OK;
		}
		m.info = atoll_msginfo(err, 0, 0);
		atoll_reply(proc_reply, &m);
		if (!err)
			atoll_signal(registered_cap);
	}
}

/* The argument block at PROC_ARGS_VADDR: argc, argv[], NULL, the strings. */
static atoll_error_t give_arguments(const char *const argv[], unsigned argc)
{
	uint64_t frame;
	atoll_error_t err = object_alloc(ATOLL_OBJ_FRAME, 0, &frame);
	if (err || (err = vspace_map(ATOLL_SLOT_VSPACE, frame, SCRATCH_VADDR,
	                             ATOLL_MAP_READ | ATOLL_MAP_WRITE)))
		return err;
	uint64_t *block = (uint64_t *)SCRATCH_VADDR;
	char *strings = (char *)(block + argc + 2);
	block[0] = argc;
	for (unsigned i = 0; i < argc; i++) {
		size_t n = strlen(argv[i]) + 1;
		memcpy(strings, argv[i], n);
		block[1 + i] = PROC_ARGS_VADDR + (uint64_t)(strings - (char *)block);
		strings += n;
	}
	block[1 + argc] = 0;
	frame_unmap(frame);
	return vspace_map(driver.vspace, frame, PROC_ARGS_VADDR, ATOLL_MAP_READ);
}

static atoll_error_t give(uint64_t index, uint64_t slot, unsigned rights)
{
	return cnode_copy(driver.cnode, index, ATOLL_SLOT_CNODE, slot, rights);
}

atoll_error_t driver_start(void)
{
	static const char *const argv[] = {"uart16550", "port=0x3f8", "irq=4", "path=/dev/uart0"};
	if (bi->module_count < 2)
		return ATOLL_E_NOT_FOUND;
	const atoll_module_desc_t *elf = &bi->modules[1];
	uint64_t notification, fault_ep = slot_alloc(), irq = slot_alloc();
	irq_signal = slot_alloc();
	irq_copy = slot_alloc();
	atoll_error_t err;
	if ((err = object_alloc(ATOLL_OBJ_ENDPOINT, 0, &service_ep)) ||
	    (err = object_alloc(ATOLL_OBJ_ENDPOINT, 0, &proc_ep)) ||
	    (err = object_alloc(ATOLL_OBJ_REPLY, 0, &proc_reply)) ||
	    (err = object_alloc(ATOLL_OBJ_NOTIFICATION, 0, &notification)) ||
	    (err = object_alloc(ATOLL_OBJ_NOTIFICATION, 0, &events)))
		return err;
	registered_cap = event_cap(EVENT_REGISTERED);
	gone_cap = event_cap(EVENT_DRIVER_GONE);
	if ((err = cnode_mint(ATOLL_SLOT_CNODE, fault_ep, ATOLL_SLOT_CNODE, proc_ep,
	                      ATOLL_RIGHT_WRITE | ATOLL_RIGHT_GRANT, FAULT_BADGE)) ||
	    (err = process_create(&driver, (const void *)elf->vaddr, elf->size, PROC_CNODE_RADIX,
	                          DRIVER_PRIORITY, fault_ep, PROC_ARGS_VADDR)) ||
	    (err = give_arguments(argv, sizeof(argv) / sizeof(argv[0]))))
		return err;
	if ((err = cnode_mint(driver.cnode, PROC_SLOT_PROC, ATOLL_SLOT_CNODE, proc_ep,
	                      ATOLL_RIGHT_WRITE | ATOLL_RIGHT_GRANT, DRIVER_PID)) ||
	    (err = give(PROC_SLOT_SERVICE, service_ep, ATOLL_RIGHTS_ALL)) ||
	    (err = give(PROC_SLOT_NOTIFICATION, notification, ATOLL_RIGHTS_ALL)) ||
	    (err = tcb_bind_notification(driver.tcb, notification)))
		return err;
	for (unsigned i = 0; i < PROC_REPLY_COUNT; i++) {
		uint64_t reply;
		if ((err = object_alloc(ATOLL_OBJ_REPLY, 0, &reply)) ||
		    (err = cnode_move(driver.cnode, PROC_SLOT_REPLY + i, ATOLL_SLOT_CNODE, reply)))
			return err;
	}
	/* Devices as the manifest grants them: ports first, then the IRQ,
	 * signalling the notification with bit 0 (an ISA pin: edge, high). */
	if ((err = ioport_issue(ATOLL_SLOT_IOPORT_CONTROL, 0x3f8, 0x3ff, driver.cnode,
	                        PROC_SLOT_GRANTS)) ||
	    (err = irq_issue_ioapic(ATOLL_SLOT_IRQ_CONTROL, 4, 0, 0, ATOLL_SLOT_CNODE, irq)) ||
	    (err = cnode_mint(ATOLL_SLOT_CNODE, irq_signal, ATOLL_SLOT_CNODE, notification,
	                      ATOLL_RIGHT_WRITE, UART_IRQ_BIT)) ||
	    (err = irq_set_notification(irq, irq_signal)) ||
	    (err = cnode_copy(ATOLL_SLOT_CNODE, irq_copy, ATOLL_SLOT_CNODE, irq,
	                      ATOLL_RIGHTS_ALL)) ||
	    (err = cnode_move(driver.cnode, PROC_SLOT_GRANTS + 1, ATOLL_SLOT_CNODE, irq)))
		return err;
	uint64_t regs[] = {[ATOLL_REG_RAX] = 0,
	                   [ATOLL_REG_RDI] = PROC_ARGS_VADDR,
	                   [ATOLL_REG_RSI] = PROC_START_MAGIC};
	if ((err = tcb_write_registers(driver.tcb, 0, regs, 3)) ||
	    (err = thread_create(&proc_thread, fake_proc, NULL, FAKE_PROC_PRIORITY, 0, 1)))
		return err;
	return tcb_resume(driver.tcb);
}
