/* exit(42): atexit handlers run, stdio is flushed, and the status reaches
 * whoever waits (the host's shell; the Atoll runner's exit status). */
#include "linux_test.h"

#include <stdlib.h>

static void at_exit(void)
{
	printf("atexit handler ran\n");
	test_end();
}

int main(void)
{
	test_begin("exit_status");
	check("atexit", atexit(at_exit));
	printf("exiting with 42\n");
	exit(42);
}
