/*
 * Child processes for the cross-address-space tests. The child is this same
 * ELF: atoll_main sees a small argument and runs child_main(role) in a
 * separate CSpace and VSpace, where only the capabilities the parent gave
 * it exist (see enum child_role in ktest.h). A child never returns: it
 * suspends itself when done and the parent deletes it.
 */
#include "ktest.h"

static void call_parent(uint64_t w0, uint64_t w1)
{
	atoll_msg_t m = {.info = atoll_msginfo(0, 0, 2), .w = {w0, w1}};
	atoll_call(CHILD_SLOT_EP, &m);
}

int child_main(uint64_t role)
{
	switch (role) {
	case CHILD_ECHO: {
		atoll_msg_t m = {.info = atoll_msginfo(0, 0, 1), .w = {0x1234}};
		atoll_call(CHILD_SLOT_EP, &m);
		if (m.w[0] != 0x5678)
			printf("child: unexpected reply %lx\n", m.w[0]);
		break;
	}
	case CHILD_LINUX_GETPID:
		call_parent(ktest_linux_syscall(39, 0, 0, 0, 0, 0, 0), 0);
		break;
	case CHILD_RECV_CAP: {
		atoll_ipc_buffer_ptr->recv_cnode = PROCESS_SLOT_CNODE;
		atoll_ipc_buffer_ptr->recv_index = CHILD_SLOT_RECV;
		atoll_msg_t m = {0};
		atoll_recv(CHILD_SLOT_EP, 0, &m);
		atoll_error_t err = atoll_signal(CHILD_SLOT_RECV);
		call_parent(atoll_msginfo_caps(m.info) | (uint64_t)err << 8,
		            atoll_ipc_buffer_ptr->recv_badges[0]);
		break;
	}
	case CHILD_READ_UNMAPPED:
		call_parent(ktest_read64(CHILD_UNMAPPED_VA), 0);
		break;
	case CHILD_IOPORT: {
		atoll_error_t err = ioport_open(CHILD_SLOT_EXTRA, PROCESS_SLOT_VSPACE);
		call_parent(err, err ? 0 : ktest_inb(0x3fd));
		break;
	}
	case CHILD_INB_CLOSED:
		call_parent(ktest_inb(0x3fd), 0);
		break;
	case CHILD_STD_UD2:
		ktest_std_ud2();
		break;
	default:
		break;
	}
	for (;;)
		tcb_suspend(PROCESS_SLOT_TCB);
	return 0;
}

atoll_error_t child_create(process_t *p, unsigned role, unsigned prio, uint64_t fault_ep,
                           uint64_t ep)
{
	memset(p, 0, sizeof(*p));
	atoll_error_t err = process_create(p, (const void *)bi->modules[0].vaddr,
	                                   bi->modules[0].size, 6, prio, fault_ep, role);
	if (err)
		return err;
	return cnode_copy(p->cnode, CHILD_SLOT_EP, ATOLL_SLOT_CNODE, ep, ATOLL_RIGHTS_ALL);
}

/* Revoke first: the child's CNode holds copies of its own caps, which would
 * keep the objects alive after the parent's capabilities are gone. */
static void destroy_cap(uint64_t slot)
{
	if (!slot)
		return;
	cnode_revoke(ATOLL_SLOT_CNODE, slot);
	release(slot);
}

void child_destroy(process_t *p)
{
	if (p->tcb)
		tcb_suspend(p->tcb);
	destroy_cap(p->tcb);
	destroy_cap(p->cnode);
	destroy_cap(p->vspace);
	memset(p, 0, sizeof(*p));
}
