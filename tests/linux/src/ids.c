/* Process and user identity. Values that legitimately differ between the
 * host and Atoll (pids; the parent is 1 on Atoll) are printed as relations.
 * The uid lines assume the suite runs as root, as on CI. */
#define _GNU_SOURCE /* getresuid, getresgid */
#include "linux_test.h"

#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;
	int tid_word;
	pid_t pid = getpid();
	long tid = syscall(SYS_gettid);

	test_begin("ids");
	check_yes("getpid is positive", pid > 0);
	check_yes("gettid equals getpid", tid == pid);
	check_yes("getppid is positive", getppid() > 0);
	check_yes("getppid differs from getpid", getppid() != pid);
	check_yes("getpid is stable", getpid() == pid);
	check_yes("set_tid_address returns the tid",
	          syscall(SYS_set_tid_address, &tid_word) == tid);

	check_yes("uid is root", getuid() == 0);
	check_yes("euid is root", geteuid() == 0);
	check_yes("gid is root", getgid() == 0);
	check_yes("egid is root", getegid() == 0);
	check("getresuid", getresuid(&ruid, &euid, &suid));
	check_yes("getresuid agrees", ruid == getuid() && euid == geteuid() && suid == geteuid());
	check("getresgid", getresgid(&rgid, &egid, &sgid));
	check_yes("getresgid agrees", rgid == getgid() && egid == getegid() && sgid == getegid());
	check("getresuid bad pointer", syscall(SYS_getresuid, (void *)1, &euid, &suid));

	/* Root may or may not have supplementary groups (0 itself): either way
	 * only gid 0, and the count agrees with the list. */
	gid_t groups[4];
	int ngroups = getgroups(0, NULL), got = getgroups(4, groups);
	int only_root = got >= 0;
	for (int i = 0; i < got; i++)
		only_root &= groups[i] == 0;
	check_yes("getgroups agrees with its count", ngroups == got);
	check_yes("getgroups lists root's group only", only_root);
	check("getgroups negative size", syscall(SYS_getgroups, -1, groups));

	check("sched_yield", sched_yield());
	test_end();
	return 0;
}
