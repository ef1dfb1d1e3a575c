#include <atoll/bootinfo.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/proc.h>
#include <atoll_rt/runtime.h>

atoll_ipc_buffer_t *atoll_ipc_buffer_ptr = (atoll_ipc_buffer_t *)ATOLL_ROOT_IPC_BUFFER_VADDR;
uint64_t atoll_started_by;

_Noreturn void atoll_exit(int status)
{
	if (atoll_started_by == PROC_START_MAGIC)
		proc_exit(status);
	/* The root task has no one to report to: its thread just stops. */
	for (;;)
		tcb_suspend(ATOLL_SLOT_TCB);
}
