#include <atoll/bootinfo.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>

atoll_ipc_buffer_t *atoll_ipc_buffer_ptr = (atoll_ipc_buffer_t *)ATOLL_ROOT_IPC_BUFFER_VADDR;
uint64_t atoll_started_by;

atoll_error_t atoll_rpc_receiving(uint64_t cptr, atoll_msg_t *m, uint64_t slot)
{
	atoll_ipc_buffer_ptr->recv_cnode = PROC_SLOT_CNODE;
	atoll_ipc_buffer_ptr->recv_index = slot;
	atoll_error_t err = atoll_rpc(cptr, m);
	atoll_ipc_buffer_ptr->recv_index = 0;
	return err;
}

_Noreturn void atoll_exit(int status)
{
	if (atoll_started_by == PROC_START_MAGIC)
		proc_exit(status);
	/* The root task has no one to report to: its thread just stops. */
	for (;;)
		tcb_suspend(ATOLL_SLOT_TCB);
}
