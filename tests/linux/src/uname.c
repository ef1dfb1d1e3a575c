/* uname: only the fields Atoll and Linux agree on are printed; the others
 * (release, version, nodename) are checked for termination only. */
#define _GNU_SOURCE /* utsname.domainname */
#include "linux_test.h"

#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

static int terminated(const char *field, size_t size)
{
	return memchr(field, '\0', size) != NULL;
}

int main(void)
{
	struct utsname u;

	test_begin("uname");
	memset(&u, 0xff, sizeof(u));
	check("uname", uname(&u));
	printf("sysname: %s\n", u.sysname);
	printf("machine: %s\n", u.machine);
	check_yes("every field is NUL-terminated",
	          terminated(u.sysname, sizeof(u.sysname)) &&
	                  terminated(u.nodename, sizeof(u.nodename)) &&
	                  terminated(u.release, sizeof(u.release)) &&
	                  terminated(u.version, sizeof(u.version)) &&
	                  terminated(u.machine, sizeof(u.machine)) &&
	                  terminated(u.domainname, sizeof(u.domainname)));
	check_yes("release is not empty", u.release[0] != '\0');
	check("uname NULL", syscall(SYS_uname, NULL));
	check("uname bad pointer", syscall(SYS_uname, (void *)1));
	test_end();
	return 0;
}
