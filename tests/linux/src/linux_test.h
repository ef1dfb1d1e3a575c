#ifndef LINUX_TEST_H
#define LINUX_TEST_H

/*
 * What every tests/linux program shares. A program prints "=== NAME" first
 * and "=== end" last, and between them one line per check, "what: result",
 * with nothing that differs between two correct runs (no pids, addresses,
 * times). tests/linux/run.sh compares those lines between the host and
 * Atoll. A line must not start with a log source's "word: " (proc:, linux:,
 * uart16550:, ...): run.sh drops such lines, which the console interleaves.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The name of errno value e ("EBADF"), or "errno N" for one not listed. */
static inline const char *errno_name(int e)
{
	static const struct {
		int value;
		const char *name;
	} names[] = {{0, "0"},
	             {EPERM, "EPERM"},
	             {ENOENT, "ENOENT"},
	             {ESRCH, "ESRCH"},
	             {EINTR, "EINTR"},
	             {EIO, "EIO"},
	             {ENXIO, "ENXIO"},
	             {E2BIG, "E2BIG"},
	             {ENOEXEC, "ENOEXEC"},
	             {EBADF, "EBADF"},
	             {ECHILD, "ECHILD"},
	             {EAGAIN, "EAGAIN"},
	             {ENOMEM, "ENOMEM"},
	             {EACCES, "EACCES"},
	             {EFAULT, "EFAULT"},
	             {EBUSY, "EBUSY"},
	             {EEXIST, "EEXIST"},
	             {EXDEV, "EXDEV"},
	             {ENODEV, "ENODEV"},
	             {ENOTDIR, "ENOTDIR"},
	             {EISDIR, "EISDIR"},
	             {EINVAL, "EINVAL"},
	             {EMFILE, "EMFILE"},
	             {ENOTTY, "ENOTTY"},
	             {EFBIG, "EFBIG"},
	             {ENOSPC, "ENOSPC"},
	             {ESPIPE, "ESPIPE"},
	             {EROFS, "EROFS"},
	             {EPIPE, "EPIPE"},
	             {ERANGE, "ERANGE"},
	             {EDEADLK, "EDEADLK"},
	             {ENOLCK, "ENOLCK"},
	             {ENOSYS, "ENOSYS"},
	             {ENOTEMPTY, "ENOTEMPTY"},
	             {ENAMETOOLONG, "ENAMETOOLONG"},
	             {ELOOP, "ELOOP"},
	             {EMLINK, "EMLINK"},
	             {EOVERFLOW, "EOVERFLOW"},
	             {EOPNOTSUPP, "EOPNOTSUPP"},
	             {ETIMEDOUT, "ETIMEDOUT"}};
	static char other[32];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].value == e)
			return names[i].name;
	snprintf(other, sizeof(other), "errno %d", e);
	return other;
}

/* Line-buffered stdout on the host (a file) and on Atoll (the console):
 * the lines come out in the order the program prints them, also when it
 * mixes them with raw write(2) calls. */
static inline void test_begin(const char *name)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("=== %s\n", name);
}

static inline void test_end(void)
{
	printf("=== end\n");
	fflush(stdout);
}

/* "what: RESULT": the errno's name when ret is -1, else the value. */
static inline void check(const char *what, long ret)
{
	if (ret == -1)
		printf("%s: %s\n", what, errno_name(errno));
	else
		printf("%s: %ld\n", what, ret);
}

/* "what: yes" or "what: no". */
static inline void check_yes(const char *what, int ok)
{
	printf("%s: %s\n", what, ok ? "yes" : "no");
}

#endif
