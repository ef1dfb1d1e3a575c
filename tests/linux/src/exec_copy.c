/*
 * execve of programs written to the file system: this program copies
 * itself into /tmp and runs the copy (arguments and environment intact,
 * also through a symlink and a #! script), and the files that are no
 * program fail as Linux says.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux_test.h"

static char dir[] = "/tmp/exec_copy.XXXXXX";
static char path[64];

static int copy_self(const char *to)
{
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (in < 0 || out < 0)
		return -1;
	static char buf[65536];
	ssize_t n;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			return -1;
	close(in);
	return close(out);
}

/* Run file with argv and envp; its exit status, or 1000 + errno when
 * execve failed. */
static int run(const char *file, char *const argv[], char *const envp[])
{
	pid_t c = fork();
	if (c == 0) {
		execve(file, argv, envp);
		_exit(100 + (errno & 0x7f));
	}
	int st;
	waitpid(c, &st, 0);
	if (!WIFEXITED(st))
		return -1;
	int code = WEXITSTATUS(st);
	return code >= 100 ? 1000 + code - 100 : code;
}

static void report(const char *what, int status)
{
	if (status >= 1000)
		printf("%s: %s\n", what, errno_name(status - 1000));
	else
		printf("%s: exit %d\n", what, status);
}

static void write_file(const char *name, const char *text, mode_t mode)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	write(fd, text, strlen(text));
	close(fd);
}

int main(int argc, char **argv)
{
	/* The copy, run: its arguments and environment are checked here. */
	if (argc > 1 && strcmp(argv[1], "child") == 0) {
		const char *v = getenv("COPY_VALUE");
		/* argv[2] is "" when run directly, the script's path through #! */
		int ok = argc == 4 && (strcmp(argv[2], "") == 0 || strstr(argv[2], "/script")) &&
		         strcmp(argv[3], "x y") == 0 && v && strcmp(v, "42") == 0;
		return ok ? 7 : 8;
	}
	printf("=== exec_copy\n");
	if (!mkdtemp(dir)) {
		printf("no temporary directory\n");
		return 1;
	}
	char copy[64], link[64];
	snprintf(copy, sizeof(copy), "%s/copy", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	printf("copy itself: %s\n", copy_self(copy) == 0 ? "yes" : "no");
	char *args[] = {"copy", "child", "", "x y", NULL};
	char *env[] = {"COPY_VALUE=42", NULL};
	report("the copy runs with its arguments", run(copy, args, env));
	symlink("copy", link);
	report("through a symlink", run(link, args, env));

	char script[128];
	snprintf(script, sizeof(script), "#!%s child\n", copy);
	write_file("script", script, 0755);
	char *script_args[] = {"script", "x y", NULL};
	report("as a script's interpreter (argv: copy child script x y)",
	       run(path, script_args, env));

	chmod(copy, 0644);
	report("not executable", run(copy, args, env));
	write_file("garbage",
	           "\x7f"
	           "ELF and then nothing an ELF needs",
	           0755);
	report("an ELF header that is not one", run(path, args, env));
	write_file("empty", "", 0755);
	report("an empty file", run(path, args, env));

	static const char *names[] = {"copy", "link", "script", "garbage", "empty"};
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	printf("=== end\n");
	return 0;
}
