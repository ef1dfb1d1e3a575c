/* Resource limits and prctl's process attributes. The host's limits differ
 * from Atoll's (its descriptor table is far larger), so the checks print
 * relations, and what a program sees after setting limits itself. */
#define _GNU_SOURCE
#include "linux_test.h"

#include <signal.h>

#include <stdint.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

struct raw_rlimit {
	uint64_t cur, max;
};

#define DUPS_MAX 64

/* How many descriptors dup gives before EMFILE (DUPS_MAX at most), all
 * closed again after; -1 for another error. */
static int dups_until_emfile(void)
{
	int fds[DUPS_MAX], n = 0;
	while (n < DUPS_MAX && (fds[n] = dup(1)) >= 0)
		n++;
	int failed_with = errno;
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return n == DUPS_MAX || failed_with == EMFILE ? n : -1;
}

int main(void)
{
	struct rlimit r, saved;
	struct raw_rlimit raw;
	char name[32];

	test_begin("limits");
	check("getrlimit nofile", getrlimit(RLIMIT_NOFILE, &saved));
	check_yes("nofile soft <= hard", saved.rlim_cur <= saved.rlim_max);
	check_yes("nofile is at least 32", saved.rlim_cur >= 32);
	check("getrlimit stack", getrlimit(RLIMIT_STACK, &r));
	check_yes("stack soft <= hard", r.rlim_cur <= r.rlim_max);
	check("raw getrlimit", syscall(SYS_getrlimit, RLIMIT_NOFILE, &raw));
	check_yes("raw getrlimit agrees", raw.cur == saved.rlim_cur && raw.max == saved.rlim_max);
	check("raw getrlimit bad resource", syscall(SYS_getrlimit, 99, &raw));
	check("raw getrlimit bad pointer", syscall(SYS_getrlimit, RLIMIT_NOFILE, (void *)1));
	check("raw setrlimit NULL", syscall(SYS_setrlimit, RLIMIT_NOFILE, NULL));

	r = (struct rlimit){.rlim_cur = 8, .rlim_max = saved.rlim_max};
	check("lower nofile to 8", setrlimit(RLIMIT_NOFILE, &r));
	check("dups before EMFILE", dups_until_emfile());
	pid_t child = fork();
	if (child == 0)
		_exit(dups_until_emfile());
	int status;
	waitpid(child, &status, 0);
	check("a child inherits it, dups", WEXITSTATUS(status));
	r.rlim_cur = r.rlim_max + 1;
	check("soft above hard", setrlimit(RLIMIT_NOFILE, &r));
	check("restore nofile", setrlimit(RLIMIT_NOFILE, &saved));
	check_yes("dups again above 20", dups_until_emfile() > 20);

	struct raw_rlimit want = {5, 6}, old;
	check("prlimit64 self", syscall(SYS_prlimit64, 0, RLIMIT_CORE, &want, &old));
	check("prlimit64 reads back", syscall(SYS_prlimit64, getpid(), RLIMIT_CORE, NULL, &old));
	printf("core limit: %llu %llu\n", (unsigned long long)old.cur, (unsigned long long)old.max);
	check("prlimit64 no such pid", syscall(SYS_prlimit64, 0x3fffffff, RLIMIT_CORE, NULL, &old));
	check("prlimit64 bad resource", syscall(SYS_prlimit64, 0, 16, NULL, &old));
	check("prlimit64 bad new", syscall(SYS_prlimit64, 0, RLIMIT_CORE, (void *)1, NULL));
	check("prlimit64 bad old", syscall(SYS_prlimit64, 0, RLIMIT_CORE, NULL, (void *)1));

	check("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	check("PR_SET_NAME long", prctl(PR_SET_NAME, "a-very-long-thread-name"));
	check("PR_GET_NAME", prctl(PR_GET_NAME, name));
	printf("name: %s\n", name);
	check("PR_SET_NAME bad pointer", prctl(PR_SET_NAME, (void *)1));
	check("PR_GET_NAME bad pointer", prctl(PR_GET_NAME, (void *)1));
	int sig = -1;
	check("PR_SET_PDEATHSIG", prctl(PR_SET_PDEATHSIG, 9));
	check("PR_GET_PDEATHSIG", prctl(PR_GET_PDEATHSIG, &sig));
	printf("pdeathsig: %d\n", sig);
	check("PR_SET_PDEATHSIG 99", prctl(PR_SET_PDEATHSIG, 99));
	child = fork();
	if (child == 0) {
		sig = -1;
		prctl(PR_GET_PDEATHSIG, &sig);
		_exit(sig);
	}
	waitpid(child, &status, 0);
	check("a child's pdeathsig", WEXITSTATUS(status));
	/* A grandchild asks for SIGUSR1 when its parent ends; it reports
	 * through a pipe, as its parent is gone by then. */
	int report[2];
	pipe(report);
	child = fork();
	if (child == 0) {
		if (fork() == 0) {
			sigset_t usr1;
			sigemptyset(&usr1);
			sigaddset(&usr1, SIGUSR1);
			sigprocmask(SIG_BLOCK, &usr1, NULL);
			prctl(PR_SET_PDEATHSIG, SIGUSR1);
			write(report[1], "r", 1); /* armed: the parent may go */
			int got = 0;
			sigwait(&usr1, &got);
			char c = got == SIGUSR1 ? 'y' : 'n';
			write(report[1], &c, 1);
			_exit(0);
		}
		char armed;
		read(report[0], &armed, 1);
		_exit(0);
	}
	close(report[1]);
	waitpid(child, &status, 0);
	char answer = 0;
	check("pdeathsig reports", read(report[0], &answer, 1));
	printf("pdeathsig delivered: %s\n", answer == 'y' ? "yes" : "no");
	close(report[0]);

	check("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	check("PR_SET_DUMPABLE 0", prctl(PR_SET_DUMPABLE, 0));
	check("PR_GET_DUMPABLE", prctl(PR_GET_DUMPABLE));
	check("PR_SET_DUMPABLE 5", prctl(PR_SET_DUMPABLE, 5));
	check("unknown prctl", prctl(0x7fff1234, 0, 0, 0, 0));

	struct sysinfo si;
	check("sysinfo", sysinfo(&si));
	check_yes("sysinfo memory",
	          si.mem_unit >= 1 && si.totalram > 0 && si.freeram <= si.totalram);
	check_yes("sysinfo counts us", si.procs >= 1);
	check("sysinfo bad pointer", syscall(SYS_sysinfo, (void *)1));
	test_end();
	return 0;
}
