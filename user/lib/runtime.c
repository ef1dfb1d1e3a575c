#include <atoll/bootinfo.h>
#include <atoll_rt/objects.h>
#include <atoll_rt/print.h>
#include <atoll_rt/runtime.h>

atoll_ipc_buffer_t *atoll_ipc_buffer_ptr = (atoll_ipc_buffer_t *)ATOLL_ROOT_IPC_BUFFER_VADDR;

__attribute__((weak)) _Noreturn void atoll_exit(int status)
{
	printf("program exited with status %d\n", status);
	for (;;)
		tcb_suspend(ATOLL_SLOT_TCB);
}
