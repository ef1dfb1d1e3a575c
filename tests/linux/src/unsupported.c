/* System calls that do not exist: ENOSYS, and the program goes on. (Not
 * the unassigned 335..423: some hosts' filters kill a process for those.) */
#include "linux_test.h"

#include <unistd.h>

int main(void)
{
	test_begin("unsupported");
	check("syscall 999", syscall(999));
	check("syscall 100000", syscall(100000));
	check("syscall -1", syscall(-1));
	check("still running after ENOSYS", 0);
	test_end();
	return 0;
}
